"""Reads for the public site. Visibility is decided here, at read time: a
record is listed when it is live and its publication time has come (a
scheduled item appears at its time with no job to run); a withdrawn record
keeps its page but leaves listings and feeds; a removed one answers 410.

These functions own ``select_related`` / ``prefetch_related``: no template
triggers a query per row. Counts are capped (FACTS.md: an exact count of a
common term's matches over a million rows takes seconds).
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.paginator import EmptyPage, Page, Paginator
from django.db import connections
from django.db.models import BooleanField, Count, Expression, F, Q, QuerySet
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.functional import cached_property

from catalog.models import CatalogArea, Department
from disclosure.models import Attachment, ChangeNote, PublicRecord
from disclosure.reference import reference, with_reference
from disclosure.search import SearchQuery, TokensMatch

Status = PublicRecord.Status

#: Columns a listing never shows.
LIST_DEFERRED = ("body", "title_tokens", "search_tokens", "status_reason")


def count_cap() -> int:
    """Counts above this are shown as "more than …"."""
    return int(getattr(settings, "PORTAL_LIST_COUNT_CAP", 10_000))


def search_count_cap() -> int:
    """Searches count their matches up to this many (10 pages of 20), and
    count their facets over them: a common phrase's exact count over a large
    archive costs seconds (each candidate row's token vector is rechecked)."""
    return int(getattr(settings, "PORTAL_SEARCH_COUNT_CAP", 200))


def facet_sample_size() -> int:
    """Facet counts are exact up to this many matches; above, they are
    counted over the newest this-many matches and shown as lower bounds."""
    return int(getattr(settings, "PORTAL_FACET_SAMPLE", 2_000))


# --- records ----------------------------------------------------------------------


def visible_records(now: datetime.datetime | None = None) -> QuerySet:
    """Records in listings, feeds, the sitemap and the API list."""
    return PublicRecord.objects.filter(
        status=Status.LIVE, published_at__lte=now or timezone.now()
    )


def listing_records(now: datetime.datetime | None = None) -> QuerySet:
    """Visible records with their catalog rows (department, topic, document
    type, catalog entry) from :func:`reference.reference`, not joined."""
    return with_reference(visible_records(now).defer(*LIST_DEFERRED))


def with_body(queryset: QuerySet) -> QuerySet:
    """A listing that also loads the body (feeds, search excerpts, API)."""
    return queryset.defer(None).defer("title_tokens", "search_tokens")


def latest_records(limit: int = 10) -> list[PublicRecord]:
    return list(listing_records()[:limit])


def entry_records(entry) -> QuerySet:
    return listing_records().filter(catalog_entry=entry)


def record_for_page(pk: int, now: datetime.datetime | None = None):
    """The record for its page, with its published attachments and change
    notes; ``None`` if there is none or it is not published yet. A removed or
    withdrawn record is returned: the page says so."""
    now = now or timezone.now()
    record = (
        with_reference(PublicRecord.objects.filter(pk=pk, published_at__lte=now))
        .defer("title_tokens", "search_tokens")
        .first()
    )
    if record is None or record.status == Status.REMOVED:
        return record
    record.published_attachments = list(
        Attachment.objects.filter(item_id=record.pk, is_published=True)
    )
    record.notes = list(ChangeNote.objects.filter(record_id=record.pk))
    return record


def attach_attachments(records) -> None:
    """Set ``published_attachments`` on each record, in one query."""
    by_item = defaultdict(list)
    ids = [record.pk for record in records]
    for attachment in Attachment.objects.filter(item_id__in=ids, is_published=True):
        by_item[attachment.item_id].append(attachment)
    for record in records:
        record.published_attachments = by_item.get(record.pk, [])


def published_attachment(pk: int, token: str, now: datetime.datetime | None = None):
    """A published attachment of a record whose page is visible, or None."""
    return (
        Attachment.objects.filter(
            item_id=pk,
            token=token,
            is_published=True,
            item__public_record__status__in=[Status.LIVE, Status.WITHDRAWN],
            item__public_record__published_at__lte=now or timezone.now(),
        )
        .only("pk", "file", "original_name", "content_type", "size", "sha256")
        .first()
    )


def next_scheduled_publication(now: datetime.datetime) -> datetime.datetime | None:
    return (
        PublicRecord.objects.filter(status=Status.LIVE, published_at__gt=now)
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
    )


def sitemap_records() -> QuerySet:
    return visible_records().only("item_id", "updated_at").order_by("-item_id")


# --- search ranking and pagination ---------------------------------------------------


def capped_count(queryset: QuerySet, cap: int) -> int:
    """``min(count, cap + 1)``: stops counting after ``cap + 1`` rows."""
    return queryset.order_by().values("pk")[: cap + 1].count()


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


class TieredResults:
    """Search matches ranked in tiers that an index serves: title matches
    newest first, then the other matches newest first. Sliceable and countable
    (capped), for :class:`CappedPaginator`. ``base``: the filtered records,
    before the search."""

    def __init__(self, base: QuerySet, query: SearchQuery):
        self.base = base
        self.query = query
        in_title = TokensMatch("title_tokens", query)
        self.matches = matching(base, query)
        # A title match is a match: its tokens are part of the search tokens.
        self.title_matches = base.filter(in_title)
        self.other_matches = self.matches.exclude(in_title)
        # Per tier: all its matches, and the same check without an index for
        # the newest rows (PostgreSQL: RecentWindow), or None.
        self.tiers = {
            "title": (self.title_matches, None),
            "other": (self.other_matches, None),
        }
        self.window = None
        if connections[base.db].vendor == "postgresql":
            self.window = RecentWindow(base)
            unindexed = TokensMatch("title_tokens", query, indexed=False)
            self.recent_matches = matching(base, query, indexed=False)
            self.tiers = {
                "title": (self.title_matches, base.filter(unindexed)),
                "other": (self.other_matches, self.recent_matches.exclude(unindexed)),
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
        in_title = self._count("title", stop)
        rows = []
        if start < in_title:
            rows += self._newest("title", start, min(stop, in_title))
        if stop > in_title:
            rows += self._newest("other", max(0, start - in_title), stop - in_title)
        return rows

    def __iter__(self):
        yield from self.title_matches.iterator(chunk_size=500)
        yield from self.other_matches.iterator(chunk_size=500)


def ranked(base: QuerySet, query: SearchQuery | None, *, body: bool = True):
    """The filtered records (``base``, before the search) in display order:
    tiers for a search, newest first otherwise. ``body``: load the body, for
    search excerpts."""
    if not query:
        return base
    return TieredResults(with_body(base) if body else base, query)


def list_max_page() -> int:
    """The deepest page of a listing whose count is capped (deeper: narrow the
    filters). Each page costs about the same up to here: the page's keys are
    read from an index first, then its rows."""
    return int(getattr(settings, "PORTAL_LIST_MAX_PAGE", 2_500))


#: From this offset on, a page's keys are read first (an index-only scan),
#: then its rows, instead of joining every skipped row.
KEYS_FIRST_OFFSET = 200


class CappedPage(Page):
    """A page that knows whether another follows without an exact count."""

    def __init__(self, object_list, number, paginator, more: bool):
        super().__init__(object_list, number, paginator)
        self.more = more

    def has_next(self):
        return self.more


class CappedPaginator(Paginator):
    """A paginator whose count stops at :func:`count_cap`. When the count
    reaches the cap, pages go on past it to :func:`list_max_page` as long as
    rows remain (``num_pages`` is then the pages counted so far, and
    ``count_capped`` says so)."""

    count_capped = False

    @cached_property
    def count(self):
        if isinstance(self.object_list, QuerySet):
            cap = count_cap()
            total = capped_count(self.object_list, cap)
        else:  # search results
            cap = search_count_cap()
            total = self.object_list.count()
        self.count_capped = total > cap
        return min(total, cap)

    @property
    def max_page(self) -> int:
        """The deepest page that may have rows."""
        if self.count and self.count_capped and isinstance(self.object_list, QuerySet):
            return max(self.num_pages, list_max_page())
        return self.num_pages

    def validate_number(self, number):
        """Django's, with :attr:`max_page` as the last page."""
        try:
            return super().validate_number(number)
        except EmptyPage:
            number = int(number)  # an integer: Django's checks passed that far
            if 1 <= number <= self.max_page:
                return number
            raise

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = self._rows(bottom, bottom + self.per_page + 1)
        if not rows and number > 1:
            raise EmptyPage(self.error_messages["no_results"])
        # Another page follows if a row does and the page may be shown (a
        # search stops at its count cap even when more rows match).
        more = len(rows) > self.per_page and number < self.max_page
        return CappedPage(rows[: self.per_page], number, self, more)

    def get_page(self, number):
        """A page that exists: the first for a bad number, the last counted
        one past the rows (as Django's ``get_page``)."""
        try:
            return super().get_page(number)
        except EmptyPage:
            return self.page(self.num_pages)

    def _rows(self, start: int, stop: int) -> list:
        rows = self.object_list
        if not isinstance(rows, QuerySet) or start < KEYS_FIRST_OFFSET:
            return list(rows[start:stop])
        keys = list(rows.values_list("pk", flat=True)[start:stop])
        by_key = rows.filter(pk__in=keys).order_by().in_bulk()
        return [by_key[key] for key in keys if key in by_key]


# --- facets ---------------------------------------------------------------------------


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    active: bool = False


@dataclass
class Facets:
    departments: list[FacetValue] = field(default_factory=list)
    topics: list[FacetValue] = field(default_factory=list)
    document_types: list[FacetValue] = field(default_factory=list)
    years: list[FacetValue] = field(default_factory=list)
    #: Counted over a sample of the newest matches only: counts are lower bounds.
    partial: bool = False

    def __bool__(self):
        return bool(self.departments or self.topics or self.document_types)


def facet_counts(results, *, active: dict | None = None) -> Facets:
    """Counts per department, topic, document type and year of ``results``
    (what :func:`ranked` returned): exact up to a sample size, over the newest
    that many matches above (then shown as lower bounds). ``active`` holds the
    filter values in use (the filter form's cleaned data)."""
    active = active or {}
    if isinstance(results, TieredResults):
        rows, size = results.sample, search_count_cap()
        tally = _tally_rows(rows)
    else:  # no search: the newest rows, through the date index
        size = facet_sample_size()
        tally = _tally_in_database(results, size)
    by_department, by_topic, by_type, by_year, sampled = tally
    facets = Facets(partial=sampled > size)
    ref = reference()

    rolled = Counter()
    for pk, n in by_department.items():
        department = ref.departments.get(pk)
        if department is None:
            continue
        if department.kind == Department.Kind.OFFICE and department.parent_id:
            rolled[department.parent_id] += n  # offices count with their department
        rolled[pk] += n
    selected = active.get("department")
    facets.departments = [
        FacetValue(d.code, d.name, rolled[pk], bool(selected and selected.pk == pk))
        for pk, d in ref.departments.items()
        if rolled[pk]
    ]

    topics = ref.topics
    selected = active.get("topic")
    counts = Counter()
    for pk, n in by_topic.items():
        topic = topics.get(pk)
        if topic is None:
            continue
        counts[pk] += n
        if topic.parent_id:
            counts[topic.parent_id] += n
    if selected is None:
        shown = [t for t in topics.values() if t.parent_id is None]
    elif selected.parent_id is None:
        shown = [selected] + [t for t in topics.values() if t.parent_id == selected.pk]
    else:
        shown = [selected]
    facets.topics = [
        FacetValue(
            t.code,
            t.name,
            counts[t.pk],
            bool(selected and selected.pk == t.pk),
        )
        for t in shown
        if counts[t.pk]
    ]

    selected = active.get("type")
    facets.document_types = [
        FacetValue(
            t.code, t.name, by_type[t.pk], bool(selected and selected.pk == t.pk)
        )
        for t in ref.document_types.values()
        if by_type[t.pk]
    ]
    selected = active.get("year")
    facets.years = [
        FacetValue(str(year), str(year), n, selected == year)
        for year, n in sorted(by_year.items(), reverse=True)
    ]
    return facets


def _tally_rows(rows) -> tuple:
    """Counts per department, topic, type and year of rows of
    :data:`FACET_COLUMNS`, and the number of rows."""
    return (
        Counter(row[0] for row in rows),
        Counter(row[1] for row in rows),
        Counter(row[2] for row in rows if row[2] is not None),
        Counter(timezone.localtime(row[3]).year for row in rows),
        len(rows),
    )


def _tally_in_database(queryset: QuerySet, size: int) -> tuple:
    """:func:`_tally_rows` of the newest ``size + 1`` rows of ``queryset``,
    grouped by the database: one statement over an index-only scan, a row per
    combination of department, topic, type and year back (about a hundred)
    instead of ``size`` rows (the years in the site's time zone, as Django
    extracts them)."""
    sample = (
        queryset.annotate(facet_year=ExtractYear("published_at"))
        .values_list("department_id", "topic_id", "document_type_id", "facet_year")
        .order_by("-published_at", "-item_id")[: size + 1]
    )
    connection = connections[sample.db]
    inner, params = sample.query.get_compiler(connection=connection).as_sql()
    sql = (
        f"WITH sample (d, t, k, y) AS ({inner}) "  # noqa: S608 - the ORM compiled it
        "SELECT d, t, k, y, COUNT(*) FROM sample GROUP BY d, t, k, y"
    )
    tallies = (Counter(), Counter(), Counter(), Counter())
    rows = 0
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for *values, count in cursor.fetchall():
            rows += count
            for tally, value in zip(tallies, values, strict=True):
                if value is not None:
                    tally[int(value)] += count
    return (*tallies, rows)


# --- the home page -------------------------------------------------------------------


def home_areas() -> QuerySet:
    """Catalog areas with their number of active entries, for the home page."""
    return CatalogArea.objects.annotate(
        entry_count=Count("entries", filter=Q(entries__is_active=True))
    ).filter(entry_count__gt=0)
