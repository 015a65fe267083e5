"""Where an uncached request's time goes: a URL requested ``repeat`` times
in this process (Django's test client, page cache off) under ``cProfile``,
each function's own time (``tottime``) put into one of a few parts by the
file it is defined in. The parts sum to the profiled total; the profiler
slows Python code more than C code, so the shares are the figure to read,
not the milliseconds (``ms_per_request`` is the profiled time).

Parts:

- ``database``: the driver (psycopg, sqlite3) and Django's backend, waiting
  for the server included;
- ``orm``: building querysets, compiling SQL, making model instances;
- ``rendering``: Django's template engine, template tags and filters,
  escaping, translations looked up while rendering, the feed's XML writer
  and the JSON encoder;
- ``request``: the request/response cycle around the view: handlers,
  middleware (ours and the libraries'), sessions, auth, URL resolution,
  HTTP objects, the test client;
- ``forms``: the filter form (django-filter, Django's forms and widgets, our
  own quick widgets), rendering of its fields included;
- ``app``: the project's own code (views, selectors, search, forms);
- ``other``: the rest (the standard library, django-filter, forms…).

Built-in functions (``getattr``, ``isinstance``…) and generic helpers
(Django's lazy-object wrappers, ``asgiref``'s locals, ``copy``) count for
the part of the function that called them, split by the time each caller
spent in them.
"""

from __future__ import annotations

import cProfile
import pstats
from pathlib import Path

#: (part, path fragments) in the order they are tried: the first match wins.
PARTS = (
    ("database", ("/psycopg", "/sqlite3/", "django/db/backends/", "_sqlite3")),
    ("orm", ("django/db/models/", "django/db/utils", "django/db/transaction")),
    (
        "rendering",
        (
            "django/template/",
            "django/contrib/syndication/",
            "django/utils/feedgenerator",
            "xml/sax/",
            "/json/",
            "/templatetags/",
            "django/utils/html",
            "django/utils/safestring",
            "django/utils/translation/",
            "django/utils/formats",
            "django/utils/dateformat",
            "gettext",
        ),
    ),
    (
        "forms",
        ("django/forms/", "/django_filters/", "portal/widgets", "/public/widgets"),
    ),
    (
        "request",
        (
            "django/core/handlers/",
            "django/middleware/",
            "django/http/",
            "django/urls/",
            "django/contrib/sessions/",
            "django/contrib/auth/",
            "django/contrib/messages/",
            "django/test/",
            "/axes/",
            "/django_otp/",
            "/csp/",
            "/whitenoise/",
            "portal/middleware",
            "portal/sessions/",
            "portal/accounts/",
        ),
    ),
    ("app", ("/disclosure/", "/catalog/", "/portal/", "/bench/")),
)


#: Functions counted for their callers' part (see the module docstring),
#: besides the built-ins (cProfile's file name "~").
GENERIC = ("django/utils/functional.py", "asgiref/local.py", "/copy.py")

#: The project's root: its own files are matched by their path inside it.
ROOT = str(Path(__file__).resolve().parent.parent) + "/"


def _where(filename: str) -> str:
    """``filename`` as the patterns read it: from the installed package
    (after ``site-packages/``) or the project's root, with a leading "/", so
    that the checkout's own directory names never decide the part."""
    if "site-packages/" in filename:
        return "/" + filename.rsplit("site-packages/", 1)[1]
    if filename.startswith(ROOT):
        return "/" + filename[len(ROOT) :]
    return filename


def part_of(filename: str) -> str:
    where = _where(filename)
    for part, fragments in PARTS:
        if any(fragment in where for fragment in fragments):
            return part
    return "other"


def _is_generic(filename: str) -> bool:
    return filename == "~" or any(mark in _where(filename) for mark in GENERIC)


def _shares_by_caller(stats, function, seen=()) -> dict[str, float]:
    """The parts a generic function's time belongs to, as fractions: its
    callers' parts weighted by the time each spent in it."""
    callers = stats.stats[function][4]
    weights: dict[str, float] = {}
    for caller, row in callers.items():
        if caller in seen or caller not in stats.stats:
            continue
        weight = row[2] if len(row) > 2 else 0.0  # tottime spent via this caller
        if _is_generic(caller[0]):
            for part, share in _shares_by_caller(
                stats, caller, (*seen, function)
            ).items():
                weights[part] = weights.get(part, 0.0) + weight * share
        else:
            part = part_of(caller[0])
            weights[part] = weights.get(part, 0.0) + weight
    total = sum(weights.values())
    if not total:
        return {"other": 1.0}
    return {part: weight / total for part, weight in weights.items()}


def profile_url(client, path: str, repeat: int = 20) -> dict:
    """The parts of ``repeat`` requests to ``path``: each part's share of
    the profiled time and its profiled milliseconds per request, with the
    ten functions of most own time."""
    client.get(path)  # imports and first-use work are not what is measured
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(repeat):
        client.get(path)
    profiler.disable()
    stats = pstats.Stats(profiler)
    totals: dict[str, float] = {}
    functions = []
    for function, row in stats.stats.items():
        filename, line, name = function
        own = row[2]  # tottime
        if _is_generic(filename):
            split = _shares_by_caller(stats, function)
        else:
            split = {part_of(filename): 1.0}
        for part, share in split.items():
            totals[part] = totals.get(part, 0.0) + own * share
        main_part = max(split, key=split.get)
        functions.append((own, main_part, f"{_short(filename)}:{line}({name})"))
    whole = sum(totals.values()) or 1.0
    functions.sort(reverse=True)
    return {
        "ms_per_request": round(1000 * whole / repeat, 2),
        "shares": {
            part: round(seconds / whole, 3)
            for part, seconds in sorted(totals.items(), key=lambda kv: -kv[1])
        },
        "top_functions": [
            {
                "part": part,
                "function": where,
                "ms_per_request": round(1000 * own / repeat, 3),
            }
            for own, part, where in functions[:10]
        ],
    }


def _short(filename: str) -> str:
    return _where(filename).lstrip("/")


def format_shares(profile: dict) -> str:
    return ", ".join(
        f"{part} {share:.0%}"
        for part, share in profile["shares"].items()
        if share >= 0.01
    )
