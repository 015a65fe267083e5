"""Import and export of the disclosure catalog as CSV and XLSX.

The layout is the one of the grass-roots standard catalogues (国办发〔2019〕54号,
see DOMAIN.md): 序号, 领域, 一级事项, 二级事项, 公开内容（要素）, 公开依据, 公开时限,
公开主体, 公开渠道和载体, 公开对象, 公开方式, 公开层级; followed by four machine
columns (时限类型, 时限工作日, 公开周期, 启用) so that the structured time limit and
the active flag survive a round trip.

A catalogue from elsewhere usually has the twelve standard columns only: the
time limit is then read from the 公开时限 text (:func:`parse_time_limit`). Such
spreadsheets often have a title row, a two-row header (公开事项 over 一级事项 and
二级事项; 公开对象 over 全社会 and 特定群体 ticked with √) and merged cells; the
reader copes with all three.

The import is all or nothing: every row is checked (including the model's
``full_clean``) and all problems are reported, each naming the spreadsheet row
(header = row 1) and the column; nothing is written when there is any problem.
Rows are matched to existing entries by (领域, 一级事项, 二级事项) and updated,
others are created; entries missing from the file are left as they are."""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from typing import NamedTuple

from django.utils.translation import gettext as _

from catalog.models import CatalogEntry

# --- The layout -------------------------------------------------------------

ORDER = "序号"
AREA = "领域"
LEVEL1 = "一级事项"
LEVEL2 = "二级事项"
CONTENT = "公开内容（要素）"
BASIS = "公开依据"
TIME_LIMIT = "公开时限"
DEPARTMENT = "公开主体"
CHANNELS = "公开渠道和载体"
AUDIENCE = "公开对象"
MODE = "公开方式"
LEVEL = "公开层级"
KIND = "时限类型"
DAYS = "时限工作日"
PERIOD = "公开周期"
COUNTED_FROM = "时限起算事件"
FIXED_DATE = "固定日期"
ACTIVE = "启用"

STANDARD_HEADERS = (
    ORDER,
    AREA,
    LEVEL1,
    LEVEL2,
    CONTENT,
    BASIS,
    TIME_LIMIT,
    DEPARTMENT,
    CHANNELS,
    AUDIENCE,
    MODE,
    LEVEL,
)
MACHINE_HEADERS = (KIND, DAYS, PERIOD, COUNTED_FROM, FIXED_DATE, ACTIVE)
HEADERS = STANDARD_HEADERS + MACHINE_HEADERS
REQUIRED_HEADERS = (AREA, LEVEL1, DEPARTMENT)

FORMATS = ("csv", "xlsx")
MAX_IMPORT_BYTES = 10 * 1024 * 1024
MAX_XLSX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
MAX_ROWS = 10_000
MAX_COLUMNS = 60
HEADER_SEARCH_ROWS = 10

# Which column a model field's validation error belongs to.
FIELD_COLUMNS = {
    "area": AREA,
    "order": ORDER,
    "level1": LEVEL1,
    "level2": LEVEL2,
    "content": CONTENT,
    "basis": BASIS,
    "time_limit_text": TIME_LIMIT,
    "responsible_department": DEPARTMENT,
    "channels": CHANNELS,
    "audience": AUDIENCE,
    "mode": MODE,
    "level": LEVEL,
    "is_active": ACTIVE,
}
STRUCTURED_TIME_LIMIT_COLUMNS = {
    "time_limit_kind": KIND,
    "time_limit_days": DAYS,
    "period": PERIOD,
    "counted_from": COUNTED_FROM,
    "fixed_month": FIXED_DATE,
    "fixed_day": FIXED_DATE,
}
TIME_LIMIT_HEADERS = frozenset(
    {TIME_LIMIT, KIND, DAYS, PERIOD, COUNTED_FROM, FIXED_DATE}
)
# Files are written in the language of the standard catalogues, whatever the
# language of the page that exports them.
FILE_LANGUAGE = "zh-hans"

YES = {"是", "启用", "y", "yes", "true", "1", "√", "✓", "✔"}
NO = {"否", "停用", "n", "no", "false", "0", "×", "✗"}
# Marks for a ticked option; “×” means “no” on Chinese forms.
TICKS = {"√", "✓", "✔", "☑", "●", "是", "y", "yes", "1", "v"}
CHANNEL_SEPARATORS = "、，,；;/\n\r\t "
FORMULA_PREFIXES = ("=", "+", "-", "@")


def _norm(text: str) -> str:
    """Compare-friendly form: full-width letters, digits and brackets folded to
    ASCII, white space and required-field asterisks removed."""
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"[\s*]", "", text).lower()


HEADER_ALIASES = {
    **{_norm(header): header for header in HEADERS},
    _norm("公开内容"): CONTENT,
    _norm("公开要素"): CONTENT,
    _norm("公开渠道"): CHANNELS,
    _norm("公开渠道及载体"): CHANNELS,
    _norm("公开载体"): CHANNELS,
    _norm("责任部门"): DEPARTMENT,
    _norm("责任单位"): DEPARTMENT,
    _norm("公开范围"): AUDIENCE,
    _norm("编号"): ORDER,
    _norm("时限工作日数"): DAYS,
    _norm("公开时限类型"): KIND,
    _norm("是否启用"): ACTIVE,
}
# Columns whose sub-headers are options ticked with √ in standard catalogues.
OPTION_GROUPS = (AUDIENCE, MODE, LEVEL)


# --- Errors and results -----------------------------------------------------


@dataclass(frozen=True)
class RowError:
    """One problem: the spreadsheet row (header = 1; ``None`` for the file as a
    whole), the column header and what is wrong."""

    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        if self.row is None:
            return self.message
        if self.column:
            return _("第%(row)d行“%(column)s”：%(message)s") % {
                "row": self.row,
                "column": self.column,
                "message": self.message,
            }
        return _("第%(row)d行：%(message)s") % {
            "row": self.row,
            "message": self.message,
        }


class CatalogImportError(Exception):
    """The file was not imported; ``errors`` lists every problem found."""

    def __init__(self, errors: list[RowError]):
        self.errors = list(errors)
        super().__init__("\n".join(str(error) for error in self.errors))


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int


def _file_error(message: str) -> CatalogImportError:
    return CatalogImportError([RowError(None, "", message)])


# --- Time limits ------------------------------------------------------------

_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_UNITS = {"十": 10, "百": 100}
_NUMBER = r"(\d+|[零〇一二两三四五六七八九十百]+)"
_PERIOD_WORDS = {
    "每半年": "half_yearly",
    "按半年": "half_yearly",
    "半年度": "half_yearly",
    "半年": "half_yearly",
    "每季度": "quarterly",
    "按季度": "quarterly",
    "每季": "quarterly",
    "按季": "quarterly",
    "季度": "quarterly",
    "每月": "monthly",
    "按月": "monthly",
    "月度": "monthly",
    "每年": "yearly",
    "按年": "yearly",
    "年度": "yearly",
}
_PERIODIC_RE = re.compile(
    "("
    + "|".join(sorted(_PERIOD_WORDS, key=len, reverse=True))
    + r")[^\d零〇一二两三四五六七八九十百]*?"
    + _NUMBER
    + "个?工作日"
)
_WORKING_DAYS_RE = re.compile(_NUMBER + "个?工作日")
_CALENDAR_DAYS_RE = re.compile("(?:起|后)" + _NUMBER + "个?(?:自然)?日(?:内|以内)")
_FIXED_DATE_RE = re.compile(r"每年(\d{1,2})月(?:(\d{1,2})日|底|末)(?:之?前|以前)")


class TimeLimit(NamedTuple):
    """A structured time limit read from a catalogue's wording."""

    kind: str
    days: int | None
    period: str
    counted_from: str = "formed"
    fixed_month: int | None = None
    fixed_day: int | None = None


def _counted_from(text: str) -> str:
    if "批准" in text or "批复" in text:
        return "approved"
    if "变更" in text and "形成" not in text:
        return "changed"
    return "formed"


def _chinese_number(text: str) -> int:
    if text.isdigit():
        return int(text)
    total, digit = 0, None
    for char in text:
        if char in _CN_DIGITS:
            digit = _CN_DIGITS[char]
        else:
            total += (1 if digit is None else digit) * _CN_UNITS[char]
            digit = None
    return total + (digit or 0)


def parse_time_limit(text: str) -> TimeLimit | None:
    """The :class:`TimeLimit` read from the wording of a catalogue, or
    ``None`` when the wording is not understood.

    >>> parse_time_limit("信息形成或者变更之日起20个工作日内")[:3]
    ('working_days', 20, '')
    >>> parse_time_limit("每季度结束后10个工作日内")[:3]
    ('periodic', 10, 'quarterly')
    >>> parse_time_limit("批复之日起20日内")
    TimeLimit(kind='calendar_days', days=20, period='', counted_from='approved', \
fixed_month=None, fixed_day=None)
    """
    kinds = CatalogEntry.TimeLimitKind
    normalized = _norm(text)
    if not normalized:
        return None
    match = _PERIODIC_RE.search(normalized)
    if match:
        days = _chinese_number(match[2])
        return TimeLimit(kinds.PERIODIC.value, days, _PERIOD_WORDS[match[1]])
    match = _FIXED_DATE_RE.search(normalized)
    if match:
        month = int(match[1])
        if not 1 <= month <= 12:
            return None
        day = int(match[2]) if match[2] else calendar.monthrange(2023, month)[1]
        if not 1 <= day <= calendar.monthrange(2024, month)[1]:
            return None
        return TimeLimit(kinds.FIXED_DATE.value, None, "", "formed", month, day)
    event = _counted_from(normalized)
    match = _WORKING_DAYS_RE.search(normalized)
    if match:
        return TimeLimit(kinds.WORKING_DAYS.value, _chinese_number(match[1]), "", event)
    match = _CALENDAR_DAYS_RE.search(normalized)
    if match:
        days = _chinese_number(match[1])
        return TimeLimit(kinds.CALENDAR_DAYS.value, days, "", event)
    if "实时" in normalized or "即时" in normalized:
        return TimeLimit(kinds.REALTIME.value, None, "")
    if "长期" in normalized or "常年" in normalized:
        return TimeLimit(kinds.STANDING.value, None, "")
    return None
