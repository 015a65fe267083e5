"""Rows of the item lists rendered once and reused
(``disclosure/public/fragments.py``), with the page cache off: the same HTML
as rendered afresh, and never a row that outlives what it shows (a change, the
day, the language)."""

import datetime

import pytest
from django.utils import timezone

from disclosure.models import PublicRecord
from disclosure.public import fragments
from tests.disclosure.public_fixtures import build_world, publish

ROW_TEMPLATE = fragments.ROW_TEMPLATE


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    settings.PORTAL_PAGE_CACHE_SECONDS = 0


@pytest.fixture
def world(db):
    world = build_world()
    for number in range(3):
        publish(
            world, title=f"关于第{number}批农业补贴的通知", catalog_entry=world.entry
        )
    return world


def _urls(world):
    return [
        "/items/",
        f"/items/?department={world.department.code}",
        world.entry.get_absolute_url(),
    ]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_rows_kept_are_the_html_rendered_afresh(client, world, settings, language):
    client.cookies["django_language"] = language
    settings.PORTAL_ROW_FRAGMENTS = 0
    afresh = {url: client.get(url) for url in _urls(world)}
    settings.PORTAL_ROW_FRAGMENTS = 5000
    for url, expected in afresh.items():
        client.get(url)  # renders and keeps the rows
        kept = client.get(url)
        assert kept.status_code == 200
        assert ROW_TEMPLATE not in [t.name for t in kept.templates]
        assert kept.content == expected.content
        assert "关于第2批农业补贴的通知" in kept.content.decode()


def test_a_row_is_rendered_once_for_every_list_that_shows_it(client, world):
    first = client.get("/items/")
    assert ROW_TEMPLATE in [t.name for t in first.templates]
    for url in _urls(world):
        response = client.get(url)
        assert ROW_TEMPLATE not in [t.name for t in response.templates], url
        assert "关于第0批农业补贴的通知" in response.content.decode()


def test_a_renamed_department_shows_in_the_rows_at_once(client, world):
    row_publisher = '<dd lang="zh-Hans">{}</dd>'
    assert (
        row_publisher.format("区农业农村局") in client.get("/items/").content.decode()
    )
    world.department.name = "区农业农村局（更名）"
    world.department.save()  # bumps the publication generation
    page = client.get("/items/").content.decode()
    assert page.count(row_publisher.format("区农业农村局（更名）")) == 3
    assert row_publisher.format("区农业农村局") not in page


def test_a_withdrawn_item_leaves_every_list_at_once(client, world):
    from disclosure import workflow

    record = PublicRecord.objects.get(title="关于第1批农业补贴的通知")
    for url in _urls(world):
        assert "关于第1批农业补贴的通知" in client.get(url).content.decode()
    workflow.withdraw(item=record.item, by=world.admin, reason="内容有误，撤回。")
    for url in _urls(world):
        page = client.get(url).content.decode()
        assert "关于第1批农业补贴的通知" not in page, url
        assert "关于第2批农业补贴的通知" in page


def test_rows_are_kept_per_language(client, world):
    assert "发布机构" in client.get("/items/").content.decode()
    client.cookies["django_language"] = "en"
    english = client.get("/items/").content.decode()
    assert "Publishing Agency" in english
    assert "<dt>发布机构</dt>" not in english


def test_a_row_shows_the_validity_of_the_day_it_is_shown(client, world, clock):
    today = timezone.localdate()
    # The 有效期至 ends today (written without a publication, as time
    # passing would: nothing bumps the generation at midnight).
    PublicRecord.objects.filter(title="关于第0批农业补贴的通知").update(
        expires_on=today
    )
    assert (
        '<span class="badge">失效</span>' not in client.get("/items/").content.decode()
    )
    tomorrow = datetime.datetime.combine(
        today + datetime.timedelta(days=1),
        datetime.time(9),
        timezone.get_current_timezone(),
    )
    clock.move_to(tomorrow)
    assert '<span class="badge">失效</span>' in client.get("/items/").content.decode()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_search_rows_are_the_html_rendered_afresh_for_every_query(
    client, world, settings, language
):
    client.cookies["django_language"] = language
    searches = [
        "/items/?q=补贴",
        "/items/?q=农业",
        "/items/?q=第1批",
        "/items/?q=通知补贴",
    ]
    settings.PORTAL_ROW_FRAGMENTS = 0
    afresh = {url: client.get(url).content for url in searches}
    settings.PORTAL_ROW_FRAGMENTS = 5000
    first = client.get(searches[0])
    assert ROW_TEMPLATE in [t.name for t in first.templates]
    for url in searches:
        response = client.get(url)
        assert ROW_TEMPLATE not in [t.name for t in response.templates], url
        assert response.content == afresh[url], url
    assert "<mark>农业</mark>" in afresh["/items/?q=农业"].decode()
    assert "<mark>农业</mark>" not in afresh["/items/?q=补贴"].decode()


def test_the_store_keeps_at_most_its_limit(client, world, settings):
    settings.PORTAL_ROW_FRAGMENTS = 2
    response = client.get("/items/")
    assert response.content.decode().count('<li class="record">') == 3
    assert len(fragments._rows) == 2
