"""The public state stays coherent across server processes: an item withdrawn
or removed in one process disappears from every page, feed and API of every
other process within a second or two, whatever the cache (each process its
own local memory, or Redis); and a server whose Redis is down keeps serving.

Real processes: two gunicorn servers on the test database (a file copy of it
on SQLite), and a third process that takes the workflow steps.
"""

import datetime
import os
import re
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db.models import F

from disclosure.models import PublicRecord
from tests import factories
from tests.conftest import unavailable
from tests.disclosure.public_fixtures import build_world, publish
from tests.servers import (
    Server,
    WorkflowProcess,
    browser,
    fetch,
    free_port,
    run_sql,
    shared_database_url,
)

pytestmark = pytest.mark.django_db(transaction=True)

#: From the commit of a withdrawal to the last answer that no longer shows
#: it: one generation check (1 s) and a page rendered, with room for a
#: loaded machine (measured: 0.8-1.0 s).
DEADLINE_SECONDS = 2.5
TITLE = "甲乙丙村耕地地力保护补贴发放名单的公示"
MARK = "甲乙丙村"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world():
    world = build_world()
    world.record = publish(world, title=TITLE)
    world.other = publish(world, title="关于第二批农机购置补贴的公示")
    # The servers keep the real clock (or faketime's), this process the
    # test's: published well before either's now.
    PublicRecord.objects.update(
        published_at=F("published_at") - datetime.timedelta(days=30)
    )
    return world


def change_title_behind_the_portals_back(database_url: str, record_id: int) -> None:
    """A change no generation bump announces: the servers keep showing what
    they cached (proves that the pages were cached)."""
    run_sql(
        database_url,
        f"UPDATE {PublicRecord._meta.db_table} SET title = %s WHERE item_id = %s",  # noqa: S608
        [TITLE + "（未经发布的改动）", record_id],
    )


def cache_env(kind: str) -> dict:
    if kind == "locmem":
        return {}
    url = os.environ.get("TEST_REDIS_URL")
    if not url:
        unavailable("needs Redis: set TEST_REDIS_URL=redis://127.0.0.1:6379/14")
    return {"CACHE_URL": url, "CACHE_KEY_PREFIX": f"test-{uuid.uuid4().hex}"}


@pytest.fixture
def servers(world, tmp_path, request):
    database_url = shared_database_url(tmp_path)
    env = cache_env(request.param)
    started = [
        Server(database_url, tmp_path / f"server{number}.log", **env)
        for number in (1, 2)
    ]
    try:
        for server in started:
            server.wait_until_up()
        yield database_url, env, started
    finally:
        for server in started:
            server.stop()
        forget_redis_keys(env)


def forget_redis_keys(env: dict) -> None:
    if not env:
        return
    import redis

    client = redis.Redis.from_url(env["CACHE_URL"])
    for key in client.scan_iter(match=f"{env['CACHE_KEY_PREFIX']}:*"):
        client.delete(key)


#: Per public surface: whether it still shows the item as live.
LIVE = {
    "listing": lambda server, pk: MARK in server.get("/items/").text,
    "search": lambda server, pk: MARK in server.get("/items/?q=补贴").text,
    "feed": lambda server, pk: MARK in server.get("/feeds/items.atom").text,
    "api": lambda server, pk: MARK in server.get("/api/v1/items").text,
    "page": lambda server, pk: "本信息已撤销" not in server.get(f"/items/{pk}/").text,
    "api item": lambda server, pk: '"live"' in server.get(f"/api/v1/items/{pk}").text,
}
GONE = {
    "page": lambda server, pk: server.get(f"/items/{pk}/").status == 410,
    "api item": lambda server, pk: server.get(f"/api/v1/items/{pk}").status == 410,
}


@pytest.mark.parametrize("servers", ["locmem", "redis"], indirect=True)
def test_a_withdrawal_in_one_process_shows_in_every_other_within_seconds(
    world, servers
):
    database_url, env, (first, second) = servers
    pk = world.record.pk
    steps = WorkflowProcess(database_url, **env)  # configured as the servers
    try:
        for server in (first, second):
            for _ in range(2):  # rendered, then kept
                for surface, live in LIVE.items():
                    assert live(server, pk), (surface, server.log())
        change_title_behind_the_portals_back(database_url, pk)
        for server in (first, second):
            assert "未经发布的改动" not in server.get("/items/").text
            assert "未经发布的改动" not in server.get(f"/items/{pk}/").text

        committed = steps.take(
            "withdraw", item_id=pk, by_id=world.admin.pk, reason="误发个人信息"
        )
        took = last_to_change(
            [
                lambda server=server, live=live: not live(server, pk)
                for server in (first, second)
                for live in LIVE.values()
            ]
        )
        assert took - committed <= DEADLINE_SECONDS, took - committed
        for server in (first, second):
            page = server.get(f"/items/{pk}/")
            assert page.status == 200 and "误发个人信息" in page.text
            assert MARK not in server.get("/items/?q=甲乙丙").text

        committed = steps.take(
            "remove", item_id=pk, by_id=world.admin.pk, reason="错发"
        )
        took = last_to_change(
            [
                lambda server=server, gone=gone: gone(server, pk)
                for server in (first, second)
                for gone in GONE.values()
            ]
        )
        assert took - committed <= DEADLINE_SECONDS, took - committed
        for server in (first, second):
            assert "关于第二批农机购置补贴的公示" in server.get("/items/").text
    finally:
        steps.stop()


def last_to_change(checks, limit: float = 15.0) -> float:
    """Poll every check at once, each in its own thread, until it holds; the
    moment the last of them first held (an answer's arrival: an upper bound
    of when its server changed)."""

    def poll(check):
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            if check():
                return time.monotonic()
            time.sleep(0.05)
        raise AssertionError(f"not within {limit} s")

    with ThreadPoolExecutor(max_workers=len(checks)) as pool:
        return max(pool.map(poll, checks))


PAGES = [
    "/",
    "/items/",
    "/items/?q=补贴",
    "/items/{pk}/",
    "/feeds/items.atom",
    "/api/v1/items",
    "/api/v1/items/{pk}",
    "/items.csv",
    "/catalog/",
    "/guide/",
    "/sitemap.xml",
    "/accounts/login/",
]


def test_a_server_whose_redis_is_down_serves_every_page_and_logs_in(world, tmp_path):
    """REDIS_URL names a port where nothing listens, as when Redis has
    stopped; the sessions are read through it (SESSION_ENGINE=cache)."""
    server = Server(
        shared_database_url(tmp_path),
        tmp_path / "server.log",
        REDIS_URL=f"redis://127.0.0.1:{free_port()}/0",
        SESSION_ENGINE="cache",
    )
    try:
        server.wait_until_up()
        for _ in range(3):
            for page in PAGES:
                answer = server.get(page.format(pk=world.record.pk))
                assert answer.status == 200, (page, answer.text[:2000])
        opener, jar = browser()
        form = server.get("/accounts/login/", opener=opener)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
        signed_in = fetch(
            server.base + "/accounts/login/",
            {
                "csrfmiddlewaretoken": token.group(1),
                "username": world.clerk.username,
                "password": factories.PASSWORD,
            },
            opener=opener,
            headers={"Referer": server.base + "/accounts/login/"},
        )
        assert signed_in.status == 302, signed_in.text[:2000]
        assert server.get("/workspace/", opener=opener).status == 200
        log = server.log()
        assert log.count("is unavailable") == 1, log
        assert "Traceback" not in log, log
    finally:
        server.stop()
