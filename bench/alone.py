#!/usr/bin/env python3
"""One request at a time, in this process, for a few URLs: the fastest and
the median of ``--repeat`` requests (the fastest is the steadier figure on a
busy machine), the number of queries and their time; on PostgreSQL also each
query's ``EXPLAIN (ANALYZE, BUFFERS)``: execution time and blocks read, the
work done, which the load of the machine does not change (the "alone" column of
bench/run.py, without gunicorn and wrk): for quick before/after figures on a small
database. Production settings, page cache off (as bench/run.py).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_x \\
        .venv/bin/python bench/alone.py                 # the default URLs
    .venv/bin/python bench/alone.py /items/ '/items/?q=补贴'

The default URLs: the listing and two searches, each on page 1, on the last
numbered page and, where the code has them, on the first "more" page after
it and on a "more" page ``--deep`` rows in (disclosure/public/continuation.py).
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.run import (  # noqa: E402 - after the path
    DEFAULT_DATABASE_URL,
    HOST,
    ROOT,
    server_environment,
    setup_django,
)


def default_paths(deep: int) -> list[str]:
    from disclosure.public import selectors

    try:
        from disclosure.public import continuation
    except ImportError:  # the code before the "more" pages
        continuation = None
    from disclosure.public.pagination import list_max_page
    from disclosure.public.results import ranked
    from disclosure.public.selectors import search_count_cap
    from disclosure.search import parse

    paths = []
    for query in ("", "补贴", "实施方案"):
        prefix = f"/items/?q={urllib.parse.quote(query)}&" if query else "/items/?"
        last = search_count_cap() // 20 if query else list_max_page()
        paths += [f"{prefix}page=1", f"{prefix}page={last}"]
        if continuation is None:
            continue
        cursor_class = continuation.Cursor
        results = ranked(selectors.listing_records(), parse(query), body=False)
        for offset in (last * 20 - 1, deep):
            if query:
                found = results.slice(offset, offset + 1)
            else:
                found = [(0, row) for row in results[offset : offset + 1]]
            if found:
                tier, row = found[0]
                paths.append(f"{prefix}after={cursor_class.of(row, tier)}")
    return paths


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL),
    )
    parser.add_argument("--deep", type=int, default=10_000, help="rows in")
    parser.add_argument("--repeat", type=int, default=15, help="requests per URL")
    parser.add_argument("--explain", action="store_true", help="the slowest query")
    args = parser.parse_args(argv)
    args.redis_url = None
    static_root = Path(tempfile.mkdtemp(prefix="portal-alone-")) / "static"
    env = server_environment(args, static_root, page_cache=False)
    subprocess.run(  # noqa: S603
        [sys.executable, str(ROOT / "manage.py"), "collectstatic", "--noinput"]
        + ["-v", "0"],
        env=env,
        cwd=ROOT,
        check=True,
    )
    setup_django(env)
    logging.getLogger("django.request").setLevel(logging.ERROR)  # expected 404s
    paths = args.paths or default_paths(args.deep)
    print(
        f"{'min':>7} {'median':>7}  status  queries (SQL ms; EXPLAIN ms, blocks)  URL"
    )
    for path in paths:
        found = measure(path, args.repeat)
        print(
            f"{found['min_ms']:7.1f} {found['median_ms']:7.1f}  {found['status']}  "
            f"{found['queries']:2d} ({found['sql_ms']:5.1f}; "
            f"{found['executed_ms']:5.1f}, {found['blocks']:6d})  "
            f"{urllib.parse.unquote(path)}"
        )
        if args.explain:
            print(found["explain_slowest"])
    print(f"(ms per request, {args.repeat} one at a time; the code at {ROOT})")
    return 0


def measure(path: str, repeat: int) -> dict:
    """The time of ``repeat`` requests one at a time (min and median), and
    the queries of one (page cache off)."""
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST=HOST)
    cache.clear()
    client.get(path)  # imports, the reference snapshot
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    queries = list(captured.captured_queries)
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        client.get(path)
        timings.append((time.perf_counter() - started) * 1000)
    slowest = max(queries, key=lambda q: float(q["time"]), default=None)
    explain, blocks, executed = "", 0, 0.0
    if slowest and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {slowest['sql']}")
            explain = "\n".join(row[0] for row in cursor.fetchall())
            # The work of every query, as PostgreSQL counts it: the blocks
            # read (from its cache or the disk), steady whatever the load.
            for query in queries:
                if not query["sql"].lstrip().upper().startswith(("SELECT", "WITH")):
                    continue
                cursor.execute(
                    f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {query['sql']}"
                )
                (plan,) = cursor.fetchone()[0]
                top = plan["Plan"]
                blocks += top["Shared Hit Blocks"] + top["Shared Read Blocks"]
                executed += plan["Execution Time"]
    return {
        "blocks": blocks,
        "executed_ms": executed,
        "status": response.status_code,
        "queries": len(queries),
        "sql_ms": sum(float(q["time"]) for q in queries) * 1000,
        "min_ms": min(timings),
        "median_ms": statistics.median(timings),
        "explain_slowest": explain,
    }


if __name__ == "__main__":
    sys.exit(main())
