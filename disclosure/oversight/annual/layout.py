"""The layout of the annual report's tables in the 2021 format (国办公开办函〔2021〕30号):
the cells of tables 二, 三 and 四 (the format's wording, exactly), their empty
values, and how they are shown. The display functions read any object with
``table2``/``table3``/``table4`` (a report, or a published text:
``text.ReportText``)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_noop as N_

# --- layout ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Table2Group:
    article: str
    columns: tuple[tuple[str, str], ...]
    rows: tuple[tuple[str, str], ...]


TABLE2 = (
    Table2Group(
        N_("第二十条第（一）项"),
        (
            ("issued", N_("本年制发件数")),
            ("repealed", N_("本年废止件数")),
            ("in_force", N_("现行有效件数")),
        ),
        (("rules", N_("规章")), ("normative", N_("行政规范性文件"))),
    ),
    Table2Group(
        N_("第二十条第（五）项"),
        (("decisions", N_("本年处理决定数量")),),
        (("licensing", N_("行政许可")),),
    ),
    Table2Group(
        N_("第二十条第（六）项"),
        (("decisions", N_("本年处理决定数量")),),
        (("penalty", N_("行政处罚")), ("coercion", N_("行政强制"))),
    ),
    Table2Group(
        N_("第二十条第（八）项"),
        (("amount", N_("本年收费金额（单位：万元）")),),
        (("fees", N_("行政事业性收费")),),
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
    ("natural", N_("自然人")),
    ("business", N_("商业企业")),
    ("research", N_("科研机构")),
    ("charity", N_("社会公益组织")),
    ("legal", N_("法律服务机构")),
    ("other", N_("其他")),
    ("total", N_("总计")),
)
#: The five columns under 法人或其他组织.
TABLE3_ORGANISATION_COLUMNS = TABLE3_COLUMNS[1:6]

TABLE3_ROWS = (
    Table3Row("new", N_("一、本年新收申请数量")),
    Table3Row("carried_in", N_("二、上年结转申请数量")),
    Table3Row("", N_("三、本年度办理结果")),
    Table3Row("granted", N_("（一）予以公开"), 1),
    Table3Row(
        "partly_granted",
        N_("（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
        1,
    ),
    Table3Row("", N_("（三）不予公开"), 1),
    Table3Row("refused_secret", N_("1.属于国家秘密"), 2),
    Table3Row("refused_law", N_("2.其他法律行政法规禁止公开"), 2),
    Table3Row("refused_security", N_('3.危及"三安全一稳定"'), 2),
    Table3Row("refused_third_party", N_("4.保护第三方合法权益"), 2),
    Table3Row("refused_internal", N_("5.属于三类内部事务信息"), 2),
    Table3Row("refused_process", N_("6.属于四类过程性信息"), 2),
    Table3Row("refused_enforcement", N_("7.属于行政执法案卷"), 2),
    Table3Row("refused_query", N_("8.属于行政查询事项"), 2),
    Table3Row("", N_("（四）无法提供"), 1),
    Table3Row("unable_not_held", N_("1.本机关不掌握相关政府信息"), 2),
    Table3Row("unable_to_make", N_("2.没有现成信息需要另行制作"), 2),
    Table3Row("unable_unclear", N_("3.补正后申请内容仍不明确"), 2),
    Table3Row("", N_("（五）不予处理"), 1),
    Table3Row("rejected_petition", N_("1.信访举报投诉类申请"), 2),
    Table3Row("rejected_repeated", N_("2.重复申请"), 2),
    Table3Row("rejected_publication", N_("3.要求提供公开出版物"), 2),
    Table3Row("rejected_excessive", N_("4.无正当理由大量反复申请"), 2),
    Table3Row("rejected_confirmation", N_("5.要求行政机关确认或重新出具已获取信息"), 2),
    Table3Row("", N_("（六）其他处理"), 1),
    Table3Row(
        "other_no_correction",
        N_("1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
        2,
    ),
    Table3Row(
        "other_no_fee",
        N_("2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
        2,
    ),
    Table3Row("other_other", N_("3.其他"), 2),
    Table3Row("total", N_("（七）总计"), 1),
    Table3Row("carried_out", N_("四、结转下年度继续办理")),
)
TABLE3_KEYS = tuple(row.key for row in TABLE3_ROWS if row.key)
#: The rows that add up to （七）总计: （一）, （二） and the items of （三）…（六）.
TABLE3_RESULT_KEYS = tuple(
    key
    for key in TABLE3_KEYS
    if key not in ("new", "carried_in", "total", "carried_out")
)

TABLE4_GROUPS = (
    ("review", N_("行政复议")),
    ("direct", N_("未经复议直接起诉")),
    ("after_review", N_("复议后起诉")),
)
TABLE4_COLUMNS = (
    ("upheld", N_("结果维持")),
    ("corrected", N_("结果纠正")),
    ("other", N_("其他结果")),
    ("pending", N_("尚未审结")),
    ("total", N_("总计")),
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


# --- field names ------------------------------------------------------------------------------

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


# --- display ---------------------------------------------------------------------------------------


def table2_display(report, portal: dict | None = None) -> list[dict]:
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


def table3_display(report) -> list[dict]:
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


def table4_display(report) -> list[dict]:
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
