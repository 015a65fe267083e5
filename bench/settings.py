"""Settings of the benchmark server: the production settings (portal.settings,
driven by the same environment), plus

- the baseline route (``bench.urls``: ``/bench/baseline``, a minimal Django
  view served by the same project, middleware and gunicorn), and
- ``BENCH_PAGE_CACHE=off``: Django's cache becomes the dummy backend, so that
  every anonymous page misses the server-side page cache of
  disclosure/cache.py and is rendered by its view. (That module has no switch
  of its own: ``PORTAL_PAGE_CACHE_SECONDS=0`` still keeps a page for a
  second.)

Never used outside bench/run.py.
"""

import os

from portal.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"

if os.environ.get("BENCH_PAGE_CACHE") == "off":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
