"""Catalog entries left empty: periodic entries with no item reporting on one
of their periods once its due date has passed (the 报告期 an item records, or
by default the last period that ended before it was formed), and the others
with none formed in the period (a softer signal). Definitions in
``timeliness.py``."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.utils.translation import gettext as _

from catalog import workdays
from catalog.models import CatalogEntry
from catalog.selectors import work_calendar
from disclosure.deadlines import (
    last_complete_period,
    period_end,
    reporting_period_end,
)
from disclosure.models import Item

from .periods import ONE_DAY, Period

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
    reported: dict[int, set[datetime.date]] = defaultdict(set)
    by_id = {entry.pk: entry for entry in periodic}
    for entry_id, formed_on, year, number in (
        Item.objects.exclude(state__in=[Item.State.REMOVED, Item.State.DISCARDED])
        .filter(
            catalog_entry__in=entries,
            formed_on__gte=earliest,
            formed_on__lte=max(period.end, today),
        )
        .values_list("catalog_entry_id", "formed_on", "report_year", "report_period")
    ):
        if formed_on <= period.end:
            formed[entry_id].append(formed_on)
        entry = by_id.get(entry_id)
        if entry is not None:
            reported[entry_id].add(_reported_end(entry, formed_on, year, number))
    calendar = work_calendar()
    gaps = []
    for entry in periodic:
        for start, end in cycles(entry.period, period.start, period.end):
            due = workdays.add_working_days(end, entry.time_limit_days or 0, calendar)
            if due.due >= today:
                continue
            if end not in reported[entry.pk]:
                gaps.append(CatalogGap(entry, start, end))
    quiet_until = min(period.end, today)
    quiet = [
        entry
        for entry in entries
        if entry not in periodic
        and not any(period.start <= day <= quiet_until for day in formed[entry.pk])
    ]
    return CatalogGaps(gaps, quiet)


def _reported_end(entry, formed_on, year, number) -> datetime.date:
    """The end of the period an item of a periodic ``entry`` reports on."""
    if year:
        try:
            return reporting_period_end(entry.period, year, number)
        except ValueError:
            pass
    year, number = last_complete_period(formed_on, entry.period)
    return reporting_period_end(entry.period, year, number)
