"""Demo data for the register of 行政规范性文件: documents of the last four
years, one expired by its 有效期至, one repealed last year, one issued last
December and in force from January, each drafted, reviewed and published
through the workflow. Used by ``demo_reports.seed`` (``manage.py seed_demo``)."""

from __future__ import annotations

import contextlib
import datetime
from unittest import mock

from django.contrib.auth import get_user_model
from django.utils import timezone

from catalog.models import Department, DocumentType, Membership, TopicCategory
from disclosure import workflow
from disclosure.models import DocumentClass, Item

# --- the clock of the demo's history -------------------------------------------------------------


@contextlib.contextmanager
def clock(moment: datetime.datetime):
    with mock.patch.object(timezone, "now", return_value=moment):
        yield


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(
        datetime.datetime.combine(day, datetime.time(hour, minute))
    )


# --- the register of normative documents -------------------------------------------------------

# (organ, doc number abbreviation, topic, title, formed (years before Y, month,
# day), effective (days after formed), validity years (None: open), repealed
# in Y on (month, day) or None)
NORMATIVE = [
    ("gov", "示政规", "0201", "示例区行政规范性文件管理办法", (0, 2, 10), 20, 5, None),
    ("gov", "示政规", "0201", "示例区重大行政决策程序规定", (2, 6, 3), 30, None, None),
    (
        "nyj",
        "示农规",
        "0601",
        "示例区耕地地力保护补贴资金管理办法",
        (2, 3, 6),
        30,
        5,
        None,
    ),
    ("nyj", "示农规", "0601", "示例区农机购置补贴实施细则", (3, 6, 1), 30, 3, None),
    ("nyj", "示农规", "0601", "示例区家庭农场认定管理办法", (0, 5, 12), 20, 5, None),
    (
        "czj",
        "示财规",
        "0401",
        "示例区区级财政专项资金管理办法",
        (0, 3, 16),
        30,
        5,
        None,
    ),
    (
        "czj",
        "示财规",
        "0401",
        "示例区政府购买服务管理暂行办法",
        (3, 4, 8),
        30,
        None,
        (9, 1),
    ),
    ("zjj", "示建规", "1001", "示例区住宅小区物业管理办法", (0, 4, 20), 11, 5, None),
    (
        "zjj",
        "示建规",
        "1001",
        "示例区城镇老旧小区改造实施办法",
        (0, 12, 15),
        31,
        5,
        None,
    ),
    (
        "fgj",
        "示发改规",
        "0301",
        "示例区政府投资项目管理办法",
        (1, 9, 9),
        30,
        None,
        None,
    ),
]

DEMO_AUTHORS = {"czj": "clerk", "nyj": "clerk", "zjj": "clerk2", "fgj": "clerk2"}


def users_by_name() -> dict:
    return {user.username: user for user in get_user_model().objects.all()}


def _through_review(item, users, clerk):
    item = workflow.submit(item=item, by=clerk)
    if item.review_stage == "head":
        item = workflow.approve(item=item, by=users["head"])
    item = workflow.approve(
        item=item, by=users["reviewer"], confidentiality_checked=True
    )
    return workflow.publish(item=item, by=users["reviewer"])


def _organ_clerk(organ: Department, users):
    """The demo clerk of an organ; the government's documents are drafted by
    the office's administrator, made a clerk of the government for that."""
    if organ.code in DEMO_AUTHORS:
        return users[DEMO_AUTHORS[organ.code]]
    Membership.objects.get_or_create(
        user=users["admin"], department=organ, role=Membership.Role.CLERK
    )
    return users["admin"]


def seed_normative_documents(today: datetime.date) -> int:
    """The register: documents of the last four years, one expired by its
    有效期至, one repealed last year, one issued last December and in force
    from January. Returns how many were created (0 if there are some)."""
    if Item.objects.exclude(document_class=DocumentClass.OTHER).exists():
        return 0
    year = today.year - 1
    users = users_by_name()
    organs = {
        d.code: d for d in Department.objects.filter(code__in=["gov", *DEMO_AUTHORS])
    }
    notice = DocumentType.objects.get(code="notice")
    serials: dict[tuple[str, int], int] = {}
    created = 0
    for number, row in enumerate(NORMATIVE, 1):
        code, abbreviation, topic, name, formed, effective, years, repealed = row
        organ = organs.get(code)
        if organ is None:
            continue
        back, month, day = formed
        formed_on = datetime.date(year - back, month, day)
        if formed_on >= today:
            continue
        key = (abbreviation, formed_on.year)
        serials[key] = serials.get(key, 0) + 1
        effective_on = formed_on + datetime.timedelta(days=effective)
        expires_on = None
        if years:
            expires_on = effective_on.replace(year=effective_on.year + years)
            expires_on -= datetime.timedelta(days=1)
        clerk = _organ_clerk(organ, users)
        published_on = min(formed_on + datetime.timedelta(days=5), today)
        with clock(at(published_on, 9, number)):
            item = workflow.create_item(
                by=clerk,
                data={
                    "department": organ,
                    "title": f"关于印发《{name}》的通知",
                    "body": (
                        f"<p>各有关单位：</p><p>《{name}》已经研究同意，现印发给你们，"
                        "请认真贯彻执行。</p>"
                        f"<p>本办法自{effective_on.year}年{effective_on.month}月"
                        f"{effective_on.day}日起施行"
                        + (
                            f"，有效期至{expires_on.year}年{expires_on.month}月"
                            f"{expires_on.day}日。</p>"
                            if expires_on
                            else "。</p>"
                        )
                    ),
                    "doc_number": f"{abbreviation}〔{formed_on.year}〕{serials[key]}号",
                    "formed_on": formed_on,
                    "topic": TopicCategory.objects.get(code=topic),
                    "document_type": notice,
                    "keywords": f"{name} 规范性文件",
                    "document_class": DocumentClass.NORMATIVE,
                    "registration_number": (
                        f"SLQD{organ.order:02d}-{formed_on.year}-{serials[key]:04d}"
                    ),
                    "effective_on": effective_on,
                    "expires_on": expires_on,
                },
            )
        with clock(at(published_on, 15, number)):
            item = _through_review(item, users, clerk)
        created += 1
        if repealed:
            repealed_on = datetime.date(year, *repealed)
            if repealed_on >= today:
                continue
            with clock(at(repealed_on, 10, number)):
                item = workflow.update_item(
                    item=item,
                    by=clerk,
                    data={
                        "validity": "repealed",
                        "validity_changed_on": repealed_on,
                        "is_major_change": True,
                        "change_note": f"本办法自{repealed_on.year}年{repealed_on.month}月"
                        f"{repealed_on.day}日起废止。",
                    },
                    expected_version=item.version,
                )
                _through_review(item, users, clerk)
    return created
