"""Oversight measurements: timeliness across departments, statistics of what
was published, catalog entries left empty, withdrawals.

Selectors in the style of ``selectors.py``: each reads the rows it needs in a
fixed number of queries (no query per row) and computes in Python; the
period, ``today`` and ``now`` come in as arguments, so the numbers of a past
quarter do not change with the clock.

Definitions (the tests recompute them from the items, DOMAIN.md "监督"):

- *Published in a period*: the item's public record is not removed as
  published in error (错发), its publication time has come (``published_at <=
  now``) and the local date of its first publication falls in the period.
  Withdrawn items (撤销) were published and count.
- *With a deadline*: the item has an ``Item.due_on``; the workflow then set
  ``Item.late_working_days`` on first publication. *On time*: 0 working days
  late. The on-time rate is on time / with a deadline.
- *Working days to publish*: ``working_days_between(formed_on, local date of
  first publication)`` over the work calendar (成文日期 as published).
- *Unpublished on day D*: never published, or first published (or scheduled)
  after D. *Overdue on D*: ``due_on < D`` and unpublished on D. *Due soon on
  D*: ``D <= due_on <= add_working_days(D, 5)`` and unpublished on D.
- *Catalog entry left empty*: a periodic entry (monthly, quarterly,
  half-yearly, yearly) with no item (other than one removed as 错发) formed in
  one of its periods that has ended; entries with a working-day or real-time
  limit with no item formed in the period are listed apart, as a softer
  signal (such information is formed when there is something to publish).
"""

from __future__ import annotations

import datetime
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalog import workdays
from catalog.models import (
    CatalogEntry,
    Channel,
    Department,
    DocumentType,
    TopicCategory,
)
from disclosure.deadlines import period_end
from disclosure.models import AuditEntry, Item, PublicRecord

DUE_SOON_WORKING_DAYS = 5

# --- periods ----------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """A closed range of dates ``start``..``end`` with its name."""

    start: datetime.date
    end: datetime.date
    kind: str = "custom"
    label: str = ""

    def __post_init__(self):
        if self.end < self.start:
            raise ValueError("period ends before it starts")
        if not self.label:
            object.__setattr__(
                self,
                "label",
                _("%(start)s至%(end)s")
                % {"start": date_zh(self.start), "end": date_zh(self.end)},
            )

    @property
    def params(self) -> dict:
        return {"start": self.start.isoformat(), "end": self.end.isoformat()}

    def contains(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end

    def bounds(self) -> tuple[datetime.datetime, datetime.datetime]:
        """Aware datetimes: the start of the first day and of the day after
        the last, in the portal's time zone."""
        start = timezone.make_aware(datetime.datetime.combine(self.start, _MIDNIGHT))
        end = timezone.make_aware(
            datetime.datetime.combine(self.end + ONE_DAY, _MIDNIGHT)
        )
        return start, end


_MIDNIGHT = datetime.time(0, 0)
ONE_DAY = datetime.timedelta(days=1)


def date_zh(day: datetime.date) -> str:
    return _("%(y)s年%(m)s月%(d)s日") % {"y": day.year, "m": day.month, "d": day.day}


def year_period(year: int) -> Period:
    return Period(
        datetime.date(year, 1, 1),
        datetime.date(year, 12, 31),
        "year",
        _("%(year)s年") % {"year": year},
    )


def quarter_period(year: int, quarter: int) -> Period:
    if not 1 <= quarter <= 4:
        raise ValueError("quarter is 1 to 4")
    start = datetime.date(year, 3 * quarter - 2, 1)
    return Period(
        start,
        period_end(start, CatalogEntry.Period.QUARTERLY),
        "quarter",
        _("%(year)s年第%(quarter)s季度") % {"year": year, "quarter": quarter},
    )


def month_period(year: int, month: int) -> Period:
    start = datetime.date(year, month, 1)
    return Period(
        start,
        period_end(start, CatalogEntry.Period.MONTHLY),
        "month",
        _("%(year)s年%(month)s月") % {"year": year, "month": month},
    )


def quarter_of(day: datetime.date) -> int:
    return (day.month - 1) // 3 + 1


def local_date(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date()


def percent(part: int, whole: int) -> str:
    """A rate as shown everywhere: one decimal and a per cent sign; a dash
    when there is nothing to divide by."""
    if not whole:
        return "—"
    return f"{100 * part / whole:.1f}%"


def median_display(values: list[int]) -> str:
    if not values:
        return "—"
    value = statistics.median(values)
    return f"{value:g}"


# --- published items ---------------------------------------------------------------


@dataclass(frozen=True)
class PublishedRow:
    item_id: int
    title: str
    department_id: int
    topic_id: int
    top_topic_id: int
    document_type_id: int | None
    catalog_entry_id: int | None
    formed_on: datetime.date
    published_on: datetime.date
    due_on: datetime.date | None
    late_working_days: int | None
    status: str

    @property
    def has_deadline(self) -> bool:
        return self.due_on is not None and self.late_working_days is not None

    @property
    def on_time(self) -> bool:
        return self.has_deadline and self.late_working_days == 0

    @property
    def late(self) -> bool:
        return self.has_deadline and self.late_working_days > 0


def published_rows(period: Period, *, now: datetime.datetime) -> list[PublishedRow]:
    """Items first published in the period (see the module's definitions),
    in one query."""
    start, end = period.bounds()
    rows = (
        PublicRecord.objects.filter(
            published_at__gte=start, published_at__lt=end, published_at__lte=now
        )
        .exclude(status=PublicRecord.Status.REMOVED)
        .order_by("published_at", "item_id")
        .values_list(
            "item_id",
            "title",
            "department_id",
            "topic_id",
            "topic__parent_id",
            "document_type_id",
            "catalog_entry_id",
            "formed_on",
            "published_at",
            "item__due_on",
            "item__late_working_days",
            "status",
        )
    )
    return [
        PublishedRow(
            item_id=item_id,
            title=title,
            department_id=department_id,
            topic_id=topic_id,
            top_topic_id=parent_id or topic_id,
            document_type_id=document_type_id,
            catalog_entry_id=entry_id,
            formed_on=formed_on,
            published_on=local_date(published_at),
            due_on=due_on,
            late_working_days=late,
            status=status,
        )
        for (
            item_id,
            title,
            department_id,
            topic_id,
            parent_id,
            document_type_id,
            entry_id,
            formed_on,
            published_at,
            due_on,
            late,
            status,
        ) in rows
    ]


@dataclass(frozen=True)
class OpenRow:
    """An item with a deadline not yet published on the day asked about."""

    item_id: int
    department_id: int
    due_on: datetime.date


def open_rows(as_of: datetime.date) -> list[OpenRow]:
    """Items with a due date that were not published on ``as_of`` (see
    *unpublished on day D*)."""
    _start, day_after = Period(as_of, as_of).bounds()
    rows = (
        Item.objects.filter(due_on__isnull=False)
        .filter(
            Q(first_published_at__isnull=True) | Q(first_published_at__gte=day_after)
        )
        .order_by("due_on", "pk")
        .values_list("pk", "department_id", "due_on")
    )
    return [OpenRow(*row) for row in rows]


def due_soon_limit(today: datetime.date, calendar: workdays.WorkCalendar):
    return workdays.add_working_days(today, DUE_SOON_WORKING_DAYS, calendar).due


def overdue(rows: list[OpenRow], as_of: datetime.date) -> list[OpenRow]:
    return [row for row in rows if row.due_on < as_of]


def due_soon(
    rows: list[OpenRow], today: datetime.date, calendar: workdays.WorkCalendar
) -> list[OpenRow]:
    limit = due_soon_limit(today, calendar)
    return [row for row in rows if today <= row.due_on <= limit]


# --- timeliness per department -----------------------------------------------------


@dataclass
class Timeliness:
    """Timeliness figures of one department (or all of them) for a period."""

    department: Department | None
    published: list[int] = field(default_factory=list)
    with_deadline: list[int] = field(default_factory=list)
    on_time: list[int] = field(default_factory=list)
    late: list[int] = field(default_factory=list)
    days_to_publish: list[int] = field(default_factory=list)
    overdue: list[int] = field(default_factory=list)
    due_soon: list[int] = field(default_factory=list)

    @property
    def on_time_rate(self) -> str:
        return percent(len(self.on_time), len(self.with_deadline))

    @property
    def on_time_ratio(self) -> float | None:
        if not self.with_deadline:
            return None
        return len(self.on_time) / len(self.with_deadline)

    @property
    def median_days(self) -> str:
        return median_display(self.days_to_publish)

    def add(self, row: PublishedRow, calendar) -> None:
        self.published.append(row.item_id)
        if row.has_deadline:
            self.with_deadline.append(row.item_id)
            (self.on_time if row.on_time else self.late).append(row.item_id)
        self.days_to_publish.append(
            workdays.working_days_between(row.formed_on, row.published_on, calendar)
        )


@dataclass
class TimelinessReport:
    period: Period
    today: datetime.date
    as_of: datetime.date
    departments: list[Timeliness]
    total: Timeliness
    rows: list[PublishedRow]


def timeliness(
    period: Period,
    *,
    today: datetime.date,
    now: datetime.datetime,
    calendar: workdays.WorkCalendar,
    as_of: datetime.date | None = None,
) -> TimelinessReport:
    """Per department: published, on-time rate, median working days from 成文
    to publication (in the period); overdue and due within five working days
    (on ``as_of``, by default today)."""
    as_of = as_of or today
    rows = published_rows(period, now=now)
    pending = open_rows(as_of)
    by_department: dict[int, Timeliness] = {}
    total = Timeliness(None)

    def figures(department_id):
        if department_id not in by_department:
            by_department[department_id] = Timeliness(None)
        return by_department[department_id]

    for row in rows:
        figures(row.department_id).add(row, calendar)
        total.add(row, calendar)
    for row in overdue(pending, as_of):
        figures(row.department_id).overdue.append(row.item_id)
        total.overdue.append(row.item_id)
    if as_of == today:
        for row in due_soon(pending, today, calendar):
            figures(row.department_id).due_soon.append(row.item_id)
            total.due_soon.append(row.item_id)
    responsible = set(
        CatalogEntry.objects.filter(is_active=True).values_list(
            "responsible_department_id", flat=True
        )
    )
    departments = Department.objects.filter(
        pk__in=responsible | set(by_department)
    ).order_by("order", "code")
    result = []
    for department in departments:
        department_figures = by_department.get(department.pk) or Timeliness(None)
        department_figures.department = department
        result.append(department_figures)
    return TimelinessReport(period, today, as_of, result, total, rows)


def ranked(report: TimelinessReport) -> list[Timeliness]:
    """Departments for a bulletin: highest on-time rate first (departments
    with nothing due come last), then fewer overdue, then more published."""

    def key(figures: Timeliness):
        ratio = figures.on_time_ratio
        return (
            ratio is None,
            -(ratio or 0),
            len(figures.overdue),
            -len(figures.published),
            figures.department.order,
            figures.department.code,
        )

    return sorted(report.departments, key=key)


# --- catalog entries left empty --------------------------------------------------------


@dataclass(frozen=True)
class CatalogGap:
    entry: CatalogEntry
    start: datetime.date
    end: datetime.date

    @property
    def label(self) -> str:
        return _("%(start)s至%(end)s") % {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
        }


def cycles(
    kind: str, start: datetime.date, end: datetime.date
) -> list[tuple[datetime.date, datetime.date]]:
    """The periods of a periodic entry (month, quarter, …) that overlap
    ``start``..``end``."""
    result = []
    months = {"monthly": 1, "quarterly": 3, "half_yearly": 6, "yearly": 12}[kind]
    month = ((start.month - 1) // months) * months + 1
    cycle_start = datetime.date(start.year, month, 1)
    while cycle_start <= end:
        cycle_end = period_end(cycle_start, kind)
        result.append((cycle_start, cycle_end))
        cycle_start = cycle_end + ONE_DAY
    return result


@dataclass
class CatalogGaps:
    periodic: list[CatalogGap]
    quiet: list[CatalogEntry]


def catalog_gaps(period: Period, *, today: datetime.date) -> CatalogGaps:
    """Periodic entries with a period that has ended and no item formed in it;
    working-day and real-time entries with no item formed in the period."""
    entries = list(
        CatalogEntry.objects.filter(is_active=True)
        .exclude(time_limit_kind=CatalogEntry.TimeLimitKind.STANDING)
        .select_related("area", "responsible_department")
    )
    periodic = [
        e
        for e in entries
        if e.time_limit_kind == CatalogEntry.TimeLimitKind.PERIODIC and e.period
    ]
    earliest = min(
        [cycles(e.period, period.start, period.end)[0][0] for e in periodic]
        + [period.start]
    )
    formed: dict[int, list[datetime.date]] = defaultdict(list)
    for entry_id, formed_on in (
        Item.objects.exclude(state=Item.State.REMOVED)
        .filter(
            catalog_entry__in=entries,
            formed_on__gte=earliest,
            formed_on__lte=period.end,
        )
        .values_list("catalog_entry_id", "formed_on")
    ):
        formed[entry_id].append(formed_on)
    gaps = []
    for entry in periodic:
        for start, end in cycles(entry.period, period.start, period.end):
            if end >= today:
                continue
            if not any(start <= day <= end for day in formed[entry.pk]):
                gaps.append(CatalogGap(entry, start, end))
    quiet_until = min(period.end, today)
    quiet = [
        entry
        for entry in entries
        if entry not in periodic
        and not any(period.start <= day <= quiet_until for day in formed[entry.pk])
    ]
    return CatalogGaps(gaps, quiet)


# --- statistics -------------------------------------------------------------------------

DIMENSIONS = {
    "department": gettext_lazy("部门"),
    "topic": gettext_lazy("主题分类（一级）"),
    "entry": gettext_lazy("公开事项"),
    "document_type": gettext_lazy("体裁"),
    "channel": gettext_lazy("公开渠道"),
}
BUCKETS = {
    "month": gettext_lazy("按月"),
    "quarter": gettext_lazy("按季度"),
    "year": gettext_lazy("按年"),
}
NONE_KEY = "none"


def bucket_of(day: datetime.date, bucket: str) -> str:
    if bucket == "month":
        return f"{day.year}-{day.month:02d}"
    if bucket == "quarter":
        return f"{day.year}-Q{quarter_of(day)}"
    return str(day.year)


def bucket_label(key: str, bucket: str) -> str:
    if bucket == "month":
        year, month = key.split("-")
        return _("%(year)s年%(month)s月") % {"year": year, "month": int(month)}
    if bucket == "quarter":
        year, quarter = key.split("-Q")
        return _("%(year)s年第%(quarter)s季度") % {"year": year, "quarter": quarter}
    return _("%(year)s年") % {"year": key}


def buckets_in(period: Period, bucket: str) -> list[tuple[str, Period]]:
    kind = {"month": "monthly", "quarter": "quarterly", "year": "yearly"}[bucket]
    result = []
    for start, end in cycles(kind, period.start, period.end):
        key = bucket_of(start, bucket)
        result.append(
            (key, Period(max(start, period.start), min(end, period.end), bucket))
        )
    return result


@dataclass
class StatisticsRow:
    key: str
    label: str
    counts: list[int]
    total: int


@dataclass
class StatisticsTable:
    period: Period
    dimension: str
    bucket: str
    buckets: list[tuple[str, str, Period]]
    rows: list[StatisticsRow]
    column_totals: list[int]
    total: int
    items: int

    @property
    def dimension_label(self) -> str:
        return DIMENSIONS[self.dimension]


def _dimension_keys(rows, dimension) -> tuple[dict[int, list[str]], dict[str, str]]:
    """For each published row, the keys it counts under, and the label of
    every key (one query)."""
    labels: dict[str, str] = {}
    keys: dict[int, list[str]] = {}
    if dimension == "department":
        ids = {r.department_id for r in rows}
        for pk, name in Department.objects.filter(pk__in=ids).values_list("pk", "name"):
            labels[str(pk)] = name
        keys = {r.item_id: [str(r.department_id)] for r in rows}
    elif dimension == "topic":
        ids = {r.top_topic_id for r in rows}
        for pk, name in TopicCategory.objects.filter(pk__in=ids).values_list(
            "pk", "name"
        ):
            labels[str(pk)] = name
        keys = {r.item_id: [str(r.top_topic_id)] for r in rows}
    elif dimension == "entry":
        ids = {r.catalog_entry_id for r in rows} - {None}
        for entry in CatalogEntry.objects.filter(pk__in=ids).select_related("area"):
            labels[str(entry.pk)] = f"{entry.area.name} · {entry}"
        labels[NONE_KEY] = _("未关联公开事项")
        keys = {r.item_id: [str(r.catalog_entry_id or NONE_KEY)] for r in rows}
    elif dimension == "document_type":
        ids = {r.document_type_id for r in rows} - {None}
        for pk, name in DocumentType.objects.filter(pk__in=ids).values_list(
            "pk", "name"
        ):
            labels[str(pk)] = name
        labels[NONE_KEY] = _("未标注体裁")
        keys = {r.item_id: [str(r.document_type_id or NONE_KEY)] for r in rows}
    elif dimension == "channel":
        ids = {r.catalog_entry_id for r in rows} - {None}
        channels: dict[int, list[str]] = defaultdict(list)
        for entry_id, channel_id, name in CatalogEntry.channels.through.objects.filter(
            catalogentry_id__in=ids
        ).values_list("catalogentry_id", "channel_id", "channel__name"):
            channels[entry_id].append(str(channel_id))
            labels[str(channel_id)] = name
        labels[NONE_KEY] = _("未关联公开事项")
        keys = {r.item_id: channels.get(r.catalog_entry_id) or [NONE_KEY] for r in rows}
    else:
        raise ValueError(f"unknown dimension {dimension!r}")
    return keys, labels


def statistics_table(
    period: Period, dimension: str, bucket: str, *, now: datetime.datetime
) -> StatisticsTable:
    """Counts of items published in the period, by one dimension and per
    month, quarter or year. By channel, an item counts once under each
    channel of its catalog entry."""
    if bucket not in BUCKETS:
        raise ValueError(f"unknown bucket {bucket!r}")
    rows = published_rows(period, now=now)
    keys, labels = _dimension_keys(rows, dimension)
    buckets = [
        (key, bucket_label(key, bucket), sub) for key, sub in buckets_in(period, bucket)
    ]
    position = {key: index for index, (key, _label, _sub) in enumerate(buckets)}
    counts: dict[str, list[int]] = defaultdict(lambda: [0] * len(buckets))
    for row in rows:
        column = position[bucket_of(row.published_on, bucket)]
        for key in keys[row.item_id]:
            counts[key][column] += 1
    table_rows = [
        StatisticsRow(key, labels.get(key, key), values, sum(values))
        for key, values in counts.items()
    ]
    table_rows.sort(key=lambda r: (-r.total, r.key == NONE_KEY, r.label))
    column_totals = [sum(r.counts[i] for r in table_rows) for i in range(len(buckets))]
    return StatisticsTable(
        period,
        dimension,
        bucket,
        buckets,
        table_rows,
        column_totals,
        sum(column_totals),
        len(rows),
    )


# --- withdrawals and worst delays --------------------------------------------------------


@dataclass(frozen=True)
class Withdrawal:
    item_id: int
    title: str
    department: str
    action: str
    action_label: str
    at: datetime.datetime
    reason: str


def withdrawals(period: Period) -> list[Withdrawal]:
    """Withdrawals (撤销) and removals (删除，错发) made in the period, with
    their reasons, from the audit trail."""
    start, end = period.bounds()
    entries = (
        AuditEntry.objects.filter(
            action__in=[AuditEntry.Action.WITHDRAW, AuditEntry.Action.REMOVE],
            at__gte=start,
            at__lt=end,
        )
        .select_related("item__department")
        .order_by("at", "pk")
    )
    return [
        Withdrawal(
            entry.item_id,
            entry.item.title,
            entry.item.department.name,
            entry.action,
            entry.get_action_display(),
            entry.at,
            entry.comment,
        )
        for entry in entries
    ]


def worst_delays(rows: list[PublishedRow], limit: int = 10) -> list[PublishedRow]:
    late = [row for row in rows if row.late]
    late.sort(key=lambda r: (-r.late_working_days, r.published_on, r.item_id))
    return late[:limit]


# --- drill-down ------------------------------------------------------------------------------

METRICS = {
    "published": gettext_lazy("发布的信息"),
    "with_deadline": gettext_lazy("有公开时限的信息"),
    "on_time": gettext_lazy("按时发布的信息"),
    "late": gettext_lazy("逾期发布的信息"),
    "overdue": gettext_lazy("逾期未发布的信息"),
    "due_soon": gettext_lazy("五个工作日内到期的信息"),
    "withdrawn": gettext_lazy("撤销或删除的信息"),
}


def drilldown_url(metric: str, period: Period | None = None, **filters) -> str:
    """The URL of the list of items behind a number."""
    params = {"metric": metric}
    if period is not None:
        params.update(period.params)
    params.update({k: v for k, v in filters.items() if v not in (None, "")})
    return reverse("oversight:items") + "?" + urlencode(params)


def matches(row: PublishedRow, filters: dict, entry_channels: dict) -> bool:
    def same(value, wanted):
        return (str(value) if value is not None else NONE_KEY) == wanted

    checks = {
        "department": lambda v: same(row.department_id, v),
        "topic": lambda v: same(row.top_topic_id, v),
        "entry": lambda v: same(row.catalog_entry_id, v),
        "document_type": lambda v: same(row.document_type_id, v),
        "channel": lambda v: (
            v in entry_channels.get(row.catalog_entry_id, [])
            if v != NONE_KEY
            else not entry_channels.get(row.catalog_entry_id)
        ),
    }
    return all(checks[name](value) for name, value in filters.items())


def drilldown_ids(
    metric: str,
    period: Period,
    filters: dict,
    *,
    today: datetime.date,
    now: datetime.datetime,
    calendar: workdays.WorkCalendar,
    as_of: datetime.date | None = None,
) -> list[int]:
    """The ids of the items behind a number, by the same definitions as the
    numbers themselves."""
    filters = {k: v for k, v in filters.items() if v}
    if metric in ("overdue", "due_soon"):
        as_of = as_of or today
        pending = open_rows(as_of)
        chosen = (
            overdue(pending, as_of)
            if metric == "overdue"
            else due_soon(pending, as_of, calendar)
        )
        department = filters.get("department")
        return [
            row.item_id
            for row in chosen
            if department is None or str(row.department_id) == department
        ]
    if metric == "withdrawn":
        department = filters.get("department")
        ids = []
        for entry in withdrawals(period):
            if entry.item_id not in ids:
                ids.append(entry.item_id)
        if department:
            allowed = set(
                Item.objects.filter(pk__in=ids, department_id=department).values_list(
                    "pk", flat=True
                )
            )
            ids = [pk for pk in ids if pk in allowed]
        return ids
    rows = published_rows(period, now=now)
    entry_channels: dict[int, list[str]] = defaultdict(list)
    if "channel" in filters:
        for entry_id, channel_id in CatalogEntry.channels.through.objects.values_list(
            "catalogentry_id", "channel_id"
        ):
            entry_channels[entry_id].append(str(channel_id))
    test = {
        "published": lambda r: True,
        "with_deadline": lambda r: r.has_deadline,
        "on_time": lambda r: r.on_time,
        "late": lambda r: r.late,
    }[metric]
    return [
        row.item_id
        for row in rows
        if test(row) and matches(row, filters, entry_channels)
    ]


def drilldown_filter_labels(filters: dict) -> list[tuple[str, str]]:
    """Human labels of the filters of a drill-down, for its heading."""
    labels = []
    models_by_filter = {
        "department": (Department, _("部门")),
        "topic": (TopicCategory, _("主题分类")),
        "entry": (CatalogEntry, _("公开事项")),
        "document_type": (DocumentType, _("体裁")),
        "channel": (Channel, _("公开渠道")),
    }
    for name, (model, caption) in models_by_filter.items():
        value = filters.get(name)
        if not value:
            continue
        if value == NONE_KEY:
            labels.append((str(caption), _("未关联")))
            continue
        instance = model.objects.filter(pk=value).first() if value.isdigit() else None
        labels.append((str(caption), str(instance) if instance else value))
    return labels


def items_for(ids: list[int]):
    """The items of a drill-down, in the order given, with what the list
    shows (one query)."""
    items = Item.objects.filter(pk__in=ids).select_related(
        "department", "catalog_entry", "public_record"
    )
    order = {pk: index for index, pk in enumerate(ids)}
    return sorted(items, key=lambda item: order[item.pk])


def channel_counts(rows: list[PublishedRow]) -> Counter:
    """How many of the rows each channel carried (through their entries)."""
    ids = {r.catalog_entry_id for r in rows} - {None}
    channels: dict[int, list[int]] = defaultdict(list)
    for entry_id, channel_id in CatalogEntry.channels.through.objects.filter(
        catalogentry_id__in=ids
    ).values_list("catalogentry_id", "channel_id"):
        channels[entry_id].append(channel_id)
    counts: Counter = Counter()
    for row in rows:
        for channel_id in channels.get(row.catalog_entry_id, []):
            counts[channel_id] += 1
    return counts
