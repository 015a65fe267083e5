"""The new computed indicators of the assessment sheet
(disclosure/oversight/indicators.py), each on hand-made records of last
year: complaints upheld, consultations' feedback in time, periodic items on
time; an office's records count under its bureau."""

import datetime
from unittest import mock

import pytest
from django.utils import timezone

from catalog import workdays
from catalog.models import CatalogEntry
from catalog.selectors import work_calendar
from disclosure.models import Complaint
from disclosure.oversight import assessment, periods
from disclosure.oversight.indicators import FEEDBACK_WORKING_DAYS
from disclosure.participation import complaints, consultations, feedback
from tests import factories
from tests.disclosure.oversight.test_assessment_scheme import assessment_world
from tests.disclosure.oversight.test_timeliness import at, publish_on

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def world():
    return assessment_world()


def measures(year, key, *, period=None):
    """{organ code: (passed ids, failed ids)} of one indicator."""
    period = period or periods.year_period(year)
    with mock.patch.object(
        assessment,
        "scheme_indicators",
        return_value=(None, [assessment.Indicator(key, key, 1)]),
    ):
        sheet = assessment.sheet_for(period, now=timezone.now())
    return {
        row.organ.code: (row.measures[key].passed, row.measures[key].failed)
        for row in sheet.rows
        if row.measures[key].whole
    }


def concluded(world, department, day, outcome):
    with mock.patch.object(timezone, "now", return_value=at(day)):
        complaint = complaints.file_complaint(
            data={
                "kind": Complaint.Kind.LATE,
                "department": department,
                "subject": "",
                "description": "未按时公开。",
                "name": "",
                "contact": "",
                "email": "",
            }
        )
        return complaints.conclude_complaint(
            complaint=complaint,
            by=world["admin"],
            outcome=outcome,
            outcome_text="已核查。",
        )


def test_complaints_found_true_lose_and_unfounded_ones_keep(world):
    year = world["year"]
    unfounded = concluded(world, world["office"], D(year, 3, 2), "unfounded")
    partly = concluded(world, world["bureau"], D(year, 5, 6), "partly")
    concluded(world, world["bureau"], D(year, 6, 1), "out_of_scope")  # not counted
    criticised = concluded(world, world["other"], D(year, 8, 3), "criticised")
    concluded(world, world["other"], D(year - 1, 8, 3), "rectified")  # other year

    assert measures(year, "complaints") == {
        "nyj": ([unfounded.pk], [partly.pk]),  # the office's under its bureau
        "czj": ([], [criticised.pk]),
    }
    q2 = measures(year, "complaints", period=periods.quarter_period(year, 2))
    assert q2 == {"nyj": ([], [partly.pk])}


def _consultation(world, closes_on, title):
    opens_on = closes_on - datetime.timedelta(days=30)
    with mock.patch.object(timezone, "now", return_value=at(opens_on, 8)):
        consultation = consultations.create_consultation(
            by=world["clerk"],
            data={
                "department": world["bureau"],
                "title": title,
                "draft_text": "<p>第一条</p>",
                "explanation": "<p>说明。</p>",
                "opens_on": opens_on,
                "closes_on": closes_on,
                "is_major_decision": True,
                "short_period_reason": "",
                "offline_contact": "电子邮箱：yjzj@example.gov.cn",
            },
        )
        consultations.submit_consultation(consultation=consultation, by=world["clerk"])
        return consultations.publish_consultation(
            consultation=consultation, by=world["reviewer"]
        )


def _feedback(world, consultation, day):
    with mock.patch.object(timezone, "now", return_value=at(day)):
        feedback.save_feedback(
            consultation=consultation,
            by=world["clerk"],
            data={
                "offline_comment_count": 0,
                "feedback_summary": "共收到意见1条。",
                "feedback_adopted": "采纳1条。",
                "feedback_not_adopted": "",
            },
        )
        feedback.submit_feedback(consultation=consultation, by=world["clerk"])
        feedback.publish_feedback(consultation=consultation, by=world["reviewer"])


def test_consultations_count_feedback_published_by_its_due_date(world):
    year = world["year"]
    calendar = work_calendar()

    def due(day):
        return workdays.add_working_days(day, FEEDBACK_WORKING_DAYS, calendar).due

    in_time = _consultation(world, D(year, 3, 16), "按时反馈的意见征集")
    _feedback(world, in_time, due(D(year, 3, 16)))  # on the due date itself
    late = _consultation(world, D(year, 6, 2), "反馈晚了的意见征集")
    _feedback(world, late, due(D(year, 6, 2)) + datetime.timedelta(days=1))
    missing = _consultation(world, D(year, 9, 1), "没有反馈的意见征集")
    # closed in December: feedback due next year, not counted this year
    _consultation(world, D(year, 12, 20), "反馈期跨年的意见征集")

    assert measures(year, "consultations") == {
        "nyj": ([in_time.pk], [late.pk, missing.pk])
    }


def test_periodic_items_count_when_their_entry_is_periodic(world):
    year = world["year"]
    quarterly = factories.CatalogEntryFactory(
        responsible_department=world["bureau"],
        level1="季度补贴发放",
        level2="发放结果",
        time_limit_kind=CatalogEntry.TimeLimitKind.PERIODIC,
        time_limit_days=10,
        period=CatalogEntry.Period.QUARTERLY,
    )
    ordinary = factories.CatalogEntryFactory(responsible_department=world["bureau"])
    clerk, reviewer = world["clerk"], world["reviewer"]

    def item(entry, department, formed_on, published_on, **extra):
        draft = factories.draft_item(
            clerk, department, catalog_entry=entry, formed_on=formed_on, **extra
        )
        return publish_on(draft, clerk, reviewer, published_on)

    on_time = item(
        quarterly,
        world["office"],
        D(year, 4, 2),
        D(year, 4, 3),
        report_year=year,
        report_period=1,
    )
    late = item(
        quarterly,
        world["bureau"],
        D(year, 7, 1),
        D(year, 8, 20),
        report_year=year,
        report_period=2,
    )
    item(ordinary, world["bureau"], D(year, 5, 5), D(year, 5, 6))  # not periodic
    assert late.late_working_days > 0

    assert measures(year, "periodic") == {"nyj": ([on_time.pk], [late.pk])}
    assert measures(year, "on_time")["nyj"][1] == [late.pk]
