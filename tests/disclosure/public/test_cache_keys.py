"""What the page cache keeps a page under, and who skips it: a key made of
the parameters the page reads (junk parameters share the page's entry), and
only a real session or a real pending message bypasses the cache."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from disclosure.public import cache as disclosure_cache
from portal import sessions
from tests.disclosure.public_fixtures import build_world, publish


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world(db):
    world = build_world()
    publish(world, title="关于耕地地力保护补贴的公示")
    publish(world, department=world.other_department, title="关于预算公开的通知")
    return world


def page_keys() -> list[str]:
    return [key for key in cache._cache if ":disclosure:page:" in key]


def queries_of(client, url, **extra):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **extra)
    return response, len(queries)


@pytest.mark.parametrize(
    "path", ["/", "/items/", "/feeds/items.atom", "/feeds/items.rss", "/api/v1/items"]
)
def test_junk_parameters_share_the_pages_one_entry(client, world, path):
    first = client.get(path)
    assert first.status_code == 200
    assert len(page_keys()) == 1
    for number in range(20):
        junk = f"{path}?x={number}&utm_source=mail{number}"
        response = client.get(junk)
        if path.startswith("/api/"):
            # The API refuses what it does not know, warm cache or not.
            assert response.status_code == 400
            assert response.json()["fields"]["x"]
            assert "private" in response["Cache-Control"]
        else:
            assert response.status_code == 200
            assert response.content == first.content
    assert len(page_keys()) == 1


def test_the_key_is_the_known_parameters_sorted_without_empty_ones(client, world):
    first, _ = queries_of(client, "/items/?department=nyj&q=补贴")
    assert "耕地地力保护" in first.content.decode()
    for same in (
        "/items/?q=补贴&department=nyj",
        "/items/?q=补贴&department=nyj&page=&year=&x=1",
        "/items/?department=czj&q=补贴&department=nyj",  # the last value counts
    ):
        response, count = queries_of(client, same)
        assert response.content == first.content, same
        assert count == 0, same
    assert len(page_keys()) == 1
    other = client.get("/items/?department=czj")
    assert "关于预算公开的通知" in other.content.decode()
    assert "耕地地力保护" not in other.content.decode()
    assert len(page_keys()) == 2


def test_the_page_never_shows_the_parameters_it_ignores(client, world):
    """The view sees the canonical query alone, so a cached page cannot
    carry one visitor's junk to the next (here: the language link)."""
    page = client.get("/items/?department=nyj&tracking=abc123").content.decode()
    assert "abc123" not in page
    assert "next=/items/%3Fdepartment%3Dnyj" in page


@pytest.mark.parametrize(
    "cookie",
    [
        "0123456789abcdefghijklmnopqrstuv",  # shaped like Django's own keys
        "x",
        "abcdefghijklmnopqrst" + "0" * 12,  # shaped like ours, wrong signature
    ],
)
def test_a_made_up_session_cookie_is_served_the_cached_page(client, world, cookie):
    cached = client.get("/items/")
    client.cookies["sessionid"] = cookie
    response, count = queries_of(client, "/items/")
    assert response.status_code == 200
    assert response.content == cached.content
    assert count == 0  # no session read: its key is not signed
    # The stale cookie is deleted; that answer is for this visitor only.
    assert response.cookies["sessionid"].value == ""
    assert "private" in response["Cache-Control"]
    assert len(page_keys()) == 1


def test_session_keys_are_signed(client, world, settings):
    client.force_login(world.clerk)
    key = client.session.session_key
    assert sessions.verifies(key)
    assert len(key) == 32 and key.isalnum() and key == key.lower()
    tampered = key[:-1] + ("0" if key[-1] != "0" else "1")
    assert not sessions.verifies(tampered)
    assert not sessions.verifies(None)
    # A key signed before the secret was rotated still verifies while the
    # old secret is among the fallbacks, and no longer once it is dropped.
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-secret-key-for-this-test-only-0123456789"
    assert sessions.verifies(key)
    assert client.get("/workspace/").status_code == 200
    settings.SECRET_KEY_FALLBACKS = []
    assert not sessions.verifies(key)


def test_a_real_session_gets_a_fresh_private_page(client, world):
    client.get("/items/")
    client.force_login(world.clerk)
    assert client.session[SESSION_KEY]
    response, count = queries_of(client, "/items/")
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    assert "ETag" not in response
    assert count > 3  # rendered
    assert len(page_keys()) == 1  # and not kept


def test_a_session_that_expired_on_the_server_is_served_like_anyone(client, world):
    from django.contrib.sessions.models import Session

    client.force_login(world.clerk)
    Session.objects.all().delete()
    response = client.get("/items/")
    assert response.status_code == 200
    assert "ETag" in response  # through the page cache
    assert len(page_keys()) == 1  # rendered once, kept for everyone
    assert response.cookies["sessionid"].value == ""


def _as_django_reads_it(request, params) -> str:
    """The canonical query made from ``request.GET`` (what the views read)."""
    from urllib.parse import urlencode

    pairs = []
    for name in sorted(set(params)):
        value = request.GET.get(name, "")
        if value != "":
            pairs.append((name, value))
    return urlencode(pairs)


@hypothesis_settings(deadline=None, max_examples=300)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["q", "page", "department", "x", "q[]", "页"]),
            st.text(alphabet="ab补贴 %+&=;#?\u00e9\u3000", max_size=6),
        ),
        max_size=5,
    ),
    st.booleans(),
)
def test_the_key_reads_the_query_as_request_get_does(pairs, quoted):
    """The page cache parses the query string itself (a hit builds no
    QueryDict): whatever a visitor sends, it must read what the view reads."""
    from urllib.parse import quote

    from django.test import RequestFactory

    if quoted:
        raw = "&".join(f"{quote(n)}={quote(v)}" for n, v in pairs)
    else:  # as typed, UTF-8 bytes in the WSGI string (latin-1)
        raw = "&".join(f"{n}={v}" for n, v in pairs)
        raw = raw.encode("utf-8").decode("iso-8859-1")
    request = RequestFactory().get("/items/")
    request.META["QUERY_STRING"] = raw
    params = ("q", "page", "department")
    assert disclosure_cache.canonical_query(request, params) == _as_django_reads_it(
        request, params
    )
