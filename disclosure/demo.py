"""Demo items: about two years of published items with realistic delays, and
items in every workflow state. Every item goes through the real workflow
functions, so the audit trail, index numbers and timeliness figures are the
ones the portal would have produced. Idempotent: runs once per database."""

import contextlib
import datetime
import random
import re
from unittest import mock

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from catalog import workdays
from catalog.models import CatalogEntry, DocumentType, TopicCategory
from catalog.selectors import work_calendar

from . import demo_files, workflow
from .deadlines import last_complete_period
from .demo_schedule import Plan, budget_plans, period_words, periodic_plans
from .demo_templates import PROJECTS, TEMPLATES, TOWNS
from .management.demo_elements import answer_elements, element_sections
from .models import Item, ReviewConfig
from .uploads import check_upload

#: Which demo account drafts each department's items.
CLERKS = {"czj": "clerk", "nyj": "clerk", "zjj": "clerk2", "fgj": "clerk2"}

DOC_ABBREVIATIONS = {"fgj": "示发改", "czj": "示财", "nyj": "示农", "zjj": "示建"}


@contextlib.contextmanager
def _clock(moment: datetime.datetime):
    """Run workflow steps as if at ``moment`` (demo history only)."""
    with mock.patch.object(timezone, "now", return_value=moment):
        yield


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(
        datetime.datetime.combine(day, datetime.time(hour, minute))
    )


LAW_NAME_RE = re.compile(r"《[^》]+》(?:第[一二三四五六七八九十百]+条)?")
REGULATIONS = "《中华人民共和国政府信息公开条例》"


def legal_basis(entry: CatalogEntry) -> str:
    """The Regulations and the entry's 公开依据, each law named once."""
    names = list(dict.fromkeys([REGULATIONS, *LAW_NAME_RE.findall(entry.basis)]))
    if len(names) == 1:
        return names[0]
    return "".join(names[:-1]) + "和" + names[-1]


def _body(title: str, entry: CatalogEntry, rng: random.Random) -> str:
    paragraphs = [
        f"根据{legal_basis(entry)}，现将{title}有关情况公开如下。",
        f"一、公开内容：{entry.content or entry}。{element_sections(entry)}",
        "二、本信息自发布之日起公开，公众可通过区政府门户网站、政务新媒体和政务服务中心查阅。",
        f"三、如有疑问，请在工作日与{entry.responsible_department.name}联系，联系电话："
        f"{entry.responsible_department.phone or '0571-88880000'}。",
    ]
    if rng.random() < 0.5:
        paragraphs.insert(
            2,
            '<table><thead><tr><th scope="col">项目</th><th scope="col">金额（万元）</th>'
            f"</tr></thead><tbody><tr><td>补贴资金</td><td>{rng.randint(20, 900)}</td></tr>"
            f"<tr><td>配套资金</td><td>{rng.randint(5, 300)}</td></tr></tbody></table>",
        )
    return "".join(
        p if p.startswith("<table") else f"<p>{p}</p>" for p in paragraphs
    ).replace("<p></p>", "")


def _template(entry: CatalogEntry):
    if entry.level1 == "部门预决算":  # one entry per department
        return ([], "0401", "report")
    return TEMPLATES[(entry.area.name, entry.level1, entry.level2)]


def _title(entry: CatalogEntry, day: datetime.date, rng, facts: dict) -> str:
    """A periodic item's title names the period it reports on."""
    patterns, _topic, _type = _template(entry)
    words = {"year": day.year}
    if facts.get("report_year"):
        words = period_words(entry, facts["report_year"], facts.get("report_period"))
    return rng.choice(patterns).format(
        **{"quarter": "", **words},
        last_year=day.year - 1,
        project=rng.choice(PROJECTS),
        town=rng.choice(TOWNS),
    )


def _data(entry, day, rng, serials, *, title=None, facts=None):
    facts = facts or {}
    _patterns, topic_code, type_code = _template(entry)
    title = title or _title(entry, day, rng, facts)
    department = entry.responsible_department
    doc_number = ""
    if type_code in ("notice", "reply") and department.code in DOC_ABBREVIATIONS:
        key = (department.code, day.year)
        serials[key] = serials.get(key, 0) + 1
        doc_number = (
            f"{DOC_ABBREVIATIONS[department.code]}〔{day.year}〕{serials[key]}号"
        )
    return {
        "department": department,
        "catalog_entry": entry,
        "title": title,
        "body": _body(title, entry, rng),
        "doc_number": doc_number,
        "formed_on": day,
        **facts,
        "topic": TopicCategory.objects.get(code=topic_code),
        "document_type": DocumentType.objects.get(code=type_code),
        "keywords": " ".join(
            dict.fromkeys([entry.area.name, entry.level1, entry.level2 or ""])
        ).strip(),
    }


def _attach_pdf(item, clerk, name):
    content = demo_files.pdf(
        item.title, [item.department.name, "（演示数据，仅供体验门户功能。）"]
    )
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    workflow.add_attachment(
        item=item, by=clerk, uploaded=upload, checked=check_upload(upload)
    )


class _Cast:
    def __init__(self):
        users = {u.username: u for u in get_user_model().objects.all()}
        self.reviewer = users["reviewer"]
        self.admin = users["admin"]
        self.head = users["head"]
        self.clerks = {code: users[name] for code, name in CLERKS.items()}


EVENT_KINDS = {"working_days", "realtime", "standing"}


def _plans(entries, start, today, rng, calendar) -> list[Plan]:
    """Event-driven items (notices, approvals, tenders) on random working
    days; periodic reports once per period; budgets once a year per organ."""
    plans = []
    events = [e for e in entries if e.time_limit_kind in EVENT_KINDS]
    day = start
    while day < today - datetime.timedelta(days=7):
        day += datetime.timedelta(days=rng.choice([1, 2, 3, 4, 5]))
        if not workdays.is_working_day(day, calendar):
            continue
        entry = rng.choice(events)
        roll = rng.random()
        if roll < 0.72:
            delay = rng.randint(1, 15)
        elif roll < 0.85:
            delay = rng.randint(16, 20)
        else:
            delay = rng.randint(21, 38)
        published_on = workdays.add_working_days(day, delay, calendar).due
        if published_on < today:
            plans.append(Plan(published_on, day, entry))
    for entry in entries:
        if entry.time_limit_kind == "periodic":
            skip = (
                {last_complete_period(today, entry.period)}
                if (entry.level2 == RESERVED_FOR_REVIEW)
                else set()
            )
            plans += periodic_plans(entry, start, today, calendar, rng, skip=skip)
    plans += budget_plans(entries, start, today, calendar, rng)
    return plans


#: The entry whose last report is the demo's item awaiting the head's review.
RESERVED_FOR_REVIEW = "专项资金管理办法和分配结果"


def _publish_history(cast, entries, today, rng, serials) -> int:
    """Two years of published items up to ``today`` (so the previous calendar
    year is always complete), published after a realistic delay: most within
    the limit, some late."""
    calendar = work_calendar()
    start = today - datetime.timedelta(days=730)
    plans = sorted(
        _plans(entries, start, today, rng, calendar), key=lambda p: p.published_on
    )
    for number, plan in enumerate(plans):
        entry = plan.entry
        clerk = cast.clerks[entry.responsible_department.code]
        with _clock(_at(plan.formed_on, 9, rng.randint(0, 59))):
            data = _data(
                entry,
                plan.formed_on,
                rng,
                serials,
                title=plan.title or None,
                facts=plan.facts,
            )
            item = workflow.create_item(by=clerk, data=data)
            answer_elements(item, clerk, leave_out_last=number % 6 == 5)
            if number % 9 == 0:
                _attach_pdf(item, clerk, f"{item.title[:40]}.pdf")
        with _clock(_at(plan.published_on, 10, rng.randint(0, 59))):
            item = workflow.submit(item=item, by=clerk)
            if item.review_stage == "head":
                item = workflow.approve(item=item, by=cast.head)
            item = workflow.approve(
                item=item, by=cast.reviewer, confidentiality_checked=True
            )
        with _clock(_at(plan.published_on, 15, rng.randint(0, 59))):
            workflow.publish(item=item, by=cast.reviewer)
    return len(plans)


def _in_every_state(cast, entries, today, rng, serials) -> None:
    by_code = {(e.area.name, e.level2): e for e in entries}
    recent = today - datetime.timedelta(days=3)

    def new(key, clerk, title=None, formed_on=recent):
        entry = by_code[key]
        facts = {}
        if entry.time_limit_kind == "periodic":
            year, number = last_complete_period(formed_on, entry.period)
            facts = {"report_year": year, "report_period": number}
            if entry.period == "yearly":
                facts["report_period"] = None
        return workflow.create_item(
            by=clerk,
            data=_data(entry, formed_on, rng, serials, title=title, facts=facts),
        )

    clerk, clerk2 = cast.clerks["nyj"], cast.clerks["zjj"]
    # 草稿
    new(
        ("涉农补贴", "补贴政策"),
        clerk,
        title=f"{today.year}年农机购置与应用补贴实施方案（草稿）",
    )
    # 草稿, already overdue whatever the day: formed 60 calendar days ago (at
    # least 34 working days, even across the longest holiday) under a
    # 20-working-day limit, never submitted
    formed = today - datetime.timedelta(days=60)
    new(
        ("涉农补贴", "补贴政策"),
        clerk,
        title=f"关于{formed.year}年秋冬季农作物种植补贴申报的通知",
        formed_on=formed,
    )
    # 审核中 (disclosure office)
    item = new(
        ("重大建设项目", "招标公告、中标候选人公示"),
        clerk2,
        title="城北保障性租赁住房项目施工招标公告",
    )
    workflow.submit(item=item, by=clerk2)
    # 审核中 (department head sign-off: 区财政局 requires it)
    item = new(("财政预决算", RESERVED_FOR_REVIEW), cast.clerks["czj"])
    workflow.submit(item=item, by=cast.clerks["czj"])
    # 已退回
    item = new(
        ("涉农补贴", "耕地地力保护补贴"),
        clerk,
        title=f"{today.year - 1}年耕地地力保护补贴发放结果公示（东湖镇）",
    )
    workflow.submit(item=item, by=clerk)
    workflow.return_item(
        item=item,
        by=cast.reviewer,
        comment="公示名单含有农户身份证号码和银行账号，请按隐私保护要求删去后重新提交。",
    )
    # 审核通过，待发布
    item = new(
        ("重大建设项目", "竣工验收"), clerk2, title="滨江路综合管廊工程竣工验收信息公开"
    )
    workflow.submit(item=item, by=clerk2)
    workflow.approve(item=item, by=cast.reviewer, confidentiality_checked=True)
    # 定时发布
    item = new(
        ("重大建设项目", "审批、核准、备案结果"),
        clerk2,
        title="关于东湖生态湿地公园建设工程项目核准的批复",
    )
    workflow.submit(item=item, by=clerk2)
    workflow.approve(item=item, by=cast.reviewer, confidentiality_checked=True)
    workflow.publish(
        item=item,
        by=cast.reviewer,
        at=_at(today + datetime.timedelta(days=3), 9),
    )

    def published(key, clerk, title):
        item = new(
            key, clerk, title=title, formed_on=today - datetime.timedelta(days=10)
        )
        workflow.submit(item=item, by=clerk)
        if item.department.code == "czj":
            workflow.approve(item=item, by=cast.head)
        workflow.approve(item=item, by=cast.reviewer, confidentiality_checked=True)
        return workflow.publish(item=item, by=cast.reviewer)

    # 已发布, then changed with a public change note
    item = published(
        ("涉农补贴", "补贴政策"),
        clerk,
        f"关于做好{today.year}年耕地地力保护补贴工作的通知",
    )
    item = workflow.update_item(
        item=item,
        by=clerk,
        data={
            "body": item.body + "<p>补充：申报截止日期延长至12月20日。</p>",
            "is_major_change": True,
            "change_note": "申报截止日期由12月10日延长至12月20日。",
        },
        expected_version=item.version,
    )
    workflow.submit(item=item, by=clerk)
    workflow.approve(item=item, by=cast.reviewer, confidentiality_checked=True)
    workflow.publish(item=item, by=cast.reviewer)
    # 已发布, with a revision in progress (the public keeps the published one)
    item = published(("涉农补贴", "监督举报"), clerk, "涉农补贴监督举报电话公布")
    workflow.update_item(
        item=item,
        by=clerk,
        data={"title": "涉农补贴监督举报电话和网上举报渠道公布"},
        expected_version=item.version,
    )
    # 已撤销
    item = published(
        ("重大建设项目", "申报要求"),
        clerk2,
        f"关于申报{today.year + 1}年度区级重大建设项目的通知",
    )
    workflow.withdraw(
        item=item,
        by=cast.admin,
        reason="申报安排调整，本通知停止执行，以新发布的通知为准。",
    )
    # 已删除（错发）
    item = published(
        ("重大建设项目", "项目法人单位及其主要负责人信息"),
        clerk2,
        "人民大道快速路改造工程项目法人信息（重复发布）",
    )
    workflow.remove(item=item, by=cast.admin, reason="与已发布的信息重复，属于错发。")


def seed_items(today: datetime.date | None = None) -> int:
    """Create the demo items once; returns how many were created (0 when the
    database already has items)."""
    if Item.objects.exists():
        return 0
    today = today or timezone.localdate()
    rng = random.Random(2026)  # noqa: S311 - demo data, not security
    entries = list(
        CatalogEntry.objects.select_related("area", "responsible_department")
        .prefetch_related("elements")
        .filter(is_active=True)
    )
    entries = [
        e
        for e in entries
        if (e.area.name, e.level1, e.level2) in TEMPLATES
        or (e.level1 == "部门预决算" and e.responsible_department.code in CLERKS)
    ]
    cast = _Cast()
    ReviewConfig.objects.update_or_create(
        department=cast.clerks["czj"]
        .memberships.get(department__code="czj")
        .department,
        defaults={"head_signoff": True},
    )
    serials: dict = {}
    with (
        override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"),
        transaction.atomic(),
    ):
        count = _publish_history(cast, entries, today, rng, serials)
        _in_every_state(cast, entries, today, rng, serials)
    return Item.objects.count() if count else 0
