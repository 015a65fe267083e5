"""Rate limits on what anonymous visitors post (the login, the language switch,
any request form to come), counted in Django's cache.

A fixed window per client address and view: at most ``limit`` requests in
``window`` seconds, then 429 with a page in the site's style until the window
ends. The counters live in the default cache, so with Redis (production) all
workers share them; with the local-memory cache each worker counts alone.
While Redis is down (``portal.cache.CacheUnavailable``) each worker counts in
its own memory with the same limit: the limit still holds per worker, and
nothing answers 500.

No library: django-ratelimit would do the same with a decorator and a cache
key, but a middleware is needed anyway so that every anonymous form is covered
without each view remembering to ask, and the counting is twenty lines.
"""

import hashlib
import ipaddress
import math
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache
from django.shortcuts import render

from .cache import CacheUnavailable, is_down

#: The counters of this process, while the shared cache is down.
_local_counts = LocMemCache(
    "portal-ratelimit", {"OPTIONS": {"MAX_ENTRIES": 100_000, "CULL_FREQUENCY": 10}}
)


def client_ip(request) -> str | None:
    """The client's address: ``REMOTE_ADDR``, or the header that the reverse
    proxy in front of the portal sets (``PORTAL_CLIENT_IP_HEADER``, e.g.
    ``HTTP_X_REAL_IP``). Only a header that the proxy overwrites may be
    trusted: a visitor can send any header they like. ``None`` when there is
    no valid address (django-axes stores it in an address column)."""
    header = getattr(settings, "PORTAL_CLIENT_IP_HEADER", "")
    candidates = []
    if header:
        # X-Forwarded-For: the last address is the one our proxy added.
        candidates.append(request.META.get(header, "").split(",")[-1].strip())
    candidates.append(request.META.get("REMOTE_ADDR", ""))
    for candidate in candidates:
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            continue
    return None


def _cache_key(scope: str, ip: str, window: int, now: float) -> str:
    digest = hashlib.sha256(f"{scope}|{ip}".encode()).hexdigest()[:32]
    return f"ratelimit:{digest}:{int(now // window)}"


def hit(scope: str, ip: str, *, limit: int, window: int) -> int:
    """Count one request; return 0 if it is within the limit, else the seconds
    until the window ends (for ``Retry-After``)."""
    now = time.time()
    key = _cache_key(scope, ip, window, now)
    if count(key, window) <= limit:
        return 0
    return max(1, math.ceil(window - now % window))


def forget_local_counts() -> None:
    """Empty this process's own counters (tests)."""
    _local_counts.clear()


def counters():
    """Where counts and waits are kept: the shared cache, or while it is
    down (``portal/cache.py``), this process's memory."""
    return _local_counts if is_down(cache) else cache


def count(key: str, window: int) -> int:
    """Count one event under ``key`` in a window of ``window`` seconds; the
    count so far."""
    try:
        return _count(counters(), key, window)
    except CacheUnavailable:  # went down just now
        return _count(_local_counts, key, window)


def _count(counters, key: str, window: int) -> int:
    counters.add(key, 0, timeout=window + 1)
    try:
        return counters.incr(key)
    except ValueError:  # expired between add() and incr()
        counters.set(key, 1, timeout=window + 1)
        return 1


def too_many_requests(request, retry_after: int):
    response = render(
        request,
        "429.html",
        {"retry_after_minutes": max(1, math.ceil(retry_after / 60))},
        status=429,
    )
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    return response


def limit_for(scope: str, request, *, limit: int | None = None, window=None):
    """The 429 response if this request is over the limit, else ``None``."""
    limit = settings.PORTAL_RATE_LIMIT_POSTS if limit is None else limit
    window = settings.PORTAL_RATE_LIMIT_WINDOW if window is None else window
    ip = client_ip(request) or "unknown"
    retry_after = hit(scope, ip, limit=limit, window=window)
    if retry_after:
        return too_many_requests(request, retry_after)
    return None


def rate_limited(scope: str, *, methods=("POST",), limit=None, window=None):
    """Limit a view's ``methods`` requests per client address, whoever is
    signed in (e.g. the one-time code form)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method in methods:
                refused = limit_for(scope, request, limit=limit, window=window)
                if refused is not None:
                    return refused
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
