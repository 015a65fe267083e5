"""The date by which an item must be public, from its catalog entry's time
limit and its 成文日期, through the working-day calendar."""

import datetime

from catalog import workdays
from catalog.models import CatalogEntry

_PERIOD_MONTHS = {
    CatalogEntry.Period.MONTHLY: 1,
    CatalogEntry.Period.QUARTERLY: 3,
    CatalogEntry.Period.HALF_YEARLY: 6,
    CatalogEntry.Period.YEARLY: 12,
}


def period_end(day: datetime.date, period: str) -> datetime.date:
    """The last day of the month, quarter, half-year or year containing day."""
    months = _PERIOD_MONTHS[period]
    last_month = ((day.month - 1) // months + 1) * months
    if last_month == 12:
        return datetime.date(day.year, 12, 31)
    return datetime.date(day.year, last_month + 1, 1) - datetime.timedelta(days=1)


def due_date(
    entry: CatalogEntry | None,
    formed_on: datetime.date | None,
    calendar: workdays.WorkCalendar,
) -> workdays.Deadline | None:
    """The deadline for an item fulfilling ``entry`` formed on ``formed_on``.

    - N working days after formation: counted from 成文日期 (Art. 26).
    - Periodic: N working days after the end of the period containing 成文日期.
    - Real time: the first working day after formation.
    - Standing information, or no entry: no deadline.
    """
    if entry is None or formed_on is None:
        return None
    kinds = CatalogEntry.TimeLimitKind
    if entry.time_limit_kind == kinds.WORKING_DAYS and entry.time_limit_days:
        return workdays.add_working_days(formed_on, entry.time_limit_days, calendar)
    if (
        entry.time_limit_kind == kinds.PERIODIC
        and entry.time_limit_days
        and entry.period
    ):
        return workdays.add_working_days(
            period_end(formed_on, entry.period), entry.time_limit_days, calendar
        )
    if entry.time_limit_kind == kinds.REALTIME:
        return workdays.add_working_days(formed_on, 1, calendar)
    return None
