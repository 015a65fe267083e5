"""The counts beside a listing: per department, topic, document type and
year, exact up to a sample size."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db import connections
from django.db.models import QuerySet
from django.db.models.functions import ExtractYear
from django.utils import timezone

from catalog.models import Department
from disclosure.reference import reference

from .results import TieredResults
from .selectors import facet_sample_size, search_count_cap

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
            t.label,
            counts[t.pk],
            bool(selected and selected.pk == t.pk),
        )
        for t in shown
        if counts[t.pk]
    ]

    selected = active.get("type")
    facets.document_types = [
        FacetValue(
            t.code, t.label, by_type[t.pk], bool(selected and selected.pk == t.pk)
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
