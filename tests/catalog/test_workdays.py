"""Working-day arithmetic (catalog/workdays.py) against the State Council's
holiday schedules for 2025 and 2026, as migration 0002 loads them.

Every expected due date is worked out by hand in the comments: the start day
is not counted, then each working day counts one; weekends, holidays on
weekdays (H) and adjusted working weekend days (调休, A) are marked.
"""

import datetime

import pytest

from catalog import selectors
from catalog.models import CalendarDay, CalendarYear
from catalog.workdays import (
    MAX_WORKING_DAYS,
    WorkCalendar,
    add_working_days,
    build_calendar,
    is_working_day,
    working_days_between,
    working_days_late,
)


def d(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def dates(*texts: str) -> list[datetime.date]:
    return [d(text) for text in texts]


# The official schedules (国务院办公厅关于2025年、2026年部分节假日安排的通知).
HOLIDAYS_2025 = dates(
    "2025-01-01",
    "2025-01-28",
    "2025-01-29",
    "2025-01-30",
    "2025-01-31",
    "2025-02-03",
    "2025-02-04",
    "2025-04-04",
    "2025-05-01",
    "2025-05-02",
    "2025-05-05",
    "2025-06-02",
    "2025-10-01",
    "2025-10-02",
    "2025-10-03",
    "2025-10-06",
    "2025-10-07",
    "2025-10-08",
)
WORKDAYS_2025 = dates(
    "2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11"
)
HOLIDAYS_2026 = dates(
    "2026-01-01",
    "2026-01-02",
    "2026-02-16",
    "2026-02-17",
    "2026-02-18",
    "2026-02-19",
    "2026-02-20",
    "2026-02-23",
    "2026-04-06",
    "2026-05-01",
    "2026-05-04",
    "2026-05-05",
    "2026-06-19",
    "2026-09-25",
    "2026-10-01",
    "2026-10-02",
    "2026-10-05",
    "2026-10-06",
    "2026-10-07",
)
WORKDAYS_2026 = dates(
    "2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"
)


@pytest.fixture
def calendar(db):
    """The calendar the portal uses, read from the CalendarDay table."""
    return selectors.work_calendar()


# --- The data the migration loads -----------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("year", "holidays", "workdays"),
    [(2025, HOLIDAYS_2025, WORKDAYS_2025), (2026, HOLIDAYS_2026, WORKDAYS_2026)],
)
def test_the_database_holds_the_official_schedule(year, holidays, workdays):
    rows = CalendarDay.objects.filter(date__year=year)
    assert sorted(rows.filter(kind="holiday").values_list("date", flat=True)) == (
        holidays
    )
    assert sorted(rows.filter(kind="workday").values_list("date", flat=True)) == (
        workdays
    )
    assert all(day.weekday() < 5 for day in holidays)
    assert all(day.weekday() >= 5 for day in workdays)
    assert CalendarYear.objects.get(year=year).is_complete
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_the_calendar_knows_2025_and_2026(calendar):
    assert {2025, 2026} <= set(calendar.complete_years)
    assert 2027 not in calendar.complete_years
    for day in HOLIDAYS_2025 + HOLIDAYS_2026:
        assert not is_working_day(day, calendar), day
    for day in WORKDAYS_2025 + WORKDAYS_2026:
        assert is_working_day(day, calendar), day
    assert calendar.holidays[d("2026-02-17")] == "春节"
    assert calendar.workdays[d("2026-10-10")] == "国庆节"
    assert is_working_day(d("2026-03-06"), calendar)  # a plain Friday
    assert not is_working_day(d("2026-03-07"), calendar)  # a plain Saturday


# --- Due dates -----------------------------------------------------------------


def test_twenty_working_days_across_spring_festival_2026(calendar):
    # Start Tue 02-10 (not counted).
    # 02-11 Wed 1, 02-12 Thu 2, 02-13 Fri 3, 02-14 Sat (A) 4, 02-15 Sun,
    # 02-16..02-20 Mon-Fri (H), 02-21/22 weekend, 02-23 Mon (H),
    # 02-24 Tue 5, 02-25 6, 02-26 7, 02-27 Fri 8, 02-28 Sat (A) 9, 03-01 Sun,
    # 03-02 Mon 10 ... 03-06 Fri 14, 03-09 Mon 15 ... 03-13 Fri 19,
    # 03-16 Mon 20.
    deadline = add_working_days(d("2026-02-10"), 20, calendar)

    assert deadline.due == d("2026-03-16")
    assert [day.date for day in deadline.holidays_skipped] == dates(
        "2026-02-16",
        "2026-02-17",
        "2026-02-18",
        "2026-02-19",
        "2026-02-20",
        "2026-02-23",
    )
    assert {day.name for day in deadline.holidays_skipped} == {"春节"}
    assert [day.date for day in deadline.adjusted_workdays] == dates(
        "2026-02-14", "2026-02-28"
    )
    assert deadline.calendar_complete


def test_five_working_days_across_spring_festival_2025(calendar):
    # Start Fri 01-24. 01-25 Sat, 01-26 Sun (A) 1, 01-27 Mon 2,
    # 01-28..01-31 (H), 02-01/02 weekend, 02-03 Mon (H), 02-04 Tue (H),
    # 02-05 Wed 3, 02-06 Thu 4, 02-07 Fri 5.
    deadline = add_working_days(d("2025-01-24"), 5, calendar)

    assert deadline.due == d("2025-02-07")
    assert [day.date for day in deadline.holidays_skipped] == dates(
        "2025-01-28",
        "2025-01-29",
        "2025-01-30",
        "2025-01-31",
        "2025-02-03",
        "2025-02-04",
    )
    assert [day.date for day in deadline.adjusted_workdays] == [d("2025-01-26")]


def test_ten_working_days_across_national_day_2025(calendar):
    # Start Fri 09-26. 09-27 Sat, 09-28 Sun (A) 1, 09-29 Mon 2, 09-30 Tue 3,
    # 10-01..10-03 Wed-Fri (H), 10-04/05 weekend, 10-06..10-08 Mon-Wed (H),
    # 10-09 Thu 4, 10-10 Fri 5, 10-11 Sat (A) 6, 10-12 Sun,
    # 10-13 Mon 7, 10-14 8, 10-15 9, 10-16 Thu 10.
    deadline = add_working_days(d("2025-09-26"), 10, calendar)

    assert deadline.due == d("2025-10-16")
    assert [day.date for day in deadline.holidays_skipped] == dates(
        "2025-10-01",
        "2025-10-02",
        "2025-10-03",
        "2025-10-06",
        "2025-10-07",
        "2025-10-08",
    )
    # 2025-10-06 is the Mid-autumn Festival inside the National Day break.
    assert deadline.holidays_skipped[3].name == "中秋节"
    assert [day.date for day in deadline.adjusted_workdays] == dates(
        "2025-09-28", "2025-10-11"
    )


def test_twenty_working_days_across_national_day_2026(calendar):
    # Start Fri 09-18. 09-19 Sat, 09-20 Sun (A) 1, 09-21 Mon 2 ... 09-24 Thu 5,
    # 09-25 Fri (H, 中秋), 09-26/27 weekend, 09-28 Mon 6, 09-29 7, 09-30 Wed 8,
    # 10-01/02 Thu-Fri (H), 10-03/04 weekend, 10-05..10-07 Mon-Wed (H),
    # 10-08 Thu 9, 10-09 Fri 10, 10-10 Sat (A) 11, 10-11 Sun,
    # 10-12 Mon 12 ... 10-16 Fri 16, 10-19 Mon 17 ... 10-22 Thu 20.
    deadline = add_working_days(d("2026-09-18"), 20, calendar)

    assert deadline.due == d("2026-10-22")
    assert [day.date for day in deadline.holidays_skipped] == dates(
        "2026-09-25",
        "2026-10-01",
        "2026-10-02",
        "2026-10-05",
        "2026-10-06",
        "2026-10-07",
    )
    assert [day.date for day in deadline.adjusted_workdays] == dates(
        "2026-09-20", "2026-10-10"
    )


@pytest.mark.parametrize(
    ("start", "working_days", "due"),
    [
        # Start Wed 2026-09-30: 10-01..10-07 off, 10-08 Thu 1, 10-09 Fri 2,
        # 10-10 Sat (A) 3.
        ("2026-09-30", 3, "2026-10-10"),
        # Start Tue 2025-09-30: 10-01..10-08 off, 10-09 Thu 1, 10-10 Fri 2,
        # 10-11 Sat (A) 3.
        ("2025-09-30", 3, "2025-10-11"),
        # Start Fri 2025-09-26: 09-28 (A) 1, 09-29 2, 09-30 3, 10-09 4, 10-10 5,
        # 10-11 (A) 6.
        ("2025-09-26", 6, "2025-10-11"),
    ],
)
def test_a_due_date_can_be_an_adjusted_saturday(calendar, start, working_days, due):
    deadline = add_working_days(d(start), working_days, calendar)
    assert deadline.due == d(due)
    assert deadline.due.weekday() == 5
    assert deadline.adjusted_workdays[-1].date == d(due)


@pytest.mark.parametrize(
    ("start", "working_days", "due"),
    [
        # Start Fri 2026-03-06: the Friday is not counted; 03-09 Mon 1.
        ("2026-03-06", 1, "2026-03-09"),
        # Start Fri 03-06: 03-09 Mon 1 ... 03-13 Fri 5.
        ("2026-03-06", 5, "2026-03-13"),
        # Start Sat 03-07: 03-08 Sun, 03-09 Mon 1.
        ("2026-03-07", 1, "2026-03-09"),
        # Start on the holiday Thu 2026-10-01: 10-02 (H), 10-03/04 weekend,
        # 10-05..10-07 (H), 10-08 Thu 1.
        ("2026-10-01", 1, "2026-10-08"),
        # Start on the adjusted working Sat 2026-02-14 (not counted either):
        # 02-15 Sun, 02-16..02-20 (H), 02-21/22 weekend, 02-23 (H), 02-24 Tue 1.
        ("2026-02-14", 1, "2026-02-24"),
        # Zero working days: the start day itself.
        ("2026-10-01", 0, "2026-10-01"),
    ],
)
def test_the_start_day_is_not_counted(calendar, start, working_days, due):
    assert add_working_days(d(start), working_days, calendar).due == d(due)


@pytest.mark.parametrize(
    ("start", "due"),
    [
        # Mon 2026-03-02, no holiday in March: four whole weeks, Mon 03-30.
        ("2026-03-02", "2026-03-30"),
        # Wed 2026-04-01: 04-02 1, 04-03 2, 04-06 Mon (H, 清明), 04-07 3 ...
        # 04-10 6, 04-13..17 7-11, 04-20..24 12-16, 04-27 17 ... 04-30 Thu 20.
        ("2026-04-01", "2026-04-30"),
        # Fri 2026-04-24: 04-27..04-30 1-4, 05-01 Fri (H), 05-04/05 (H),
        # 05-06 5, 05-07 6, 05-08 7, 05-09 Sat (A) 8, 05-11 9, 05-12 10, 05-13 11,
        # 05-14 12, 05-15 13, 05-18..22 14-18, 05-25 19, 05-26 Tue 20.
        ("2026-04-24", "2026-05-26"),
        # Wed 2025-12-24: 12-25 1, 12-26 2, 12-29..31 3-5, 01-01/02 (H),
        # 01-03 Sat, 01-04 Sun (A) 6, 01-05..09 7-11, 01-12..16 12-16,
        # 01-19..22 17-20: Thu 2026-01-22.
        ("2025-12-24", "2026-01-22"),
        # Mon 2025-06-02 is the Dragon Boat holiday (start, not counted):
        # 06-03..06 1-4, 06-09..13 5-9, 06-16..20 10-14, 06-23..27 15-19,
        # 06-30 Mon 20.
        ("2025-06-02", "2025-06-30"),
    ],
)
def test_twenty_working_days_from_typical_dates(calendar, start, due):
    assert add_working_days(d(start), 20, calendar).due == d(due)


def test_the_explanation_names_what_was_skipped(calendar):
    # Start Fri 2026-04-24, 10 working days: 04-27..30 1-4, 05-01 (H),
    # 05-04/05 (H), 05-06 5, 05-07 6, 05-08 7, 05-09 Sat (A) 8, 05-11 9,
    # 05-12 Tue 10.
    deadline = add_working_days(d("2026-04-24"), 10, calendar)

    assert deadline.due == d("2026-05-12")
    assert deadline.as_dict() == {
        "start": "2026-04-24",
        "working_days": 10,
        "due": "2026-05-12",
        "holidays_skipped": [
            {"date": "2026-05-01", "name": "劳动节"},
            {"date": "2026-05-04", "name": "劳动节"},
            {"date": "2026-05-05", "name": "劳动节"},
        ],
        "adjusted_workdays": [{"date": "2026-05-09", "name": "劳动节"}],
        "calendar_complete": True,
        "incomplete_years": [],
    }


def test_a_period_without_holidays_lists_none(calendar):
    deadline = add_working_days(d("2026-03-02"), 5, calendar)
    assert deadline.holidays_skipped == ()
    assert deadline.adjusted_workdays == ()


# --- Counting between dates -------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "working_days"),
    [
        ("2026-02-10", 20),
        ("2025-09-26", 10),
        ("2026-09-18", 20),
        ("2026-02-14", 1),
        ("2026-10-01", 1),
        ("2025-12-24", 20),
        ("2025-01-24", 5),
    ],
)
def test_counting_back_gives_the_period(calendar, start, working_days):
    due = add_working_days(d(start), working_days, calendar).due
    assert working_days_between(d(start), due, calendar) == working_days
    assert working_days_between(due, d(start), calendar) == -working_days
    assert working_days_late(due, due, calendar) == 0
    assert working_days_late(due, d(start), calendar) == 0


def test_every_start_in_2025_and_2026_is_consistent(calendar):
    start = d("2025-01-01")
    while start.year < 2027:
        for working_days in (1, 7, 20):
            deadline = add_working_days(start, working_days, calendar)
            assert is_working_day(deadline.due, calendar)
            assert working_days_between(start, deadline.due, calendar) == (working_days)
            # One working day more ends one working day later.
            later = add_working_days(start, working_days + 1, calendar).due
            assert working_days_late(deadline.due, later, calendar) == 1
        start += datetime.timedelta(days=1)


@pytest.mark.parametrize(
    ("due", "done", "late"),
    [
        # Due Tue 2025-09-30, done Thu 10-09: the National Day break does not
        # count; 10-09 is the first working day after the due date.
        ("2025-09-30", "2025-10-09", 1),
        # Done on the adjusted Saturday 10-11: 10-09, 10-10, 10-11.
        ("2025-09-30", "2025-10-11", 3),
        # Due Fri 2026-02-13, done Tue 02-24: 02-14 (A) 1, 02-24 2.
        ("2026-02-13", "2026-02-24", 2),
        # Due Fri 2026-03-06, done Mon 03-09: one working day late.
        ("2026-03-06", "2026-03-09", 1),
        # Done on the Saturday after a Friday due date: late, though no
        # working day has passed.
        ("2026-03-06", "2026-03-07", 1),
        # Done before or on the due date: on time.
        ("2026-03-06", "2026-03-02", 0),
        ("2026-03-06", "2026-03-06", 0),
    ],
)
def test_working_days_late(calendar, due, done, late):
    assert working_days_late(d(due), d(done), calendar) == late


def test_working_days_between_holidays_only_is_zero(calendar):
    # 2026-10-01 to 10-07: nothing but holidays and a weekend.
    assert working_days_between(d("2026-10-01"), d("2026-10-07"), calendar) == 0
    assert working_days_between(d("2026-10-01"), d("2026-10-01"), calendar) == 0


# --- Years without a schedule ---------------------------------------------------------


def test_a_period_running_into_2027_says_the_calendar_is_incomplete(calendar):
    # Start Fri 2026-12-18: 12-21..25 1-5, 12-28..31 6-9, then 2027, known only
    # by its weekends: 01-01 Fri 10, 01-04..08 11-15, 01-11..15 16-20.
    deadline = add_working_days(d("2026-12-18"), 20, calendar)

    assert deadline.due == d("2027-01-15")
    assert not deadline.calendar_complete
    assert deadline.incomplete_years == (2027,)
    assert deadline.as_dict()["incomplete_years"] == [2027]


def test_a_date_range_in_2027_is_incomplete(calendar):
    deadline = add_working_days(d("2027-03-01"), 20, calendar)
    assert deadline.incomplete_years == (2027,)
    assert deadline.as_dict()["calendar_complete"] is False


@pytest.mark.django_db
def test_entering_2027_changes_the_answer_at_once(django_assert_num_queries):
    selectors.work_calendar()
    with django_assert_num_queries(0):  # cached: only the signals refresh it
        selectors.work_calendar()
    # Thu 2026-12-31 + 1: without a 2027 schedule, Fri 2027-01-01 counts.
    before = add_working_days(d("2026-12-31"), 1, selectors.work_calendar())
    assert before.due == d("2027-01-01")
    assert before.incomplete_years == (2027,)

    # Staff enter New Year's Day 2027 and mark the year complete (a Saturday
    # working day is entered too, to check both kinds).
    CalendarDay.objects.create(date=d("2027-01-01"), kind="holiday", name="元旦")
    CalendarDay.objects.create(date=d("2027-01-09"), kind="workday", name="春节")
    CalendarYear.objects.create(year=2027, source="国办发明电〔2026〕")

    # 01-01 (H), 01-02/03 weekend, 01-04 Mon 1.
    after = add_working_days(d("2026-12-31"), 1, selectors.work_calendar())
    assert after.due == d("2027-01-04")
    assert after.calendar_complete
    assert [(day.date, day.name) for day in after.holidays_skipped] == [
        (d("2027-01-01"), "元旦")
    ]
    # 01-04..08 1-5, 01-09 Sat (A) 6.
    saturday = add_working_days(d("2027-01-01"), 6, selectors.work_calendar())
    assert saturday.due == d("2027-01-09")

    # Taking the entry out again is seen at once too.
    CalendarDay.objects.get(date=d("2027-01-01")).delete()
    CalendarYear.objects.filter(year=2027).update(is_complete=False)  # no signal
    CalendarYear.objects.get(year=2027).save()  # the admin saves: a signal
    again = add_working_days(d("2026-12-31"), 1, selectors.work_calendar())
    assert again.due == d("2027-01-01")
    assert again.incomplete_years == (2027,)


# --- A calendar built by hand ---------------------------------------------------------

# A made-up year 2030: Wed 2030-01-02 a holiday, Sat 2030-01-05 a working day.
HAND = build_calendar(
    [
        (d("2030-01-02"), "holiday", "假日"),
        (d("2030-01-05"), "workday", "调休"),
    ],
    [2030],
)


def test_build_calendar_sorts_rows_by_kind():
    assert HAND == WorkCalendar(
        holidays={d("2030-01-02"): "假日"},
        workdays={d("2030-01-05"): "调休"},
        complete_years=frozenset({2030}),
    )


@pytest.mark.parametrize(
    ("start", "working_days", "due", "holidays", "workdays"),
    [
        # Mon 2030-01-07 is a plain Monday: 01-08 Tue 1.
        ("2030-01-07", 1, "2030-01-08", [], []),
        # Tue 01-01: 01-02 (H), 01-03 Thu 1.
        ("2030-01-01", 1, "2030-01-03", ["2030-01-02"], []),
        # Tue 01-01: 01-03 1, 01-04 2, 01-05 Sat (A) 3.
        ("2030-01-01", 3, "2030-01-05", ["2030-01-02"], ["2030-01-05"]),
        # Tue 01-01: ... 01-05 (A) 3, 01-06 Sun, 01-07 Mon 4.
        ("2030-01-01", 4, "2030-01-07", ["2030-01-02"], ["2030-01-05"]),
        # Fri 01-04: 01-05 (A) 1.
        ("2030-01-04", 1, "2030-01-05", [], ["2030-01-05"]),
    ],
)
def test_hand_built_calendar(start, working_days, due, holidays, workdays):
    deadline = add_working_days(d(start), working_days, HAND)
    assert deadline.due == d(due)
    assert [day.date for day in deadline.holidays_skipped] == dates(*holidays)
    assert [day.date for day in deadline.adjusted_workdays] == dates(*workdays)
    assert deadline.calendar_complete


def test_an_empty_calendar_knows_weekends_only():
    empty = WorkCalendar()
    # Fri 2026-10-02 (a holiday in fact): Mon 10-05 1 — and it says so.
    deadline = add_working_days(d("2026-10-02"), 1, empty)
    assert deadline.due == d("2026-10-05")
    assert deadline.incomplete_years == (2026,)
    assert working_days_between(d("2026-10-02"), d("2026-10-09"), empty) == 5


def test_a_period_over_new_year_lists_both_years_when_unknown():
    deadline = add_working_days(d("2031-12-30"), 5, HAND)
    assert deadline.incomplete_years == (2031, 2032)


@pytest.mark.parametrize("working_days", [-1, MAX_WORKING_DAYS + 1])
def test_periods_outside_the_range_are_refused(working_days):
    with pytest.raises(ValueError, match="working_days"):
        add_working_days(d("2030-01-01"), working_days, HAND)


def test_the_longest_period_is_allowed():
    deadline = add_working_days(d("2030-01-01"), MAX_WORKING_DAYS, HAND)
    assert working_days_between(d("2030-01-01"), deadline.due, HAND) == 366
