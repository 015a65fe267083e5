"""Shared fixtures.

Tests marked ``postgres`` need DATABASE_URL to point at PostgreSQL; tests that use
the ``browser_page`` fixture need Chromium (Debian package ``chromium``), those
that use ``redis_cache`` a Redis server at TEST_REDIS_URL (e.g.
redis://127.0.0.1:6379/14; .ci/run sets it). Run by hand without them, they
skip and say how to enable them; under CI (``CI=true``) a missing service fails
the test instead.
"""

import datetime
import os
import shutil
import zoneinfo

import pytest
import time_machine
from django.db import connection
from django.test import Client

from tests.clients import ReadingClient

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


#: The moment every test starts at (ISO 8601). Unset, it is the moment the run
#: started: the real date by hand, a faked one under `faketime` in `.ci/run`.
#: Set it to replay a run on another day, e.g. PORTAL_TEST_NOW=2027-01-04T09:00+08:00.
CLOCK_VARIABLE = "PORTAL_TEST_NOW"


def pytest_configure(config):
    # Set once in the controlling process, so that the xdist workers it
    # starts afterwards inherit the same moment.
    if not os.environ.get(CLOCK_VARIABLE):
        now = datetime.datetime.now(zoneinfo.ZoneInfo("Asia/Shanghai"))
        os.environ[CLOCK_VARIABLE] = now.isoformat(timespec="seconds")


def run_moment() -> datetime.datetime:
    moment = datetime.datetime.fromisoformat(os.environ[CLOCK_VARIABLE])
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))
    return moment


@pytest.fixture(autouse=True)
def clock():
    """Every test starts at the same moment of the run (``run_moment()``) and
    time runs on from there, so that no test straddles midnight and a run can
    be replayed on any day. Tests build their data relative to it and may move
    it (``clock.move_to(...)``)."""
    with time_machine.travel(run_moment(), tick=True) as traveller:
        yield traveller


def unavailable(reason: str):
    """Skip by hand, fail under CI."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: a missing service is a failure)")
    pytest.skip(reason)


def pytest_collection_modifyitems(config, items):
    """On SQLite, leave out the tests written for PostgreSQL only (concurrency,
    query plans); `make test-postgres` and CI run them."""
    from django.conf import settings

    # Whatever uses the browser is a browser test (left out of the runs on
    # faked dates: Chromium keeps the real clock).
    for item in items:
        if "chromium" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)
    # Transactional tests flush the database; restore the reference data that
    # migrations load (topics, channels, calendar, groups) after each of them.
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker and marker.kwargs.get("transaction"):
            item.add_marker(
                pytest.mark.django_db(
                    *marker.args, **{**marker.kwargs, "serialized_rollback": True}
                ),
                append=False,
            )
    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        return
    selected, deselected = [], []
    for item in items:
        (deselected if item.get_closest_marker("postgres") else selected).append(item)
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = selected


@pytest.fixture(autouse=True)
def _require_postgres(request):
    if (
        request.node.get_closest_marker("postgres")
        and connection.vendor != "postgresql"
    ):
        unavailable(
            "needs PostgreSQL: run `make test-postgres` or set "
            "DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal"
        )


@pytest.fixture
def client():
    return ReadingClient()


@pytest.fixture
def streaming_client():
    """Django's own client, for tests of what happens mid-stream; such a
    test reads or closes the stream itself."""
    return Client()


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    from disclosure import publication, reference
    from disclosure.public import cache as page_cache
    from disclosure.public import fragments
    from portal import ratelimit

    def clear():
        cache.clear()
        publication.forget_generation()
        page_cache.forget_pages()
        fragments.forget_rows()
        reference.forget()
        ratelimit.forget_local_counts()

    clear()
    yield
    clear()


@pytest.fixture
def redis_cache(settings):
    """Django's cache in a real Redis server (TEST_REDIS_URL), under a key
    prefix of this test's own; emptied afterwards."""
    import uuid

    from django.core.cache import cache

    url = os.environ.get("TEST_REDIS_URL")
    if not url:
        unavailable("needs Redis: set TEST_REDIS_URL=redis://127.0.0.1:6379/14")
    prefix = f"test-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "portal.cache.ResilientRedisCache",  # as in production
            "LOCATION": url,
            "KEY_PREFIX": prefix,
        }
    }
    try:
        cache.set("ping", 1)
    except Exception as error:  # noqa: BLE001 - any connection failure
        unavailable(f"Redis at {url} does not answer: {error}")
    yield cache
    client = cache._cache.get_client(write=True)
    for key in client.scan_iter(match=f"{prefix}:*"):
        client.delete(key)


@pytest.fixture(scope="session")
def chromium():
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if not executable:
        unavailable("needs Chromium: apt-get install chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - declared in the test extra
        unavailable("needs Playwright: pip install -e '.[test]'")
    # Playwright's sync API runs an event loop; Django refuses ORM calls from
    # inside one unless told this is a test process.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    # Starting Playwright gives this thread new connection objects, which lose
    # the serialized test data that transactional tests restore after their
    # flush; carry it over.
    serialized = _serialized_contents()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        _restore_serialized_contents(serialized)
        yield browser
        browser.close()


def _serialized_contents() -> dict:
    from django.db import connections

    return {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }


def _restore_serialized_contents(serialized: dict) -> None:
    from django.db import connections

    for alias, contents in serialized.items():
        if not hasattr(connections[alias], "_test_serialized_contents"):
            connections[alias]._test_serialized_contents = contents


@pytest.fixture
def browser_page(chromium, live_server):
    context = chromium.new_context(
        base_url=live_server.url, locale="zh-CN", accept_downloads=True
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()
