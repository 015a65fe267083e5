"""Redis down: the portal keeps serving. Cache reads are misses, writes are
dropped, the rate limiter counts per process, sessions stay in the database,
nothing answers 500, and the outage is logged once (portal/cache.py).

Against real connections: a local port where nothing listens (Redis refuses
the connection) and a local socket that accepts and never answers (Redis
hangs); no mock of Redis anywhere.
"""

import logging
import socket
import threading
import time

import pytest
from django.core.cache import caches

from portal import cache as portal_cache
from tests import factories
from tests.disclosure.public_fixtures import build_world, publish

PAGES = [
    "/",
    "/items/",
    "/items/?q=补贴",
    "/items/{pk}/",
    "/feeds/items.atom",
    "/feeds/items.rss",
    "/api/v1/items",
    "/api/v1/items/{pk}",
    "/items.csv",
    "/catalog/",
    "/guide/",
    "/system/",
    "/sitemap.xml",
    "/robots.txt",
    "/tools/deadline/",
    "/reports/annual/",
]


def closed_port() -> int:
    """A local port where nothing listens: connecting is refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def redis_settings(url: str) -> dict:
    """What portal/settings.py configures for ``REDIS_URL=url``."""
    return {
        "BACKEND": "portal.cache.ResilientRedisCache",
        "LOCATION": url,
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def redis_down(settings):
    """Redis configured as in production, its port closed; the sessions
    read through it (SESSION_ENGINE=cache)."""
    url = f"redis://127.0.0.1:{closed_port()}/0"
    settings.CACHES = {
        "default": redis_settings(url),
        "sessions": {**redis_settings(url), "MAX_TIMEOUT": 60},
    }
    settings.SESSION_ENGINE = "portal.sessions.cached_db"
    settings.SESSION_CACHE_ALIAS = "sessions"
    return url


def outage_records(caplog):
    return [r for r in caplog.records if r.name == "portal.cache"]


@pytest.fixture
def world(db):
    world = build_world()
    world.record = publish(world, title="关于耕地地力保护补贴的公示")
    return world


def test_every_public_page_is_served_while_redis_refuses(
    client, world, redis_down, caplog
):
    caplog.set_level(logging.WARNING, logger="portal.cache")
    for _ in range(2):
        for page in PAGES:
            url = page.format(pk=world.record.pk)
            response = client.get(url)
            assert response.status_code == 200, url
            body = (
                b"".join(response.streaming_content)
                if response.streaming
                else response.content
            )
            if "{pk}" in page or url in ("/items/", "/items.csv"):
                assert "耕地地力保护" in body.decode(), url
    records = outage_records(caplog)
    assert len(records) == 1  # once, not per request
    assert records[0].levelno == logging.ERROR
    assert redis_down.split("//")[1] in records[0].getMessage()


def test_staff_log_in_and_work_while_redis_refuses(client, world, redis_down):
    wrong = client.post(
        "/accounts/login/", {"username": world.clerk.username, "password": "wrong"}
    )
    assert wrong.status_code == 200
    assert 'name="password"' in wrong.content.decode()  # the form again
    response = client.post(
        "/accounts/login/",
        {"username": world.clerk.username, "password": factories.PASSWORD},
    )
    assert response.status_code == 302
    assert client.get("/workspace/").status_code == 200
    assert client.get("/items/")["Cache-Control"].startswith("private")
    client.post("/accounts/logout/")
    assert client.get("/workspace/").status_code == 302  # signed out


def test_the_rate_limit_holds_per_process_while_redis_refuses(
    client, world, redis_down, settings
):
    settings.PORTAL_RATE_LIMIT_POSTS = 3
    statuses = [
        client.post("/accounts/login/", {"username": "x", "password": "y"}).status_code
        for _ in range(5)
    ]
    assert statuses == [200, 200, 200, 429, 429]


class SilentServer:
    """A TCP server that accepts connections and never answers (a Redis
    that hangs), counting the connections made to it."""

    def __init__(self):
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(50)
        self.port = self.listener.getsockname()[1]
        self.accepted = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while True:
            try:
                connection, _address = self.listener.accept()
            except OSError:
                return
            self.accepted.append(connection)

    def close(self):
        self.listener.close()
        for connection in self.accepted:
            connection.close()


@pytest.fixture
def redis_hangs(settings):
    server = SilentServer()
    settings.CACHES = {"default": redis_settings(f"redis://127.0.0.1:{server.port}/0")}
    yield server
    server.close()


def test_a_redis_that_hangs_costs_one_timeout_per_retry_interval(
    client, world, redis_hangs, caplog
):
    caplog.set_level(logging.WARNING, logger="portal.cache")
    started = time.monotonic()
    for _ in range(20):
        assert client.get("/items/").status_code == 200
    elapsed = time.monotonic() - started
    # One call waited for the socket timeout; the other requests did not
    # ask Redis at all during the retry interval.
    assert elapsed < portal_cache.RETRY_SECONDS
    assert len(redis_hangs.accepted) <= 2
    assert len(outage_records(caplog)) == 1


def test_the_end_of_an_outage_is_logged_once(caplog, redis_cache):
    """With a Redis that answers: a failure recorded, then the first answer
    ends the outage, logged once."""
    caplog.set_level(logging.WARNING, logger="portal.cache")
    backend = caches["default"]
    backend.outage.failed(ConnectionError("Connection refused"))
    assert backend.get("anything") is None  # skipped: within the interval
    backend.outage.retry_at = 0  # the interval is over
    backend.set("key", "value")
    assert backend.get("key") == "value"
    messages = [record.getMessage() for record in outage_records(caplog)]
    assert len(messages) == 2
    assert "unavailable" in messages[0] and "answers again" in messages[1]


def test_a_counter_is_never_made_up(redis_down):
    backend = caches["default"]
    assert backend.add("hits", 0) is False
    with pytest.raises(portal_cache.CacheUnavailable):
        backend.incr("hits")
    assert backend.get("hits", "miss") == "miss"
    assert backend.get_many(["a", "b"]) == {}
    assert backend.set_many({"a": 1}) == ["a"]


def test_guessing_an_accounts_password_is_still_slowed_down_while_redis_refuses(
    client, world, redis_down, settings
):
    """The per-account limit (portal/accounts/throttle.py) counts in this
    process while Redis is down: still refused, never a 500."""
    settings.PORTAL_ACCOUNT_FAILURE_LIMIT = 3
    settings.PORTAL_RATE_LIMIT_POSTS = 100
    statuses = []
    for number in range(5):
        response = client.post(
            "/accounts/login/",
            {"username": world.clerk.username, "password": f"wrong-{number}"},
            REMOTE_ADDR=f"10.0.0.{number + 1}",  # from many addresses
        )
        statuses.append(response.status_code)
    assert statuses == [200, 200, 200, 429, 429]
    assert "该账号近期登录失败次数过多" in response.content.decode()
