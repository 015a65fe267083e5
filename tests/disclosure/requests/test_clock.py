"""The statutory clock of a request (disclosure/request_clock.py) against
dates computed by hand over the 2026 holiday schedule (DOMAIN.md): the
receipt rules of Art. 31, the 20 working days of Art. 33, the correction of
Art. 30, the extension, the third party's 15 working days (Art. 32), the
other organ (Art. 18) and the fee (国办函〔2020〕109号)."""

import datetime

import pytest

from catalog.workdays import build_calendar
from disclosure import request_clock
from disclosure.request_clock import Pause, answer_clock

D = datetime.date

HOLIDAYS_2026 = [
    D(2026, 1, 1), D(2026, 1, 2),
    *[D(2026, 2, day) for day in (16, 17, 18, 19, 20, 23)],
    D(2026, 4, 6), D(2026, 5, 1), D(2026, 5, 4), D(2026, 5, 5), D(2026, 6, 19),
    D(2026, 9, 25), D(2026, 10, 1), D(2026, 10, 2),
    D(2026, 10, 5), D(2026, 10, 6), D(2026, 10, 7),
]  # fmt: skip
WORKDAYS_2026 = [
    D(2026, 1, 4), D(2026, 2, 14), D(2026, 2, 28),
    D(2026, 5, 9), D(2026, 9, 20), D(2026, 10, 10),
]  # fmt: skip
CALENDAR = build_calendar(
    [(day, "holiday", "假日") for day in HOLIDAYS_2026]
    + [(day, "workday", "调休") for day in WORKDAYS_2026],
    [2026],
)

# (case, arguments of answer_clock besides the calendar, expected due date,
#  working days not counted). Worked out by hand, day by day, in the comments.
CASES = [
    (
        # Feb 10-13 (4), Sat 14 (5), 16-20 and 23 holidays, 24-27 (9),
        # Sat 28 (10), Mar 2-6 (15), 9-13 (20).
        "over the Spring Festival and its two working Saturdays",
        {"received_on": D(2026, 2, 9), "today": D(2026, 2, 9)},
        D(2026, 3, 13),
        0,
    ),
    (
        # Sep 25 holiday, 28-30 (3), Oct 1-7 holidays, 8-9 (5), Sat 10 (6),
        # 12-16 (11), 19-23 (16), 26-29 (20).
        "over the National Day week",
        {"received_on": D(2026, 9, 24), "today": D(2026, 9, 24)},
        D(2026, 10, 29),
        0,
    ),
    (
        # Corrected on Wed Apr 15: 16-17 (2), 20-24 (7), 27-30 (11),
        # May 1, 4, 5 holidays, 6-8 (14), Sat 9 (15), 11-15 (20).
        "from the corrected application (Art. 30)",
        {
            "received_on": D(2026, 4, 1),
            "correction_requested_on": D(2026, 4, 3),
            "corrected_on": D(2026, 4, 15),
            "today": D(2026, 4, 15),
        },
        D(2026, 5, 15),
        0,
    ),
    (
        # 40 working days from Mon Jan 5: Jan 6-9 (4), five full weeks to
        # Feb 6 (24), 9-13 (29), Sat 14 (30), 24-27 (34), Sat 28 (35),
        # Mar 2-6 (40).
        "extended by 20 working days (Art. 33)",
        {"received_on": D(2026, 1, 5), "extension_days": 20, "today": D(2026, 1, 5)},
        D(2026, 3, 6),
        0,
    ),
    (
        # Jun 2-3 (2); Jun 4-12 paused (7 working days); 15-18 (6),
        # 19 holiday, 22-26 (11), 29-30 (13), Jul 1-3 (16), 6-9 (20).
        "a third party answers after 7 working days (Art. 32)",
        {
            "received_on": D(2026, 6, 1),
            "pauses": [Pause(D(2026, 6, 3), D(2026, 6, 12), D(2026, 6, 25))],
            "today": D(2026, 6, 15),
        },
        D(2026, 7, 9),
        7,
    ),
    (
        # The third party's 15 working days end on Jun 25 (Jun 19 is a
        # holiday); silence after that is counted again: Jun 2-3 (2),
        # 26 (3), 29-30 (5), Jul 1-3 (8), 6-10 (13), 13-17 (18), 20-21 (20).
        "a third party that never answers: paused for its 15 working days only",
        {
            "received_on": D(2026, 6, 1),
            "pauses": [Pause(D(2026, 6, 3), None, D(2026, 6, 25))],
            "today": D(2026, 7, 1),
        },
        D(2026, 7, 21),
        15,
    ),
    (
        # Another organ (Art. 18) from Tue Mar 3 to Wed Mar 11: Mar 4-11
        # paused (6); Sat Feb 28 is a working day (1), Mar 2-3 (3), 12-13
        # (5), 16-20 (10), 23-27 (15), 30-31 (17), Apr 1-3 (20).
        "another organ confirms (Art. 18)",
        {
            "received_on": D(2026, 2, 27),
            "pauses": [Pause(D(2026, 3, 3), D(2026, 3, 11))],
            "today": D(2026, 3, 12),
        },
        D(2026, 4, 3),
        6,
    ),
    (
        # Sat Oct 10 (1), 12 (2); fee notice on the 12th, paid on the 20th:
        # 13-16, 19-20 paused (6); 21-23 (5), 26-30 (10), Nov 2-6 (15),
        # 9-13 (20).
        "a fee notice stops the clock until payment",
        {
            "received_on": D(2026, 10, 9),
            "pauses": [Pause(D(2026, 10, 12), D(2026, 10, 20))],
            "today": D(2026, 10, 21),
        },
        D(2026, 11, 13),
        6,
    ),
    (
        # Correction, then 40 days with a third party (Mar 5-6) and a fee
        # (Mar 11-12) not counted: Mar 3-4 (2), 9-10 (4), 13 (5), 16-20
        # (10), 23-27 (15), 30-31 (17), Apr 1-3 (20), 7-10 (24), 13-17
        # (29), 20-24 (34), 27-30 (38), May 1, 4, 5 holidays, 6-7 (40).
        "everything at once",
        {
            "received_on": D(2026, 2, 11),
            "correction_requested_on": D(2026, 2, 13),
            "corrected_on": D(2026, 3, 2),
            "extension_days": 20,
            "pauses": [
                Pause(D(2026, 3, 4), D(2026, 3, 6), D(2026, 3, 25)),
                Pause(D(2026, 3, 10), D(2026, 3, 12)),
            ],
            "today": D(2026, 3, 13),
        },
        D(2026, 5, 7),
        4,
    ),
]


@pytest.mark.parametrize(
    ("case", "arguments", "due", "paused"), CASES, ids=[c[0] for c in CASES]
)
def test_the_answer_is_due_on_the_hand_computed_day(case, arguments, due, paused):
    clock = answer_clock(calendar=CALENDAR, **arguments)
    assert clock.due == due
    assert clock.paused == paused
    assert clock.status == request_clock.RUNNING


@pytest.mark.parametrize(
    ("received_on", "expected"),
    [
        # Apr 2-3 (2), Apr 6 holiday, 7-10 (6), 13 (7).
        (D(2026, 4, 1), D(2026, 4, 13)),
        # Feb 12-13 (2), Sat 14 (3), 24-27 (7).
        (D(2026, 2, 11), D(2026, 2, 27)),
    ],
)
def test_a_correction_notice_is_due_within_7_working_days(received_on, expected):
    assert request_clock.correction_notice_deadline(received_on, CALENDAR) == expected


def test_the_periods_of_the_third_party_the_fee_and_the_correction():
    # Jun 4-5, 8-12, 15-18 (11), 19 holiday, 22-25 (15).
    assert request_clock.third_party_due(D(2026, 6, 3), CALENDAR) == D(2026, 6, 25)
    # Oct 13-16, 19-23, 26-30, Nov 2-6 (19), 9 (20).
    assert request_clock.fee_due(D(2026, 10, 12), CALENDAR) == D(2026, 11, 9)
    # Apr 7-10, 13-17, 20 (10).
    assert request_clock.correction_due(D(2026, 4, 3), 10, CALENDAR) == D(2026, 4, 20)
    with pytest.raises(request_clock.ClockError):
        request_clock.correction_due(D(2026, 4, 3), 0, CALENDAR)


def test_waiting_for_a_correction_or_an_open_pause_shows_no_due_date():
    waiting = answer_clock(
        received_on=D(2026, 4, 1),
        correction_requested_on=D(2026, 4, 3),
        today=D(2026, 4, 10),
        calendar=CALENDAR,
    )
    assert (waiting.status, waiting.due, waiting.overdue) == ("correction", None, False)
    paused = answer_clock(
        received_on=D(2026, 6, 1),
        pauses=[Pause(D(2026, 6, 3), None, D(2026, 6, 25))],
        today=D(2026, 6, 22),
        calendar=CALENDAR,
    )
    # Jun 2 and 3 counted; the third party's period runs until Jun 25.
    assert (paused.status, paused.due, paused.used, paused.remaining) == (
        "paused",
        None,
        2,
        18,
    )


def test_due_soon_overdue_and_late():
    received = {"received_on": D(2026, 2, 9), "calendar": CALENDAR}  # due Mar 13
    # Feb 10-13, 14, 24-28, Mar 2-6, 9 = 16 working days used, 4 left.
    soon = answer_clock(today=D(2026, 3, 9), **received)
    assert (soon.used, soon.remaining, soon.overdue) == (16, 4, False)
    assert request_clock.due_soon(soon, D(2026, 3, 9), CALENDAR)
    early = answer_clock(today=D(2026, 3, 2), **received)
    assert not request_clock.due_soon(early, D(2026, 3, 2), CALENDAR)
    late = answer_clock(today=D(2026, 3, 16), **received)
    assert late.overdue and late.remaining == 0
    closed = answer_clock(today=D(2026, 3, 20), closed_on=D(2026, 3, 17), **received)
    assert (closed.status, closed.late, closed.overdue) == ("closed", 2, False)
    on_time = answer_clock(today=D(2026, 3, 20), closed_on=D(2026, 3, 13), **received)
    assert on_time.late == 0


@pytest.mark.parametrize(
    ("channel", "dates", "expected"),
    [
        ("in_person", {"handed_in_on": D(2026, 3, 2)}, D(2026, 3, 2)),
        (
            "post",
            {"signed_for_on": D(2026, 3, 4), "confirmed_on": D(2026, 3, 9)},
            D(2026, 3, 4),
        ),
        ("letter", {"confirmed_on": D(2026, 3, 9)}, D(2026, 3, 9)),
        ("online", {"confirmed_on": D(2026, 3, 3)}, D(2026, 3, 3)),
        (
            "fax",
            {"confirmed_on": D(2026, 3, 5), "handed_in_on": D(2026, 3, 1)},
            D(2026, 3, 5),
        ),
    ],
)
def test_the_receipt_date_follows_article_31(channel, dates, expected):
    assert request_clock.receipt_date(channel, **dates) == expected


@pytest.mark.parametrize(
    ("channel", "dates", "missing"),
    [
        ("in_person", {"signed_for_on": D(2026, 3, 2)}, "handed_in_on"),
        ("post", {"confirmed_on": D(2026, 3, 2)}, "signed_for_on"),
        ("fax", {"handed_in_on": D(2026, 3, 2)}, "confirmed_on"),
    ],
)
def test_a_receipt_without_the_date_its_channel_needs_is_refused(
    channel, dates, missing
):
    with pytest.raises(request_clock.ClockError, match=missing):
        request_clock.receipt_date(channel, **dates)


def test_an_extension_beyond_20_working_days_is_refused():
    with pytest.raises(request_clock.ClockError):
        answer_clock(
            received_on=D(2026, 1, 5),
            today=D(2026, 1, 5),
            calendar=CALENDAR,
            extension_days=21,
        )
