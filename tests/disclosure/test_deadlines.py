"""The date by which an item must be public (disclosure/deadlines.py), over the
official holiday schedule loaded by migration 0002."""

import datetime

import pytest

from catalog.models import CatalogEntry
from catalog.selectors import work_calendar
from disclosure.deadlines import due_date, last_complete_period, period_end

Kind = CatalogEntry.TimeLimitKind
Period = CatalogEntry.Period


def d(text):
    return datetime.date.fromisoformat(text)


@pytest.mark.parametrize(
    ("day", "period", "end"),
    [
        ("2026-02-10", Period.MONTHLY, "2026-02-28"),
        ("2024-02-10", Period.MONTHLY, "2024-02-29"),  # leap year
        ("2026-04-30", Period.MONTHLY, "2026-04-30"),
        ("2026-12-05", Period.MONTHLY, "2026-12-31"),
        ("2026-01-01", Period.QUARTERLY, "2026-03-31"),
        ("2026-05-01", Period.QUARTERLY, "2026-06-30"),
        ("2026-09-30", Period.QUARTERLY, "2026-09-30"),
        ("2026-10-01", Period.QUARTERLY, "2026-12-31"),
        ("2026-06-30", Period.HALF_YEARLY, "2026-06-30"),
        ("2026-07-01", Period.HALF_YEARLY, "2026-12-31"),
        ("2026-01-01", Period.YEARLY, "2026-12-31"),
        ("2026-12-31", Period.YEARLY, "2026-12-31"),
    ],
)
def test_period_end(day, period, end):
    assert period_end(d(day), period) == d(end)


def entry(kind, days=None, period=""):
    # Unsaved: due_date reads the time limit only.
    return CatalogEntry(time_limit_kind=kind, time_limit_days=days, period=period)


@pytest.fixture
def calendar(db):
    return work_calendar()


def test_working_days_from_formation_skip_holidays_and_count_adjusted_days(calendar):
    deadline = due_date(entry(Kind.WORKING_DAYS, 20), d("2026-09-20"), calendar)
    assert deadline.due == d("2026-10-23")
    assert deadline.start == d("2026-09-20")  # not counted itself
    assert [day.date for day in deadline.holidays_skipped] == [
        d("2026-09-25"),
        d("2026-10-01"),
        d("2026-10-02"),
        d("2026-10-05"),
        d("2026-10-06"),
        d("2026-10-07"),
    ]
    assert {day.name for day in deadline.holidays_skipped} == {"中秋节", "国庆节"}
    assert [day.date for day in deadline.adjusted_workdays] == [d("2026-10-10")]
    assert deadline.calendar_complete


@pytest.mark.parametrize(
    ("period", "report", "formed_on", "due"),
    [
        # May ends on Sunday 05-31; 5 working days: 06-01..06-05.
        (Period.MONTHLY, (2026, 5), "2026-06-02", "2026-06-05"),
        # Q3 ends 09-30; 10 working days: 10-08, 10-09, 10-10 (调休), 10-12..16,
        # 10-19, 10-20.
        (Period.QUARTERLY, (2026, 3), "2026-10-09", "2026-10-20"),
        # H1 ends 06-30; 10 working days: 07-01..03, 07-06..10, 07-13, 07-14.
        (Period.HALF_YEARLY, (2026, 1), "2026-07-03", "2026-07-14"),
    ],
)
def test_periodic_counts_from_the_end_of_the_period_reported_on(
    calendar, period, report, formed_on, due
):
    days = 5 if period == Period.MONTHLY else 10
    deadline = due_date(
        entry(Kind.PERIODIC, days, period),
        d(formed_on),
        calendar,
        report_year=report[0],
        report_period=report[1],
    )
    assert deadline.due == d(due)


def test_a_q3_report_formed_in_october_is_due_after_september_not_december(calendar):
    """Issue 12 §2: a third-quarter report formed on 2026-10-09 is due 10
    working days after 2026-09-30 (2026-10-20), not after 2026-12-31."""
    quarterly = entry(Kind.PERIODIC, 10, Period.QUARTERLY)
    recorded = due_date(
        quarterly, d("2026-10-09"), calendar, report_year=2026, report_period=3
    )
    assert recorded.start == d("2026-09-30")
    assert recorded.due == d("2026-10-20")
    # Without a recorded 报告期: the last period that ended before formation.
    assert due_date(quarterly, d("2026-10-09"), calendar).due == d("2026-10-20")


@pytest.mark.parametrize(
    ("day", "period", "expected"),
    [
        ("2026-10-09", Period.QUARTERLY, (2026, 3)),
        ("2026-01-05", Period.QUARTERLY, (2025, 4)),
        ("2026-03-31", Period.MONTHLY, (2026, 2)),
        ("2026-07-01", Period.HALF_YEARLY, (2026, 1)),
        ("2026-02-01", Period.YEARLY, (2025, 1)),
    ],
)
def test_the_default_report_period_is_the_last_complete_one(day, period, expected):
    assert last_complete_period(d(day), period) == expected


def test_yearly_deadline_in_a_year_whose_schedule_is_not_known_yet(calendar):
    # 2027's holidays are not published: weekends only, and the deadline says
    # so (the page warns the clerk).
    deadline = due_date(
        entry(Kind.PERIODIC, 20, Period.YEARLY),
        d("2026-03-01"),
        calendar,
        report_year=2026,
    )
    assert deadline.start == d("2026-12-31")
    assert deadline.due == d("2027-01-28")
    assert deadline.incomplete_years == (2027,)
    assert not deadline.calendar_complete


def test_calendar_days_count_from_approval(calendar):
    """预算法 §14: within 20 days (calendar) of the 批复; weekends and holidays
    count."""
    budget = entry(Kind.CALENDAR_DAYS, 20)
    budget.counted_from = CatalogEntry.CountedFrom.APPROVED
    deadline = due_date(budget, d("2026-01-20"), calendar, event_on=d("2026-01-26"))
    assert deadline.start == d("2026-01-26")
    assert deadline.due == d("2026-02-15")  # a Sunday: calendar days, not moved


def test_a_fixed_date_in_the_year(calendar):
    fixed = entry(Kind.FIXED_DATE)
    fixed.fixed_month, fixed.fixed_day = 3, 31
    assert due_date(fixed, d("2026-02-10"), calendar).due == d("2026-03-31")
    # Reporting on 2025: 31 March of the year after.
    assert due_date(fixed, d("2026-02-10"), calendar, report_year=2025).due == d(
        "2026-03-31"
    )
    fixed.fixed_month, fixed.fixed_day = 2, 29  # the end of February
    assert due_date(fixed, d("2026-01-10"), calendar).due == d("2026-02-28")


@pytest.mark.parametrize(
    ("formed_on", "due"),
    [
        ("2026-03-02", "2026-03-03"),  # Monday: Tuesday
        ("2026-04-30", "2026-05-06"),  # before 劳动节: after it
        ("2026-02-13", "2026-02-14"),  # Friday before 春节: the 调休 Saturday
    ],
)
def test_realtime_is_the_next_working_day(calendar, formed_on, due):
    assert due_date(entry(Kind.REALTIME), d(formed_on), calendar).due == d(due)


def test_standing_information_has_no_deadline(calendar):
    assert due_date(entry(Kind.STANDING), d("2026-03-02"), calendar) is None


def test_outside_the_catalog_article_26_applies(calendar):
    """Art. 26: 20 working days from formation for all proactive information."""
    deadline = due_date(None, d("2026-09-20"), calendar)
    assert deadline.due == d("2026-10-23")
    assert deadline.working_days == 20


def test_no_date_no_deadline(calendar):
    assert due_date(None, None, calendar) is None
    assert due_date(entry(Kind.WORKING_DAYS, 20), None, calendar) is None


def test_incomplete_entries_give_no_deadline_rather_than_a_wrong_one(calendar):
    # The database refuses these (catalog_entry_time_limit_complete); an
    # unsaved form must not crash the preview either.
    assert due_date(entry(Kind.WORKING_DAYS, None), d("2026-03-02"), calendar) is None
    assert due_date(entry(Kind.PERIODIC, 10, ""), d("2026-03-02"), calendar) is None
