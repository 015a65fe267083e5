"""The annual report (政府信息公开工作年度报告, Regulations Arts. 49-50) in
the 2021 format of the State Council General Office (国办公开办函〔2021〕30号,
DOMAIN.md "Annual report").

This module knows the layout of the three tables, fills what the portal
knows from its data, checks the consistency rules and writes the DOCX.
Views render and save; the rules are here.

Figures the portal fills (table 二, 第二十条第（一）项) come from the public
records (what the public sees; records removed as 错发 never count). Item has
no "rule"/"normative document" field, so the class of a document is read from
its metadata by a documented rule (:func:`document_class`):

- 规章: the 体裁 is 命令（令） — rules of a government are promulgated by order
  (e.g. 示例市人民政府令第3号).
- 行政规范性文件: not a 规章, and either its 主题词 contain "规范性文件", or its
  体裁 is 决定, 意见 or 通知 *and* it carries a 发文字号 (a numbered
  决定/意见/通知 published for the public is how normative documents appear
  on disclosure sites; un-numbered notices are announcements).

For year Y:
- 本年制发件数: 成文日期 in Y.
- 本年废止件数: 有效性 废止 or 失效 with the change dated in Y (both end
  the document's force; the official table has one column for them).
- 现行有效件数: formed by 31 December of Y, in force on that day (有效, or its
  废止/失效 dated later) and not withdrawn (撤销) by then.

The request figures (table 三) are zero until the portal handles requests;
the office enters them, and table 四, in the form.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django import forms
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from disclosure.models import PublicRecord, Validity

from .. import periods, timeliness
from ..models import AnnualReport

# --- layout ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Table2Group:
    article: str
    columns: tuple[tuple[str, str], ...]
    rows: tuple[tuple[str, str], ...]


TABLE2 = (
    Table2Group(
        "第二十条第（一）项",
        (
            ("issued", "本年制发件数"),
            ("repealed", "本年废止件数"),
            ("in_force", "现行有效件数"),
        ),
        (("rules", "规章"), ("normative", "行政规范性文件")),
    ),
    Table2Group(
        "第二十条第（五）项",
        (("decisions", "本年处理决定数量"),),
        (("licensing", "行政许可"),),
    ),
    Table2Group(
        "第二十条第（六）项",
        (("decisions", "本年处理决定数量"),),
        (("penalty", "行政处罚"), ("coercion", "行政强制")),
    ),
    Table2Group(
        "第二十条第（八）项",
        (("amount", "本年收费金额（单位：万元）"),),
        (("fees", "行政事业性收费"),),
    ),
)
#: Cells of table 二 that the portal fills from its data.
AUTO_CELLS = tuple(
    f"{row}.{column}"
    for row in ("rules", "normative")
    for column in ("issued", "repealed", "in_force")
)
AMOUNT_CELL = "fees.amount"


def table2_cells() -> list[tuple[str, str, str]]:
    """(key, row label, column label) of every cell of table 二."""
    return [
        (f"{row}.{column}", row_label, column_label)
        for group in TABLE2
        for row, row_label in group.rows
        for column, column_label in group.columns
    ]


@dataclass(frozen=True)
class Table3Row:
    key: str  # "" for a heading row without numbers
    label: str
    level: int = 0


TABLE3_COLUMNS = (
    ("natural", "自然人"),
    ("business", "商业企业"),
    ("research", "科研机构"),
    ("charity", "社会公益组织"),
    ("legal", "法律服务机构"),
    ("other", "其他"),
    ("total", "总计"),
)
#: The five columns under 法人或其他组织.
TABLE3_ORGANISATION_COLUMNS = TABLE3_COLUMNS[1:6]

TABLE3_ROWS = (
    Table3Row("new", "一、本年新收申请数量"),
    Table3Row("carried_in", "二、上年结转申请数量"),
    Table3Row("", "三、本年度办理结果"),
    Table3Row("granted", "（一）予以公开", 1),
    Table3Row("partly_granted", "（二）部分公开", 1),
    Table3Row("", "（三）不予公开", 1),
    Table3Row("refused_secret", "1.属于国家秘密", 2),
    Table3Row("refused_law", "2.其他法律行政法规禁止公开", 2),
    Table3Row("refused_security", '3.危及"三安全一稳定"', 2),
    Table3Row("refused_third_party", "4.保护第三方合法权益", 2),
    Table3Row("refused_internal", "5.属于三类内部事务信息", 2),
    Table3Row("refused_process", "6.属于四类过程性信息", 2),
    Table3Row("refused_enforcement", "7.属于行政执法案卷", 2),
    Table3Row("refused_query", "8.属于行政查询事项", 2),
    Table3Row("", "（四）无法提供", 1),
    Table3Row("unable_not_held", "1.本机关不掌握相关政府信息", 2),
    Table3Row("unable_to_make", "2.没有现成信息需要另行制作", 2),
    Table3Row("unable_unclear", "3.补正后申请内容仍不明确", 2),
    Table3Row("", "（五）不予处理", 1),
    Table3Row("rejected_petition", "1.信访举报投诉类申请", 2),
    Table3Row("rejected_repeated", "2.重复申请", 2),
    Table3Row("rejected_publication", "3.要求提供公开出版物", 2),
    Table3Row("rejected_excessive", "4.无正当理由大量反复申请", 2),
    Table3Row("rejected_confirmation", "5.要求行政机关确认或重新出具已获取信息", 2),
    Table3Row("", "（六）其他处理", 1),
    Table3Row("other_no_correction", "1.申请人无正当理由逾期不补正", 2),
    Table3Row("other_no_fee", "2.申请人逾期未按收费通知要求缴纳费用", 2),
    Table3Row("other_other", "3.其他", 2),
    Table3Row("total", "（七）总计", 1),
    Table3Row("carried_out", "四、结转下年度继续办理"),
)
TABLE3_KEYS = tuple(row.key for row in TABLE3_ROWS if row.key)
#: The rows that add up to （七）总计: （一）, （二） and the items of （三）…（六）.
TABLE3_RESULT_KEYS = tuple(
    key
    for key in TABLE3_KEYS
    if key not in ("new", "carried_in", "total", "carried_out")
)

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


def table3_label(key: str) -> str:
    return next(row.label for row in TABLE3_ROWS if row.key == key)


def empty_table3() -> dict[str, list[int]]:
    return {key: [0] * len(TABLE3_COLUMNS) for key in TABLE3_KEYS}


def empty_table4() -> dict[str, list[int]]:
    return {key: [0] * len(TABLE4_COLUMNS) for key, _label in TABLE4_GROUPS}


def empty_table2() -> dict[str, object]:
    figures: dict[str, object] = {key: 0 for key, _r, _c in table2_cells()}
    figures[AMOUNT_CELL] = "0"
    return figures


# --- what the portal knows ----------------------------------------------------------------

RULE_TYPE_CODES = frozenset({"order"})
NORMATIVE_TYPE_CODES = frozenset({"decision", "opinion", "notice"})
NORMATIVE_KEYWORD = "规范性文件"


def document_class(type_code: str | None, doc_number: str, keywords: str) -> str:
    """ "rules" (规章), "normative" (行政规范性文件) or "" (see the module's
    docstring)."""
    if type_code in RULE_TYPE_CODES:
        return "rules"
    if NORMATIVE_KEYWORD in (keywords or ""):
        return "normative"
    if type_code in NORMATIVE_TYPE_CODES and (doc_number or "").strip():
        return "normative"
    return ""


def portal_figures(year: int, *, now: datetime.datetime) -> dict[str, int]:
    """Table 二 第（一）项 from the public records, in one query."""
    year_end = datetime.date(year, 12, 31)
    figures = dict.fromkeys(AUTO_CELLS, 0)
    records = (
        PublicRecord.objects.exclude(status=PublicRecord.Status.REMOVED)
        .filter(published_at__lte=now)
        .values_list(
            "document_type__code",
            "doc_number",
            "keywords",
            "formed_on",
            "validity",
            "validity_changed_on",
            "status",
            "status_changed_at",
        )
    )
    for (
        type_code,
        doc_number,
        keywords,
        formed_on,
        validity,
        changed_on,
        status,
        status_changed_at,
    ) in records:
        kind = document_class(type_code, doc_number, keywords)
        if not kind:
            continue
        if formed_on.year == year:
            figures[f"{kind}.issued"] += 1
        ended = validity in (Validity.REPEALED, Validity.EXPIRED) and changed_on
        if ended and changed_on.year == year:
            figures[f"{kind}.repealed"] += 1
        withdrawn_by_year_end = (
            status == PublicRecord.Status.WITHDRAWN
            and status_changed_at is not None
            and periods.local_date(status_changed_at) <= year_end
        )
        valid_at_year_end = not ended or changed_on > year_end
        if formed_on <= year_end and valid_at_year_end and not withdrawn_by_year_end:
            figures[f"{kind}.in_force"] += 1
    return figures


def proactive_summary(year: int, *, now, calendar) -> str:
    """A first paragraph for section 二, from the timeliness figures."""
    period = periods.year_period(year)
    report = timeliness.timeliness(
        period,
        today=min(timezone.localdate(now), period.end),
        now=now,
        calendar=calendar,
        as_of=period.end,
    )
    total = report.total
    return _(
        "%(year)s年，通过政府信息公开专栏主动公开政府信息%(published)s条，"
        "其中有法定公开时限的%(due)s条，按时公开%(on_time)s条，按时公开率%(rate)s；"
        "从成文到公开所用工作日的中位数为%(median)s个工作日。"
    ) % {
        "year": year,
        "published": len(total.published),
        "due": len(total.with_deadline),
        "on_time": len(total.on_time),
        "rate": total.on_time_rate,
        "median": total.median_days,
    }


def start_report(year: int, *, by, now, calendar) -> AnnualReport:
    """A new draft for ``year`` with what the portal knows filled in."""
    table2 = empty_table2()
    table2.update(portal_figures(year, now=now))
    return AnnualReport.objects.create(
        year=year,
        table2=table2,
        table3=empty_table3(),
        table4=empty_table4(),
        proactive_text=proactive_summary(year, now=now, calendar=calendar),
        requests_text=_(
            "本年度门户尚未受理网上政府信息公开申请，表内数字由政务公开办公室根据各渠道收到的申请统计填报。"
        ),
        created_by=by,
        updated_by=by,
        created_at=now,
        updated_at=now,
    )


# --- the form ---------------------------------------------------------------------------------

TEXT_FIELDS = (
    "overview",
    "proactive_text",
    "requests_text",
    "appeals_text",
    "problems",
    "other_matters",
)


def t2_name(key: str) -> str:
    return "t2__" + key.replace(".", "__")


def t3_name(row: str, column: str) -> str:
    return f"t3__{row}__{column}"


def t4_name(group: str, column: str) -> str:
    return f"t4__{group}__{column}"


class AnnualReportForm(forms.ModelForm):
    """The six sections' text and every cell of tables 二, 三 and 四.

    Cells are non-negative integers (the fee amount a non-negative number
    in 万元). :meth:`consistency_errors` applies the rules of the official
    format; publishing is refused while any fails."""

    class Meta:
        model = AnnualReport
        fields = TEXT_FIELDS
        widgets = {name: forms.Textarea(attrs={"rows": 6}) for name in TEXT_FIELDS}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        report = self.instance
        table2 = {**empty_table2(), **(report.table2 or {})}
        table3 = {**empty_table3(), **(report.table3 or {})}
        table4 = {**empty_table4(), **(report.table4 or {})}
        for key, row_label, column_label in table2_cells():
            label = f"{row_label} {column_label}"
            if key == AMOUNT_CELL:
                self.fields[t2_name(key)] = forms.DecimalField(
                    label=label,
                    min_value=Decimal("0"),
                    max_digits=14,
                    decimal_places=4,
                    initial=Decimal(str(table2[key])),
                    error_messages=_number_errors(_("表二"), row_label, column_label),
                )
            else:
                self.fields[t2_name(key)] = _count_field(
                    label, table2[key], _("表二"), row_label, column_label
                )
        for row in TABLE3_ROWS:
            if not row.key:
                continue
            for index, (column, column_label) in enumerate(TABLE3_COLUMNS):
                self.fields[t3_name(row.key, column)] = _count_field(
                    f"{row.label} {column_label}",
                    table3[row.key][index],
                    _("表三"),
                    row.label,
                    column_label,
                )
        for group, group_label in TABLE4_GROUPS:
            for index, (column, column_label) in enumerate(TABLE4_COLUMNS):
                self.fields[t4_name(group, column)] = _count_field(
                    f"{group_label} {column_label}",
                    table4[group][index],
                    _("表四"),
                    group_label,
                    column_label,
                )

    # -- the figures as stored ---------------------------------------------------------

    def table2_figures(self) -> dict:
        data = self.cleaned_data
        figures = {}
        for key, _r, _c in table2_cells():
            value = data[t2_name(key)]
            figures[key] = str(value.normalize()) if key == AMOUNT_CELL else value
        return figures

    def table3_figures(self) -> dict[str, list[int]]:
        data = self.cleaned_data
        return {
            key: [data[t3_name(key, column)] for column, _l in TABLE3_COLUMNS]
            for key in TABLE3_KEYS
        }

    def table4_figures(self) -> dict[str, list[int]]:
        data = self.cleaned_data
        return {
            group: [data[t4_name(group, column)] for column, _l in TABLE4_COLUMNS]
            for group, _l in TABLE4_GROUPS
        }

    def consistency_errors(self) -> list[CellError]:
        return check_tables(self.table3_figures(), self.table4_figures())

    def mark(self, errors: list[CellError]) -> None:
        for error in errors:
            self.add_error(error.field, error.message)

    def apply(self, report: AnnualReport) -> None:
        for name in TEXT_FIELDS:
            setattr(report, name, self.cleaned_data[name])
        report.table2 = self.table2_figures()
        report.table3 = self.table3_figures()
        report.table4 = self.table4_figures()


def _number_errors(table, row_label, column_label) -> dict:
    where = _("%(table)s“%(row)s”行“%(column)s”列") % {
        "table": table,
        "row": row_label,
        "column": column_label,
    }
    return {
        "required": _("%(where)s：请填写数字（没有的填0）。") % {"where": where},
        "invalid": _("%(where)s：请填写不小于0的整数。") % {"where": where},
        "min_value": _("%(where)s：不能为负数。") % {"where": where},
        "max_digits": _("%(where)s：数字位数过多。") % {"where": where},
        "max_decimal_places": _("%(where)s：最多保留4位小数。") % {"where": where},
        "max_whole_digits": _("%(where)s：数字位数过多。") % {"where": where},
    }


def _count_field(label, initial, table, row_label, column_label):
    return forms.IntegerField(
        label=label,
        min_value=0,
        initial=initial,
        error_messages=_number_errors(table, row_label, column_label),
        widget=forms.NumberInput(attrs={"min": 0, "step": 1, "inputmode": "numeric"}),
    )


# --- consistency rules ---------------------------------------------------------------------


@dataclass(frozen=True)
class CellError:
    field: str
    table: str
    row: str
    column: str
    message: str


def check_tables(
    table3: dict[str, list[int]], table4: dict[str, list[int]]
) -> list[CellError]:
    """The rules of the official format, one error per wrong cell:

    - table 三, every row: 总计 = the sum of the six columns before it;
    - every column: （七）总计 = the sum of （一）…（六）;
    - every column: 一 + 二 = 三（七） + 四;
    - table 四, every group: 总计 = the sum of its four results.
    """
    errors: list[CellError] = []
    total_index = len(TABLE3_COLUMNS) - 1
    for key in TABLE3_KEYS:
        values = table3[key]
        expected = sum(values[:total_index])
        if values[total_index] != expected:
            label = table3_label(key)
            errors.append(
                CellError(
                    t3_name(key, "total"),
                    "3",
                    label,
                    "总计",
                    _(
                        "表三“%(row)s”行“总计”列：应等于本行前六列之和%(expected)s，现为%(actual)s。"
                    )
                    % {
                        "row": label,
                        "expected": expected,
                        "actual": values[total_index],
                    },
                )
            )
    for index, (column, column_label) in enumerate(TABLE3_COLUMNS):
        expected = sum(table3[key][index] for key in TABLE3_RESULT_KEYS)
        actual = table3["total"][index]
        if actual != expected:
            errors.append(
                CellError(
                    t3_name("total", column),
                    "3",
                    "（七）总计",
                    column_label,
                    _(
                        "表三“（七）总计”行“%(column)s”列：应等于（一）至（六）各项之和%(expected)s，现为%(actual)s。"
                    )
                    % {"column": column_label, "expected": expected, "actual": actual},
                )
            )
        received = table3["new"][index] + table3["carried_in"][index]
        settled = actual + table3["carried_out"][index]
        if received != settled:
            errors.append(
                CellError(
                    t3_name("carried_out", column),
                    "3",
                    "四、结转下年度继续办理",
                    column_label,
                    _(
                        "表三“%(column)s”列：一（本年新收）加二（上年结转）为%(received)s，"
                        "应等于三（七）总计加四（结转下年度继续办理），现为%(settled)s。"
                    )
                    % {
                        "column": column_label,
                        "received": received,
                        "settled": settled,
                    },
                )
            )
    for group, group_label in TABLE4_GROUPS:
        values = table4[group]
        expected = sum(values[:4])
        if values[4] != expected:
            errors.append(
                CellError(
                    t4_name(group, "total"),
                    "4",
                    group_label,
                    "总计",
                    _(
                        "表四“%(group)s”的“总计”：应等于结果维持、结果纠正、其他结果、尚未审结之和%(expected)s，现为%(actual)s。"
                    )
                    % {"group": group_label, "expected": expected, "actual": values[4]},
                )
            )
    return errors


def stored_errors(report: AnnualReport) -> list[CellError]:
    """The consistency errors of the figures as saved."""
    table3 = {**empty_table3(), **(report.table3 or {})}
    table4 = {**empty_table4(), **(report.table4 or {})}
    return check_tables(table3, table4)


class ReportNotConsistent(Exception):
    def __init__(self, errors: list[CellError]):
        super().__init__(f"{len(errors)} inconsistent cells")
        self.errors = errors


def publish(*, report: AnnualReport, form: AnnualReportForm, by) -> AnnualReport:
    """Save the form's figures and publish the report, or change nothing and
    raise :class:`ReportNotConsistent`."""
    errors = form.consistency_errors()
    if errors:
        raise ReportNotConsistent(errors)
    with transaction.atomic():
        report = AnnualReport.objects.select_for_update().get(pk=report.pk)
        form.apply(report)
        now = timezone.now()
        report.updated_by = by
        report.updated_at = now
        if report.state != AnnualReport.State.PUBLISHED:
            report.state = AnnualReport.State.PUBLISHED
            report.published_at = now
            report.published_by = by
        report.save()
    return report


def save_draft(*, report: AnnualReport, form: AnnualReportForm, by) -> AnnualReport:
    """Save the text and figures of a draft. A published report is only
    saved when its tables stay consistent (raises :class:`ReportNotConsistent`)."""
    if report.state == AnnualReport.State.PUBLISHED:
        errors = form.consistency_errors()
        if errors:
            raise ReportNotConsistent(errors)
    with transaction.atomic():
        report = AnnualReport.objects.select_for_update().get(pk=report.pk)
        form.apply(report)
        report.updated_by = by
        report.updated_at = timezone.now()
        report.save()
    return report


def refill(*, report: AnnualReport, by, now) -> AnnualReport:
    """Put the portal's figures back into table 二 第（一）项."""
    with transaction.atomic():
        report = AnnualReport.objects.select_for_update().get(pk=report.pk)
        table2 = {**empty_table2(), **(report.table2 or {})}
        table2.update(portal_figures(report.year, now=now))
        report.table2 = table2
        report.updated_by = by
        report.updated_at = now
        report.save(update_fields=["table2", "updated_by", "updated_at"])
    return report


# --- deadline ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeadlineNotice:
    year: int
    due_on: datetime.date
    overdue: bool
    report: AnnualReport | None


def deadline_notice(today: datetime.date) -> DeadlineNotice | None:
    """From 1 January until the previous year's report is published: the
    31 January deadline (Art. 49), overdue after it."""
    year = today.year - 1
    report = AnnualReport.objects.filter(year=year).first()
    if report is not None and report.is_published:
        return None
    due_on = datetime.date(today.year, 1, 31)
    return DeadlineNotice(year, due_on, today > due_on, report)


# --- display ---------------------------------------------------------------------------------------


def table2_display(report: AnnualReport, portal: dict | None = None) -> list[dict]:
    """Table 二 grouped as printed, with the portal's figure next to the
    stored one where they differ."""
    figures = {**empty_table2(), **(report.table2 or {})}
    groups = []
    for group in TABLE2:
        rows = []
        for row, row_label in group.rows:
            cells = []
            for column, column_label in group.columns:
                key = f"{row}.{column}"
                cells.append(
                    {
                        "key": key,
                        "name": t2_name(key),
                        "value": figures[key],
                        "column": column_label,
                        "portal": portal.get(key) if portal else None,
                        "auto": key in AUTO_CELLS,
                    }
                )
            rows.append({"key": row, "label": row_label, "cells": cells})
        groups.append(
            {"article": group.article, "columns": group.columns, "rows": rows}
        )
    return groups


def table3_display(report: AnnualReport) -> list[dict]:
    figures = {**empty_table3(), **(report.table3 or {})}
    return [
        {
            "key": row.key,
            "label": row.label,
            "level": row.level,
            "values": figures[row.key] if row.key else None,
            "names": [t3_name(row.key, c) for c, _l in TABLE3_COLUMNS]
            if row.key
            else None,
        }
        for row in TABLE3_ROWS
    ]


def table4_display(report: AnnualReport) -> list[dict]:
    figures = {**empty_table4(), **(report.table4 or {})}
    return [
        {
            "key": group,
            "label": label,
            "values": figures[group],
            "names": [t4_name(group, c) for c, _l in TABLE4_COLUMNS],
        }
        for group, label in TABLE4_GROUPS
    ]


SECTION_TITLES = (
    ("overview", gettext_lazy("一、总体情况")),
    ("proactive_text", gettext_lazy("二、主动公开政府信息情况")),
    ("requests_text", gettext_lazy("三、收到和处理政府信息公开申请情况")),
    ("appeals_text", gettext_lazy("四、政府信息公开行政复议、行政诉讼情况")),
    ("problems", gettext_lazy("五、存在的主要问题及改进情况")),
    ("other_matters", gettext_lazy("六、其他需要报告的事项")),
)


def parse_amount(value) -> Decimal:
    try:
        return Decimal(str(value))
    except (InvalidOperation, TypeError):
        return Decimal("0")


# --- DOCX ------------------------------------------------------------------------------------------


def _docx_paragraphs(document, text: str) -> None:
    for paragraph in (text or "").splitlines():
        if paragraph.strip():
            document.add_paragraph(paragraph.strip())


def _docx_table(document, header_rows, body_rows):
    """A table with header rows (lists of (text, colspan, rowspan)) and plain
    body rows."""
    width = sum(span for text, span, _rows in header_rows[0])
    table = document.add_table(rows=0, cols=width)
    table.style = "Table Grid"
    grid = [table.add_row().cells for _header in header_rows]
    occupied = set()
    for r, header in enumerate(header_rows):
        c = 0
        for text, colspan, rowspan in header:
            while (r, c) in occupied:
                c += 1
            cell = grid[r][c]
            if colspan > 1 or rowspan > 1:
                cell = cell.merge(grid[r + rowspan - 1][c + colspan - 1])
            cell.text = text
            for rr in range(r, r + rowspan):
                for cc in range(c, c + colspan):
                    occupied.add((rr, cc))
            c += colspan
    for row in body_rows:
        cells = table.add_row().cells
        for index, text in enumerate(row):
            cells[index].text = str(text)
    return table


def build_docx(report: AnnualReport, site_name: str = "") -> bytes:
    """The report as a Word document, tables included."""
    from docx import Document

    document = Document()
    document.add_heading(str(report), level=0)
    texts = {name: getattr(report, name) for name in TEXT_FIELDS}
    for name, title in SECTION_TITLES:
        document.add_heading(str(title), level=1)
        _docx_paragraphs(document, texts[name])
        if name == "proactive_text":
            for group in table2_display(report):
                header = [[(_("信息内容"), 1, 1)]]
                header[0] += [(label, 1, 1) for _key, label in group["columns"]]
                document.add_paragraph(group["article"])
                _docx_table(
                    document,
                    header,
                    [
                        [row["label"], *[cell["value"] for cell in row["cells"]]]
                        for row in group["rows"]
                    ],
                )
        if name == "requests_text":
            header = [
                [
                    (
                        _(
                            "本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和"
                        ),
                        1,
                        3,
                    ),
                    (_("申请人情况"), 7, 1),
                ],
                [(_("自然人"), 1, 2), (_("法人或其他组织"), 5, 1), (_("总计"), 1, 2)],
                [(label, 1, 1) for _key, label in TABLE3_ORGANISATION_COLUMNS],
            ]
            _docx_table(
                document,
                header,
                [
                    [row["label"], *(row["values"] or [""] * len(TABLE3_COLUMNS))]
                    for row in table3_display(report)
                ],
            )
        if name == "appeals_text":
            header = [
                [(_("行政复议"), 5, 1), (_("行政诉讼"), 10, 1)],
                [
                    *[(label, 1, 2) for _key, label in TABLE4_COLUMNS],
                    (_("未经复议直接起诉"), 5, 1),
                    (_("复议后起诉"), 5, 1),
                ],
                [(label, 1, 1) for _key, label in TABLE4_COLUMNS] * 2,
            ]
            values = [v for row in table4_display(report) for v in row["values"]]
            _docx_table(document, header, [values])
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
