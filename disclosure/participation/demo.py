"""Demo data of public participation, dated relative to today and made through
the real steps (so the trails, counts and checks are the portal's own): the
site's identity; policies with interpretations (published together, late,
missing, and a pair awaiting joint publication); consultations open, closed
and with feedback linked from the adopted policy; complaints counted in the
通报; a confirmed subscription. Idempotent: runs once per database
(``manage.py seed_demo`` calls it after the items)."""

import contextlib
import datetime
import struct
import zlib
from unittest import mock

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from catalog.models import Department, DocumentType, TopicCategory
from disclosure import workflow
from disclosure.models import (
    Complaint,
    Consultation,
    InterpretationForm,
    Item,
    ItemKind,
    SiteSettings,
    Subscription,
)
from disclosure.site_emblem import store_emblem

from . import complaints, consultations, feedback


@contextlib.contextmanager
def _clock(moment: datetime.datetime):
    with mock.patch.object(timezone, "now", return_value=moment):
        yield


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(
        datetime.datetime.combine(day, datetime.time(hour, minute))
    )


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


class _Cast:
    def __init__(self):
        users = {u.username: u for u in get_user_model().objects.all()}
        self.clerk = users["clerk"]  # 区财政局, 区农业农村局
        self.clerk2 = users["clerk2"]  # 区住房和城乡建设局, 区发展和改革局
        self.reviewer = users["reviewer"]
        self.admin = users["admin"]
        self.head = users["head"]


def _item(cast, clerk, department, day, *, title, type_code, body, **extra):
    with _clock(_at(day, 9)):
        item = workflow.create_item(
            by=clerk,
            data={
                "department": department,
                "title": title,
                "body": body,
                "formed_on": day,
                "topic": TopicCategory.objects.get(code="0601"),
                "document_type": DocumentType.objects.get(code=type_code),
                "keywords": "政策 解读",
                **extra,
            },
        )
        item = workflow.submit(item=item, by=clerk)
        if item.review_stage == "head":
            item = workflow.approve(item=item, by=cast.head)
        return workflow.approve(
            item=item, by=cast.reviewer, confidentiality_checked=True
        )


def _interpretation(cast, clerk, policy, day, *, form, title, body, video_url=""):
    return _item(
        cast,
        clerk,
        policy.department,
        day,
        title=title,
        type_code="notice",
        body=body,
        kind=ItemKind.INTERPRETATION,
        interprets=policy,
        interpretation_form=form,
        video_url=video_url,
    )


QA_BODY = (
    "<h2>一、为什么出台《实施意见》？</h2><p>为落实乡村振兴战略，促进乡村产业高质量发展。</p>"
    "<h2>二、主要支持哪些产业？</h2><p>特色种养、农产品加工、乡村旅游和农村电商。</p>"
    "<h2>三、如何申请扶持资金？</h2><p>符合条件的经营主体向所在镇（街道）提出申请，区农业农村局审核后公示。</p>"
)


def seed_interpretations(cast, today: datetime.date) -> Item:
    nyj = Department.objects.get(code="nyj")
    fgj = Department.objects.get(code="fgj")
    # Published together (同步): the policy and a Q&A interpretation.
    day = today - datetime.timedelta(days=12)
    policy = _item(
        cast,
        cast.clerk,
        nyj,
        day,
        title=f"示例区关于促进乡村产业振兴的实施意见（{today.year}—{today.year + 2}年）",
        type_code="opinion",
        doc_number=f"示农发〔{day.year}〕21号",
        body="<p>为加快乡村产业发展，结合本区实际，提出如下实施意见。</p>",
    )
    interpretation = _interpretation(
        cast,
        cast.clerk,
        policy,
        day,
        form=InterpretationForm.QA,
        title="《示例区关于促进乡村产业振兴的实施意见》政策解读",
        body=QA_BODY,
    )
    with _clock(_at(day, 16)):
        workflow.publish_together(
            policy=policy, interpretations=[interpretation], by=cast.reviewer
        )
    # Published without an interpretation (shown on the oversight dashboard).
    day = today - datetime.timedelta(days=20)
    policy = _item(
        cast,
        cast.clerk2,
        fgj,
        day,
        title="示例区关于废止部分行政规范性文件的决定",
        type_code="decision",
        doc_number=f"示发改〔{day.year}〕8号",
        body="<p>经清理，决定废止以下文件。</p>",
    )
    with _clock(_at(day, 15)):
        workflow.publish(item=policy, by=cast.reviewer)
    # An interpretation published five days after its policy (late).
    day = today - datetime.timedelta(days=30)
    policy = _item(
        cast,
        cast.clerk2,
        fgj,
        day,
        title="示例区关于优化营商环境的若干意见",
        type_code="opinion",
        doc_number=f"示发改〔{day.year}〕5号",
        body="<p>为持续优化营商环境，提出以下意见。</p>",
    )
    with _clock(_at(day, 15)):
        workflow.publish(item=policy, by=cast.reviewer)
    later = day + datetime.timedelta(days=5)
    interpretation = _interpretation(
        cast,
        cast.clerk2,
        policy,
        later,
        form=InterpretationForm.VIDEO,
        title="图解与视频：《示例区关于优化营商环境的若干意见》",
        body="<p>本视频解读《若干意见》的主要内容。</p>",
        video_url="https://video.example.gov.cn/yshj.html",
    )
    with _clock(_at(later, 15)):
        workflow.publish(item=interpretation, by=cast.reviewer)
    # Approved, awaiting joint publication: for the reviewer to try.
    day = today - datetime.timedelta(days=1)
    policy = _item(
        cast,
        cast.clerk,
        nyj,
        day,
        title="示例区高标准农田建设管护办法",
        type_code="decision",
        doc_number=f"示农发〔{day.year}〕30号",
        body="<p>为加强高标准农田建设后的管护，制定本办法。</p>",
    )
    _interpretation(
        cast,
        cast.clerk,
        policy,
        day,
        form=InterpretationForm.TEXT,
        title="《示例区高标准农田建设管护办法》解读",
        body="<p>一、制定背景。二、主要内容。三、管护责任。</p>",
    )
    return policy


def _consultation(
    cast, clerk, department, *, title, opens_on, closes_on, major, **extra
):
    with _clock(_at(opens_on, 8)):
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
        with _clock(_at(opens + datetime.timedelta(days=1 + number), 10)):
            comment = feedback.add_comment(
                consultation=open_one, name=name, contact="", body=body
            )
            feedback.moderate_comment(comment=comment, by=cast.admin, state=state)
    with _clock(_at(today - datetime.timedelta(days=1), 20)):
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
        with _clock(_at(opens + datetime.timedelta(days=2 + number), 11)):
            comment = feedback.add_comment(
                consultation=closed, name="", contact="", body=body
            )
            feedback.moderate_comment(comment=comment, by=cast.admin, state="published")
    written = opens + datetime.timedelta(days=40)
    with _clock(_at(written, 10)):
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
    adopted = _item(
        cast,
        cast.clerk,
        nyj,
        day,
        title="示例区农村生活垃圾分类管理办法",
        type_code="notice",
        doc_number=f"示农发〔{day.year}〕26号",
        body="<p>第一条 为推进农村生活垃圾分类，制定本办法。</p>",
    )
    with _clock(_at(day, 15)):
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
    with _clock(_at(last_quarter, 10)):
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
    with _clock(_at(last_quarter + datetime.timedelta(days=6), 16)):
        complaints.conclude_complaint(
            complaint=complaint,
            by=cast.admin,
            outcome=Complaint.Outcome.RECTIFIED,
            outcome_text="经核查，区财政局部门预算公开晚于法定时限，已督促其公开并整改。",
        )
    with _clock(_at(max(quarter_start, today - datetime.timedelta(days=2)), 9)):
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
            "created_at": _at(today - datetime.timedelta(days=7), 9),
            "confirmed_at": _at(today - datetime.timedelta(days=7), 9),
        },
    )


def seed_participation(today: datetime.date | None = None) -> bool:
    """Create the demo's participation data once; False if it exists."""
    seed_identity()
    if Consultation.objects.exists():
        return False
    today = today or timezone.localdate()
    cast = _Cast()
    with (
        override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"),
        transaction.atomic(),
    ):
        seed_interpretations(cast, today)
        seed_consultations(cast, today)
        seed_complaints(cast, today)
        seed_subscription(today)
    return True
