"""Django's Redis cache, made to outlive Redis: when Redis fails, the portal
keeps serving.

- A read that fails is a miss (the page is rendered, the catalog calendar
  read from the database), a write that fails is dropped.
- ``incr`` and ``decr`` raise :class:`CacheUnavailable` instead: a counter
  cannot be made up, so its user decides (the rate limiter counts in this
  process meanwhile, ``portal/ratelimit.py``).
- After a failure Redis is left alone for :data:`RETRY_SECONDS`, so that
  requests during an outage do not each wait for a connection to time out;
  then one call tries again.
- The outage is logged once per process when it starts (an error, with the
  reason) and once when Redis answers again, never per request.

Settings use this backend for every ``redis://``, ``rediss://`` and
``unix://`` ``CACHE_URL`` (``portal/settings.py``), with short socket
timeouts, so that a Redis that hangs is as harmless as one that refuses.
"""

from __future__ import annotations

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger("portal.cache")

#: Seconds without asking Redis after a failure.
RETRY_SECONDS = 5.0


class CacheUnavailable(Exception):
    """The cache could not count (``incr``/``decr``) because it is down."""


class Outage:
    """Whether the Redis server at one location is failing, shared by the
    threads of the process (Django makes one cache object per thread)."""

    def __init__(self, location: str):
        self.location = location
        self.since: float | None = None
        self.retry_at = 0.0
        self._lock = threading.Lock()

    @property
    def skipping(self) -> bool:
        return self.since is not None and time.monotonic() < self.retry_at

    def failed(self, error: Exception) -> None:
        with self._lock:
            now = time.monotonic()
            self.retry_at = now + RETRY_SECONDS
            if self.since is not None:
                return
            self.since = now
        logger.error(
            "The cache (Redis at %s) is unavailable (%s). Cached pages are "
            "rendered again, rate limits are counted per process; asking "
            "again every %s s.",
            self.location,
            error,
            RETRY_SECONDS,
        )

    def answered(self) -> None:
        if self.since is None:
            return
        with self._lock:
            if self.since is None:
                return
            lasted = time.monotonic() - self.since
            self.since = None
        logger.warning(
            "The cache (Redis at %s) answers again, after %.0f s.",
            self.location,
            lasted,
        )


_outages: dict[str, Outage] = {}
_outages_lock = threading.Lock()


def outage_of(location: str) -> Outage:
    with _outages_lock:
        return _outages.setdefault(location, Outage(location))


def is_down(backend) -> bool:
    """Whether ``backend`` (a cache) is in an outage right now."""
    outage = getattr(backend, "outage", None)
    return outage is not None and outage.since is not None


def _unavailable():
    raise CacheUnavailable("the cache is unavailable")


class ResilientRedisCache(RedisCache):
    """:class:`~django.core.cache.backends.redis.RedisCache` whose failures
    are misses (see the module's description)."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self.outage = outage_of(str(server))
        #: ``MAX_TIMEOUT`` (seconds): no entry is kept longer, whatever its
        #: writer asks (the sessions' copies: a logout whose delete was
        #: dropped during an outage cannot revive a session for longer).
        self.max_timeout = params.get("MAX_TIMEOUT")

    def get_backend_timeout(self, timeout=DEFAULT_TIMEOUT):
        seconds = super().get_backend_timeout(timeout)
        if self.max_timeout is None:
            return seconds
        return self.max_timeout if seconds is None else min(seconds, self.max_timeout)

    def _guard(self, fallback, method, *args, **kwargs):
        if self.outage.skipping:
            return fallback() if callable(fallback) else fallback
        try:
            result = method(*args, **kwargs)
        except RedisError as error:
            self.outage.failed(error)
            return fallback() if callable(fallback) else fallback
        self.outage.answered()
        return result

    def get(self, key, default=None, version=None):
        return self._guard(default, super().get, key, default, version)

    def get_many(self, keys, version=None):
        return self._guard({}, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._guard(False, super().has_key, key, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(False, super().add, key, value, timeout, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(None, super().set, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(list(data), super().set_many, data, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(False, super().touch, key, timeout, version)

    def delete(self, key, version=None):
        return self._guard(False, super().delete, key, version)

    def delete_many(self, keys, version=None):
        return self._guard(None, super().delete_many, keys, version)

    def incr(self, key, delta=1, version=None):
        return self._guard(_unavailable, super().incr, key, delta, version)

    def clear(self):
        return self._guard(False, super().clear)
