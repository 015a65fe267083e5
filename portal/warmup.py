"""A worker's first request, made by the worker itself before it takes
traffic: the URL patterns, the templates of the public pages (compiled once
by the cached loader), the translations and the database connection are
then ready, so the first visitor after a deploy or a restart is not the one
who waits for them (issue: a cold start under 300 ms).

Called from ``portal/wsgi.py`` unless ``PORTAL_WARM_UP=0``. It never stops
a worker from starting: a page that fails (a database not yet reachable) is
logged and skipped. It only reads (GET), as an anonymous visitor; database
connections are closed afterwards, so a server that forks after importing
the application (``gunicorn --preload``) shares none.
"""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.db import connections
from django.test.client import RequestFactory

logger = logging.getLogger(__name__)

#: The pages most visitors open first.
PATHS = ("/", "/items/", "/feeds/items.atom", "/api/v1/items", "/catalog/")


def _host() -> str:
    for host in settings.ALLOWED_HOSTS:
        host = host.lstrip(".")
        if host and host != "*":
            return host
    return "localhost"


def _ignore(*_args, **_kwargs) -> None:
    return None


def warm_up(application, paths=PATHS) -> dict[str, int]:
    """Answer ``paths`` once through ``application``; return each path's
    status (0: it failed)."""
    factory = RequestFactory(HTTP_HOST=_host())
    statuses = {}
    started = time.monotonic()
    for path in paths:
        environ = factory.get(path).environ
        environ["wsgi.url_scheme"] = "https" if not settings.DEBUG else "http"
        try:
            response = application(environ, _ignore)
            try:
                for _chunk in response:
                    pass
            finally:
                if hasattr(response, "close"):
                    response.close()
            statuses[path] = response.status_code
        except Exception:  # noqa: BLE001 - a warm-up never stops a worker
            logger.warning("warm-up of %s failed", path, exc_info=True)
            statuses[path] = 0
    connections.close_all()
    logger.info(
        "warmed up in %.0f ms: %s", 1000 * (time.monotonic() - started), statuses
    )
    return statuses
