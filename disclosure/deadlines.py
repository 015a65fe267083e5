"""The date by which an item must be public, from its catalog entry's time
limit and the event the law counts from, through the working-day calendar
(DOMAIN.md, "Time limits").

- No catalog entry: Art. 26's 20 working days from 成文日期 (it applies to all
  proactively disclosed information).
- N working days, or N calendar days (预算法 §14), from the event the entry
  names: 成文日期, or the item's 时限起算日期 (批准/批复/变更).
- A fixed date in the year (每年3月31日前): that date in the year after the
  year reported on, or, without a 报告期, in the year of formation.
- Periodic: N working days after the end of the period the item reports on
  (报告期), not the period containing 成文日期.
- Real time: the first working day after formation. Standing: none.
"""

import calendar as month_calendar
import datetime

from django.utils.translation import gettext_lazy as _

from catalog import workdays
from catalog.models import CatalogEntry

#: Art. 26: within 20 working days of the information being formed or changed.
ARTICLE_26_WORKING_DAYS = 20

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


def periods_in_year(period: str) -> int:
    return 12 // _PERIOD_MONTHS[period]


def reporting_period_end(period: str, year: int, number: int | None) -> datetime.date:
    """The last day of period ``number`` (quarter 1-4, month 1-12, half 1-2;
    ignored for a year) of ``year``."""
    months = _PERIOD_MONTHS[period]
    number = 1 if months == 12 else number
    if not number or not 1 <= number <= 12 // months:
        raise ValueError(f"no period {number} of {period}")
    return period_end(datetime.date(year, (number - 1) * months + 1, 1), period)


def last_complete_period(day: datetime.date, period: str) -> tuple[int, int]:
    """``(year, number)`` of the last period that ended before ``day``: the
    editor's default 报告期."""
    months = _PERIOD_MONTHS[period]
    start_month = ((day.month - 1) // months) * months + 1
    previous = datetime.date(day.year, start_month, 1) - datetime.timedelta(days=1)
    return previous.year, (previous.month - 1) // months + 1


def _calendar_days(start: datetime.date, days: int) -> workdays.Deadline:
    return workdays.Deadline(
        start=start,
        working_days=0,
        due=start + datetime.timedelta(days=days),
        holidays_skipped=(),
        adjusted_workdays=(),
        incomplete_years=(),
    )


def _fixed_date(entry, formed_on, report_year) -> workdays.Deadline:
    year = report_year + 1 if report_year else formed_on.year
    last = month_calendar.monthrange(year, entry.fixed_month)[1]
    due = datetime.date(year, entry.fixed_month, min(entry.fixed_day, last))
    return workdays.Deadline(
        start=formed_on,
        working_days=0,
        due=due,
        holidays_skipped=(),
        adjusted_workdays=(),
        incomplete_years=(),
    )


def event_date(
    entry: CatalogEntry | None,
    formed_on: datetime.date,
    event_on: datetime.date | None,
) -> datetime.date:
    """The day the entry's time limit counts from: 成文日期, or the recorded
    approval or change (falling back on 成文日期 when none is recorded)."""
    if entry is None or entry.counted_from == CatalogEntry.CountedFrom.FORMED:
        return formed_on
    return event_on or formed_on


def due_date(
    entry: CatalogEntry | None,
    formed_on: datetime.date | None,
    calendar: workdays.WorkCalendar,
    *,
    report_year: int | None = None,
    report_period: int | None = None,
    event_on: datetime.date | None = None,
) -> workdays.Deadline | None:
    """The deadline for an item fulfilling ``entry`` (or none) formed on
    ``formed_on`` (see the module's docstring)."""
    if formed_on is None:
        return None
    if entry is None:
        return workdays.add_working_days(formed_on, ARTICLE_26_WORKING_DAYS, calendar)
    kinds = CatalogEntry.TimeLimitKind
    kind, days = entry.time_limit_kind, entry.time_limit_days
    start = event_date(entry, formed_on, event_on)
    if kind == kinds.WORKING_DAYS and days:
        return workdays.add_working_days(start, days, calendar)
    if kind == kinds.CALENDAR_DAYS and days:
        return _calendar_days(start, days)
    if kind == kinds.FIXED_DATE and entry.fixed_month and entry.fixed_day:
        return _fixed_date(entry, formed_on, report_year)
    if kind == kinds.PERIODIC and days and entry.period:
        if report_year:
            try:
                end = reporting_period_end(entry.period, report_year, report_period)
            except ValueError:
                end = None
        else:
            end = None
        if end is None:
            year, number = last_complete_period(formed_on, entry.period)
            end = reporting_period_end(entry.period, year, number)
        return workdays.add_working_days(end, days, calendar)
    if kind == kinds.REALTIME:
        return workdays.add_working_days(formed_on, 1, calendar)
    return None


def item_due_date(item, calendar: workdays.WorkCalendar) -> workdays.Deadline | None:
    """:func:`due_date` for an item (or public record)."""
    return due_date(
        item.catalog_entry,
        item.formed_on,
        calendar,
        report_year=item.report_year,
        report_period=item.report_period,
        event_on=item.event_on,
    )


_NUMBER_NAMES = {
    CatalogEntry.Period.MONTHLY: _("月份（1-12）"),
    CatalogEntry.Period.QUARTERLY: _("季度（1-4）"),
    CatalogEntry.Period.HALF_YEARLY: _("半年（上半年1、下半年2）"),
}


def complete_deadline_facts(
    entry: CatalogEntry | None,
    today: datetime.date,
    *,
    report_year: int | None,
    report_period: int | None,
    event_on: datetime.date | None,
) -> tuple[dict, dict]:
    """``(values, errors)`` for the 报告期 and 时限起算日期 a clerk entered
    for ``entry``: a periodic entry's 报告期 defaults to the last complete
    period before ``today``; a 报告期 that does not exist, or an approval the
    entry counts from left blank, is an error for that field. Facts the entry
    does not use are cleared."""
    values = {"report_year": None, "report_period": None, "event_on": None}
    errors = {}
    if entry is None:
        return values, errors
    kinds = CatalogEntry.TimeLimitKind
    if (
        entry.counted_from != CatalogEntry.CountedFrom.FORMED
        and entry.time_limit_kind
        in (
            kinds.WORKING_DAYS,
            kinds.CALENDAR_DAYS,
        )
    ):
        values["event_on"] = event_on
        if event_on is None:
            errors["event_on"] = _(
                "所选公开事项的时限自“%(event)s”起算，请填写时限起算日期。"
            ) % {"event": entry.get_counted_from_display()}
    if entry.time_limit_kind == kinds.FIXED_DATE:
        values["report_year"] = report_year
    if entry.time_limit_kind == kinds.PERIODIC and entry.period:
        if not report_year:
            report_year, report_period = last_complete_period(today, entry.period)
        if entry.period == CatalogEntry.Period.YEARLY:
            report_period = None
        else:
            try:
                reporting_period_end(entry.period, report_year, report_period)
            except ValueError:
                errors["report_period"] = _(
                    "请按公开事项的周期填写报告期的%(what)s。"
                ) % {"what": _NUMBER_NAMES[entry.period]}
        values["report_year"], values["report_period"] = report_year, report_period
    return values, errors
