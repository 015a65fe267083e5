"""Demo data of public participation, dated relative to today and made through
the real steps (so the trails, counts and checks are the portal's own): the
site's identity; policies with interpretations (published together, late,
missing, and a pair awaiting joint publication); consultations open, closed
and with feedback linked from the adopted policy; complaints counted in the
通报; a confirmed subscription. Idempotent: runs once per database
(``manage.py seed_demo`` calls it after the items)."""

import datetime
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from catalog.models import Department, DocumentType
from disclosure import workflow
from disclosure.models import (
    Complaint,
    Consultation,
    Item,
    SiteSettings,
    Subscription,
)
from disclosure.site_emblem import store_emblem

from . import complaints, consultations, feedback
from .demo_interpretations import seed_interpretations
from .demo_steps import Cast, approved_item, as_if_at, moment


def emblem_png(size: int = 64) -> bytes:
    """A plain gold disc with a red centre, as a demo emblem (a real site
    uploads its own)."""
    rows = []
    centre = (size - 1) / 2
    for y in range(size):
        row = bytearray([0])
        for x in range(size):
            distance = ((x - centre) ** 2 + (y - centre) ** 2) ** 0.5
            if distance < size * 0.30:
                row += bytes((0xB7, 0x11, 0x1A, 0xFF))
            elif distance < size * 0.48:
                row += bytes((0xF2, 0xC1, 0x2E, 0xFF))
            else:
                row += bytes((0, 0, 0, 0))
        rows.append(bytes(row))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
        + chunk(b"IEND", b"")
    )


def seed_identity() -> SiteSettings:
    row = SiteSettings.load()
    if row.government_name:
        return row
    row.government_name = "示例区人民政府"
    row.site_name = "示例区人民政府信息公开专栏"
    row.sponsor = "示例区人民政府办公室"
    row.organiser = "示例区政务公开办公室"
    row.contact_phone = "0571-88880000"
    row.contact_email = "gkb@example.gov.cn"
    row.contact_address = "示例市示例区人民大道1号"
    # Demo values: a real site shows the numbers it was given.
    row.website_code = "3399000001"
    row.icp_number = "浙ICP备00000000号-1"
    row.public_security_number = "浙公网安备 33990002000001号"
    store_emblem(
        row, SimpleUploadedFile("emblem.png", emblem_png(), content_type="image/png")
    )
    row.save()
    row.interpretation_types.set(
        DocumentType.objects.filter(code__in=["opinion", "decision"])
    )
    return row


def _consultation(
    cast, clerk, department, *, title, opens_on, closes_on, major, **extra
):
    with as_if_at(moment(opens_on, 8)):
        consultation = consultations.create_consultation(
            by=clerk,
            data={
                "department": department,
                "title": title,
                "draft_text": f"<p>{title}全文如下。</p><p>第一条 为了……，制定本办法。</p>",
                "explanation": "<p>一、起草背景。二、起草过程。三、主要内容。</p>",
                "opens_on": opens_on,
                "closes_on": closes_on,
                "is_major_decision": major,
                "short_period_reason": extra.get("reason", ""),
                "offline_contact": "信函：示例市示例区人民大道1号（邮编310000）；"
                "电子邮箱：yjzj@example.gov.cn",
            },
        )
        consultations.submit_consultation(consultation=consultation, by=clerk)
        return consultations.publish_consultation(
            consultation=consultation, by=cast.reviewer
        )


COMMENTS = [
    (
        "张先生",
        "建议在每个社区至少设置一处日间照料中心，方便老人就近活动。",
        "published",
    ),
    ("", "规划中应明确无障碍设施的建设标准。", "published"),
    (
        "李女士",
        "希望公布各设施的建设时间表。我的电话是13800000000，欢迎联系。",
        "hidden",
    ),
    ("", "代开发票，联系微信……", "spam"),
]


def seed_consultations(cast, today: datetime.date) -> None:
    zjj = Department.objects.get(code="zjj")
    nyj = Department.objects.get(code="nyj")
    # Open now, with comments moderated and one waiting.
    opens = today - datetime.timedelta(days=10)
    open_one = _consultation(
        cast,
        cast.clerk2,
        zjj,
        title="示例区养老服务设施布局专项规划（征求意见稿）",
        opens_on=opens,
        closes_on=today + datetime.timedelta(days=25),
        major=True,
    )
    for number, (name, body, state) in enumerate(COMMENTS):
        with as_if_at(moment(opens + datetime.timedelta(days=1 + number), 10)):
            comment = feedback.add_comment(
                consultation=open_one, name=name, contact="", body=body
            )
            feedback.moderate_comment(comment=comment, by=cast.admin, state=state)
    with as_if_at(moment(today - datetime.timedelta(days=1), 20)):
        feedback.add_comment(
            consultation=open_one,
            name="王先生",
            contact="wang@example.com",
            body="建议把老年助餐点纳入规划。",
        )
    # Closed, feedback published, the adopted policy linked.
    opens = today - datetime.timedelta(days=80)
    closed = _consultation(
        cast,
        cast.clerk,
        nyj,
        title="示例区农村生活垃圾分类管理办法（征求意见稿）",
        opens_on=opens,
        closes_on=opens + datetime.timedelta(days=30),
        major=True,
    )
    for number, body in enumerate(
        ["建议增加对积极分类农户的奖励。", "垃圾收运频次应写入办法。"]
    ):
        with as_if_at(moment(opens + datetime.timedelta(days=2 + number), 11)):
            comment = feedback.add_comment(
                consultation=closed, name="", contact="", body=body
            )
            feedback.moderate_comment(comment=comment, by=cast.admin, state="published")
    written = opens + datetime.timedelta(days=40)
    with as_if_at(moment(written, 10)):
        feedback.save_feedback(
            consultation=closed,
            by=cast.clerk,
            data={
                "offline_comment_count": 3,
                "feedback_summary": "征求意见期间共收到意见建议5条，其中网上2条、信函和电子邮件3条。",
                "feedback_adopted": "采纳3条：增加对积极分类农户的奖励（第十二条）；明确收运频次（第八条）。",
                "feedback_not_adopted": "未采纳2条：建议按户收费，因与上位法规定不符，未予采纳。",
            },
        )
        feedback.submit_feedback(consultation=closed, by=cast.clerk)
        feedback.publish_feedback(consultation=closed, by=cast.reviewer)
    day = today - datetime.timedelta(days=20)
    adopted = approved_item(
        cast,
        cast.clerk,
        nyj,
        day,
        title="示例区农村生活垃圾分类管理办法",
        type_code="notice",
        doc_number=f"示农发〔{day.year}〕26号",
        body="<p>第一条 为推进农村生活垃圾分类，制定本办法。</p>",
    )
    with as_if_at(moment(day, 15)):
        workflow.publish(item=adopted, by=cast.reviewer)
        feedback.link_policy(
            consultation=closed,
            by=cast.admin,
            index_number=Item.objects.get(pk=adopted.pk).index_number,
        )
    # Closed a few days ago, its feedback still to be written.
    opens = today - datetime.timedelta(days=20)
    _consultation(
        cast,
        cast.clerk2,
        zjj,
        title="示例区城市道路挖掘管理规定（修订征求意见稿）",
        opens_on=opens,
        closes_on=today - datetime.timedelta(days=3),
        major=False,
    )


def seed_complaints(cast, today: datetime.date) -> None:
    czj = Department.objects.get(code="czj")
    zjj = Department.objects.get(code="zjj")
    quarter_start = datetime.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    last_quarter = quarter_start - datetime.timedelta(days=30)
    with as_if_at(moment(last_quarter, 10)):
        complaint = complaints.file_complaint(
            data={
                "kind": Complaint.Kind.LATE,
                "department": czj,
                "subject": "本年度部门预算",
                "description": "区财政局批复部门预算后超过20日仍未公开部门预算。",
                "name": "赵先生",
                "contact": "",
                "email": "",
            }
        )
    with as_if_at(moment(last_quarter + datetime.timedelta(days=6), 16)):
        complaints.conclude_complaint(
            complaint=complaint,
            by=cast.admin,
            outcome=Complaint.Outcome.RECTIFIED,
            outcome_text="经核查，区财政局部门预算公开晚于法定时限，已督促其公开并整改。",
        )
    # This quarter, and never in the future (today may be its first day).
    this_quarter = max(
        moment(quarter_start, 0), timezone.now() - datetime.timedelta(days=2)
    )
    with as_if_at(this_quarter):
        complaint = complaints.file_complaint(
            data={
                "kind": Complaint.Kind.NOT_PUBLISHED,
                "department": zjj,
                "subject": "城北保障性租赁住房项目",
                "description": "城北保障性租赁住房项目的分配结果没有在网站公开。",
                "name": "",
                "contact": "",
                "email": "",
            }
        )
        complaints.accept_complaint(complaint=complaint, by=cast.admin)


def seed_subscription(today: datetime.date) -> None:
    Subscription.objects.get_or_create(
        email="citizen@example.com",
        query="department=nyj",
        defaults={
            "label": "发布机构：区农业农村局",
            "frequency": Subscription.Frequency.DAILY,
            "key": "demo" + "0" * 28,
            "created_at": moment(today - datetime.timedelta(days=7), 9),
            "confirmed_at": moment(today - datetime.timedelta(days=7), 9),
        },
    )


def seed_participation(today: datetime.date | None = None) -> bool:
    """Create the demo's participation data once; False if it exists."""
    seed_identity()
    if Consultation.objects.exists():
        return False
    today = today or timezone.localdate()
    cast = Cast()
    with (
        override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"),
        transaction.atomic(),
    ):
        seed_interpretations(cast, today)
        seed_consultations(cast, today)
        seed_complaints(cast, today)
        seed_subscription(today)
    return True
