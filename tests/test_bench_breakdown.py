"""The benchmark's breakdown of a request's time (bench/breakdown.py): which
part each file's functions count for, and a real page's profile."""

import pytest

from bench import breakdown
from tests.disclosure.public_fixtures import build_world, publish

SITE = "/srv/venv/lib/python3.11/site-packages/"


@pytest.mark.parametrize(
    ("filename", "part"),
    [
        (SITE + "django/template/base.py", "rendering"),
        (SITE + "django/db/models/query.py", "orm"),
        (SITE + "psycopg/cursor.py", "database"),
        (SITE + "django/core/handlers/base.py", "request"),
        (SITE + "django_filters/filterset.py", "forms"),
        (breakdown.ROOT + "disclosure/public/views.py", "app"),
        (breakdown.ROOT + "portal/middleware.py", "request"),
        (breakdown.ROOT + "disclosure/templatetags/disclosure_tags.py", "rendering"),
        ("/usr/lib/python3.11/json/encoder.py", "rendering"),
        ("/usr/lib/python3.11/enum.py", "other"),
    ],
)
def test_each_file_counts_for_its_part(filename, part):
    assert breakdown.part_of(filename) == part


def test_the_checkout_directory_never_decides_the_part(monkeypatch):
    # A checkout in a directory called "portal": a library stays a library.
    monkeypatch.setattr(breakdown, "ROOT", "/srv/portal/")
    assert (
        breakdown.part_of("/srv/portal/.venv/lib/python3.11/site-packages/enum34.py")
        == "other"
    )
    assert breakdown.part_of("/srv/portal/disclosure/search.py") == "app"


@pytest.mark.django_db
def test_a_list_page_is_mostly_rendering_and_every_share_adds_up(client, settings):
    settings.PORTAL_PAGE_CACHE_SECONDS = 0
    world = build_world()
    for number in range(5):
        publish(world, title=f"关于第{number}批农业补贴的通知")
    profile = breakdown.profile_url(client, "/items/", repeat=3)
    shares = profile["shares"]
    assert sum(shares.values()) == pytest.approx(1.0, abs=0.01)
    assert set(shares) <= {
        "rendering",
        "orm",
        "database",
        "request",
        "forms",
        "app",
        "other",
    }
    assert shares["rendering"] == max(shares.values())
    assert profile["ms_per_request"] > 0
    assert len(profile["top_functions"]) == 10
