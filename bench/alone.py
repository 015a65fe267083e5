#!/usr/bin/env python3
"""One request at a time, in this process, for a few URLs: the median time of
five requests and the number of queries (the "alone" column of bench/run.py,
without gunicorn and wrk): for quick before/after figures on a small
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
import os
import subprocess
import sys
import tempfile
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.run import (  # noqa: E402 - after the path
    DEFAULT_DATABASE_URL,
    ROOT,
    Target,
    measure_in_process,
    server_environment,
    setup_django,
)


def default_paths(deep: int) -> list[str]:
    from disclosure.public import continuation, selectors
    from disclosure.public.pagination import list_max_page
    from disclosure.public.results import ranked
    from disclosure.public.selectors import search_count_cap
    from disclosure.search import parse

    paths = []
    for query in ("", "补贴", "实施方案"):
        prefix = f"/items/?q={urllib.parse.quote(query)}&" if query else "/items/?"
        last = search_count_cap() // 20 if query else list_max_page()
        paths += [f"{prefix}page=1", f"{prefix}page={last}"]
        cursor_class = getattr(continuation, "Cursor", None)
        if cursor_class is None:
            continue  # before the "more" pages
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
    parser.add_argument("--explain", action="store_true")
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
    paths = args.paths or default_paths(args.deep)
    targets = [Target(path, path, "page") for path in paths]
    found = measure_in_process(targets, args.explain)
    for path, entry in found.items():
        slowest = entry["slowest_queries"][0]["ms"] if entry["slowest_queries"] else 0
        print(
            f"{entry['serial_ms']:7.1f} ms  {entry['status']}  "
            f"{entry['queries']:2d} queries (slowest {slowest:5.1f} ms)  "
            f"{urllib.parse.unquote(path)}"
        )
        if args.explain and "explain_slowest" in entry:
            print(entry["explain_slowest"])
    print(f"(median of 5 requests, one at a time; the code at {ROOT})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
