"""The demo's assessment of last year (政务公开考核): the consultations and
complaints of that year that the new indicators count, the year's scheme
with every computed indicator and two manual ones (培训, 公开栏) scored for
some organs with evidence, published by the office.

Run by ``seed_demo`` after the participation data; idempotent (nothing is
done when last year's scheme exists)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from catalog.models import Department
from disclosure import demo_files
from disclosure.models import Complaint
from disclosure.oversight import schemes
from disclosure.oversight.assessment_models import AssessmentScheme
from disclosure.participation import complaints, feedback
from disclosure.participation.demo import _consultation
from disclosure.participation.demo_steps import Cast, as_if_at, moment
from disclosure.uploads import check_upload

#: Last year's scheme: computed indicators (weight) and manual ones
#: (name, weight, maximum points).
WEIGHTS = {
    "on_time": 30,
    "completeness": 20,
    "interpretation": 10,
    "requests": 10,
    "periodic": 10,
    "consultations": 5,
    "complaints": 5,
}
MANUAL = (("政务公开培训", 5, Decimal("10")), ("政务公开栏（公示栏）", 5, Decimal("5")))
#: organ code → points of each manual indicator (None: not scored)
POINTS = {
    "czj": (Decimal("10"), Decimal("5")),
    "nyj": (Decimal("6"), Decimal("5")),
    "zjj": (Decimal("8"), Decimal("3")),
}


def _feedback(consultation, cast, day):
    with as_if_at(moment(day, 10)):
        feedback.save_feedback(
            consultation=consultation,
            by=cast.clerk if consultation.department.code != "zjj" else cast.clerk2,
            data={
                "offline_comment_count": 2,
                "feedback_summary": "征求意见期间共收到意见建议2条，均为信函。",
                "feedback_adopted": "采纳1条：明确补助申请材料清单（第五条）。",
                "feedback_not_adopted": "未采纳1条：建议取消申请期限，因预算安排需要，未予采纳。",
            },
        )
        author = cast.clerk if consultation.department.code != "zjj" else cast.clerk2
        feedback.submit_feedback(consultation=consultation, by=author)
        feedback.publish_feedback(consultation=consultation, by=cast.reviewer)


def seed_records(cast, year: int) -> None:
    """Two consultations (feedback in time and late) and two complaints
    concluded (one found true, one not) in ``year``."""
    nyj = Department.objects.get(code="nyj")
    zjj = Department.objects.get(code="zjj")
    czj = Department.objects.get(code="czj")
    opens = datetime.date(year, 4, 15)
    in_time = _consultation(
        cast,
        cast.clerk,
        nyj,
        title=f"示例区{year}年农机购置补贴实施方案（征求意见稿）",
        opens_on=opens,
        closes_on=opens + datetime.timedelta(days=30),
        major=True,
    )
    _feedback(in_time, cast, opens + datetime.timedelta(days=40))
    opens = datetime.date(year, 7, 1)
    late = _consultation(
        cast,
        cast.clerk2,
        zjj,
        title=f"示例区老旧小区改造{year}年度计划（征求意见稿）",
        opens_on=opens,
        closes_on=opens + datetime.timedelta(days=20),
        major=False,
        reason="非重大行政决策，按一般程序征求意见。",
    )
    _feedback(late, cast, opens + datetime.timedelta(days=80))
    for department, day, kind, outcome, text in (
        (
            zjj,
            datetime.date(year, 5, 10),
            Complaint.Kind.NOT_PUBLISHED,
            Complaint.Outcome.PARTLY,
            "经核查，部分项目的分配结果未公开，已督促区住房和城乡建设局整改。",
        ),
        (
            czj,
            datetime.date(year, 9, 8),
            Complaint.Kind.WRONG,
            Complaint.Outcome.UNFOUNDED,
            "经核查，区财政局公开的决算表数据与批复一致，投诉反映的问题不属实。",
        ),
    ):
        with as_if_at(moment(day, 9)):
            complaint = complaints.file_complaint(
                data={
                    "kind": kind,
                    "department": department,
                    "subject": "",
                    "description": "投诉反映的情况。",
                    "name": "",
                    "contact": "",
                    "email": "",
                }
            )
        with as_if_at(moment(day + datetime.timedelta(days=7), 15)):
            complaints.conclude_complaint(
                complaint=complaint, by=cast.admin, outcome=outcome, outcome_text=text
            )


def seed_scheme(cast, year: int) -> AssessmentScheme:
    with as_if_at(moment(datetime.date(year, 1, 20), 9)):
        scheme = schemes.create_scheme(year=year, by=cast.admin)
        schemes.save_indicators(
            scheme=scheme,
            by=cast.admin,
            computed={
                key: (weight, order)
                for order, (key, weight) in enumerate(WEIGHTS.items(), 1)
            },
            manual=[
                {"name": name, "weight": weight, "max_points": points, "order": 10 + n}
                for n, (name, weight, points) in enumerate(MANUAL)
            ],
        )
        schemes.publish_scheme(scheme=scheme, by=cast.admin)
    manual = list(scheme.indicators.filter(key="").order_by("order"))
    with as_if_at(moment(datetime.date(year, 12, 28), 10)):
        for code, points in POINTS.items():
            organ = Department.objects.get(code=code)
            for indicator, value in zip(manual, points, strict=True):
                upload = SimpleUploadedFile(
                    f"{organ.name}{indicator.name}佐证材料.pdf",
                    demo_files.pdf(
                        f"{organ.name}{indicator.name}",
                        [f"{year}年开展情况的记录和照片。"],
                    ),
                    content_type="application/pdf",
                )
                schemes.score_manual(
                    indicator=indicator,
                    organ=organ,
                    by=cast.admin,
                    points=value,
                    note=f"{year}年度{indicator.name}检查评分。",
                    uploaded=upload,
                    checked=check_upload(upload),
                )
    return scheme


def seed(today: datetime.date | None = None) -> bool:
    """Last year's records, scheme and manual points; False if they exist."""
    year = (today or timezone.localdate()).year - 1
    if AssessmentScheme.objects.filter(year=year).exists():
        return False
    cast = Cast()
    with (
        override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"),
        transaction.atomic(),
    ):
        seed_records(cast, year)
        seed_scheme(cast, year)
    return True
