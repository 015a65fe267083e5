"""Tables 三 and 四 of an organ's annual report (2021 format,
国办公开办函〔2021〕30号) and the 信息处理费 of section 六, computed from the
register of requests and the register of appeals.

The row and column keys are those of the annual report's layout
(``disclosure/oversight/annual/layout.py``), so the report can take the
figures as they are; the row labels are the format's exact wording.

Rules for a year Y and an organ (the one the application was sent to):

- 一 本年新收: received in Y (online applications once receipt is
  confirmed; a discarded submission never counts);
- 二 上年结转: received before Y and not closed before Y;
- 三 results: closed in Y, in the row of its result;
- 四 结转下年度: received by the end of Y and not closed by then.

So 一 + 二 = 三（七） + 四 in every column, by construction; the check is
made all the same (:func:`consistency_errors`), as the format demands.

Table 四: the organ's cases filed by the end of Y and not decided before Y,
with their result as of the end of Y (尚未审结 if undecided then).

Every figure keeps the requests (or cases) behind it: :attr:`Tables.cells`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, Sum
from django.utils.translation import gettext_noop as N_

from catalog.selectors import work_calendar

from .models import AppealCase, ApplicantKind, InformationRequest, ReplyType
from .request_queries import clock_of, with_pauses

TABLE3_COLUMNS = (
    ("natural", "自然人"),
    ("business", "商业企业"),
    ("research", "科研机构"),
    ("charity", "社会公益组织"),
    ("legal", "法律服务机构"),
    ("other", "其他"),
    ("total", "总计"),
)
COLUMN_KEYS = tuple(key for key, _label in TABLE3_COLUMNS)

#: (key, label, level); a key of "" is a heading without figures.
TABLE3_ROWS = (
    ("new", "一、本年新收申请数量", 0),
    ("carried_in", "二、上年结转申请数量", 0),
    ("", "三、本年度办理结果", 0),
    ("granted", "（一）予以公开", 1),
    ("partly_granted", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", 1),
    ("", "（三）不予公开", 1),
    ("refused_secret", "1.属于国家秘密", 2),
    ("refused_law", "2.其他法律行政法规禁止公开", 2),
    ("refused_security", '3.危及"三安全一稳定"', 2),
    ("refused_third_party", "4.保护第三方合法权益", 2),
    ("refused_internal", "5.属于三类内部事务信息", 2),
    ("refused_process", "6.属于四类过程性信息", 2),
    ("refused_enforcement", "7.属于行政执法案卷", 2),
    ("refused_query", "8.属于行政查询事项", 2),
    ("", "（四）无法提供", 1),
    ("unable_not_held", "1.本机关不掌握相关政府信息", 2),
    ("unable_to_make", "2.没有现成信息需要另行制作", 2),
    ("unable_unclear", "3.补正后申请内容仍不明确", 2),
    ("", "（五）不予处理", 1),
    ("rejected_petition", "1.信访举报投诉类申请", 2),
    ("rejected_repeated", "2.重复申请", 2),
    ("rejected_publication", "3.要求提供公开出版物", 2),
    ("rejected_excessive", "4.无正当理由大量反复申请", 2),
    ("rejected_confirmation", "5.要求行政机关确认或重新出具已获取信息", 2),
    ("", "（六）其他处理", 1),
    (
        "other_no_correction",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        2,
    ),
    (
        "other_no_fee",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        2,
    ),
    ("other_other", "3.其他", 2),
    ("total", "（七）总计", 1),
    ("carried_out", "四、结转下年度继续办理", 0),
)
TABLE3_KEYS = tuple(key for key, _label, _level in TABLE3_ROWS if key)
RESULT_KEYS = tuple(ReplyType.values)

TABLE4_GROUPS = (
    ("review", "行政复议"),
    ("direct", "未经复议直接起诉"),
    ("after_review", "复议后起诉"),
)
TABLE4_COLUMNS = (
    ("upheld", "结果维持"),
    ("corrected", "结果纠正"),
    ("other", "其他结果"),
    ("pending", "尚未审结"),
    ("total", "总计"),
)
TABLE4_COLUMN_KEYS = tuple(key for key, _label in TABLE4_COLUMNS)

assert set(RESULT_KEYS) <= set(TABLE3_KEYS)  # noqa: S101 - layout invariant
assert len(TABLE3_KEYS) == 25  # noqa: S101
assert tuple(ApplicantKind.values) == COLUMN_KEYS[:6]  # noqa: S101


@dataclass
class Tables:
    organ_id: int | None
    year: int
    table3: dict[str, list[int]]
    table4: dict[str, list[int]]
    fees: Decimal
    #: (row, column) → primary keys of the requests behind the figure.
    cells: dict[tuple[str, str], list[int]] = field(default_factory=dict)
    #: (group, column) → primary keys of the cases behind the figure.
    cases: dict[tuple[str, str], list[int]] = field(default_factory=dict)
    fee_requests: list[int] = field(default_factory=list)

    @property
    def errors(self) -> list[str]:
        return consistency_errors(self.table3, self.table4)


def year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def classify(
    received_on: datetime.date | None,
    closed_on: datetime.date | None,
    result: str,
    year: int,
) -> list[str]:
    """The rows of table 三 of ``year`` a request counts in (besides
    （七）总计, which adds up the results)."""
    if received_on is None:
        return []
    first, last = year_bounds(year)
    rows = []
    if first <= received_on <= last:
        rows.append("new")
    if received_on < first and (closed_on is None or closed_on >= first):
        rows.append("carried_in")
    if closed_on is not None and first <= closed_on <= last:
        rows.append(result)
        rows.append("total")
    if received_on <= last and (closed_on is None or closed_on > last):
        rows.append("carried_out")
    return rows


def organ_tables(organ, year: int) -> Tables:
    """Tables 三 and 四 and the fees of ``organ`` (a Department or its pk)
    for ``year``; ``None``: all organs together (the office's overview; each
    organ's annual report takes its own)."""
    organ_id = getattr(organ, "pk", organ)
    first, last = year_bounds(year)
    of_organ = {} if organ_id is None else {"organ_id": organ_id}
    table3 = {key: [0] * len(COLUMN_KEYS) for key in TABLE3_KEYS}
    cells: dict[tuple[str, str], list[int]] = {}
    rows = (
        InformationRequest.objects.filter(received_on__lte=last, **of_organ)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=first))
        .exclude(state=InformationRequest.State.DISCARDED)
        .order_by("received_on", "pk")
        .values_list("pk", "applicant_kind", "received_on", "closed_on", "result")
    )
    for pk, kind, received_on, closed_on, result in rows:
        column = COLUMN_KEYS.index(kind)
        for row in classify(received_on, closed_on, result, year):
            for index in (column, len(COLUMN_KEYS) - 1):
                table3[row][index] += 1
                cells.setdefault((row, COLUMN_KEYS[index]), []).append(pk)
    table4 = {key: [0] * len(TABLE4_COLUMNS) for key, _label in TABLE4_GROUPS}
    cases: dict[tuple[str, str], list[int]] = {}
    appeals = (
        AppealCase.objects.filter(filed_on__lte=last, **of_organ)
        .filter(Q(decided_on__isnull=True) | Q(decided_on__gte=first))
        .order_by("filed_on", "pk")
        .values_list("pk", "kind", "result", "decided_on")
    )
    for pk, kind, result, decided_on in appeals:
        outcome = result if decided_on and decided_on <= last else "pending"
        for column in (outcome, "total"):
            table4[kind][TABLE4_COLUMN_KEYS.index(column)] += 1
            cases.setdefault((kind, column), []).append(pk)
    paid = InformationRequest.objects.filter(
        fee_paid_on__range=(first, last), **of_organ
    )
    fees = paid.aggregate(total=Sum("fee_amount"))["total"] or Decimal(0)
    return Tables(
        organ_id=organ_id,
        year=year,
        table3=table3,
        table4=table4,
        fees=fees,
        cells=cells,
        cases=cases,
        fee_requests=list(paid.order_by("pk").values_list("pk", flat=True)),
    )


def requests_behind(organ, year: int, row: str, column: str = "total"):
    """The requests counted in one figure of table 三, as a queryset."""
    if row not in TABLE3_KEYS or column not in COLUMN_KEYS:
        return InformationRequest.objects.none()
    pks = organ_tables(organ, year).cells.get((row, column), [])
    return InformationRequest.objects.filter(pk__in=pks)


def consistency_errors(
    table3: dict[str, list[int]], table4: dict[str, list[int]]
) -> list[str]:
    """The format's rules: every row's 总计 is the sum of its six columns;
    （七）总计 is the sum of the results; 一 + 二 = 三（七） + 四 per column;
    table 四's 总计 is the sum of its four results."""
    errors = []
    labels = {key: label for key, label, _level in TABLE3_ROWS if key}
    for key in TABLE3_KEYS:
        if table3[key][-1] != sum(table3[key][:-1]):
            errors.append(f"表三“{labels[key]}”：总计不等于各列之和")
    for index, (_column, column_label) in enumerate(TABLE3_COLUMNS):
        results = sum(table3[key][index] for key in RESULT_KEYS)
        if table3["total"][index] != results:
            errors.append(f"表三“{column_label}”列：（七）总计不等于各项办理结果之和")
        received = table3["new"][index] + table3["carried_in"][index]
        settled = table3["total"][index] + table3["carried_out"][index]
        if received != settled:
            errors.append(
                f"表三“{column_label}”列：一＋二（{received}）不等于三（七）＋四（{settled}）"
            )
    for group, group_label in TABLE4_GROUPS:
        if table4[group][-1] != sum(table4[group][:-1]):
            errors.append(f"表四“{group_label}”：总计不等于各项结果之和")
    return errors


#: The result groups of table 三, for the statistics and the self-inspection.
RESULT_GROUPS = (
    ("granted", N_("予以公开"), ("granted",)),
    ("partly_granted", N_("部分公开"), ("partly_granted",)),
    (
        "refused",
        N_("不予公开"),
        tuple(k for k in RESULT_KEYS if k.startswith("refused_")),
    ),
    (
        "unable",
        N_("无法提供"),
        tuple(k for k in RESULT_KEYS if k.startswith("unable_")),
    ),
    (
        "rejected",
        N_("不予处理"),
        tuple(k for k in RESULT_KEYS if k.startswith("rejected_")),
    ),
    ("other", N_("其他处理"), tuple(k for k in RESULT_KEYS if k.startswith("other_"))),
)


@dataclass
class RequestStatistics:
    received: int
    closed: int
    by_group: dict[str, int]
    on_time: int
    late: int
    reviews: int
    lawsuits: int
    corrected_cases: int

    @property
    def on_time_rate(self) -> float | None:
        answered = self.on_time + self.late
        return None if not answered else self.on_time / answered


def request_statistics(start: datetime.date, end: datetime.date, organ=None):
    """What the statistics and the self-inspection report count about
    requests in a period (both ends included), for one organ or all:
    received, closed by result group, answered on time or late (against the
    clock of request_clock, pauses and extensions included), and the
    reviews and lawsuits filed (of which decided against the organ)."""
    requests = InformationRequest.objects.exclude(
        state=InformationRequest.State.DISCARDED
    )
    cases = AppealCase.objects.all()
    if organ is not None:
        requests = requests.filter(organ_id=getattr(organ, "pk", organ))
        cases = cases.filter(organ_id=getattr(organ, "pk", organ))
    closed = list(with_pauses(requests.filter(closed_on__range=(start, end))))
    calendar = work_calendar()
    late = sum(1 for r in closed if clock_of(r, r.closed_on, calendar).late)
    groups = {key: 0 for key, _label, _rows in RESULT_GROUPS}
    for request in closed:
        for key, _label, rows in RESULT_GROUPS:
            if request.result in rows:
                groups[key] += 1
    filed = cases.filter(filed_on__range=(start, end))
    return RequestStatistics(
        received=requests.filter(received_on__range=(start, end)).count(),
        closed=len(closed),
        by_group=groups,
        on_time=len(closed) - late,
        late=late,
        reviews=filed.filter(kind=AppealCase.Kind.REVIEW).count(),
        lawsuits=filed.exclude(kind=AppealCase.Kind.REVIEW).count(),
        corrected_cases=cases.filter(
            result=AppealCase.Result.CORRECTED, decided_on__range=(start, end)
        ).count(),
    )
