"""Settings of the benchmark server: the production settings (portal.settings,
driven by the same environment), plus

- the baseline route (``bench.urls``: ``/bench/baseline``, a minimal Django
  view served by the same project, middleware and gunicorn), and
- ``BENCH_PAGE_CACHE=off``: ``PORTAL_PAGE_CACHE_SECONDS = 0``, the page cache
  of disclosure/public/cache.py keeps no page, so every anonymous page is rendered by
  its view. Django's cache itself stays as configured (Redis with
  ``--redis-url``), as on a production server whose page cache misses.

Never used outside bench/run.py.
"""

import os

from portal.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"

if os.environ.get("BENCH_PAGE_CACHE") == "off":
    PORTAL_PAGE_CACHE_SECONDS = 0
