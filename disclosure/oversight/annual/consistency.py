"""The consistency rules of the 2021 format: the checks between the cells of
tables 三 and 四 that block publication while they fail."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from ..models import AnnualReport
from .layout import (
    TABLE3_COLUMNS,
    TABLE3_KEYS,
    TABLE3_RESULT_KEYS,
    TABLE4_GROUPS,
    empty_table3,
    empty_table4,
    t3_name,
    t4_name,
    table3_label,
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
