"""Working-day arithmetic over the State Council holiday schedule.

Pure functions: dates in, dates out. No ORM and no clock in here; the caller
builds a :class:`WorkCalendar` (``catalog.selectors.work_calendar``) and passes
it in.

Rules (Regulations on Open Government Information, see DOMAIN.md): a period of
N working days starts counting the day *after* the start day and runs over
working days only. A working day is Monday to Friday, minus public holidays
that fall on weekdays, plus weekend days declared working days (调休).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.utils.translation import gettext

ONE_DAY = datetime.timedelta(days=1)
MAX_WORKING_DAYS = 366


@dataclass(frozen=True)
class WorkCalendar:
    """The exceptions to the Monday-to-Friday week.

    ``holidays``: weekday dates that are days off, with the holiday's name.
    ``workdays``: weekend dates that are working days (调休), with the name of
    the holiday they make up for.
    ``complete_years``: years whose schedule has been entered in full; for other
    years the calendar knows weekends only.
    """

    holidays: Mapping[datetime.date, str] = field(default_factory=dict)
    workdays: Mapping[datetime.date, str] = field(default_factory=dict)
    complete_years: frozenset[int] = frozenset()


@dataclass(frozen=True)
class CalendarDay:
    date: datetime.date
    name: str

    def as_dict(self) -> dict:
        return {"date": self.date.isoformat(), "name": self.name}

    @property
    def label(self) -> str:
        """The holiday's name in the page's language (the official names of
        ``reference_data.HOLIDAY_NAMES_ZH`` are translated)."""
        return gettext(self.name) if self.name else ""


@dataclass(frozen=True)
class Deadline:
    """A due date and how it was reached."""

    start: datetime.date
    working_days: int
    due: datetime.date
    holidays_skipped: tuple[CalendarDay, ...]
    adjusted_workdays: tuple[CalendarDay, ...]
    incomplete_years: tuple[int, ...]

    @property
    def calendar_complete(self) -> bool:
        return not self.incomplete_years

    def as_dict(self) -> dict:
        return {
            "start": self.start.isoformat(),
            "working_days": self.working_days,
            "due": self.due.isoformat(),
            "holidays_skipped": [day.as_dict() for day in self.holidays_skipped],
            "adjusted_workdays": [day.as_dict() for day in self.adjusted_workdays],
            "calendar_complete": self.calendar_complete,
            "incomplete_years": list(self.incomplete_years),
        }


def is_working_day(day: datetime.date, calendar: WorkCalendar) -> bool:
    if day in calendar.workdays:
        return True
    if day in calendar.holidays:
        return False
    return day.weekday() < 5


def add_working_days(
    start: datetime.date, working_days: int, calendar: WorkCalendar
) -> Deadline:
    """The date on which ``working_days`` working days after ``start`` end.

    The start day itself is not counted, whether or not it is a working day.
    """
    if not 0 <= working_days <= MAX_WORKING_DAYS:
        raise ValueError(f"working_days must be 0 to {MAX_WORKING_DAYS}")
    holidays: list[CalendarDay] = []
    adjusted: list[CalendarDay] = []
    years = {start.year}
    day = start
    remaining = working_days
    while remaining > 0:
        day += ONE_DAY
        years.add(day.year)
        if day in calendar.workdays:
            adjusted.append(CalendarDay(day, calendar.workdays[day]))
            remaining -= 1
        elif day in calendar.holidays:
            holidays.append(CalendarDay(day, calendar.holidays[day]))
        elif day.weekday() < 5:
            remaining -= 1
    return Deadline(
        start=start,
        working_days=working_days,
        due=day,
        holidays_skipped=tuple(holidays),
        adjusted_workdays=tuple(adjusted),
        incomplete_years=tuple(sorted(years - set(calendar.complete_years))),
    )


def working_days_between(
    start: datetime.date, end: datetime.date, calendar: WorkCalendar
) -> int:
    """Working days after ``start`` up to and including ``end``.

    ``add_working_days(start, n).due == end`` gives ``n`` when ``end`` is a
    working day. Negative when ``end`` is before ``start``.
    """
    if end < start:
        return -working_days_between(end, start, calendar)
    count = 0
    day = start
    while day < end:
        day += ONE_DAY
        if is_working_day(day, calendar):
            count += 1
    return count


def working_days_late(
    due: datetime.date, done: datetime.date, calendar: WorkCalendar
) -> int:
    """How many working days after ``due`` the work was done; 0 if on time.

    Done on a rest day after the due date is still late: at least 1."""
    if done <= due:
        return 0
    return max(1, working_days_between(due, done, calendar))


def build_calendar(
    days: Iterable[tuple[datetime.date, str, str]], complete_years: Iterable[int]
) -> WorkCalendar:
    """Build a calendar from ``(date, kind, name)`` rows, kind being
    ``"holiday"`` or ``"workday"``."""
    holidays: dict[datetime.date, str] = {}
    workdays: dict[datetime.date, str] = {}
    for date, kind, name in days:
        (workdays if kind == "workday" else holidays)[date] = name
    return WorkCalendar(holidays, workdays, frozenset(complete_years))
