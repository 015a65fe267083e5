"""``manage.py generate_items N``: bulk-insert N realistic published items for
benchmarks and load tests (bench/README.md).

Each generated item is what the workflow would have left behind after
publishing it: an :class:`~disclosure.models.Item` in state ``published`` with
its :class:`~disclosure.models.PublicRecord` (search tokens computed by
:func:`disclosure.search.record_tokens`, exactly as ``PublicRecord.save()``
does), some published :class:`~disclosure.models.Attachment` rows, and index
numbers taken from the :class:`~disclosure.models.IndexSerial` counters, which
are advanced so that later real publications continue after them. Revisions
and audit entries are not written (the items have no editing history).

Titles and bodies are made of the words government sites use (关于, 印发,
实施方案, 补贴, 公示, 招标, 预算, 决算, 行政许可, 街道, 乡镇, …), spread
over the departments, topics, catalog entries and ``--years`` years up to
now, oldest first.

On PostgreSQL the rows go in with ``COPY``, written by ``--workers`` threads
(each with its own connection) while this thread makes the next batch; the
database computes the generated ``tsvector`` columns of migration 0003 as
the rows arrive. For large loads (``N`` at least :data:`DROP_INDEXES_FROM`,
unless ``--keep-indexes``) the secondary indexes of the three tables (b-tree
and GIN) are dropped first and built again at the end, several at a time (the
statements are printed first, and run even if the load fails); primary keys,
unique constraints and foreign keys stay. The tables are then vacuumed and
analysed. Do not run a large load on a database that serves visitors at the
same time. Elsewhere (SQLite) the rows go in with ``bulk_create`` in this
thread, and the FTS triggers index them. ``bench/README.md`` has the timings.
"""

from __future__ import annotations

import datetime
import hashlib
import random
import secrets
import time
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone

from catalog import demo as catalog_demo
from catalog.models import (
    CatalogEntry,
    Department,
    DocumentType,
    Membership,
    TopicCategory,
)
from disclosure.index_numbers import format_index_number
from disclosure.models import Attachment, IndexSerial, Item, PublicRecord
from disclosure.publication import publication_changed
from disclosure.search import record_tokens

#: From this many items on, PostgreSQL secondary indexes are rebuilt after the
#: load instead of being maintained row by row.
DROP_INDEXES_FROM = 100_000

#: The one file every generated attachment points to (a one-page PDF).
SHARED_ATTACHMENT = "attachments/generated/sample.pdf"
MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)

# --- vocabulary -------------------------------------------------------------------

#: Per publishing department: the topic code and the subjects it writes about.
DOMAINS: dict[str, tuple[str, list[str]]] = {
    "gov": ("0201", ["政府工作报告", "重点民生实事项目", "政务公开工作要点"]),
    "gkb": (
        "0201",
        ["政府信息公开工作年度报告", "依申请公开办理", "政府网站监管", "政务公开"],
    ),
    "fgj": (
        "0301",
        ["重大建设项目", "企业投资项目核准", "价格监测", "粮食储备", "节能审查"],
    ),
    "czj": (
        "0401",
        ["部门预算", "部门决算", "政府采购", "财政专项资金", "行政事业性收费"],
    ),
    "nyj": (
        "0601",
        [
            "耕地地力保护补贴",
            "农机购置与应用补贴",
            "高标准农田建设",
            "农村人居环境整治",
            "涉农补贴资金",
            "种粮农民一次性补贴",
        ],
    ),
    "zjj": (
        "1001",
        ["老旧小区改造", "保障性租赁住房", "建筑工程施工许可", "城镇燃气安全"],
    ),
    "jyj": ("1102", ["义务教育招生", "学生资助", "校舍安全", "教师公开招聘"]),
    "wjj": ("1301", ["基本公共卫生服务", "医疗机构执业许可", "家庭医生签约服务"]),
    "mzj": (
        "1701",
        ["最低生活保障", "特困人员救助供养", "养老服务补贴", "困难残疾人生活补贴"],
    ),
    "rsj": (
        "1501",
        ["就业创业补贴", "城乡居民基本养老保险", "职业技能培训补贴", "根治欠薪"],
    ),
    "scj": (
        "0901",
        ["食品安全监督抽检", "行政处罚", "特种设备安全", "双随机一公开抽查"],
    ),
    "yjj": ("0904", ["安全生产检查", "防汛抗旱", "自然灾害救助", "危险化学品安全"]),
}
DEFAULT_DOMAIN = ("0201", ["政务公开", "行政许可", "项目建设"])

TOWNS = [
    "城关街道",
    "江南街道",
    "新城街道",
    "花园街道",
    "东湖镇",
    "西山镇",
    "北港镇",
    "青石镇",
    "南塘乡",
    "白沙乡",
]
PROJECT_KINDS = [
    "污水管网改造工程",
    "农村公路提升工程",
    "中心小学扩建工程",
    "卫生院迁建工程",
    "文化礼堂建设项目",
    "农贸市场改造项目",
    "河道综合治理工程",
    "安置房建设项目",
]
QUARTERS = ["一", "二", "三", "四"]
SURNAMES = "王李张刘陈杨赵黄周吴"

# (pattern, document type code); {subject} {year} {town} {project} {org} {quarter}
TITLES = [
    ("关于印发《示例区{subject}实施方案》的通知", "notice"),
    ("关于做好{year}年{subject}工作的通知", "notice"),
    ("关于印发《示例区{subject}管理办法》的通知", "notice"),
    ("关于进一步加强{subject}工作的意见", "opinion"),
    ("{year}年{subject}工作要点", "notice"),
    ("{year}年{subject}项目公示", "announcement"),
    ("{year}年第{quarter}季度{subject}情况公示", "announcement"),
    ("{town}{year}年{subject}发放结果公示", "announcement"),
    ("{project}施工招标公告", "announcement"),
    ("{project}中标候选人公示", "announcement"),
    ("{org}{year}年部门预算", "report"),
    ("{org}{last_year}年部门决算", "report"),
    ("关于{project}行政许可的决定", "decision"),
    ("关于{project}项目核准的批复", "reply"),
    ("{org}关于{year}年{subject}工作情况的报告", "report"),
    ("关于{year}年{subject}专项检查情况的通报", "circular"),
]

PARAGRAPHS = [
    "为深入贯彻落实党中央、国务院关于{subject}的决策部署，根据《中华人民共和国政府信息公开条例》和有关规定，结合我区实际，制定本方案。",
    "一、总体要求。坚持以人民为中心，聚焦{subject}，推进相关工作规范化、标准化、便利化，切实提高群众满意度和获得感。",
    "二、主要任务。{town}、{town2}等街道（乡镇）要按照职责分工，做好{subject}的申报、审核、公示和资金发放工作，确保政策落实到位。",
    "三、资金安排。{year}年安排财政资金{amount}万元，其中上级补助资金{amount2}万元，区级配套资金{amount3}万元，专款专用，严禁挤占挪用。",
    "四、公示要求。公示期为{days}个工作日。公示期内如有异议，请以书面形式向{org}反映，逾期不予受理。",
    "五、监督管理。对虚报冒领、套取补贴资金的，依法依规严肃处理；构成犯罪的，依法追究刑事责任。",
    "项目名称：{project}；建设地点：{town}；招标人：{org}；项目预算：{amount}万元；计划工期：{days2}日历天。",
    "本项目已完成立项审批、规划许可和施工图审查，建设资金已落实，具备招标条件，现对施工进行公开招标，欢迎符合条件的投标人参加。",
    "根据《中华人民共和国行政许可法》，经审查，申请材料齐全、符合法定形式，决定准予行政许可。",
    "本通知自印发之日起施行，有效期{years}年。此前规定与本通知不一致的，以本通知为准。",
    "各街道（乡镇）、区级有关部门要高度重视，加强组织领导，明确责任分工，于每季度末将工作进展情况报送{org}。",
    "联系人：{person}，联系电话：0571-8888{phone}，通讯地址：示例市示例区人民大道1号。",
]


# --- what the items are spread over -------------------------------------------------


@dataclass
class Publisher:
    department_id: int
    code: str
    name: str
    publisher_code: str
    topic_id: int
    subjects: list[str]
    abbreviation: str
    clerk_ids: list[int]
    entry_ids: list[int] = field(default_factory=list)


@dataclass
class Directory:
    publishers: list[Publisher]
    by_department: dict[int, Publisher]
    entries: list[tuple[int, int]]  # (entry id, responsible department id)
    entry_days: dict[int, int | None]  # entry id → working-day time limit
    document_types: dict[str, int]
    uploader_id: int


def ensure_catalog(using: str) -> None:
    """The demo catalog and accounts, when the database has no departments."""
    users = get_user_model().objects.using(using)
    if Department.objects.using(using).exists() and users.exists():
        return
    if using != DEFAULT_DB_ALIAS:
        raise CommandError(f"database {using!r} has no catalog: seed it first")
    departments = catalog_demo.seed_catalog()
    catalog_demo.seed_accounts(departments, password=None)


def load_directory(using: str) -> Directory:
    departments = list(Department.objects.using(using).filter(is_active=True))
    if not departments:
        raise CommandError("no active departments: seed the catalog first")
    topics = dict(TopicCategory.objects.using(using).values_list("code", "pk"))
    if not topics:
        raise CommandError("no topic categories: run the migrations first")
    users = get_user_model().objects.using(using)
    any_user = users.order_by("pk").values_list("pk", flat=True).first()
    if any_user is None:
        raise CommandError("no users: create one first")
    clerks: dict[int, list[int]] = {}
    for department_id, user_id in Membership.objects.using(using).values_list(
        "department_id", "user_id"
    ):
        clerks.setdefault(department_id, []).append(user_id)
    by_pk = {d.pk: d for d in departments}
    publishers = []
    for department in departments:
        # An office (内设机构) writes about its department's subjects.
        domain_code = department.code
        if department.kind == Department.Kind.OFFICE and department.parent_id:
            domain_code = by_pk.get(department.parent_id, department).code
        topic_code, subjects = DOMAINS.get(domain_code, DEFAULT_DOMAIN)
        topic_id = topics.get(topic_code) or next(iter(topics.values()))
        short = (department.short_name or department.name).removeprefix("区")
        publishers.append(
            Publisher(
                department_id=department.pk,
                code=department.code,
                name=department.name,
                publisher_code=department.effective_publisher_code,
                topic_id=topic_id,
                subjects=subjects,
                abbreviation="示" + short[:2],
                clerk_ids=clerks.get(department.pk)
                or clerks.get(department.parent_id)
                or [any_user],
            )
        )
    by_department = {p.department_id: p for p in publishers}
    entries = []
    entry_days = {}
    for entry in CatalogEntry.objects.using(using).filter(is_active=True):
        if entry.responsible_department_id in by_department:
            entries.append((entry.pk, entry.responsible_department_id))
            by_department[entry.responsible_department_id].entry_ids.append(entry.pk)
            entry_days[entry.pk] = (
                entry.time_limit_days
                if entry.time_limit_kind == CatalogEntry.TimeLimitKind.WORKING_DAYS
                else None
            )
    document_types = dict(DocumentType.objects.using(using).values_list("code", "pk"))
    return Directory(
        publishers=publishers,
        by_department=by_department,
        entries=entries,
        entry_days=entry_days,
        document_types=document_types,
        uploader_id=any_user,
    )


# --- dates ---------------------------------------------------------------------------


def add_weekdays(day: datetime.date, days: int) -> datetime.date:
    """``day`` plus ``days`` Monday-to-Friday days (holidays ignored: the
    generated due dates are approximate)."""
    weeks, rest = divmod(days, 5)
    day += datetime.timedelta(weeks=weeks)
    while rest:
        day += datetime.timedelta(days=1)
        if day.weekday() < 5:
            rest -= 1
    return day


def weekdays_between(start: datetime.date, end: datetime.date) -> int:
    """Monday-to-Friday days after ``start`` up to ``end`` (0 if not later)."""
    if end <= start:
        return 0
    total = (end - start).days
    weeks, rest = divmod(total, 7)
    count = weeks * 5
    day = start + datetime.timedelta(weeks=weeks)
    for _ in range(rest):
        day += datetime.timedelta(days=1)
        count += day.weekday() < 5
    return count


class Timeline:
    """Publication times for N items over the last ``years`` years, oldest
    first: working days, office hours, strictly increasing."""

    def __init__(self, count: int, years: int, now: datetime.datetime):
        local_now = timezone.localtime(now)
        end = local_now.date() - datetime.timedelta(days=1)
        start = end - datetime.timedelta(days=round(365.25 * years))
        self.days = [
            start + datetime.timedelta(days=offset)
            for offset in range((end - start).days + 1)
            if (start + datetime.timedelta(days=offset)).weekday() < 5
        ]
        self.count = max(count, 1)
        self.zone = timezone.get_current_timezone()
        self.today = local_now.date()

    def at(self, index: int, jitter: float) -> datetime.datetime:
        position = (index + jitter) * len(self.days) / self.count
        day = self.days[min(int(position), len(self.days) - 1)]
        minutes = int((position % 1) * 9 * 60)  # 08:30 to 17:30
        moment = datetime.datetime.combine(
            day, datetime.time(8, 30), tzinfo=self.zone
        ) + datetime.timedelta(minutes=minutes, seconds=int(jitter * 59))
        return moment.astimezone(datetime.UTC)


# --- the rows ------------------------------------------------------------------------


class _TokenSource:
    """The attributes :func:`record_tokens` reads, from a record's values."""

    __slots__ = ("title", "doc_number", "keywords", "index_number", "body")

    def __init__(self, values: dict):
        self.title = values["title"]
        self.doc_number = values["doc_number"]
        self.keywords = values["keywords"]
        self.index_number = values["index_number"]
        self.body = values["body"]


class Generator:
    """Makes the rows of the items, deterministic for a seed (apart from the
    attachment tokens, random like real ones).

    :meth:`plan` runs in order, item after item, and decides what needs a
    sequence: the publisher, the time, the kind of document and its document
    number. :meth:`fill` writes the text of a planned item from its own seed;
    it is the expensive part, and runs in the writer threads.
    """

    def __init__(
        self,
        directory: Directory,
        timeline: Timeline,
        rng: random.Random,
        attachment_ratio: float,
        attachment: tuple[int, str],
    ):
        self.directory = directory
        self.timeline = timeline
        self.rng = rng
        self.attachment_ratio = attachment_ratio
        self.attachment_size, self.attachment_sha256 = attachment
        self.doc_serials: dict[tuple[int, int], int] = {}

    def plan(self, index: int) -> dict:
        rng, directory = self.rng, self.directory
        if directory.entries and rng.random() < 0.3:
            entry_id, department_id = rng.choice(directory.entries)
            publisher = directory.by_department[department_id]
        else:
            entry_id = None
            publisher = rng.choice(directory.publishers)
        published_at = self.timeline.at(index, rng.random())
        local = timezone.localtime(published_at)
        pattern, type_code = rng.choice(TITLES)
        doc_number = ""
        if type_code in ("notice", "opinion", "decision", "reply"):
            key = (publisher.department_id, local.year)
            self.doc_serials[key] = self.doc_serials.get(key, 0) + 1
            doc_number = (
                f"{publisher.abbreviation}〔{local.year}〕{self.doc_serials[key]}号"
            )
        attachments = 0
        if rng.random() < self.attachment_ratio:
            attachments = rng.choice([1, 1, 1, 2])
        return {
            "publisher": publisher,
            "entry_id": entry_id,
            "published_at": published_at,
            "local": local,
            "publisher_code": publisher.publisher_code,
            "year": local.year,
            "pattern": pattern,
            "type_code": type_code,
            "doc_number": doc_number,
            "attachments": attachments,
            "seed": rng.getrandbits(64),
        }

    @staticmethod
    def _words(rng: random.Random, publisher: Publisher, local) -> dict:
        towns = rng.sample(TOWNS, 2)
        amount = rng.randint(50, 9000)
        return {
            "subject": rng.choice(publisher.subjects),
            "year": local.year,
            "last_year": local.year - 1,
            "quarter": QUARTERS[(local.month - 1) // 3],
            "town": towns[0],
            "town2": towns[1],
            "project": towns[0] + rng.choice(PROJECT_KINDS),
            "org": publisher.name,
            "amount": amount,
            "amount2": amount * rng.randint(30, 70) // 100,
            "amount3": amount * rng.randint(10, 30) // 100,
            "days": rng.choice([5, 7, 10]),
            "days2": rng.randint(90, 720),
            "years": rng.choice([2, 3, 5]),
            "person": rng.choice(SURNAMES) + rng.choice(["先生", "女士"]),
            "phone": f"{rng.randint(0, 9999):04d}",
        }

    @staticmethod
    def _body(rng: random.Random, words: dict) -> str:
        count = rng.randint(3, 7)
        picked = sorted(rng.sample(range(len(PARAGRAPHS)), count))
        parts = [f"<p>{PARAGRAPHS[i].format(**words)}</p>" for i in picked]
        if rng.random() < 0.3:
            rows = "".join(
                f"<tr><td>{n}</td><td>{town}</td><td>{rng.randint(1, 500)}</td></tr>"
                for n, town in enumerate(rng.sample(TOWNS, rng.randint(2, 5)), 1)
            )
            parts.insert(
                min(2, len(parts)),
                '<table><thead><tr><th scope="col">序号</th>'
                '<th scope="col">街道（乡镇）</th><th scope="col">补贴资金（万元）</th>'
                f"</tr></thead><tbody>{rows}</tbody></table>",
            )
        return "".join(parts)

    def fill(self, plan: dict, item_id: int) -> dict:
        """The values of a planned item, its record and its attachments (by
        attribute name). ``plan["index_number"]`` must be set."""
        rng = random.Random(plan["seed"])  # noqa: S311 - test data
        publisher, local = plan["publisher"], plan["local"]
        published_at = plan["published_at"]
        words = self._words(rng, publisher, local)
        title = plan["pattern"].format(**words)
        formed_on = local.date() - datetime.timedelta(days=rng.randint(1, 30))
        due_on = late = None
        entry_id = plan["entry_id"]
        limit = self.directory.entry_days.get(entry_id) if entry_id else None
        if limit:
            due_on = add_weekdays(formed_on, limit)
            late = weekdays_between(due_on, local.date())
        validity, changed_on = "valid", None
        roll = rng.random()
        if roll < 0.06 and local.date() < self.timeline.today - datetime.timedelta(
            days=400
        ):
            validity = "expired" if roll < 0.04 else "repealed"
            changed_on = local.date() + datetime.timedelta(days=rng.randint(200, 380))
        clerk = rng.choice(publisher.clerk_ids)
        submitted_at = published_at - datetime.timedelta(hours=rng.randint(2, 72))
        content = {
            "department_id": publisher.department_id,
            "catalog_entry_id": entry_id,
            "title": title,
            "body": self._body(rng, words),
            "doc_number": plan["doc_number"],
            "formed_on": formed_on,
            "topic_id": publisher.topic_id,
            "document_type_id": self.directory.document_types.get(plan["type_code"]),
            "keywords": " ".join(dict.fromkeys([words["subject"], words["town"]])),
            "validity": validity,
            "validity_changed_on": changed_on,
        }
        index_number = plan["index_number"]
        item = {
            **content,
            "id": item_id,
            "index_number": index_number,
            "state": Item.State.PUBLISHED.value,
            "due_on": due_on,
            "publish_at": published_at,
            "first_published_at": published_at,
            "late_working_days": late,
            "created_by_id": clerk,
            "created_at": submitted_at - datetime.timedelta(days=1),
            "updated_by_id": clerk,
            "updated_at": submitted_at,
            "submitted_by_id": clerk,
            "submitted_at": submitted_at,
        }
        record = {
            **content,
            "item_id": item_id,
            "index_number": index_number,
            "published_at": published_at,
            "updated_at": published_at,
            "status": PublicRecord.Status.LIVE.value,
        }
        # Exactly what PublicRecord.save() stores (refresh_search_tokens).
        record["title_tokens"], record["search_tokens"] = record_tokens(
            _TokenSource(record)
        )
        attachments = [
            {
                "item_id": item_id,
                "token": secrets.token_hex(16),
                "file": SHARED_ATTACHMENT,
                "original_name": f"{title[:40]}（附件{order + 1}）.pdf",
                "extension": "pdf",
                "content_type": "application/pdf",
                "size": self.attachment_size,
                "sha256": self.attachment_sha256,
                "order": order,
                "in_draft": True,
                "is_published": True,
                "uploaded_by_id": clerk,
                "uploaded_at": submitted_at - datetime.timedelta(hours=1),
            }
            for order in range(plan["attachments"])
        ]
        return {"item": item, "record": record, "attachments": attachments}


def assign_index_numbers(plans: list[dict], using: str) -> None:
    """Give each planned item the next index number of its publisher and
    year, from the IndexSerial counters (locked and advanced in the caller's
    transaction, as ``allocate_index_number`` does)."""
    keys = sorted({(plan["publisher_code"], plan["year"]) for plan in plans})
    serials = IndexSerial.objects.using(using)
    serials.bulk_create(
        [IndexSerial(publisher_code=code, year=year) for code, year in keys],
        ignore_conflicts=True,
    )
    counters = {}
    for counter in serials.select_for_update().filter(
        publisher_code__in={code for code, _year in keys},
        year__in={year for _code, year in keys},
    ):
        counters[(counter.publisher_code, counter.year)] = counter
    for plan in plans:
        counter = counters[(plan["publisher_code"], plan["year"])]
        counter.last_serial += 1
        plan["index_number"] = format_index_number(
            counter.publisher_code, counter.year, counter.last_serial
        )
    serials.bulk_update(list(counters.values()), ["last_serial"])


class RowTemplate:
    """A model's columns in table order with each field's default, to be
    overwritten per row by attribute name."""

    def __init__(self, model):
        fields = model._meta.concrete_fields
        self.table = model._meta.db_table
        self.columns = [f.column for f in fields]
        self.position = {f.attname: i for i, f in enumerate(fields)}
        self.defaults = [f.get_default() for f in fields]

    def row(self, values: dict) -> list:
        row = list(self.defaults)
        position = self.position
        for name, value in values.items():
            row[position[name]] = value
        return row


# --- loading ------------------------------------------------------------------------

LOADED_MODELS = (Item, PublicRecord, Attachment)


class PostgresIndexes:
    """The secondary indexes of the loaded tables (b-tree and GIN), dropped
    before a large load and built again after it: a GIN index with
    ``fastupdate = off`` costs a tree insertion per token of every row, a
    build sorts them all once. Primary keys and unique constraints stay:
    they guard the data."""

    def __init__(self, connection):
        self.connection = connection
        with connection.cursor() as cursor:
            cursor.execute(
                """
                SELECT i.indexname, i.indexdef
                FROM pg_indexes i
                JOIN pg_class c ON c.oid = (quote_ident(i.indexname))::regclass
                WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s)
                  AND NOT EXISTS (
                      SELECT 1 FROM pg_constraint k WHERE k.conindid = c.oid
                  )
                ORDER BY pg_relation_size(c.oid) DESC, i.indexname
                """,
                [[m._meta.db_table for m in LOADED_MODELS]],
            )
            self.definitions = cursor.fetchall()

    def drop(self):
        quote = self.connection.ops.quote_name
        with self.connection.cursor() as cursor:
            for name, _definition in self.definitions:
                cursor.execute(f"DROP INDEX IF EXISTS {quote(name)}")

    def create(self, workers: int, write) -> None:
        """Build the indexes, ``workers`` at a time, each in a connection of
        its own thread (the biggest first: a GIN build is not parallel)."""
        using = self.connection.alias

        def build(name, definition):
            started = time.monotonic()
            try:
                with connections[using].cursor() as cursor:
                    cursor.execute("SET maintenance_work_mem = '1GB'")
                    cursor.execute(
                        definition.replace(
                            "CREATE INDEX ", "CREATE INDEX IF NOT EXISTS ", 1
                        )
                    )
            finally:
                connections[using].close()
            return f"  {name}: {time.monotonic() - started:.1f} s"

        if workers <= 1 or self.connection.in_atomic_block:
            # In the caller's transaction (other connections would wait for
            # its locks), one after the other.
            with self.connection.cursor() as cursor:
                if self.connection.in_atomic_block:
                    # Run the deferred foreign key checks first: an index
                    # cannot be built on a table with pending trigger events.
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                for name, definition in self.definitions:
                    started = time.monotonic()
                    cursor.execute(definition)
                    write(f"  {name}: {time.monotonic() - started:.1f} s")
                if self.connection.in_atomic_block:
                    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            return
        with ThreadPoolExecutor(max_workers=workers) as pool:
            futures = [pool.submit(build, *pair) for pair in self.definitions]
            for future in futures:
                write(future.result())


def _reserve_ids(connection, table: str, count: int) -> list[int]:
    """``count`` values of the table's id sequence (safe with concurrent
    inserts: other sessions' ids are simply not in the list)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) "
            "FROM generate_series(1, %s)",
            [table, count],
        )
        return [row[0] for row in cursor.fetchall()]


def _copy(connection, template: RowTemplate, rows) -> None:
    quote = connection.ops.quote_name
    columns = ", ".join(quote(column) for column in template.columns)
    with connection.cursor() as cursor:
        with cursor.cursor.copy(
            f"COPY {quote(template.table)} ({columns}) FROM STDIN"
        ) as copy:
            for row in rows:
                copy.write_row(template.row(row))


class Loader:
    """Writes filled batches: ``COPY`` on PostgreSQL, ``bulk_create``
    elsewhere. One batch, one transaction."""

    def __init__(self, using: str):
        self.using = using
        self.templates = {model: RowTemplate(model) for model in LOADED_MODELS}

    def write(self, filled: list[dict]) -> int:
        using = self.using
        connection = connections[using]
        attachments = [a for row in filled for a in row["attachments"]]
        with transaction.atomic(using=using):
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    # Losing the last batches in a crash is acceptable here.
                    cursor.execute("SET LOCAL synchronous_commit = off")
                _copy(connection, self.templates[Item], (r["item"] for r in filled))
                _copy(
                    connection,
                    self.templates[PublicRecord],
                    (r["record"] for r in filled),
                )
                if attachments:
                    ids = _reserve_ids(
                        connection, Attachment._meta.db_table, len(attachments)
                    )
                    for pk, attachment in zip(ids, attachments, strict=True):
                        attachment["id"] = pk
                    _copy(connection, self.templates[Attachment], attachments)
            else:
                Item.objects.using(using).bulk_create(
                    [Item(**r["item"]) for r in filled], batch_size=500
                )
                PublicRecord.objects.using(using).bulk_create(
                    [PublicRecord(**r["record"]) for r in filled], batch_size=500
                )
                Attachment.objects.using(using).bulk_create(
                    [Attachment(**a) for a in attachments], batch_size=500
                )
        return len(filled)


def next_item_ids(using: str, count: int) -> list[int]:
    connection = connections[using]
    if connection.vendor == "postgresql":
        return _reserve_ids(connection, Item._meta.db_table, count)
    # Elsewhere: after the highest id (call in the transaction that inserts
    # them, on SQLite a write transaction: transaction_mode IMMEDIATE).
    last = Item.objects.using(using).order_by("-pk").values_list("pk", flat=True)
    first = (last.first() or 0) + 1
    return list(range(first, first + count))


class Command(BaseCommand):
    help = (
        "Bulk-insert N realistic published items (with public records, search "
        "tokens, index numbers and some attachments) for benchmarks."
    )

    def add_arguments(self, parser):
        parser.add_argument("count", type=int, help="How many items to add.")
        parser.add_argument(
            "--batch", type=int, default=5_000, help="Items per transaction."
        )
        parser.add_argument(
            "--seed", type=int, default=2026, help="Random seed (same seed, same text)."
        )
        parser.add_argument(
            "--years",
            type=int,
            default=10,
            help="Spread the publication dates over this many years up to now.",
        )
        parser.add_argument(
            "--attachments",
            type=float,
            default=0.1,
            help="Share of items with attachments (default 0.1).",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=2,
            help="PostgreSQL: writer threads, each with its own connection "
            "(default 2; 0 writes in the main thread, as on other databases).",
        )
        parser.add_argument(
            "--keep-indexes",
            action="store_true",
            help="PostgreSQL: maintain the secondary indexes during the load "
            f"(default: built again after it from {DROP_INDEXES_FROM} items on).",
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, count, batch, seed, years, attachments, workers, **options):
        if count < 1 or batch < 1 or years < 1 or workers < 0:
            raise CommandError("N, --batch and --years must be positive")
        if not 0 <= attachments <= 1:
            raise CommandError("--attachments must be between 0 and 1")
        using = options["database"]
        connection = connections[using]
        postgres = connection.vendor == "postgresql"
        if not postgres:
            workers = 0
        started = time.monotonic()
        ensure_catalog(using)
        directory = load_directory(using)
        if not default_storage.exists(SHARED_ATTACHMENT):
            default_storage.save(SHARED_ATTACHMENT, ContentFile(MINIMAL_PDF))
        generator = Generator(
            directory,
            Timeline(count, years, timezone.now()),
            random.Random(seed),  # noqa: S311 - test data, not security
            attachments,
            (len(MINIMAL_PDF), hashlib.sha256(MINIMAL_PDF).hexdigest()),
        )
        loader = Loader(using)
        indexes = None
        if postgres and count >= DROP_INDEXES_FROM and not options["keep_indexes"]:
            indexes = PostgresIndexes(connection)
            self.stdout.write(
                "Dropping these indexes for the load; they are built again at "
                "the end (should that not happen, run these statements):"
            )
            for _name, definition in indexes.definitions:
                self.stdout.write(f"  {definition};")
            indexes.drop()
        try:
            self._load(using, generator, loader, count, batch, workers, started)
        finally:
            if indexes is not None:
                building = time.monotonic()
                self.stdout.write("Building the indexes:")
                indexes.create(workers, self.stdout.write)
                self.stdout.write(f"Indexes: {time.monotonic() - building:.0f} s")
        if postgres:
            vacuuming = time.monotonic()
            # VACUUM sets the visibility map (index-only scans); it cannot run
            # in a transaction (a test's), where the statistics must do.
            command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
            with connection.cursor() as cursor:
                for model in LOADED_MODELS:
                    table = connection.ops.quote_name(model._meta.db_table)
                    cursor.execute(f"{command} {table}")
            self.stdout.write(f"{command}: {time.monotonic() - vacuuming:.0f} s")
        publication_changed(using)  # the cached public pages are stale
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {count} published items in "
                f"{time.monotonic() - started:.0f} s "
                f"(this process: {time.process_time():.0f} s CPU)."
            )
        )

    def _load(self, using, generator, loader, count, batch, workers, started):
        """Plan and fill each batch here, in order (ids and index numbers are
        taken in a short transaction of their own), and write it here
        (``workers=0``) or in writer threads, each with its own connection,
        while the next batch is being filled."""

        def fill(plans, item_ids):
            return [
                generator.fill(plan, item_id)
                for plan, item_id in zip(plans, item_ids, strict=True)
            ]

        def filled(start, size):
            plans = [generator.plan(start + offset) for offset in range(size)]
            with transaction.atomic(using=using):
                item_ids = next_item_ids(using, size)
                assign_index_numbers(plans, using)
                if not workers:  # the counters and the rows in one transaction
                    loader.write(fill(plans, item_ids))
                    return None
            return fill(plans, item_ids)

        def report(done):
            elapsed = time.monotonic() - started
            self.stdout.write(f"{done} items ({done / elapsed:.0f}/s, {elapsed:.0f} s)")

        if not workers:
            for start in range(0, count, batch):
                filled(start, min(batch, count - start))
                report(min(start + batch, count))
            return

        def write_in_thread(rows):
            try:
                return loader.write(rows)
            finally:
                connections[using].close()

        done = 0
        with ThreadPoolExecutor(max_workers=workers) as pool:
            pending = set()
            for start in range(0, count, batch):
                rows = filled(start, min(batch, count - start))
                pending.add(pool.submit(write_in_thread, rows))
                while len(pending) > workers:
                    finished, pending = wait(pending, return_when=FIRST_COMPLETED)
                    for future in finished:
                        done += future.result()
                        report(done)
            for future in pending:
                done += future.result()
                report(done)
