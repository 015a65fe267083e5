"""Caching of the public pages: HTTP headers and conditional GET, the
server-side cache, and that a change is visible on the next request."""

import datetime
import re
import time

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.http import HttpResponse
from django.test import Client
from django.utils import timezone

from catalog.models import Department
from disclosure import publication, workflow
from disclosure.models import PublicationGeneration, PublicRecord
from disclosure.public import cache as disclosure_cache
from disclosure.publication import generation
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
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]


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


LISTS = ["/", "/items/", "/items/?q=撤销", "/feeds/items.atom", "/api/v1/items"]


@pytest.mark.parametrize("backend", ["locmem", "redis"])
def test_withdrawing_and_removing_are_visible_on_the_next_request(
    client, world, backend, request
):
    if backend == "redis":
        request.getfixturevalue("redis_cache")
    record = publish(world, title="甲乙丙村将被撤销的信息")
    url, api = f"/items/{record.pk}/", f"/api/v1/items/{record.pk}"
    for _ in range(2):  # rendered, then from the cache
        for listing in LISTS:
            assert "甲乙丙村" in client.get(listing).content.decode(), listing
        assert "本信息已撤销" not in client.get(url).content.decode()
        assert client.get(api).json()["status"] == "live"
    workflow.withdraw(item=record.item, by=world.admin, reason="政策调整")
    for listing in LISTS:
        assert "甲乙丙村" not in client.get(listing).content.decode(), listing
    assert "本信息已撤销" in client.get(url).content.decode()
    assert client.get(api).json()["status"] == "withdrawn"
    workflow.remove(item=record.item, by=world.admin, reason="错发")
    assert client.get(url).status_code == 410
    assert client.get(api).status_code == 410


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
    assert "新名单" not in page  # not published yet
    workflow.submit(item=item, by=world.clerk)
    workflow.approve(item=item, by=world.reviewer, confidentiality_checked=True)
    workflow.publish(item=item, by=world.reviewer)
    page = client.get(url).content.decode()
    assert "补充了名单。" in page
    assert ">新名单</a>" in page


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


def _message_cookie(text: str) -> str:
    from django.contrib.messages import constants
    from django.contrib.messages.storage.base import Message
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.http import HttpRequest

    return CookieStorage(HttpRequest())._encode([Message(constants.INFO, text)])


def test_a_pending_message_bypasses_the_cache(client, world):
    publish(world)
    client.get("/items/")  # cached
    client.cookies["messages"] = _message_cookie("已退出登录。")
    response = client.get("/items/")
    assert "private" in response["Cache-Control"]
    assert "已退出登录。" in response.content.decode()


def test_a_made_up_message_cookie_does_not_bypass_the_cache(client, world):
    publish(world)
    client.get("/items/")
    client.cookies["messages"] = "x"
    with django_queries() as queries:
        response = client.get("/items/")
    assert "public" in response["Cache-Control"]
    assert len(queries) == 0  # served from the cache


def django_queries():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    return CaptureQueriesContext(connection)


def test_public_pages_set_no_cookie_and_carry_no_token(world):
    """The same bytes for every visitor: nothing per visitor to keep apart,
    so a proxy may cache them too."""
    record = publish(world)
    for url in [*PAGES, f"/items/{record.pk}/"]:
        for _ in range(2):  # rendered, then from the cache
            response = Client().get(url)
            assert response.status_code == 200, url
            assert not response.cookies, url
            assert b"csrfmiddlewaretoken" not in response.content, url


def test_the_language_link_switches_a_cached_page(world):
    publish(world)
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get("/items/?type=x").content.decode()
    link = re.search(r'<a href="(/language/\?language=en[^"]*)"', page).group(1)
    response = visitor.get(link.replace("&amp;", "&"))
    assert response.status_code == 302
    assert response["Location"] == "/items/?type=x"
    english = visitor.get("/items/?type=x")
    assert english["Content-Language"] == "en"
    assert 'lang="en"' in english.content.decode()
    back = visitor.get("/language/?language=zh-hans&next=/items/")
    assert back.cookies[settings.LANGUAGE_COOKIE_NAME].value == ""  # deleted
    assert visitor.get("/items/")["Content-Language"] == "zh-hans"


@pytest.mark.parametrize(
    ("query", "location", "sets_cookie"),
    [
        ("language=fr&next=/items/", "/items/", False),
        ("language=en&next=//evil.example/", "/", True),
        ("language=en&next=https://evil.example/", "/", True),
        ("next=x", "/", False),
    ],
)
def test_the_language_link_ignores_what_it_does_not_know(
    client, query, location, sets_cookie
):
    response = client.get(f"/language/?{query}")
    assert response.status_code == 302
    assert response["Location"] == location
    assert (settings.LANGUAGE_COOKIE_NAME in response.cookies) == sets_cookie


def test_a_page_with_a_csrf_token_is_not_kept(rf, world):
    from django.template import Context, Template

    @disclosure_cache.public_page
    def view(request):
        return HttpResponse(
            Template("{% csrf_token %}").render(Context({"csrf_token": "t" * 32}))
        )

    request = rf.get("/token/")
    request.user = AnonymousUser()
    request.COOKIES = {}
    response = view(request)
    assert "private" in response["Cache-Control"]
    assert not [key for key in cache._cache if ":disclosure:page:" in key]


def test_a_bump_in_another_process_shows_within_the_check_interval(
    client, world, settings, monkeypatch
):
    """Each process reads the generation at most once a second; another
    process's bump (here: written straight to the database) shows after
    that."""
    clock = [1000.0]
    monkeypatch.setattr(publication.time, "monotonic", lambda: clock[0])
    settings.PORTAL_GENERATION_CHECK_SECONDS = 1
    publish(world)
    first = generation()
    bump_elsewhere()
    clock[0] += 0.9
    assert generation() == first  # within the interval: as read
    clock[0] += 0.2
    assert generation() == first + 1


def bump_elsewhere():
    """What another process's publication does to the generation."""
    PublicationGeneration.objects.filter(pk=publication.ROW).update(
        value=F("value") + 1
    )


def test_a_bump_in_this_process_shows_at_once(world):
    before = generation()
    publication.bump_generation()
    assert generation() == before + 1


def test_a_zero_page_cache_time_keeps_no_page(client, world, settings):
    settings.PORTAL_PAGE_CACHE_SECONDS = 0
    publish(world)
    first = client.get("/items/")
    second = client.get("/items/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 304
    assert not [key for key in cache._cache if ":disclosure:page:" in key]


def test_the_generation_is_bumped_in_the_publishing_transaction(world):
    before = generation()
    publish(world)
    assert generation() > before
    assert PublicationGeneration.objects.get().value == generation()


def test_a_generation_read_inside_a_transaction_is_not_kept(world):
    """A number read inside a transaction may be its own, uncommitted bump:
    other requests of the process must not key pages by it."""
    before = generation()
    with pytest.raises(RuntimeError), transaction.atomic():
        publication.bump_generation()
        assert generation() == before + 1  # this transaction's own
        raise RuntimeError("rolled back")
    assert generation() == before


# --- with a shared cache (Redis) ----------------------------------------------------


def redis_page_keys(redis_cache) -> list[bytes]:
    client = redis_cache._cache.get_client()
    mine = f"{redis_cache.key_prefix}:*"  # this test's keys, not another's
    return [key for key in client.scan_iter(match=mine) if b":disclosure:page:" in key]


def test_with_redis_pages_are_shared_and_kept_in_this_process_too(
    client, world, redis_cache, django_assert_num_queries
):
    record = publish(world)
    first = client.get("/items/")
    assert len(redis_page_keys(redis_cache)) == 1  # shared with other processes
    # Another process's copy would come from Redis; this one keeps its own:
    # with the shared copy gone, the page still comes without a query.
    redis_cache._cache.get_client(write=True).delete(*redis_page_keys(redis_cache))
    with django_assert_num_queries(0):
        second = client.get("/items/")
    assert second.content == first.content
    # A publication in this process shows at once.
    other = publish(world, title="关于第二批补贴资金的公示")
    third = client.get("/items/").content.decode()
    assert other.title in third and record.title in third


def test_with_redis_another_process_bump_shows_after_the_check_interval(
    client, world, redis_cache, settings
):
    settings.PORTAL_GENERATION_CHECK_SECONDS = 0.2
    record = publish(world)
    client.get(f"/items/{record.pk}/")
    # Another process changes the record and bumps the shared generation.
    PublicRecord.objects.filter(pk=record.pk).update(title="已更新的标题")
    bump_elsewhere()
    time.sleep(0.25)
    assert "已更新的标题" in client.get(f"/items/{record.pk}/").content.decode()


def test_the_catalog_snapshot_is_read_again_after_its_max_age(client, world, settings):
    """A change that bumps no generation here (another process's, with each
    process its own local-memory cache) shows after PORTAL_REFERENCE_SECONDS."""
    settings.PORTAL_PAGE_CACHE_SECONDS = 0
    record = publish(world)
    url = f"/items/{record.pk}/"
    assert world.department.name in client.get(url).content.decode()
    Department.objects.filter(pk=world.department.pk).update(name="改名后的机构")
    assert "改名后的机构" not in client.get(url).content.decode()  # the snapshot
    settings.PORTAL_REFERENCE_SECONDS = 0
    assert "改名后的机构" in client.get(url).content.decode()
