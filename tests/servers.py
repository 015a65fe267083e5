"""Real server processes for the tests that need more than one process:
gunicorn serving the portal from the test's own database, and a Django
process that takes workflow steps on command.

The database they share is the test database: on PostgreSQL its name, on
SQLite (whose test database lives in memory) a copy written to a file
(:func:`shared_database_url`). The test must commit what they should see
(``django_db(transaction=True)``).
"""

from __future__ import annotations

import contextlib
import http.cookiejar
import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
START_SECONDS = 60


def free_port() -> int:
    """A port the kernel has just found free (its ephemeral range, away from
    the fixed ports people give their own servers)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def shared_database_url(directory: Path) -> str:
    """A ``DATABASE_URL`` through which other processes see the test
    database as it is now (SQLite: a copy in ``directory``, which they then
    share with each other but not with this process)."""
    settings_dict = connection.settings_dict
    if connection.vendor == "postgresql":
        user = settings_dict["USER"] or "postgres"
        password = f":{settings_dict['PASSWORD']}" if settings_dict["PASSWORD"] else ""
        host = settings_dict["HOST"] or "127.0.0.1"
        port = settings_dict["PORT"] or 5432
        return f"postgres://{user}{password}@{host}:{port}/{settings_dict['NAME']}"
    path = directory / "shared.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(path)
    try:
        connection.connection.backup(target)
    finally:
        target.close()
    return f"sqlite:///{path}"


def run_sql(database_url: str, sql: str, params: list) -> None:
    """Run one statement on the shared database (``%s`` placeholders)."""
    if database_url.startswith("sqlite:///"):
        shared = sqlite3.connect(database_url.removeprefix("sqlite:///"))
        try:
            with shared:
                shared.execute(sql.replace("%s", "?"), params)
        finally:
            shared.close()
        return
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def process_env(database_url: str, **overrides) -> dict:
    """The environment of a portal process: this one's, with the database,
    development mode and no shared cache unless ``overrides`` give one."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("REDIS_URL", "CACHE_URL", "PYTEST_XDIST_WORKER")
    }
    env.update(
        DATABASE_URL=database_url,
        DEBUG="1",
        DJANGO_SETTINGS_MODULE="portal.settings",
        PYTHONUNBUFFERED="1",
    )
    env.update({key: str(value) for key, value in overrides.items()})
    return env


class Server:
    """``gunicorn portal.wsgi`` with one sync worker on a free port."""

    def __init__(self, database_url: str, log: Path, **env):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = log
        self._log = open(log, "wb")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter
            [
                sys.executable,
                "-m",
                "gunicorn",
                "portal.wsgi",
                "--workers",
                "1",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--graceful-timeout",
                "1",
            ],
            cwd=ROOT,
            env=process_env(database_url, **env),
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )

    def wait_until_up(self) -> None:
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server stopped:\n{self.log()}")
            with contextlib.suppress(OSError):
                if self.get("/robots.txt").status == 200:
                    return
            time.sleep(0.1)
        raise RuntimeError(f"the server did not start:\n{self.log()}")

    def get(self, path: str, opener=None) -> Answer:
        return fetch(self.base + path, opener=opener)

    def log(self) -> str:
        self._log.flush()
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()


class Answer:
    def __init__(self, status: int, headers, body: bytes):
        self.status = status
        self.headers = headers
        self.body = body

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


def fetch(url: str, data: dict | None = None, opener=None, headers=None) -> Answer:
    url = urllib.parse.quote(url, safe=":/?&=%#")
    encoded = urllib.parse.urlencode(data).encode() if data is not None else None
    request = urllib.request.Request(  # noqa: S310 - http://127.0.0.1 only
        url, data=encoded, headers=headers or {}
    )
    opener = opener or urllib.request.build_opener()
    try:
        with opener.open(request, timeout=30) as response:
            return Answer(response.status, response.headers, response.read())
    except urllib.error.HTTPError as error:
        return Answer(error.code, error.headers, error.read())


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def browser() -> tuple[urllib.request.OpenerDirector, http.cookiejar.CookieJar]:
    """An opener that keeps cookies and does not follow redirects."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(jar), _NoRedirect
    )
    return opener, jar


#: Runs in the workflow process: one step per line read, "done" once each
#: has committed.
_STEPS = """
import sys
import django

django.setup()
from django.contrib.auth import get_user_model
from disclosure import workflow
from disclosure.models import Item

print("ready", flush=True)
for line in sys.stdin:
    step, item_id, user_id, reason = line.rstrip("\\n").split("|")
    by = get_user_model().objects.get(pk=int(user_id))
    item = Item.objects.get(pk=int(item_id))
    getattr(workflow, step)(item=item, by=by, reason=reason)
    print("done", flush=True)
"""


class WorkflowProcess:
    """A third process (as a management command or another server would)
    that takes workflow steps when told to."""

    def __init__(self, database_url: str, **env):
        self.process = subprocess.Popen(  # noqa: S603 - our own script
            [sys.executable, "-c", _STEPS],
            cwd=ROOT,
            env=process_env(database_url, **env),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout.readline().strip() == "ready"

    def take(self, step: str, *, item_id: int, by_id: int, reason: str) -> float:
        """Take the step; return the moment (``time.monotonic()``) it was
        committed."""
        self.process.stdin.write(f"{step}|{item_id}|{by_id}|{reason}\n")
        self.process.stdin.flush()
        answer = self.process.stdout.readline().strip()
        assert answer == "done", answer
        return time.monotonic()

    def stop(self) -> None:
        self.process.stdin.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
