"""Oversight measurements: timeliness across departments, the items published
in a period and those still open, withdrawals. The neighbouring modules
(``catalog_gaps``, ``statistics``, ``drilldown``) measure with the same
definitions, below.

Selectors in the style of the ``selectors`` modules: each reads the rows it needs in a
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
  signal (such information is formed when there is something to publish)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Q

from catalog import workdays
from catalog.models import CatalogEntry, Department
from disclosure.models import AuditEntry, Item, PublicRecord

from .periods import Period, local_date, median_display, percent

DUE_SOON_WORKING_DAYS = 5


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
        .filter(status__in=[PublicRecord.Status.LIVE, PublicRecord.Status.WITHDRAWN])
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
