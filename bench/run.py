#!/usr/bin/env python3
"""Benchmark the public pages against a minimal Django view (bench/README.md).

    python bench/run.py                 # or: make bench
    python bench/run.py --duration 5 --only list,item,baseline

Against the database in DATABASE_URL (default: the portal_bench database on the
local PostgreSQL; fill it with ``manage.py generate_items 1000000``), it

1. measures each URL once in this process, with Django's test client: status,
   queries per request, the slowest queries, the time of one request alone;
2. starts gunicorn on 127.0.0.1 with production settings (DEBUG off, static
   files collected into a temporary directory, whitenoise, persistent database
   connections; ``--redis-url`` for the cache) and the server-side page cache
   off, warms it up, drives each URL with wrk at a fixed concurrency, reads the
   workers' memory, stops it;
3. does the same with the page cache on and warm;
4. prints a table and the targets of the performance issue, writes everything
   to bench/results/<timestamp>.json, and exits non-zero on any error.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import logging
import os
import platform
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
RESULTS = BENCH / "results"
REPORTER = BENCH / "report.lua"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/portal_bench"
HOST = "127.0.0.1"

#: The targets of the issue, for 1,000,000 published items on PostgreSQL.
UNCACHED_RATIO = 0.25
WARM_RATIO = 0.80
SEARCH_P95_MS = 100.0
SEARCH_ALONE_MS = 25.0
DEEP_PAGE_FACTOR = 2.0
WORKER_RSS_MB = 200.0
COLD_START_MS = 300.0


@dataclass
class Target:
    name: str
    path: str
    kind: str  # baseline, page, list, search, deep, feed, api
    note: str = ""


@dataclass
class Measure:
    """One URL in one phase."""

    rps: float = 0.0
    p50_ms: float = 0.0
    p90_ms: float = 0.0
    p95_ms: float = 0.0
    p99_ms: float = 0.0
    max_ms: float = 0.0
    requests: int = 0
    errors: int = 0
    error_detail: dict = field(default_factory=dict)
    ratio: float | None = None
    #: The baseline's req/s measured just before this URL (the ratio's base).
    baseline_rps: float | None = None


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL,
        help="default: $DATABASE_URL or " + DEFAULT_DATABASE_URL,
    )
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("REDIS_URL", ""),
        help="cache of the server (default: $REDIS_URL; none: per-process memory)",
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=2, help="wrk -t")
    parser.add_argument("--connections", type=int, default=8, help="wrk -c")
    parser.add_argument("--duration", type=int, default=10, help="seconds per URL")
    parser.add_argument("--port", type=int, default=0, help="default: a free port")
    parser.add_argument(
        "--phases",
        default="uncached,warm,cold",
        help="uncached (page cache off), warm (page cache on, warmed up), "
        "cold (each URL as a fresh worker's first request)",
    )
    parser.add_argument("--only", default="", help="comma-separated URL names")
    parser.add_argument("--two-chars", default="补贴", help="two-character search")
    parser.add_argument("--phrase", default="实施方案", help="four-character phrase")
    parser.add_argument(
        "--words", default="补贴实施方案", help="several words typed without spaces"
    )
    parser.add_argument(
        "--no-recall",
        dest="recall",
        action="store_false",
        help="skip comparing each search's matches with a LIKE scan",
    )
    parser.add_argument("--deep-page", type=int, default=1000)
    parser.add_argument(
        "--explain",
        action="store_true",
        help="EXPLAIN ANALYZE the slowest query of each URL into the results",
    )
    parser.add_argument(
        "--no-profile",
        dest="profile",
        action="store_false",
        help="skip profiling each URL in this process (bench/breakdown.py)",
    )
    parser.add_argument("--output", type=Path, default=RESULTS)
    return parser.parse_args(argv)


# --- the environment of both this process and the server ------------------------------


def server_environment(args, static_root: Path, page_cache: bool) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "BENCH_"))
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "DATABASE_URL": args.database_url,
            "DEBUG": "0",
            "SECRET_KEY": env.get("SECRET_KEY") or secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": HOST,
            "SECURE_SSL_REDIRECT": "0",
            "STATIC_ROOT": str(static_root),
            "PYTHONPATH": str(ROOT),
        }
    )
    env.pop("REDIS_URL", None)
    env.pop("CACHE_URL", None)
    if args.redis_url:
        env["REDIS_URL"] = args.redis_url
    if not page_cache:
        env["BENCH_PAGE_CACHE"] = "off"
    return env


def setup_django(env: dict) -> None:
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def fail(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr)
    sys.exit(2)


# --- what to measure ------------------------------------------------------------------


def pick_targets(args) -> tuple[list[Target], dict]:
    """The URLs, from the data in the database (this process, Django set up)."""
    from django.db import DatabaseError, connection
    from django.db.models import Count

    from catalog.models import Department
    from disclosure.models import PublicRecord
    from disclosure.public.selectors import visible_records

    try:
        newest = visible_records().order_by("-published_at", "-pk").first()
    except DatabaseError as error:
        fail(
            f"cannot read the published items ({error}). Is the database "
            f"migrated? DATABASE_URL={args.database_url} DEBUG=1 "
            ".venv/bin/python manage.py migrate"
        )
    if newest is None:
        fail(
            "the database has no published items. Generate them first, e.g.\n"
            f"  DATABASE_URL={args.database_url} DEBUG=1 "
            ".venv/bin/python manage.py generate_items 1000000"
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT reltuples::bigint FROM pg_class "
                "WHERE oid = 'disclosure_publicrecord'::regclass"
            )
            items = int(cursor.fetchone()[0])
    else:
        items = PublicRecord.objects.count()
    # The busiest department: its filter has the most rows to page through.
    sample = visible_records().order_by("-published_at")[:5000]
    busiest = (
        PublicRecord.objects.filter(pk__in=sample.values("pk"))
        .values("department")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    department = Department.objects.get(pk=busiest["department"])
    quote = urllib.parse.quote
    targets = [
        Target("baseline", "/bench/baseline", "baseline", "a minimal Django view"),
        Target("home", "/", "page"),
        Target("list", "/items/", "list"),
        Target(
            "list_department",
            f"/items/?department={department.code}",
            "list",
            department.name,
        ),
        Target("list_page_1", "/items/?page=1", "deep"),
        Target("list_deep_page", f"/items/?page={args.deep_page}", "deep"),
        Target("search_two_chars", f"/items/?q={quote(args.two_chars)}", "search"),
        Target("search_phrase", f"/items/?q={quote(args.phrase)}", "search"),
        Target("search_words", f"/items/?q={quote(args.words)}", "search"),
        Target("item", f"/items/{newest.pk}/", "page"),
        Target("feed_atom", "/feeds/items.atom", "feed"),
        Target("api_list", "/api/v1/items", "api"),
    ]
    if args.only:
        wanted = set(args.only.split(",")) | {"baseline"}
        targets = [t for t in targets if t.name in wanted]
    return targets, {"items": items, "department": department.code}


def measure_in_process(
    targets: list[Target], explain: bool, profile: bool = False
) -> dict:
    """Status, queries and the time of one request alone, per URL (page
    cache off in this process); with ``profile``, where that time goes
    (bench/breakdown.py)."""
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST=HOST)
    logging.getLogger("django.request").setLevel(logging.ERROR)  # expected 404s
    found = {}
    for target in targets:
        cache.clear()
        client.get(target.path)  # the first request of a process pays imports
        with CaptureQueriesContext(connection) as captured:
            response = client.get(target.path)
        # Read now: the next request empties the log the context reads from.
        captured_queries = list(captured.captured_queries)
        timings = []
        for _ in range(5):
            started = time.perf_counter()
            client.get(target.path)
            timings.append((time.perf_counter() - started) * 1000)
        queries = sorted(captured_queries, key=lambda q: float(q["time"]), reverse=True)
        entry = {
            "status": response.status_code,
            "queries": len(captured_queries),
            "serial_ms": round(statistics.median(timings), 1),
            "slowest_queries": [
                {"ms": round(float(q["time"]) * 1000, 1), "sql": q["sql"][:2000]}
                for q in queries[:3]
            ],
        }
        if explain and queries and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {queries[0]['sql']}")
                entry["explain_slowest"] = "\n".join(r[0] for r in cursor.fetchall())
        if profile and target.kind != "baseline":
            from bench.breakdown import format_shares, profile_url

            entry["profile"] = profile_url(client, target.path)
            print(f"  profile  {target.name:<18} {format_shares(entry['profile'])}")
        found[target.name] = entry
    return found


# --- the server -------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


class Gunicorn:
    """gunicorn with sync workers on the loopback interface; stopped on exit."""

    def __init__(
        self, env: dict, workers: int, port: int, log: Path, config: Path | None = None
    ):
        self.port = port
        self.log = log
        binary = Path(sys.executable).with_name("gunicorn")
        command = [
            str(binary) if binary.exists() else "gunicorn",
            "portal.wsgi:application",
            "--bind",
            f"{HOST}:{port}",
            "--workers",
            str(workers),
            "--worker-class",
            "sync",
            "--chdir",
            str(ROOT),
            "--max-requests",
            "0",
            "--timeout",
            "60",
            "--error-logfile",
            str(log),
            "--log-level",
            "warning",
            *(["--config", str(config)] if config else []),
        ]
        self.process = subprocess.Popen(  # noqa: S603 - our own command line
            command,
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                fail(f"gunicorn exited; its log:\n{self.log.read_text()[-3000:]}")
            with contextlib.suppress(OSError):
                status, _ = fetch(self.url("/bench/baseline"))
                if status == 200:
                    return
            time.sleep(0.3)
        fail("gunicorn did not answer in time")

    def url(self, path: str) -> str:
        return f"http://{HOST}:{self.port}{path}"

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        with contextlib.suppress(OSError):
            return [int(pid) for pid in children.read_text().split()]
        return []

    def memory(self) -> dict:
        def rss(pid):
            with contextlib.suppress(OSError):
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        return round(int(line.split()[1]) / 1024, 1)
            return None

        return {
            "master_mb": rss(self.process.pid),
            "workers_mb": [rss(pid) for pid in self.worker_pids()],
        }

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def fetch(url: str, timeout: float = 120) -> tuple[int, bytes]:
    """Status and body; status 0 when the server did not answer in time."""
    request = urllib.request.Request(url)  # noqa: S310 - http://127.0.0.1 only
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, b""
    except (TimeoutError, urllib.error.URLError):
        return 0, b""


def run_wrk(args, url: str, duration: int | None = None) -> Measure:
    duration = duration or args.duration
    command = [
        "wrk",
        f"-t{args.threads}",
        f"-c{args.connections}",
        f"-d{duration}s",
        "--timeout",
        "10s",
        "--latency",
        "-s",
        str(REPORTER),
        url,
    ]
    output = subprocess.run(  # noqa: S603
        command, capture_output=True, text=True, check=True, timeout=duration + 60
    ).stdout
    line = next(x for x in output.splitlines() if x.startswith("BENCH_JSON "))
    data = json.loads(line.removeprefix("BENCH_JSON "))
    errors = {
        key.removeprefix("errors_"): value
        for key, value in data.items()
        if key.startswith("errors_") and value
    }
    return Measure(
        rps=round(data["requests"] / (data["duration_us"] / 1e6), 1),
        p50_ms=data["p50_us"] / 1000,
        p90_ms=data["p90_us"] / 1000,
        p95_ms=data["p95_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        max_ms=data["max_us"] / 1000,
        requests=data["requests"],
        errors=sum(errors.values()),
        error_detail=errors,
    )


def drain(server: Gunicorn, workers: int, limit: float = 600) -> None:
    """Wait until the requests wrk left queued have been served (gunicorn's
    sync workers finish every accepted connection, even a closed one): until
    a round of baseline requests, two per worker, all answer within a
    second."""
    deadline = time.monotonic() + limit
    url = server.url("/bench/baseline")
    while time.monotonic() < deadline:
        started = time.monotonic()
        with ThreadPoolExecutor(max_workers=2 * workers) as pool:
            statuses = list(pool.map(lambda _: fetch(url)[0], range(2 * workers)))
        if all(status == 200 for status in statuses) and (
            time.monotonic() - started < 1
        ):
            return
    print("  (the server was still busy after the drain limit)", flush=True)


def run_phase(args, targets, env, name, log_dir: Path) -> dict:
    port = args.port or free_port()
    server = Gunicorn(env, args.workers, port, log_dir / f"gunicorn-{name}.log")
    try:
        server.wait_ready()
        # Warm up: connections, imports, and (page cache on) every worker's copy
        # of every page.
        rounds = 3 * args.workers if name == "warm" else 1
        for target in targets:
            for _ in range(rounds):
                fetch(server.url(target.path))
        drain(server, args.workers)
        results = {}
        baseline = next((t for t in targets if t.kind == "baseline"), None)
        for target in targets:
            adjacent = None
            if baseline is not None and target is not baseline:
                # Sync workers close every connection: a run leaves ~15,000
                # sockets in TIME_WAIT and later runs slow down as free ports
                # grow scarce. Each URL is compared with the baseline measured
                # just before it, under the same conditions.
                adjacent = run_wrk(args, server.url(baseline.path))
                drain(server, args.workers)
            print(f"  {name:<8} {target.name:<18} …", end="", flush=True)
            measure = run_wrk(args, server.url(target.path))
            drain(server, args.workers)
            if adjacent is not None and adjacent.rps:
                measure.baseline_rps = adjacent.rps
                measure.ratio = round(measure.rps / adjacent.rps, 3)
            results[target.name] = measure
            print(
                f" {measure.rps:>8.1f} req/s  p95 {measure.p95_ms:>7.1f} ms"
                + (
                    f"  (baseline just before: {measure.baseline_rps:.0f})"
                    if measure.baseline_rps
                    else ""
                )
                + (f"  ERRORS {measure.error_detail}" if measure.errors else "")
            )
        memory = server.memory()
    finally:
        server.stop()
    first = results.get("baseline")
    if first is not None and first.rps:
        first.ratio = 1.0
    for measure in results.values():
        if measure.ratio is None and first is not None and first.rps:
            measure.ratio = round(measure.rps / first.rps, 3)
    return {"results": results, "memory": memory}


# --- recall: a search finds what a scan of the text finds --------------------------------


def like_condition(query):
    """The rows a scan of the searched columns (``LIKE '%…%'``) says match
    ``query`` by its own definition (disclosure/search.py): every term; a
    phrase as written, a word typed without spaces by each of its clauses
    (one of the clause's pieces anywhere)."""
    from functools import reduce
    from operator import and_, or_

    from django.db.models import Q

    columns = ("title", "doc_number", "keywords", "index_number", "body")

    def anywhere(piece):
        return reduce(or_, (Q(**{f"{column}__contains": piece}) for column in columns))

    parts = []
    for term in query.terms:
        if term.phrase:
            parts.append(anywhere(term.text))
        else:
            parts += [
                reduce(or_, (anywhere(token.text) for token in clause))
                for clause in term.clauses
            ]
    return reduce(and_, parts)


def measure_recall(targets, args) -> dict:
    """Per search URL: the matches the search finds, and the rows a LIKE scan
    finds (seconds to minutes at a million rows)."""
    from disclosure import search
    from disclosure.public.results import matching
    from disclosure.public.selectors import visible_records

    texts = {
        "search_two_chars": args.two_chars,
        "search_phrase": args.phrase,
        "search_words": args.words,
    }
    found = {}
    for target in targets:
        text = texts.get(target.name)
        if text is None:
            continue
        query = search.parse(text)
        matches = matching(visible_records(), query).count()
        scanned = visible_records().filter(like_condition(query)).count()
        found[target.name] = {"query": text, "matches": matches, "like_scan": scanned}
        print(
            f"  recall   {target.name:<18} {matches:,} matches, LIKE scan {scanned:,}"
        )
    return found


# --- a cold start: each URL as the first request of a freshly started worker ------------

#: gunicorn calls post_worker_init once the worker has loaded the application
#: (and, with PORTAL_WARM_UP, answered its warm-up pages: portal/warmup.py);
#: the file it writes tells the harness the worker is taking requests.
READY_HOOK = """
import os
from pathlib import Path


def post_worker_init(worker):
    Path(os.environ["BENCH_READY_DIR"], str(worker.pid)).touch()
"""


def run_cold(args, targets, env, log_dir: Path) -> dict:
    """Per URL: start gunicorn with one worker as a deploy would (production
    settings, warm-up as configured, page cache off so the page is rendered),
    wait until the worker says it is ready, then time its first request to
    that URL and a second one. Nothing else has touched the worker."""
    config = log_dir / "gunicorn_cold.py"
    config.write_text(READY_HOOK)
    results = {}
    for target in targets:
        if target.kind == "baseline":
            continue
        ready = Path(tempfile.mkdtemp(prefix="ready-", dir=log_dir))
        server_env = {**env, "BENCH_READY_DIR": str(ready)}
        server = Gunicorn(
            server_env,
            1,
            args.port or free_port(),
            log_dir / "gunicorn-cold.log",
            config,
        )
        try:
            deadline = time.monotonic() + 120
            while not any(ready.iterdir()):
                if server.process.poll() is not None or time.monotonic() > deadline:
                    fail(
                        f"gunicorn did not start; its log:\n{server.log.read_text()[-3000:]}"
                    )
                time.sleep(0.05)
            timings = []
            for _ in range(2):
                started = time.perf_counter()
                status, _body = fetch(server.url(target.path))
                timings.append(round(1000 * (time.perf_counter() - started), 1))
            results[target.name] = {
                "status": status,
                "first_ms": timings[0],
                "second_ms": timings[1],
            }
            print(
                f"  cold     {target.name:<18} first {timings[0]:>7.1f} ms, "
                f"second {timings[1]:>7.1f} ms"
            )
        finally:
            server.stop()
    return results


# --- the report ---------------------------------------------------------------------------


def evaluate(targets, phases, in_process, cold=None, recall=None) -> list[dict]:
    """The targets of the issue, met or not."""
    checks = []

    def check(name, value, limit, ok, unit=""):
        checks.append(
            {
                "target": name,
                "value": value,
                "limit": limit,
                "met": bool(ok),
                "unit": unit,
            }
        )

    by_kind = {t.name: t.kind for t in targets}
    uncached = phases.get("uncached", {}).get("results", {})
    warm = phases.get("warm", {}).get("results", {})
    for name in ("list", "list_department", "item", "feed_atom", "api_list"):
        if name in uncached:
            ratio = uncached[name].ratio
            check(
                f"uncached {name} ≥ {UNCACHED_RATIO} × baseline",
                ratio,
                UNCACHED_RATIO,
                ratio is not None and ratio >= UNCACHED_RATIO,
            )
    for name, measure in warm.items():
        if by_kind.get(name) != "baseline":
            ratio = measure.ratio
            check(
                f"warm {name} ≥ {WARM_RATIO} × baseline",
                ratio,
                WARM_RATIO,
                ratio is not None and ratio >= WARM_RATIO,
            )
    for name in ("search_two_chars", "search_phrase", "search_words"):
        if name in uncached:
            p95 = uncached[name].p95_ms
            check(
                f"uncached {name} p95 < {SEARCH_P95_MS:.0f} ms (under load)",
                p95,
                SEARCH_P95_MS,
                p95 < SEARCH_P95_MS,
                "ms",
            )
        if name in in_process:
            alone = in_process[name]["serial_ms"]
            check(
                f"{name} alone < {SEARCH_ALONE_MS:.0f} ms",
                alone,
                SEARCH_ALONE_MS,
                alone < SEARCH_ALONE_MS,
                "ms",
            )
    if "list_page_1" in uncached and "list_deep_page" in uncached:
        first, deep = uncached["list_page_1"], uncached["list_deep_page"]
        factor = round(deep.p50_ms / first.p50_ms, 2) if first.p50_ms else None
        check(
            f"deep page p50 within {DEEP_PAGE_FACTOR}× page 1",
            factor,
            DEEP_PAGE_FACTOR,
            factor is not None
            and factor <= DEEP_PAGE_FACTOR
            and in_process["list_deep_page"]["status"] == 200,
        )
    for name, entry in (recall or {}).items():
        check(
            f"{name}: every match found (= a LIKE scan)",
            entry["matches"],
            entry["like_scan"],
            entry["matches"] == entry["like_scan"],
        )
    if cold:
        slowest = max(cold.values(), key=lambda entry: entry["first_ms"])
        check(
            f"cold start: a fresh worker's first request < {COLD_START_MS:.0f} ms",
            slowest["first_ms"],
            COLD_START_MS,
            slowest["first_ms"] < COLD_START_MS
            and all(entry["status"] == 200 for entry in cold.values()),
            "ms",
        )
    errors = sum(
        m.errors for phase in phases.values() for m in phase["results"].values()
    )
    bad_status = [n for n, e in in_process.items() if e["status"] != 200]
    check("zero errors (wrk non-2xx/3xx and socket errors)", errors, 0, errors == 0)
    check("every URL answers 200", bad_status, [], not bad_status)
    largest = max(
        (mb for phase in phases.values() for mb in phase["memory"]["workers_mb"] if mb),
        default=None,
    )
    if phases:
        check(
            f"gunicorn worker RSS < {WORKER_RSS_MB:.0f} MB",
            largest,
            WORKER_RSS_MB,
            largest is not None and largest < WORKER_RSS_MB,
            "MB",
        )
    return checks


def print_table(targets, phases, in_process) -> None:
    header = (
        f"{'URL':<18} {'phase':<8} {'req/s':>8} {'×base':>6} {'p50':>7} {'p95':>7} "
        f"{'p99':>7} {'err':>4} {'queries':>7} {'alone':>7}"
    )
    print()
    print(header)
    print("-" * len(header))
    for target in targets:
        for phase_name, phase in phases.items():
            m = phase["results"].get(target.name)
            if m is None:
                continue
            info = in_process.get(target.name, {})
            ratio = f"{m.ratio:.2f}" if m.ratio is not None else "-"
            print(
                f"{target.name:<18} {phase_name:<8} {m.rps:>8.1f} {ratio:>6} "
                f"{m.p50_ms:>6.1f}ms {m.p95_ms:>6.1f}ms {m.p99_ms:>6.1f}ms "
                f"{m.errors:>4} {info.get('queries', '-'):>7} "
                f"{info.get('serial_ms', '-'):>6}ms"
            )
    for phase_name, phase in phases.items():
        memory = phase["memory"]
        print(
            f"gunicorn RSS ({phase_name}): workers {memory['workers_mb']} MB, "
            f"master {memory['master_mb']} MB"
        )


def main(argv=None) -> int:
    args = parse_args(argv)
    if shutil.which("wrk") is None:
        fail(
            "wrk is not installed. On Debian or Ubuntu: apt-get install -y wrk "
            "(https://github.com/wg/wrk elsewhere)."
        )
    phases_wanted = [p for p in args.phases.split(",") if p]
    if not set(phases_wanted) <= {"uncached", "warm", "cold"}:
        fail("--phases takes uncached, warm and/or cold")
    work = Path(tempfile.mkdtemp(prefix="portal-bench-"))
    static_root = work / "static"
    try:
        env_uncached = server_environment(args, static_root, page_cache=False)
        print("Collecting static files …", flush=True)
        subprocess.run(  # noqa: S603
            [
                sys.executable,
                str(ROOT / "manage.py"),
                "collectstatic",
                "--noinput",
                "-v",
                "0",
            ],
            env=env_uncached,
            cwd=ROOT,
            check=True,
        )
        setup_django(env_uncached)
        from django.db import connection

        targets, data = pick_targets(args)
        print(
            f"About {data['items']:,} published items on {connection.vendor}; "
            f"{args.workers} gunicorn workers; wrk -t{args.threads} "
            f"-c{args.connections} -d{args.duration}s"
        )
        load_before = os.getloadavg()
        print("Measuring each URL in this process (queries, one request alone) …")
        in_process = measure_in_process(targets, args.explain, args.profile)
        deep = next((t for t in targets if t.name == "list_deep_page"), None)
        if deep and in_process[deep.name]["status"] == 404:
            # Fewer items than that: measure the deepest page there is.
            from disclosure.public.pagination import list_max_page
            from disclosure.public.selectors import visible_records
            from disclosure.public.views import RecordListView

            per_page = RecordListView.paginate_by
            rows = visible_records().count()
            last = max(1, min(list_max_page(), -(-rows // per_page)))
            deep.note = (
                f"page {args.deep_page}: HTTP 404 ({rows:,} visible items: "
                f"{last} pages); measured page {last}"
            )
            print(f"  {deep.note}")
            deep.path = f"/items/?page={last}"
            in_process[deep.name] = {
                **measure_in_process([deep], args.explain)[deep.name],
                "requested_page_status": 404,
            }
        recall = {}
        if args.recall:
            print("Comparing each search with a LIKE scan …", flush=True)
            recall = measure_recall(targets, args)
        connection.close()
        for name, entry in in_process.items():
            if entry["status"] != 200:
                print(f"  {name}: HTTP {entry['status']}", file=sys.stderr)
        phases, cold = {}, {}
        for phase in phases_wanted:
            # The cold start renders its pages (page cache off).
            env = server_environment(args, static_root, page_cache=phase == "warm")
            env["SECRET_KEY"] = env_uncached["SECRET_KEY"]
            print(f"Phase {phase}:", flush=True)
            if phase == "cold":
                cold = run_cold(args, targets, env, work)
            else:
                phases[phase] = run_phase(args, targets, env, phase, work)
        load_after = os.getloadavg()
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print_table(targets, phases, in_process)
    checks = evaluate(targets, phases, in_process, cold, recall)
    print()
    for check in checks:
        mark = "MET   " if check["met"] else "MISSED"
        print(f"{mark} {check['target']}: {check['value']}{check['unit']}")

    args.output.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    path = args.output / f"{stamp}.json"
    document = {
        "started": stamp,
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "load_before": load_before,
            "load_after": load_after,
        },
        "config": {
            "database": connection.vendor,
            "items": data["items"],
            "workers": args.workers,
            "wrk": f"-t{args.threads} -c{args.connections} -d{args.duration}s",
            "redis": bool(args.redis_url),
        },
        "urls": {
            t.name: {"path": t.path, "kind": t.kind, "note": t.note} for t in targets
        },
        "in_process": in_process,
        "phases": {
            name: {
                "memory": phase["memory"],
                "results": {k: vars(v) for k, v in phase["results"].items()},
            }
            for name, phase in phases.items()
        },
        "cold": cold,
        "recall": recall,
        "targets": checks,
    }
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2))
    print(f"\nResults: {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")

    errors = sum(
        m.errors for phase in phases.values() for m in phase["results"].values()
    )
    bad_status = [n for n, e in in_process.items() if e["status"] != 200]
    if errors or bad_status:
        print(
            f"\nBENCH FAILED: {errors} request errors; URLs not answering 200: "
            f"{bad_status or 'none'}",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
