"""Demo items: about two years of published items with realistic delays, and
items in every workflow state. Every item goes through the real workflow
functions, so the audit trail, index numbers and timeliness figures are the
ones the portal would have produced. Idempotent: runs once per database."""

import contextlib
import datetime
import random
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
from .management.demo_elements import answer_elements, element_sections
from .models import Item, ReviewConfig
from .uploads import check_upload

PROJECTS = [
    "示例区第一人民医院扩建工程",
    "城西污水处理厂提标改造工程",
    "滨江路综合管廊工程",
    "示例区第三中学新建工程",
    "高新园区道路提升改造工程",
    "城北保障性租赁住房项目",
    "东湖生态湿地公园建设工程",
    "人民大道快速路改造工程",
]
TOWNS = ["城关街道", "东湖镇", "西山镇", "南塘乡", "北港镇"]
QUARTERS = ["一", "二", "三", "四"]

# (area, level1, level2) → (title patterns, topic code, document type code)
TEMPLATES = {
    ("重大建设项目", "批准服务信息", "申报要求"): (
        ["关于申报{year}年度区级重大建设项目的通知"],
        "0301",
        "notice",
    ),
    ("重大建设项目", "批准服务信息", "办事指南"): (
        ["企业投资项目核准和备案办事指南（{year}年修订）"],
        "0301",
        "notice",
    ),
    ("重大建设项目", "批准结果信息", "审批、核准、备案结果"): (
        ["关于{project}项目核准的批复", "关于{project}初步设计的批复"],
        "0301",
        "reply",
    ),
    ("重大建设项目", "招标投标信息", "招标公告、中标候选人公示"): (
        ["{project}施工招标公告", "{project}中标候选人公示"],
        "1001",
        "announcement",
    ),
    ("重大建设项目", "施工有关信息", "项目法人单位及其主要负责人信息"): (
        ["{project}项目法人及参建单位信息公开"],
        "1001",
        "announcement",
    ),
    ("重大建设项目", "质量安全监督信息", "质量安全监督机构及联系方式、检查结果"): (
        ["{year}年第{quarter}季度建设工程质量安全监督检查情况通报"],
        "0904",
        "circular",
    ),
    ("重大建设项目", "竣工有关信息", "竣工验收"): (
        ["{project}竣工验收信息公开"],
        "1001",
        "announcement",
    ),
    ("财政预决算", "政府预决算", "政府预算"): (
        ["示例区{year}年一般公共预算和政府性基金预算"],
        "0401",
        "report",
    ),
    ("财政预决算", "政府预决算", "政府决算"): (
        ["示例区{last_year}年政府决算公开"],
        "0401",
        "report",
    ),
    ("财政预决算", "部门预决算", "部门预算"): (
        ["区财政局{year}年部门预算公开", "区农业农村局{year}年部门预算公开"],
        "0401",
        "report",
    ),
    ("财政预决算", "部门预决算", "部门决算"): (
        [
            "区财政局{last_year}年部门决算公开",
            "区住房和城乡建设局{last_year}年部门决算公开",
        ],
        "0401",
        "report",
    ),
    ("财政预决算", "财政专项资金", "专项资金管理办法和分配结果"): (
        ["{year}年第{quarter}季度财政专项资金分配结果公开"],
        "0401",
        "announcement",
    ),
    ("涉农补贴", "政策文件", "补贴政策"): (
        [
            "关于做好{year}年耕地地力保护补贴工作的通知",
            "{year}年农机购置与应用补贴实施方案",
        ],
        "0601",
        "notice",
    ),
    ("涉农补贴", "补贴资金发放", "发放结果"): (
        ["{year}年第{quarter}季度涉农补贴资金发放情况公示"],
        "0601",
        "announcement",
    ),
    ("涉农补贴", "补贴资金发放", "耕地地力保护补贴"): (
        ["{year}年耕地地力保护补贴发放结果公示（{town}）"],
        "0601",
        "announcement",
    ),
    ("涉农补贴", "监督管理", "监督举报"): (
        ["涉农补贴监督举报电话公布"],
        "0601",
        "announcement",
    ),
}

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


def _body(title: str, entry: CatalogEntry, rng: random.Random) -> str:
    paragraphs = [
        f"根据《中华人民共和国政府信息公开条例》和{entry.basis or '有关规定'}，现将{title}有关情况公开如下。",
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


def _title(entry: CatalogEntry, day: datetime.date, rng: random.Random) -> str:
    patterns, _topic, _type = TEMPLATES[(entry.area.name, entry.level1, entry.level2)]
    return rng.choice(patterns).format(
        year=day.year,
        last_year=day.year - 1,
        quarter=QUARTERS[(day.month - 1) // 3],
        project=rng.choice(PROJECTS),
        town=rng.choice(TOWNS),
    )


def _data(entry, day, rng, serials, *, title=None):
    _patterns, topic_code, type_code = TEMPLATES[
        (entry.area.name, entry.level1, entry.level2)
    ]
    title = title or _title(entry, day, rng)
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
        self.clerks = {
            "czj": users["clerk"],
            "nyj": users["clerk"],
            "zjj": users["clerk2"],
            "fgj": users["clerk2"],
        }


def _publish_history(cast, entries, today, rng, serials) -> int:
    """Two years of published items up to ``today`` (so the previous calendar
    year is always complete), formed on working days, published after a
    realistic delay: most within the limit, some late."""
    calendar = work_calendar()
    start = today - datetime.timedelta(days=730)
    plans = []
    day = start
    while day < today - datetime.timedelta(days=7):
        day += datetime.timedelta(days=rng.choice([1, 2, 3, 4]))
        if not workdays.is_working_day(day, calendar):
            continue
        entry = rng.choice(entries)
        roll = rng.random()
        if roll < 0.72:
            delay = rng.randint(1, 15)
        elif roll < 0.85:
            delay = rng.randint(16, 20)
        else:
            delay = rng.randint(21, 38)
        published_on = workdays.add_working_days(day, delay, calendar).due
        if published_on >= today:
            continue
        plans.append((published_on, day, entry))
    plans.sort(key=lambda plan: plan[0])
    for number, (published_on, formed_on, entry) in enumerate(plans):
        clerk = cast.clerks[entry.responsible_department.code]
        with _clock(_at(formed_on, 9, rng.randint(0, 59))):
            item = workflow.create_item(
                by=clerk, data=_data(entry, formed_on, rng, serials)
            )
            answer_elements(item, clerk, leave_out_last=number % 6 == 5)
            if number % 9 == 0:
                _attach_pdf(item, clerk, f"{item.title[:40]}.pdf")
        with _clock(_at(published_on, 10, rng.randint(0, 59))):
            item = workflow.submit(item=item, by=clerk)
            if item.review_stage == "head":
                item = workflow.approve(item=item, by=cast.head)
            item = workflow.approve(
                item=item, by=cast.reviewer, confidentiality_checked=True
            )
        with _clock(_at(published_on, 15, rng.randint(0, 59))):
            workflow.publish(item=item, by=cast.reviewer)
    return len(plans)


def _in_every_state(cast, entries, today, rng, serials) -> None:
    by_code = {(e.area.name, e.level2): e for e in entries}
    recent = today - datetime.timedelta(days=3)

    def new(key, clerk, title=None, formed_on=recent):
        entry = by_code[key]
        return workflow.create_item(
            by=clerk, data=_data(entry, formed_on, rng, serials, title=title)
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
    item = new(
        ("财政预决算", "专项资金管理办法和分配结果"),
        cast.clerks["czj"],
        title=f"{today.year}年第四季度财政专项资金分配结果公开",
    )
    workflow.submit(item=item, by=cast.clerks["czj"])
    # 已退回
    item = new(
        ("涉农补贴", "耕地地力保护补贴"),
        clerk,
        title=f"{today.year}年耕地地力保护补贴发放结果公示（东湖镇）",
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
    entries = [e for e in entries if (e.area.name, e.level1, e.level2) in TEMPLATES]
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
