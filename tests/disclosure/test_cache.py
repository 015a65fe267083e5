"""Caching of the public pages: HTTP headers and conditional GET, the
server-side cache, and that a change is visible on the next request."""

import datetime
import re
import time

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from disclosure import cache as disclosure_cache
from disclosure import workflow
from disclosure.cache import generation
from tests import factories
from tests.disclosure.public_fixtures import build_world, publish


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def travel(monkeypatch):
    def move(**delta):
        moment = timezone.now() + datetime.timedelta(**delta)
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return move


PAGES = ["/", "/items/", "/items/?q=补贴", "/feeds/items.atom", "/api/v1/items"]


@pytest.mark.parametrize("url", PAGES)
def test_anonymous_pages_are_cacheable(client, world, url):
    publish(world)
    response = client.get(url)
    assert response.status_code == 200
    assert "public" in response["Cache-Control"]
    assert "max-age=60" in response["Cache-Control"]
    assert response["ETag"].startswith('"')
    assert response["Last-Modified"].endswith("GMT")
    assert "Cookie" in response["Vary"]
    again = client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == response["ETag"]
    since = client.get(url, HTTP_IF_MODIFIED_SINCE=response["Last-Modified"])
    assert since.status_code == 304
    assert client.get(url, HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_item_page_is_cached_server_side(client, world, django_assert_num_queries):
    record = publish(world)
    url = f"/items/{record.pk}/"
    first = client.get(url)
    with django_assert_num_queries(0):
        second = client.get(url)
    assert without_csrf_token(second) == without_csrf_token(first)
    assert second["ETag"] == first["ETag"]


def without_csrf_token(response) -> str:
    return re.sub(r'(csrfmiddlewaretoken" value=")[^"]+', "", response.content.decode())


def test_list_is_cached_per_url_language_and_text_size(client, world):
    publish(world)
    client.get("/items/")
    with pytest.raises(AssertionError):  # a different query string is a miss
        _assert_no_queries(client, "/items/?department=nyj")
    _assert_no_queries(client, "/items/")
    client.cookies["django_language"] = "en"
    response = client.get("/items/")
    assert response["Content-Language"] == "en"
    assert '<html lang="en">' in response.content.decode()
    client.cookies["django_language"] = "zh-hans"
    client.cookies["portal_text_size"] = "large"
    assert "large-text" in client.get("/items/").content.decode()


def _assert_no_queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    assert len(queries) == 0, [query["sql"] for query in queries]


def test_publishing_is_visible_on_the_next_request(client, world):
    first = publish(world, title="第一条")
    for url in PAGES:
        client.get(url)
    second = publish(world, title="第二条补贴")
    assert "第二条补贴" in client.get("/").content.decode()
    assert "第二条补贴" in client.get("/items/").content.decode()
    assert "第二条<mark>补贴</mark>" in client.get("/items/?q=补贴").content.decode()
    assert "第二条补贴" in client.get("/feeds/items.atom").content.decode()
    assert client.get("/api/v1/items").json()["count"] == 2
    assert client.get(f"/items/{second.pk}/").status_code == 200
    assert first.title in client.get("/items/").content.decode()


def test_withdrawing_and_removing_are_visible_on_the_next_request(client, world):
    record = publish(world, title="将被撤销的信息")
    url = f"/items/{record.pk}/"
    assert "将被撤销的信息" in client.get("/items/").content.decode()
    assert "本信息已撤销" not in client.get(url).content.decode()
    workflow.withdraw(item=record.item, by=world.admin, reason="政策调整")
    assert "将被撤销的信息" not in client.get("/items/").content.decode()
    assert "本信息已撤销" in client.get(url).content.decode()
    workflow.remove(item=record.item, by=world.admin, reason="错发")
    assert client.get(url).status_code == 410


def test_a_change_note_and_a_new_attachment_are_visible_on_the_next_request(
    client, world
):
    record = publish(world)
    url = f"/items/{record.pk}/"
    client.get(url)
    item = workflow.update_item(
        item=record.item,
        by=world.clerk,
        data={"is_major_change": True, "change_note": "补充了名单。"},
        expected_version=record.item.version,
    )
    factories.attach_pdf(item, world.clerk, name="新名单.pdf")
    item.refresh_from_db()
    page = client.get(url).content.decode()
    assert "新名单.pdf" not in page  # not published yet
    workflow.submit(item=item, by=world.clerk)
    workflow.approve(item=item, by=world.reviewer, confidentiality_checked=True)
    workflow.publish(item=item, by=world.reviewer)
    page = client.get(url).content.decode()
    assert "补充了名单。" in page
    assert "新名单.pdf" in page


def test_a_renamed_department_is_visible_on_the_next_request(client, world):
    publish(world)
    client.get("/items/")
    world.department.name = "区农业农村局（新）"
    world.department.save()
    assert "区农业农村局（新）" in client.get("/items/").content.decode()


def test_a_scheduled_item_appears_at_its_time_despite_the_cache(client, world, travel):
    publish(world, title="已发布")
    publish(world, title="定时发布", at=timezone.now() + datetime.timedelta(hours=1))
    for url in ("/", "/items/", "/feeds/items.atom"):
        assert "定时发布" not in client.get(url).content.decode()
    travel(minutes=61)  # no bump: only the time has passed
    for url in ("/", "/items/", "/feeds/items.atom"):
        assert "定时发布" in client.get(url).content.decode(), url


def test_a_list_is_not_cached_past_the_next_scheduled_publication(client, world):
    at = timezone.now() + datetime.timedelta(seconds=90)
    publish(world, title="定时发布", at=at)
    client.get("/items/")
    entries = [
        value
        for key, value in cache._cache.items()  # locmem: inspect the entries
        if ":disclosure:page:" in key
    ]
    assert entries
    from pickle import loads  # noqa: S403 - our own cache entries

    for raw in entries:
        assert loads(raw)["valid_until"] == at  # noqa: S301
    expiry = [
        cache._expire_info[key] for key in cache._cache if ":disclosure:page:" in key
    ]
    assert all(moment <= at.timestamp() + 2 for moment in expiry)


def test_with_read_replicas_pages_rendered_right_after_a_change_are_kept_briefly(
    client, world, monkeypatch
):
    monkeypatch.setattr(disclosure_cache, "settle_seconds", lambda: 10)
    publish(world)
    client.get("/items/")
    expiry = [
        cache._expire_info[key] for key in cache._cache if ":disclosure:page:" in key
    ]
    assert expiry
    assert all(moment <= time.time() + 11 for moment in expiry)


def test_logged_in_users_bypass_the_cache(client, world, django_assert_max_num_queries):
    publish(world)
    client.force_login(world.clerk)
    first = client.get("/items/")
    assert "private" in first["Cache-Control"]
    assert "ETag" not in first
    generation_before = generation()
    second = client.get("/items/")
    assert second.status_code == 200
    assert generation() == generation_before
    assert not [key for key in cache._cache if ":disclosure:page:" in key]


def test_a_pending_message_bypasses_the_cache(client, world):
    publish(world)
    client.cookies["messages"] = "x"
    response = client.get("/items/")
    assert "private" in response["Cache-Control"]


def test_each_visitor_gets_a_working_csrf_token_from_a_cached_page(world):
    publish(world)
    Client().get("/items/")  # fills the cache
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get("/items/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = visitor.post(
        "/i18n/setlang/",
        {"language": "en", "next": "/items/", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302
    assert visitor.get("/items/")["Content-Language"] == "en"


def test_the_generation_is_bumped_again_after_commit(
    world, django_capture_on_commit_callbacks
):
    before = generation()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        publish(world)
    assert callbacks
    assert generation() > before
