"""Search results in display order: the matches ranked in tiers that an index
serves (title matches newest first, then the others), checked on the newest
rows first."""

from __future__ import annotations

from django.conf import settings
from django.db import connections
from django.db.models import BooleanField, Expression, F, QuerySet
from django.utils.functional import cached_property

from disclosure.search import SearchQuery, TokensMatch

from .continuation import Cursor
from .selectors import capped_count, search_count_cap, with_body

#: What facets count: department, topic, document type, publication time.
FACET_COLUMNS = ("department_id", "topic_id", "document_type_id", "published_at")


def recent_window_size() -> int:
    return int(getattr(settings, "PORTAL_SEARCH_RECENT_WINDOW", 2_000))


class KeyIn(Expression):
    """``pk = ANY(%s)`` with the keys as one array parameter (PostgreSQL):
    ``pk__in`` with 2,000 keys cost ~25 ms of Python per query (a
    placeholder and a conversion per key)."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, keys: list[int]):
        super().__init__()
        self.keys = keys
        self.pk = F("pk")

    def get_source_expressions(self):
        return [self.pk]

    def set_source_expressions(self, exprs):
        (self.pk,) = exprs

    def as_sql(self, compiler, connection):
        sql, params = compiler.compile(self.pk)
        return f"{sql} = ANY(%s)", (*params, list(self.keys))


class RecentWindow:
    """The keys of the newest :func:`recent_window_size` rows of ``base``
    (PostgreSQL; an index-only scan), read once, and searches checked on
    those rows only.

    PostgreSQL estimates the selectivity of phrases and of "matches the body
    but not the title" poorly; a wrong guess either reads the heap of every
    match of a common phrase (62,230 rows for 实施方案 at a million records,
    0.4-1.2 s) or walks the whole date index for a rare one. Checking the
    newest few thousand rows' vectors one by one, with no index (the
    ``indexed=False`` match), costs the same whatever the term (measured:
    8 ms for titles, 3-30 ms for bodies), and is enough for the first pages
    of a common term; only a term rare among recent items goes on to the full
    query, which the GIN index then serves well."""

    def __init__(self, base: QuerySet):
        self.base = base

    @cached_property
    def keys(self) -> list[int]:
        window = self.base.order_by("-published_at", "-item_id")
        return list(window.values_list("pk", flat=True)[: recent_window_size()])

    def restrict(self, queryset: QuerySet) -> QuerySet:
        return queryset.filter(KeyIn(self.keys))

    def newest(self, within: QuerySet, full: QuerySet, start: int, stop: int) -> list:
        """``full[start:stop]`` (newest first), where ``within`` (the same
        search, unindexed) is tried on the window first."""
        rows = list(self.restrict(within)[start:stop])
        if len(rows) == stop - start:
            return rows
        return list(full[start:stop])

    def count(self, within: QuerySet, full: QuerySet, cap: int) -> int:
        """``min(count, cap + 1)`` of ``full``, the window first."""
        found = capped_count(self.restrict(within), cap)
        if found > cap:
            return found
        return capped_count(full, cap)


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
            recent = self.window.restrict(self.recent_matches).order_by()
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
            size = self._count(tier, stop - offset)
            if start < offset + size:
                found = self._newest(
                    tier, max(0, start - offset), min(stop, offset + size) - offset
                )
                rows += [(number, row) for row in found]
            offset += size
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
