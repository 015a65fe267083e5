"""Caching of the public pages.

Three layers, all for anonymous visitors only (signed-in staff and a visitor
with a pending message always get a fresh page; a cookie alone decides
nothing, see :func:`bypasses_cache`):

- HTTP: ``Cache-Control: public, max-age=…`` (short), an ``ETag`` and a
  ``Last-Modified``; a conditional GET that matches gets ``304 Not Modified``.
- Server side, in Django's cache: the rendered page, keyed by the scheme,
  host and path, the query parameters the page reads (``params``, see
  :func:`public_page`: nothing else of the query string reaches the view or
  the key), the language, the display mode (text size, contrast), the
  *publication generation* and the day
  (有效性 is computed for the day it is shown).
- The publication generation (``disclosure/publication.py``): a number in the
  database, bumped in the transaction that changes a public record, a change
  note, a published attachment or a catalog row, and read by every process at
  most once a second. A new generation makes every cached page a miss, so
  publishing, withdrawing or removing an item shows within that second in
  every process, whatever the cache backend.

Scheduled items become visible at their time with no job and no bump: cached
pages are therefore never kept past the earliest future publication time
(:func:`valid_until`).

``PORTAL_PAGE_CACHE_SECONDS = 0`` turns the server-side copy off (the HTTP
headers and 304 answers stay). A cache that fails (Redis down) is a miss
(``portal/cache.py``): the page is rendered.

With a shared cache (Redis), each process also keeps the pages it served last
in its own memory (``PORTAL_LOCAL_PAGES``, default 300; 0: none), under the
same keys (the generation is part of them) and for no longer than the shared
copy: a hit then costs no round trip and no unpickling.

Public pages carry no CSRF token (the language switch is a link): a page that
does is not kept, so no visitor is ever served another's token.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import time
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, QueryDict
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date

from disclosure.publication import bumped_at, generation

from .recent import Recent
from .selectors import next_scheduled_publication

TEXT_SIZE_COOKIE = "portal_text_size"
CONTRAST_COOKIE = "portal_contrast"

_CSRF_INPUT = b'name="csrfmiddlewaretoken"'
_NO_SCHEDULE = "none"
#: Part of the page key: bumped when a cached entry's fields change, so that
#: a process of the new version never reads an entry an older one wrote.
_ENTRY_FORMAT = 4
#: Response headers kept with a cached page (the middleware adds the others).
_KEPT_HEADERS = ("Content-Disposition", "X-Robots-Tag", "Link")


def page_cache_seconds() -> int:
    """How long a rendered page is kept server side, at most."""
    return int(getattr(settings, "PORTAL_PAGE_CACHE_SECONDS", 600))


def browser_cache_seconds() -> int:
    """``max-age`` for anonymous pages: short, browsers and proxies revalidate
    soon after (cheaply, with the ETag)."""
    return int(getattr(settings, "PORTAL_BROWSER_CACHE_SECONDS", 60))


def settle_seconds() -> int:
    """With read replicas (portal/db_router.py), a page rendered just after a
    bump may come from a replica that has not caught up yet: such pages are
    kept only until the replicas have (``DATABASE_REPLICA_PIN_SECONDS``)."""
    if not any(alias.startswith("replica_") for alias in settings.DATABASES):
        return 0
    return int(getattr(settings, "DATABASE_REPLICA_PIN_SECONDS", 10))


# --- scheduled publications ---------------------------------------------------------


def valid_until(now: datetime.datetime) -> datetime.datetime | None:
    """The earliest future publication time: the public pages change then,
    with no bump. Cached per generation (a new schedule bumps it)."""
    key = f"disclosure:next-scheduled:{generation()}"
    cached = cache.get(key)
    if cached == _NO_SCHEDULE:
        return None
    if cached is not None and cached > now:
        return cached
    upcoming = next_scheduled_publication(now)
    cache.set(key, upcoming or _NO_SCHEDULE, _settled(page_cache_seconds()))
    return upcoming


# --- the page cache ------------------------------------------------------------------


def bypasses_cache(request) -> bool:
    """Signed-in staff and visitors with a pending message get fresh,
    private pages. Only a real session or message counts, never a cookie's
    name: a made-up ``sessionid`` fails the signature of the session key
    (``portal/sessions/``: no query), a made-up message cookie the signature
    of the messages; neither skips the cache."""
    return (
        request.method not in ("GET", "HEAD")
        or request.user.is_authenticated
        or _has_messages(request)
    )


def _has_messages(request) -> bool:
    storage = getattr(request, "_messages", None)
    return storage is not None and len(storage) > 0


def text_size(request) -> str:
    return "large" if request.COOKIES.get(TEXT_SIZE_COOKIE) == "large" else "normal"


def contrast(request) -> str:
    return "high" if request.COOKIES.get(CONTRAST_COOKIE) == "high" else "normal"


def canonical_query(request, params) -> str:
    """The query string the page sees: of ``params`` only, sorted, each with
    the last value given (as the views read it), empty ones left out."""
    raw = request.META.get("QUERY_STRING")
    if not raw:
        return ""  # the common case, without parsing anything
    try:
        given = _parsed_query(raw)
    except (UnicodeEncodeError, ValueError):  # QueryDict decides (or says 400)
        given = list(request.GET.items())
    last = {name: value for name, value in given if name in params}
    return urlencode(sorted((n, v) for n, v in last.items() if v != ""))


def _parsed_query(raw: str) -> list[tuple[str, str]]:
    """The pairs of a WSGI query string as ``request.GET`` parses them
    (``WSGIRequest.GET``, ``QueryDict``), without building a QueryDict: a
    cache hit's work. Raises ValueError past ``DATA_UPLOAD_MAX_NUMBER_FIELDS``."""
    data = raw.encode("iso-8859-1")  # WSGI strings carry the bytes so
    charset = settings.DEFAULT_CHARSET
    try:
        text = data.decode(charset)
    except UnicodeDecodeError:
        text = data.decode("iso-8859-1")
    return parse_qsl(
        text,
        keep_blank_values=True,
        encoding=charset,
        max_num_fields=settings.DATA_UPLOAD_MAX_NUMBER_FIELDS,
    )


def _use_canonical_query(request, query: str) -> None:
    """Let the view see nothing but ``query`` (its links, the language
    switch's ``next``), so that the page depends on the key alone."""
    if query == request.META.get("QUERY_STRING", ""):
        return  # already what the view would see
    request.GET = QueryDict(query)
    request.META["QUERY_STRING"] = query


#: Today's date and the span of Unix times it covers (:func:`today`).
_day: dict = {"date": None, "from": 0.0, "until": 0.0}


def today() -> datetime.date:
    """``timezone.localdate()``, worked out once a day: a cache hit asks for
    it on every request, and converting the time to the zone is a good part
    of such a request's own work."""
    now = time.time()
    if not _day["from"] <= now < _day["until"]:
        today = timezone.localdate()
        zone = timezone.get_current_timezone()
        start = datetime.datetime.combine(today, datetime.time.min, zone)
        end = datetime.datetime.combine(
            today + datetime.timedelta(days=1), datetime.time.min, zone
        )
        _day.update(date=today, **{"from": start.timestamp(), "until": end.timestamp()})
    return _day["date"]


#: The request headers that make a GET conditional.
_CONDITIONAL_HEADERS = (
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_MATCH",
    "HTTP_IF_UNMODIFIED_SINCE",
)


def page_key(request) -> str:
    """The page's key: its address with the query string the view sees."""
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    url = hashlib.sha256(address.encode()).hexdigest()
    language = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
    # The day is part of the key: 有效性 is computed for the day a page is
    # shown (disclosure/validity.py), so no page cached yesterday can show
    # 有效 for a document whose 有效期至 ended at midnight.
    return (
        f"disclosure:page:{_ENTRY_FORMAT}:{generation()}:{today()}:"
        f"{language}:{text_size(request)}:{contrast(request)}:{url}"
    )


def _entry_from(response, now: datetime.datetime, keep: bool = True) -> dict:
    content = response.content
    return {
        "content": content,
        "content_type": response["Content-Type"],
        "headers": {name: response[name] for name in _KEPT_HEADERS if name in response},
        "etag": f'"{hashlib.sha256(content).hexdigest()[:32]}"',
        "last_modified": int(now.timestamp()),
        "last_modified_http": http_date(int(now.timestamp())),
        "valid_until": valid_until(now) if keep else None,
    }


def _cache_headers(response, entry: dict) -> None:
    response["ETag"] = entry["etag"]
    response["Last-Modified"] = entry["last_modified_http"]
    if "Cache-Control" in response:
        patch_cache_control(response, public=True, max_age=browser_cache_seconds())
    else:  # what patch_cache_control writes, without parsing (every cache hit)
        response["Cache-Control"] = f"public, max-age={browser_cache_seconds()}"


def _response_from(request, entry: dict) -> HttpResponse:
    response = HttpResponse(entry["content"], content_type=entry["content_type"])
    for name, value in entry["headers"].items():
        response[name] = value
    _cache_headers(response, entry)
    return response


def private(response):
    patch_cache_control(response, private=True, no_cache=True)
    return response


def _timeout(entry: dict, now: datetime.datetime) -> int:
    timeout = page_cache_seconds()
    if entry["valid_until"] is not None:
        seconds = (entry["valid_until"] - now).total_seconds()
        timeout = min(timeout, int(seconds) + 1)
    return _settled(timeout)


def _settled(timeout: int) -> int:
    """``timeout``, or less while the replicas may still be catching up with
    the last change (see :func:`settle_seconds`)."""
    settle = settle_seconds()
    if settle:
        since_bump = time.time() - bumped_at()
        if since_bump < settle:
            timeout = min(timeout, int(settle - since_bump) + 1)
    return max(1, timeout)


def _local_page_limit() -> int:
    """How many pages this process keeps in its own memory, besides the
    shared cache (none when the cache is this process's memory already)."""
    backend = settings.CACHES["default"]["BACKEND"]
    if backend.endswith("LocMemCache"):
        return 0
    return int(getattr(settings, "PORTAL_LOCAL_PAGES", 300))


class _LocalPages:
    """The pages this process served last, each kept no longer than its
    shared copy."""

    def __init__(self):
        self._recent = Recent()

    def get(self, key: str) -> dict | None:
        kept = self._recent.get(key, fresh=lambda kept: kept[0] > time.monotonic())
        return None if kept is None else kept[1]

    def set(self, key: str, entry: dict, timeout: int) -> None:
        limit = _local_page_limit()
        if limit:
            self._recent.put(key, (time.monotonic() + timeout, entry), limit)

    def clear(self) -> None:
        self._recent.clear()


_local_pages = _LocalPages()


def forget_pages() -> None:
    """Drop this process's own copies of pages (tests empty the cache)."""
    _local_pages.clear()
    _day.update({"date": None, "from": 0.0, "until": 0.0})


def _cached_entry(key: str, now: datetime.datetime) -> dict | None:
    entry = _local_pages.get(key)
    if entry is None:
        entry = cache.get(key)
        if entry is not None:
            _local_pages.set(key, entry, _timeout(entry, now))
    if entry is not None and entry["valid_until"] and entry["valid_until"] <= now:
        return None
    return entry


def public_page(view=None, *, params=(), strict=False):
    """Serve the view through the page cache for anonymous visitors. Only 200
    answers are cached; others pass through (a 404 for a scheduled item must
    not outlive its publication time).

    ``params``: the query parameters the page reads. The view sees those
    alone (:func:`canonical_query`), and the key is made of them, so junk
    parameters (``?x=1``, ``?x=2``…) share the page's one entry instead of
    adding one each. ``strict``: the view refuses parameters it does not know
    (the JSON API answers 400): a request with any is passed to the view as
    it came, uncached.

    Used bare (``@public_page``) or with arguments
    (``@public_page(params=…)``)."""
    if view is None:
        return functools.partial(public_page, params=params, strict=strict)
    known = frozenset(params)

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if strict and not known.issuperset(request.GET):
            return private(view(request, *args, **kwargs))
        _use_canonical_query(request, canonical_query(request, known))
        if bypasses_cache(request):
            return private(view(request, *args, **kwargs))
        now = timezone.now()
        keep = page_cache_seconds() > 0
        key = page_key(request) if keep else None
        entry = _cached_entry(key, now) if keep else None
        if entry is None:
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            if response.status_code != 200 or response.streaming:
                return response
            if _CSRF_INPUT in response.content:
                return private(response)  # a token is for one visitor only
            entry = _entry_from(response, now, keep)
            if keep:
                timeout = _timeout(entry, now)
                cache.set(key, entry, timeout)
                _local_pages.set(key, entry, timeout)
        conditional = None
        if any(header in request.META for header in _CONDITIONAL_HEADERS):
            conditional = get_conditional_response(
                request, etag=entry["etag"], last_modified=entry["last_modified"]
            )
        if conditional is not None:  # 304 Not Modified (or 412)
            _cache_headers(conditional, entry)
            return _forget_cookie(request, conditional)
        return _forget_cookie(request, _response_from(request, entry))

    return wrapper


def _forget_cookie(request, response):
    """A session cookie that named no session is deleted on this answer
    (``SessionMiddleware``): such an answer is for this visitor only."""
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        patch_cache_control(response, private=True)
    return response


def http_cached(view):
    """HTTP caching headers only (no server-side copy): for answers that are
    cheap or streamed, like file downloads."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if bypasses_cache(request):
            return private(response)
        if response.status_code == 200:
            patch_cache_control(response, public=True, max_age=browser_cache_seconds())
        return response

    return wrapper
