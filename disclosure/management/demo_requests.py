"""Demo requests for information: two years of them up to today, each taken
through the real workflow at the dates it would have happened (so the
trail, the letters, the clock and tables 三 and 四 are the ones the portal
would have produced), with every reply type in the previous calendar year,
requests carried over into it and out of it, and requests in every state
today. Plus appeals and reading places. Called by ``seed_demo``; runs once
per database."""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.test.utils import override_settings

from catalog import workdays
from disclosure.models import (
    AppealCase,
    ApplicantKind,
    InformationRequest,
    ReadingPlace,
    ReplyType,
)
from disclosure.workflow import requests as steps

from .demo_request_seeder import KINDS, ORGANS, REPLY_TEXT, Plan, _Seeder


def _back(day: datetime.date, working_days: int, calendar) -> datetime.date:
    """The working day ``working_days`` working days before ``day``."""
    while working_days > 0:
        day -= datetime.timedelta(days=1)
        if workdays.is_working_day(day, calendar):
            working_days -= 1
    return day


def _working_day_in(year: int, month: int, rng, calendar) -> datetime.date:
    day = datetime.date(year, month, rng.randint(1, 26))
    while not workdays.is_working_day(day, calendar):
        day += datetime.timedelta(days=1)
    return day


COMMON = (
    [ReplyType.GRANTED] * 8
    + [ReplyType.PARTLY_GRANTED] * 3
    + [ReplyType.UNABLE_NOT_HELD] * 3
    + [
        ReplyType.REFUSED_PROCESS,
        ReplyType.REFUSED_THIRD_PARTY,
        ReplyType.UNABLE_TO_MAKE,
    ]
    + [ReplyType.REJECTED_PETITION, ReplyType.OTHER_NO_CORRECTION]
)


#: Results that come from a correction, a fee or a withdrawal of their own.
SPECIAL = {
    ReplyType.OTHER_NO_CORRECTION,
    ReplyType.UNABLE_UNCLEAR,
    ReplyType.OTHER_NO_FEE,
    ReplyType.OTHER_OTHER,
}


def _plans(today, rng, calendar) -> list[Plan]:
    last, before = today.year - 1, today.year - 2
    plans = []

    def plan(year_or_day, result="", *extras, month=None, kind=None):
        if isinstance(year_or_day, datetime.date):
            day = year_or_day
        else:
            day = _working_day_in(
                year_or_day, month or rng.randint(1, 10), rng, calendar
            )
        plans.append(
            Plan(
                organ=rng.choice(ORGANS),
                kind=kind or rng.choice(KINDS),
                received_on=day,
                result=result,
                extras=set(extras),
            )
        )

    for _n in range(22):  # the year before last
        plan(before, rng.choice(COMMON))
    for _n in range(3):  # carried over into last year
        plan(
            datetime.date(before, 12, 18) + datetime.timedelta(days=rng.randint(0, 6)),
            ReplyType.GRANTED,
        )
    # Last year: every type of reply at least once, in every column.
    for number, result in enumerate(ReplyType.values):
        extras = {
            ReplyType.PARTLY_GRANTED: ("third_party",),
            ReplyType.REFUSED_THIRD_PARTY: ("third_party",),
            ReplyType.OTHER_OTHER: ("withdraw",),
        }.get(result, ())
        plan(
            last, result, *extras, month=2 + number % 8, kind=KINDS[number % len(KINDS)]
        )
    for _n in range(24):
        result = rng.choice(COMMON)
        extras = rng.choice([(), (), ("fee",), ("extension",), ("third_party",)])
        if result in SPECIAL:
            extras = ()
        plan(last, result, *extras)
    for _n in range(3):  # carried over into this year
        plan(
            datetime.date(last, 12, 21) + datetime.timedelta(days=rng.randint(0, 5)),
            ReplyType.GRANTED,
        )
    # Today: every state.
    for days_ago, extras in [
        (2, ()),
        (3, ("correction", "no_correction_yet")),
        (5, ("fee", "fee_unpaid")),
        (6, ("third_party", "open_consultation")),
        (18, ("extension",)),
        (17, ()),  # due within 5 working days
        (30, ()),  # overdue
    ]:
        plan(_back(today, days_ago, calendar), "", *extras)
    for days_ago in (40, 25, 15):
        plan(_back(today, days_ago, calendar), rng.choice(COMMON))
    return plans


def _appeals(seeder, today, closed):
    last = today.year - 1
    refused = [r for r in closed if r.closed_on and r.closed_on.year == last]
    cases = [
        ("review", "upheld", (last, 3, 2), (last, 5, 8)),
        ("review", "corrected", (last, 4, 7), (last, 6, 10)),
        ("review", "pending", (last, 11, 23), None),
        ("direct", "other", (last, 4, 15), (last, 8, 20)),
        ("after_review", "upheld", (last, 6, 3), (last, 10, 12)),
        ("after_review", "pending", (last, 12, 1), None),
        ("review", "upheld", (last - 1, 5, 6), (last - 1, 7, 1)),
    ]
    for number, (kind, result, filed, decided) in enumerate(cases, 1):
        request = refused[number % len(refused)] if refused else None
        prefix = "示政复" if kind == "review" else f"（{filed[0]}）示0102行初"
        AppealCase.objects.create(
            organ=request.organ if request else seeder.organs["czj"],
            kind=kind,
            case_number=f"{prefix}〔{filed[0]}〕{number}号"
            if kind == "review"
            else f"{prefix}{number}号",
            request=request,
            filed_on=datetime.date(*filed),
            result=result,
            decided_on=datetime.date(*decided) if decided else None,
            summary="申请人对政府信息公开答复不服。",
            created_by=seeder.admin,
        )


def _reading_places():
    for order, (name, address, hours) in enumerate(
        [
            (
                "示例区政务服务中心政府信息公开查阅点",
                "示例区人民大道8号一楼",
                "工作日 8:30-17:30",
            ),
            ("示例区档案馆政府信息查阅室", "示例区文化路12号", "工作日 9:00-17:00"),
            ("示例区图书馆政府信息查阅专区", "示例区文化路16号", "每日 9:00-20:00"),
        ],
        1,
    ):
        ReadingPlace.objects.get_or_create(
            name=name,
            defaults={"address": address, "office_hours": hours, "order": order},
        )


def seed_requests(today: datetime.date | None = None) -> int:
    """Create the demo requests once; returns how many were created."""
    from django.utils import timezone

    _reading_places()
    if InformationRequest.objects.exists():
        return 0
    today = today or timezone.localdate()
    rng = random.Random(2019)  # noqa: S311 - demo data, not security
    seeder = _Seeder(today, rng)
    closed = []
    with (
        override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"),
        transaction.atomic(),
    ):
        for plan in sorted(
            _plans(today, rng, seeder.calendar), key=lambda p: p.received_on
        ):
            request = seeder.run(plan)
            if request is not None:
                request.refresh_from_db()
                closed.append(request)
        clerk = seeder.clerks["czj"]
        with seeder.at(
            _back(today, 4, seeder.calendar), 9
        ):  # a reply waiting for review
            request = seeder.run(
                Plan("czj", ApplicantKind.NATURAL, _back(today, 4, seeder.calendar))
            )
            steps.draft_reply(
                request=request,
                by=clerk,
                reply_type=ReplyType.GRANTED,
                text=REPLY_TEXT[ReplyType.GRANTED],
            )
        with seeder.at(today, 8):  # online, not yet confirmed; and spam
            steps.submit_online(
                data=seeder.data(Plan("nyj", ApplicantKind.NATURAL, today))
            )
            spam, _code = steps.submit_online(
                data=seeder.data(Plan("zjj", ApplicantKind.OTHER, today))
            )
            steps.discard(
                request=spam,
                by=seeder.reviewer,
                reason="内容为广告，不是政府信息公开申请。",
            )
        _appeals(seeder, today, closed)
    return InformationRequest.objects.count()
