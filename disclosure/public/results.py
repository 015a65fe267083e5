"""Search results in display order: the matches ranked in tiers that an index
serves (title matches newest first, then the others), checked on the newest
rows first."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import connections
from django.db.models import DateTimeField, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.functional import cached_property

from disclosure.search import SearchQuery, TokensMatch

from .continuation import Cursor
from .selectors import capped_count, search_count_cap, with_body

#: What facets count: department, topic, document type, publication time.
FACET_COLUMNS = ("department_id", "topic_id", "document_type_id", "published_at")


def recent_window_size() -> int:
    return int(getattr(settings, "PORTAL_SEARCH_RECENT_WINDOW", 4_000))


#: Newest first, the order of every tier (the date indexes' order).
NEWEST = ("-published_at", "-pk")
_EARLIEST = datetime.datetime(1, 1, 2, tzinfo=datetime.UTC)


class RecentWindow:
    """Searches checked on the newest :func:`recent_window_size` rows of
    ``base`` only (PostgreSQL), one by one, walking the date index newest
    first and stopping as soon as a page is full.

    PostgreSQL estimates the selectivity of phrases and of "matches the body
    but not the title" poorly; a wrong guess either reads the heap of every
    match of a common phrase (8,860 rows for the title phrase 补贴实施方案 at
    a million records: 50-90 ms, 8,855 blocks) or walks the whole date index
    for a rare one. Checking the newest rows' vectors (the ``indexed=False``
    match) in date order costs what it reads: a common term fills a page in
    a few dozen rows, a rarer one reads at most the window (a title vector:
    ~0.3 blocks and a few microseconds a row). Only a term with fewer than a
    page of matches among the newest rows goes on to the full query, which
    the GIN index then serves: at most about page size × rows ÷ window
    matches to sort (5,000 at a million rows and a window of 4,000).

    The window's edge is the publication time of its last row, a subquery
    of the same query (an InitPlan: an index-only scan of the window), not
    a value read beforehand: one round trip less, and the planner, not
    knowing the edge, keeps the walk in date order (with a known short
    range it could read and sort the whole window)."""

    def __init__(self, base: QuerySet):
        self.base = base

    def restrict(self, queryset: QuerySet) -> QuerySet:
        """``queryset`` among the window's rows (and the rows of its last
        instant), newest first."""
        size = recent_window_size()
        edge = self.base.order_by(*NEWEST).values("published_at")[size - 1 : size]
        return queryset.filter(
            published_at__gte=Coalesce(
                Subquery(edge), Value(_EARLIEST), output_field=DateTimeField()
            )
        ).order_by(*NEWEST)

    def newest(self, within: QuerySet, full: QuerySet, start: int, stop: int) -> list:
        """``full[start:stop]`` (newest first), where ``within`` (the same
        search, unindexed) is tried on the window first."""
        rows = list(self.restrict(within)[start:stop])
        if len(rows) == stop - start:
            return rows
        return _beyond_window(full, start, stop)

    def count(self, within: QuerySet, full: QuerySet, cap: int) -> int:
        """``min(count, cap + 1)`` of ``full``, the window first (in date
        order: a count without an order could scan the table)."""
        found = self.restrict(within).values("pk")[: cap + 1].count()
        if found > cap:
            return found
        return capped_count(full, cap)


def _beyond_window(full: QuerySet, start: int, stop: int) -> list:
    """``full[start:stop]`` of a search with fewer than a page of matches
    among the newest rows: counted first (the GIN index, no order); if it
    has no more than ``stop`` matches, they are read through that index and
    sorted (an order no index gives), never looked for by walking the date
    index: PostgreSQL guesses a word missing from its statistics in 0.5 %
    of the rows and would walk it to the end (a million rows, 4.5 s, for a
    word in none)."""
    found = capped_count(full, stop)
    if found <= start:
        return []
    if found <= stop:
        published = Coalesce("published_at", "published_at")
        return list(full.order_by(published.desc(), "-pk")[start:stop])
    return list(full[start:stop])


def matching(
    base: QuerySet, query: SearchQuery | None, *, indexed: bool = True
) -> QuerySet:
    """The records of ``base`` that match ``query`` (all if there is none)."""
    if not query:
        return base
    return base.filter(TokensMatch("search_tokens", query, indexed=indexed))


def tier_specs(query: SearchQuery) -> dict[str, tuple]:
    """The tiers of a search, in display order: name → (the match that puts
    a record in the tier, the earlier tiers' matches to exclude), each match
    a (column, query). A title match is a match: its tokens are part of the
    search tokens; an exact phrase match is a match of the words."""
    title = ("title_tokens", query)
    anywhere = ("search_tokens", query)
    if query.is_exact:
        return {"title": (title, []), "other": (anywhere, [title])}
    exact = query.exact
    title_phrase = ("title_tokens", exact)
    phrase = ("search_tokens", exact)
    return {
        "title phrase": (title_phrase, []),
        "title": (title, [title_phrase]),
        "phrase": (phrase, [title]),
        "other": (anywhere, [title, phrase]),
    }


def _tier(base: QuerySet, spec: tuple, *, indexed: bool = True) -> QuerySet:
    (column, query), excluded = spec
    tier = base.filter(TokensMatch(column, query, indexed=indexed))
    for column, query in excluded:
        tier = tier.exclude(TokensMatch(column, query, indexed=indexed))
    return tier


class TieredResults:
    """Search matches ranked in tiers that an index serves (:func:`tier_specs`),
    each newest first. Sliceable and countable (capped), for
    :class:`CappedPaginator`. ``base``: the filtered records, before the
    search."""

    def __init__(self, base: QuerySet, query: SearchQuery):
        self.base = base
        self.query = query
        self.matches = matching(base, query)
        specs = tier_specs(query)
        # Per tier: all its matches, and the same check without an index for
        # the newest rows (PostgreSQL: RecentWindow), or None.
        self.tiers = {name: (_tier(base, spec), None) for name, spec in specs.items()}
        self.window = None
        if connections[base.db].vendor == "postgresql":
            self.window = RecentWindow(base)
            self.recent_matches = matching(base, query, indexed=False)
            self.tiers = {
                name: (_tier(base, spec), _tier(base, spec, indexed=False))
                for name, spec in specs.items()
            }

    def _newest(self, tier: str, start: int, stop: int) -> list:
        full, within = self.tiers[tier]
        if within is None:
            return list(full[start:stop])
        return self.window.newest(within, full, start, stop)

    def _count(self, tier: str, cap: int) -> int:
        full, within = self.tiers[tier]
        if within is None:
            return capped_count(full, cap)
        return self.window.count(within, full, cap)

    @cached_property
    def sample(self) -> list[tuple]:
        """The facet columns of up to the count cap (+1) matches: one query
        gives the count and the facets. On PostgreSQL the rows are found with
        the tokens' GIN index alone (no phrase positions, so no recheck of
        each row's token vector), then the phrases are checked on those rows
        only."""
        cap = search_count_cap()
        columns = ("pk", *FACET_COLUMNS)
        if self.window is None:
            return list(self.matches.order_by().values_list(*FACET_COLUMNS)[: cap + 1])
        if not self.query.has_phrase:
            # A common word: enough matches among the newest rows, checked one
            # by one (where the planner, expecting matches everywhere, would
            # otherwise read the table in order). A phrase's words are
            # estimated rare, so it goes to the GIN index below.
            recent = self.window.restrict(self.recent_matches)
            rows = list(recent.values_list(*FACET_COLUMNS)[: cap + 1])
            if len(rows) > cap:
                return rows
        loose = self.base.filter(TokensMatch("search_tokens", self.query, phrase=False))
        rows = list(loose.order_by().values_list(*columns)[: cap + 1])
        if self.query.has_phrase and rows:
            ids = [row[0] for row in rows]
            exact = set(self.matches.filter(pk__in=ids).values_list("pk", flat=True))
            if len(rows) > cap and len(exact) <= cap:
                # Many rows hold the words, few the phrases: count exactly.
                rows = list(self.matches.order_by().values_list(*columns)[: cap + 1])
            else:
                rows = [row for row in rows if row[0] in exact]
        return [row[1:] for row in rows]

    def count(self) -> int:
        return len(self.sample)

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice) or index.step is not None:
            raise TypeError("TieredResults supports slices only")
        start, stop = index.start or 0, index.stop
        if stop is None:
            stop = start + search_count_cap()
        return [row for _tier, row in self.slice(start, stop)]

    def slice(self, start: int, stop: int) -> list[tuple[int, object]]:
        """``(tier number, record)`` of the rows ``start:stop``, in display
        order (the tier number makes the cursor of a "more" page)."""
        rows: list = []
        offset = 0  # rows in the tiers before this one
        for number, tier in enumerate(self.tiers):
            if offset >= stop:
                break
            # The tier's rows on this page; counted only when it has none
            # (it ends before the page: its size is the offset of the next).
            skip = max(0, start - offset)
            found = self._newest(tier, skip, stop - offset)
            rows += [(number, row) for row in found]
            if found or not skip:
                offset += skip + len(found)
            else:
                offset += self._count(tier, skip)
        return rows

    def after(self, cursor: Cursor, limit: int) -> list[tuple[int, object]]:
        """Up to ``limit`` ``(tier number, record)`` after ``cursor`` in display
        order (``continuation``): the rest of its tier, older than it (on
        PostgreSQL checked first on the rows just older, as page 1 is on the
        newest rows), then the next tiers from their newest. No count."""
        rows: list = []
        for number, (full, within) in enumerate(self.tiers.values()):
            need = limit - len(rows)
            if number < cursor.tier or need <= 0:
                continue
            window = self.window
            if number == cursor.tier:
                full = full.filter(cursor.before())
                if window is not None:
                    window = RecentWindow(self.base.filter(cursor.before()))
                    within = within.filter(cursor.before())
            if window is None:
                found = list(full[:need])
            else:
                found = window.newest(within, full, 0, need)
            rows += [(number, row) for row in found]
        return rows

    def __iter__(self):
        for full, _within in self.tiers.values():
            yield from full.iterator(chunk_size=500)


def ranked(base: QuerySet, query: SearchQuery | None, *, body: bool = True):
    """The filtered records (``base``, before the search) in display order:
    tiers for a search, newest first otherwise. ``body``: load the body, for
    search excerpts."""
    if not query:
        return base
    return TieredResults(with_body(base) if body else base, query)
