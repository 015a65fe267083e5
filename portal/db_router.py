"""Read replicas: public reads go to a replica, everything else to the primary.

Enabled by ``DATABASE_REPLICA_URLS`` (settings.py adds the aliases
``replica_0``, ``replica_1``, … this router and :class:`ReplicaMiddleware`).
The rule is opt-in per request: a read goes to a replica only inside a request
that :class:`ReplicaMiddleware` has found safe to serve from one, i.e.

- a ``GET``/``HEAD``/``OPTIONS`` request,
- from a visitor who is not signed in and carries no session cookie (staff
  who are or were signed in read their own writes on the primary, as the
  page cache treats them as private, disclosure/public/cache.py),
- who has not written anything in the last :func:`pin_seconds` seconds
  (after a write, a cookie pins the browser to the primary for that long, so
  a redirect-after-POST never shows the page as it was before),
- and that has not written anything yet in this request.

Everything else reads from the primary: management commands, background
jobs, the shell and tests (no middleware ran), POSTs, signed-in staff, reads
inside a transaction on the primary, and the ``sessions``, ``auth``,
``admin``, ``contenttypes`` and ``axes`` tables (a session written at
sign-in must be there on the next request, whatever the replica lag). Every
write goes to the primary. A request keeps the replica it was given, so one
page is never assembled from two replicas at different positions.

The choice lives in a :mod:`contextvars` variable, so it is right per thread
(gunicorn sync or threaded workers) and per asyncio task. A streamed response
(CSV export, file download) reads what it streams after the view has returned,
outside the request's choice: from the primary.
"""

from __future__ import annotations

import contextlib
import contextvars
import random
import time

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

#: Prefix of the replica aliases in ``settings.DATABASES``.
REPLICA_PREFIX = "replica_"
#: Apps whose tables are always read from the primary.
PRIMARY_APPS = frozenset({"sessions", "auth", "admin", "contenttypes", "axes"})
#: The cookie that pins a browser to the primary after a write.
PIN_COOKIE = "portal_primary_until"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

#: The alias reads go to in this context (None: the primary).
_read_alias: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "portal_read_alias", default=None
)
#: Whether this request has written (or prepared to write) to the primary.
_wrote: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "portal_wrote", default=False
)


def replica_aliases() -> list[str]:
    return [alias for alias in settings.DATABASES if alias.startswith(REPLICA_PREFIX)]


def pin_seconds() -> int:
    """How long a browser reads from the primary after it wrote something:
    more than the replicas ever lag."""
    return int(getattr(settings, "DATABASE_REPLICA_PIN_SECONDS", 10))


@contextlib.contextmanager
def replica_reads(alias: str | None = None):
    """Send this context's reads to a replica (``alias``, or one picked at
    random), until it writes. What :class:`ReplicaMiddleware` does for a
    public request; use it for other read-only work that may lag a little."""
    if alias is None:
        aliases = replica_aliases()
        alias = random.choice(aliases) if aliases else None  # noqa: S311 - load spreading
    read_token = _read_alias.set(alias)
    wrote_token = _wrote.set(False)
    try:
        yield alias
    finally:
        _read_alias.reset(read_token)
        _wrote.reset(wrote_token)


@contextlib.contextmanager
def primary_reads():
    """Read from the primary in this context, whatever the request."""
    token = _read_alias.set(None)
    try:
        yield
    finally:
        _read_alias.reset(token)


def wrote_in_this_context() -> bool:
    return _wrote.get()


def _in_transaction_on_primary() -> bool:
    """Inside ``transaction.atomic()`` on the primary: the transaction's own
    reads must see its writes. (The blocks a ``TestCase`` wraps each test in
    do not count.)"""
    return any(
        not block._from_testcase
        for block in connections[DEFAULT_DB_ALIAS].atomic_blocks
    )


class ReplicaRouter:
    """``DATABASE_ROUTERS = ["portal.db_router.ReplicaRouter"]``."""

    def db_for_read(self, model, **hints):
        alias = _read_alias.get()
        if (
            alias is None
            or _wrote.get()
            or model._meta.app_label in PRIMARY_APPS
            or _in_transaction_on_primary()
        ):
            return DEFAULT_DB_ALIAS
        return alias

    def db_for_write(self, model, **hints):
        # Reads that follow in this request see the write: from now on they
        # go to the primary, and the response pins the browser to it.
        if _read_alias.get() is not None:
            _wrote.set(True)
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replicas hold the same rows as the primary

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return None  # ``migrate`` runs on the primary; replicas replicate it


class ReplicaMiddleware:
    """Lets public requests read from a replica (see the module docstring).
    Goes after ``AuthenticationMiddleware``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self.may_use_replica(request):
            with primary_reads():
                response = self.get_response(request)
            return response
        with replica_reads():
            response = self.get_response(request)
            wrote = wrote_in_this_context()
        if wrote:
            seconds = pin_seconds()
            response.set_cookie(
                PIN_COOKIE,
                str(int(time.time()) + seconds),
                max_age=seconds,
                samesite="Lax",
                secure=request.is_secure(),
                httponly=True,
            )
        return response

    @staticmethod
    def may_use_replica(request) -> bool:
        if request.method not in SAFE_METHODS or not replica_aliases():
            return False
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            return False  # staff, signed in or not long ago
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return False
        try:
            pinned_until = int(request.COOKIES.get(PIN_COOKIE, "0"))
        except ValueError:
            pinned_until = 0
        return pinned_until <= time.time()
