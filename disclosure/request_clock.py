"""The statutory clock of a request for information (Arts. 30-33 of the
Regulations; 国办函〔2020〕109号 for fees).

Pure functions: dates in, dates out. No ORM and no clock in here; the caller
passes the work calendar (``catalog.selectors.work_calendar()``) and today.

The rules (see ../shared/DOMAIN.md, "Time limits"):

- Receipt (Art. 31): handed in, the day it is handed in; by post, the day the
  organ signs for it (an ordinary letter: the day receipt is confirmed with
  the applicant); online or by fax, the day both sides confirm it.
- The answer is due 20 working days after receipt (Art. 33 ¶2); the start
  day is not counted.
- A correction notice (补正) is given once, within 7 working days of receipt
  (Art. 30); the clock then starts again from the day the corrected
  application is received. No correction within the period given: the
  application is treated as abandoned (table 三 （六）1).
- One extension of at most 20 working days (Art. 33 ¶2).
- Not counted (Art. 33 ¶3): the time spent asking a third party (Art. 32:
  it answers within 15 working days; after that the organ decides, so the
  pause ends then at the latest) or another organ (Art. 34: 15 working days
  too, silence is consent; Art. 18), and the time until a fee is paid
  (109号; the applicant has 20 working days to pay, else table 三 （六）2).

A pause that started on day A and ended on day B takes the working days
after A up to and including B out of the count: the day a consultation is
sent still counts, counting resumes the day after the answer arrives (as the
start day of any period is not counted).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from catalog.workdays import (
    ONE_DAY,
    WorkCalendar,
    add_working_days,
    is_working_day,
    working_days_between,
    working_days_late,
)

ANSWER_WORKING_DAYS = 20
MAX_EXTENSION_WORKING_DAYS = 20
CORRECTION_NOTICE_WORKING_DAYS = 7
THIRD_PARTY_WORKING_DAYS = 15
FEE_PAYMENT_WORKING_DAYS = 20
DUE_SOON_WORKING_DAYS = 5
#: A reasonable correction period (Art. 30 leaves it to the organ).
DEFAULT_CORRECTION_PERIOD = 10
MAX_CORRECTION_PERIOD = 30

#: How far the clock walks at most (a request open for years is a data error).
_MAX_DAYS = 3 * 366

RUNNING = "running"
PAUSED = "paused"
CORRECTION = "correction"
CLOSED = "closed"


class ClockError(ValueError):
    """Dates that contradict the rules (e.g. a receipt date missing)."""


# --- receipt (Art. 31) ---------------------------------------------------------------

IN_PERSON = "in_person"
POST = "post"
LETTER = "letter"
ONLINE = "online"
FAX = "fax"


def receipt_date(
    channel: str,
    *,
    handed_in_on: datetime.date | None = None,
    signed_for_on: datetime.date | None = None,
    confirmed_on: datetime.date | None = None,
) -> datetime.date:
    """The day an application counts as received, by Art. 31.

    Raises :class:`ClockError` naming the date the channel needs."""
    needed = {
        IN_PERSON: ("handed_in_on", handed_in_on),
        POST: ("signed_for_on", signed_for_on),
        LETTER: ("confirmed_on", confirmed_on),
        ONLINE: ("confirmed_on", confirmed_on),
        FAX: ("confirmed_on", confirmed_on),
    }
    if channel not in needed:
        raise ClockError(f"unknown channel {channel!r}")
    name, value = needed[channel]
    if value is None:
        raise ClockError(name)
    return value


# --- single periods --------------------------------------------------------------------


def correction_notice_deadline(
    received_on: datetime.date, calendar: WorkCalendar
) -> datetime.date:
    """The last day a correction notice may be given (Art. 30)."""
    return add_working_days(received_on, CORRECTION_NOTICE_WORKING_DAYS, calendar).due


def correction_due(
    notice_on: datetime.date, period: int, calendar: WorkCalendar
) -> datetime.date:
    """The last day for the corrected application (the period the notice
    names, in working days)."""
    if not 1 <= period <= MAX_CORRECTION_PERIOD:
        raise ClockError(f"correction period must be 1 to {MAX_CORRECTION_PERIOD}")
    return add_working_days(notice_on, period, calendar).due


def third_party_due(sent_on: datetime.date, calendar: WorkCalendar) -> datetime.date:
    """The last day for a third party's opinion (Art. 32)."""
    return add_working_days(sent_on, THIRD_PARTY_WORKING_DAYS, calendar).due


def fee_due(notified_on: datetime.date, calendar: WorkCalendar) -> datetime.date:
    """The last day to pay a fee (国办函〔2020〕109号)."""
    return add_working_days(notified_on, FEE_PAYMENT_WORKING_DAYS, calendar).due


# --- the answer clock ----------------------------------------------------------------------


@dataclass(frozen=True)
class Pause:
    """Time not counted: from ``start`` (still counted) to ``end`` (not
    counted); ``end`` None while it lasts. ``cap``: the day it ends at the
    latest (a third party's 15 working days)."""

    start: datetime.date
    end: datetime.date | None = None
    cap: datetime.date | None = None

    def effective_end(self, today: datetime.date) -> datetime.date | None:
        ends = [day for day in (self.end, self.cap) if day is not None]
        if self.end is None and self.cap is not None and self.cap >= today:
            return None  # still waiting, within the third party's period
        return min(ends) if ends else None


@dataclass(frozen=True)
class Clock:
    """Where a request stands against its answer period."""

    status: str
    start: datetime.date | None  # receipt, or receipt of the corrected application
    limit: int  # 20 + the extension
    due: datetime.date | None  # None while paused or awaiting a correction
    used: int  # working days counted up to today (or the closing day)
    paused: int  # working days not counted so far
    remaining: int | None
    overdue: bool
    late: int  # working days late when closed after the due date

    @property
    def running(self) -> bool:
        return self.status == RUNNING


def answer_clock(
    *,
    received_on: datetime.date,
    today: datetime.date,
    calendar: WorkCalendar,
    correction_requested_on: datetime.date | None = None,
    corrected_on: datetime.date | None = None,
    extension_days: int = 0,
    pauses: Iterable[Pause] = (),
    closed_on: datetime.date | None = None,
) -> Clock:
    """The answer clock of a request as of ``today`` (or as it stopped on
    ``closed_on``)."""
    if not 0 <= extension_days <= MAX_EXTENSION_WORKING_DAYS:
        raise ClockError("extension_days must be 0 to 20")
    limit = ANSWER_WORKING_DAYS + extension_days
    if correction_requested_on is not None and corrected_on is None:
        status = CLOSED if closed_on else CORRECTION
        return Clock(status, None, limit, None, 0, 0, None, False, 0)
    start = corrected_on or received_on
    end_of_count = min(closed_on, today) if closed_on else today
    windows: list[tuple[datetime.date, datetime.date]] = []
    open_from: datetime.date | None = None
    for pause in pauses:
        effective = pause.effective_end(end_of_count)
        if effective is None:
            open_from = (
                pause.start if open_from is None else min(open_from, pause.start)
            )
        elif effective > pause.start:
            windows.append((pause.start, effective))

    def paused_day(day: datetime.date) -> bool:
        if open_from is not None and day > open_from:
            return True
        return any(begin < day <= end for begin, end in windows)

    used = paused = 0
    day = start
    while day < end_of_count:
        day += ONE_DAY
        if is_working_day(day, calendar):
            if paused_day(day):
                paused += 1
            else:
                used += 1
    due = None
    if open_from is None:
        counted, day = 0, start
        for _step in range(_MAX_DAYS):
            if counted == limit:
                due = day
                break
            day += ONE_DAY
            if is_working_day(day, calendar) and not paused_day(day):
                counted += 1
        else:  # pragma: no cover - only with absurd dates
            raise ClockError("the clock runs for more than three years")
    if closed_on is not None:
        status = CLOSED
    elif open_from is not None:
        status = PAUSED
    else:
        status = RUNNING
    late = 0
    if closed_on is not None and due is not None:
        late = working_days_late(due, closed_on, calendar)
    overdue = status == RUNNING and due is not None and today > due
    remaining = None if status == CLOSED else max(0, limit - used)
    return Clock(status, start, limit, due, used, paused, remaining, overdue, late)


def due_soon(clock: Clock, today: datetime.date, calendar: WorkCalendar) -> bool:
    """Due within :data:`DUE_SOON_WORKING_DAYS` working days (not overdue)."""
    return (
        clock.status == RUNNING
        and clock.due is not None
        and not clock.overdue
        and working_days_between(today, clock.due, calendar) <= DUE_SOON_WORKING_DAYS
    )
