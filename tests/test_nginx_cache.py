"""nginx's anonymous page cache (docs/nginx/, docs/deploy.md) in front of
gunicorn, as shipped: pages are kept and revalidated with their ETag, the
language and the text size get their own copies, personal and private
answers are never stored, and a withdrawal reaches visitors within the
portal's generation check plus nginx's one second.

Debian's nginx (``apt-get install nginx``, installed by ``.ci/run``) runs
from the test's own directory with the two files of docs/nginx/.
"""

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from tests.conftest import unavailable
from tests.servers import (
    ROOT,
    Server,
    WorkflowProcess,
    fetch,
    free_port,
    shared_database_url,
)
from tests.test_processes import MARK, last_to_change, world  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)

#: The portal's generation check (1 s), nginx's copy (1 s) and a page
#: rendered, with room for a loaded machine.
DEADLINE_SECONDS = 3.5
CONFIG = """
{user}
worker_processes 1;
daemon off;
pid {directory}/nginx.pid;
error_log {directory}/error.log warn;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {directory}/body;
    proxy_temp_path {directory}/proxy;
    fastcgi_temp_path {directory}/fastcgi;
    uwsgi_temp_path {directory}/uwsgi;
    scgi_temp_path {directory}/scgi;
    @HTTP@
    upstream portal_app {{ server 127.0.0.1:{upstream}; }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://portal_app;
            proxy_set_header Host $host;
            @LOCATION@
        }}
    }}
}}
"""


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


class Nginx:
    def __init__(self, directory: Path, upstream: int):
        binary = shutil.which("nginx") or (
            "/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None
        )
        if binary is None:
            unavailable("needs nginx: apt-get install nginx")
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.directory = directory
        cache = directory / "cache"
        http_part = (ROOT / "docs/nginx/portal-cache-http.conf").read_text()
        http_part = http_part.replace("/var/cache/nginx/portal", str(cache))
        location = (ROOT / "docs/nginx/portal-cache-location.conf").read_text()
        config = CONFIG.format(
            user="user root;" if os.geteuid() == 0 else "",
            directory=directory,
            upstream=upstream,
            port=self.port,
        )
        config = config.replace("@HTTP@", http_part).replace("@LOCATION@", location)
        (directory / "nginx.conf").write_text(config)
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in ("LD_PRELOAD", "FAKETIME")  # nginx keeps the real clock
        }
        self.process = subprocess.Popen(  # noqa: S603 - Debian's nginx
            [
                binary,
                "-p",
                str(directory),
                "-e",
                str(directory / "error.log"),
                "-c",
                str(directory / "nginx.conf"),
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(self.log())
            try:
                fetch(self.base + "/robots.txt")
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"nginx did not start:\n{self.log()}")

    def log(self) -> str:
        path = self.directory / "error.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def get(self, path: str, **headers):
        return fetch(self.base + path, headers=headers)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def status(answer) -> str:
    return answer.headers.get("X-Cache-Status", "")


def test_the_nginx_page_cache_keeps_pages_a_second_and_never_personal_ones(
    world,  # noqa: F811
    tmp_path,
):
    database_url = shared_database_url(tmp_path)
    server = Server(database_url, tmp_path / "gunicorn.log")
    nginx = None
    steps = None
    try:
        server.wait_until_up()
        nginx = Nginx(tmp_path, server.port)
        pk = world.record.pk
        # kept: the second answer within the second comes from nginx
        first = nginx.get("/items/")
        again = nginx.get("/items/")
        assert MARK in first.text and MARK in again.text
        assert status(first) in ("MISS", "EXPIRED") and status(again) == "HIT"
        # revalidated with its ETag: 304 and no body
        etag = again.headers["ETag"]
        assert nginx.get("/items/", **{"If-None-Match": etag}).status == 304
        # the language, the text size and the contrast are part of the key
        english = [nginx.get("/items/", Cookie="django_language=en") for _ in (1, 2)]
        assert '<html lang="en">' in english[1].text and status(english[1]) == "HIT"
        assert '<html lang="zh-CN">' in nginx.get("/items/").text
        large = nginx.get("/items/", Cookie="portal_text_size=large")
        assert status(large) in ("MISS", "EXPIRED")
        contrast = nginx.get("/items/", Cookie="portal_contrast=high")
        assert status(contrast) in ("MISS", "EXPIRED")
        assert "high-contrast" in contrast.text
        # a session or a pending message: past the cache, never into it
        for cookie in ("sessionid=abc", "messages=abc"):
            personal = [nginx.get("/items/", Cookie=cookie) for _ in (1, 2)]
            assert [status(answer) for answer in personal] == ["BYPASS", "BYPASS"]
        # what the portal marks private (a form with its CSRF token) is not kept
        forms = [nginx.get("/requests/new/") for _ in (1, 2)]
        assert "HIT" not in [status(answer) for answer in forms]
        assert forms[1].status == 200
        # a withdrawal reaches visitors through nginx within the deadline
        for _ in (1, 2):
            assert MARK in nginx.get("/items/").text
            assert "本信息已撤销" not in nginx.get(f"/items/{pk}/").text
        steps = WorkflowProcess(database_url)
        committed = steps.take(
            "withdraw", item_id=pk, by_id=world.admin.pk, reason="误发个人信息"
        )
        took = last_to_change(
            [
                lambda: MARK not in nginx.get("/items/").text,
                lambda: "本信息已撤销" in nginx.get(f"/items/{pk}/").text,
                lambda: MARK not in nginx.get("/feeds/items.atom").text,
            ]
        )
        assert took - committed <= DEADLINE_SECONDS, took - committed
    finally:
        if steps is not None:
            steps.stop()
        if nginx is not None:
            nginx.stop()
        server.stop()
