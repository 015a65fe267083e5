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
others are created; entries missing from the file are left as they are.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from catalog.models import (
    CatalogArea,
    CatalogEntry,
    Channel,
    Department,
    describe_time_limit,
)

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
MACHINE_HEADERS = (KIND, DAYS, PERIOD, ACTIVE)
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
}
TIME_LIMIT_HEADERS = frozenset({TIME_LIMIT, KIND, DAYS, PERIOD})
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


def parse_time_limit(text: str) -> tuple[str, int | None, str] | None:
    """``(kind, working days, period)`` read from the wording of a catalogue,
    or ``None`` when the wording is not understood.

    >>> parse_time_limit("信息形成或者变更之日起20个工作日内")
    ('working_days', 20, '')
    >>> parse_time_limit("每季度结束后10个工作日内")
    ('periodic', 10, 'quarterly')
    """
    kinds = CatalogEntry.TimeLimitKind
    normalized = _norm(text)
    if not normalized:
        return None
    match = _PERIODIC_RE.search(normalized)
    if match:
        return kinds.PERIODIC.value, _chinese_number(match[2]), _PERIOD_WORDS[match[1]]
    match = _WORKING_DAYS_RE.search(normalized)
    if match:
        return kinds.WORKING_DAYS.value, _chinese_number(match[1]), ""
    if "实时" in normalized or "即时" in normalized:
        return kinds.REALTIME.value, None, ""
    if "长期" in normalized or "常年" in normalized:
        return kinds.STANDING.value, None, ""
    return None


# --- Export -----------------------------------------------------------------


def _department_labels(departments) -> dict[int, str]:
    """How each department is written in 公开主体: its name, or its code when
    another department has the same name (so that the file imports back)."""
    names: dict[str, int] = {}
    for department in Department.objects.only("name"):
        names[department.name] = names.get(department.name, 0) + 1
    return {
        department.pk: (
            department.name if names.get(department.name) == 1 else department.code
        )
        for department in departments
    }


def export_rows(entries) -> list[list]:
    """The catalog as rows of cells, header first."""
    entries = list(entries)
    labels = _department_labels({entry.responsible_department for entry in entries})
    rows: list[list] = [list(HEADERS)]
    for entry in entries:
        rows.append(
            [
                entry.order,
                entry.area.name,
                entry.level1,
                entry.level2,
                entry.content,
                entry.basis,
                entry.time_limit_display,
                labels[entry.responsible_department_id],
                "、".join(channel.name for channel in entry.channels.all()),
                entry.get_audience_display(),
                entry.get_mode_display(),
                entry.level,
                entry.time_limit_kind,
                entry.time_limit_days if entry.time_limit_days is not None else "",
                entry.period,
                "是" if entry.is_active else "否",
            ]
        )
    return rows


def _csv_safe(value) -> str:
    """Keep spreadsheet programs from running a cell as a formula (CSV
    injection); the import takes the apostrophe off again."""
    text = str(value)
    if text.startswith(FORMULA_PREFIXES) and len(text) > 1:
        return "'" + text
    return text


def export_catalog(fmt: str, entries=None) -> bytes:
    """The catalog (all entries, active and inactive, in catalog order unless
    ``entries`` is given) as a CSV (UTF-8 with BOM, for Excel) or XLSX file."""
    from catalog.selectors import catalog_entries

    fmt = fmt.lower()
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    if entries is None:
        entries = catalog_entries()
    elif isinstance(entries, QuerySet):
        entries = entries.select_related(
            "area", "responsible_department"
        ).prefetch_related("channels")
        entries = entries.order_by(*CatalogEntry._meta.ordering)
    with translation.override(FILE_LANGUAGE):
        rows = export_rows(entries)
        if fmt == "xlsx":
            return _export_xlsx(rows)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([_csv_safe(value) for value in row])
    return buffer.getvalue().encode("utf-8-sig")


def _export_xlsx(rows: list[list]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("公开目录")
    wrap = Alignment(wrap_text=True, vertical="top")
    for row_number, row in enumerate(rows, 1):
        for column_number, value in enumerate(row, 1):
            cell = sheet.cell(row=row_number, column=column_number, value=value)
            if cell.data_type == "f":  # text that merely starts with "="
                cell.data_type = "s"
            if row_number == 1:
                cell.font = Font(bold=True)
            else:
                cell.alignment = wrap
    widths = {CONTENT: 40, BASIS: 40, TIME_LIMIT: 24, DEPARTMENT: 20, CHANNELS: 24}
    for column_number, header in enumerate(HEADERS, 1):
        sheet.column_dimensions[get_column_letter(column_number)].width = widths.get(
            header, 12
        )
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- Reading files ----------------------------------------------------------


def detect_format(filename: str, data: bytes) -> str:
    """``"csv"`` or ``"xlsx"`` from the file name and, above all, the content;
    raises :class:`CatalogImportError` for anything else."""
    name = (filename or "").lower()
    if data.startswith(b"PK\x03\x04"):
        return "xlsx"
    if data.startswith(b"\xd0\xcf\x11\xe0") or name.endswith(".xls"):
        raise _file_error(
            _(
                "不支持旧版 Excel（.xls）文件，请在 Excel 中另存为 .xlsx 或 CSV 后再导入。"
            )
        )
    if name.endswith((".xlsx", ".xlsm")):
        raise _file_error(_("文件不是有效的 XLSX 文件，可能已损坏。"))
    if name.endswith((".csv", ".txt")) or not name or "." not in name:
        return "csv"
    raise _file_error(_("只能导入 CSV 或 XLSX 文件。"))


def _read_bytes(fileobj_or_bytes) -> bytes:
    if isinstance(fileobj_or_bytes, bytes | bytearray | memoryview):
        data = bytes(fileobj_or_bytes)
    elif isinstance(fileobj_or_bytes, str):
        data = fileobj_or_bytes.encode("utf-8")
    else:
        if hasattr(fileobj_or_bytes, "seek"):
            fileobj_or_bytes.seek(0)
        data = fileobj_or_bytes.read(MAX_IMPORT_BYTES + 1)
        if isinstance(data, str):
            data = data.encode("utf-8")
    if len(data) > MAX_IMPORT_BYTES:
        raise _file_error(
            _("文件太大：最大 %(size)d MB。") % {"size": MAX_IMPORT_BYTES // 2**20}
        )
    return data


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        return value.date().isoformat()
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    text = str(value).strip()
    if text.startswith("'") and text[1:].startswith(FORMULA_PREFIXES):
        return text[1:]
    return text


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        encodings = ["utf-8-sig"]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ["utf-16"]
    else:
        encodings = ["utf-8", "gb18030"]
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text
    raise _file_error(
        _("无法识别 CSV 文件的编码，请保存为 UTF-8 或 GB18030（GBK）编码后再导入。")
    )


def _read_csv(data: bytes) -> list[tuple[int, list[str]]]:
    text = _decode(data)
    first_line = text.lstrip("\r\n").split("\n", 1)[0]
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
    rows = []
    try:
        for number, record in enumerate(
            csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), 1
        ):
            if number > MAX_ROWS:
                if any(cell.strip() for cell in record):
                    raise _file_error(
                        _("文件超过 %(rows)d 行，请分批导入。") % {"rows": MAX_ROWS}
                    )
                continue
            rows.append((number, [_cell_text(cell) for cell in record[:MAX_COLUMNS]]))
    except csv.Error as error:
        raise _file_error(
            _("文件不是有效的 CSV 文件：%(error)s") % {"error": error}
        ) from error
    return rows


def _read_xlsx(data: bytes) -> list[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            size = sum(member.file_size for member in archive.infolist())
    except zipfile.BadZipFile as error:
        raise _file_error(_("文件不是有效的 XLSX 文件，可能已损坏。")) from error
    if size > MAX_XLSX_UNCOMPRESSED_BYTES:
        raise _file_error(_("XLSX 文件解压后太大，请分批导入。"))
    try:
        workbook = load_workbook(io.BytesIO(data), data_only=True)
        sheet = workbook.worksheets[0]
        last_row = min(sheet.max_row, MAX_ROWS + 1)
        last_column = min(sheet.max_column, MAX_COLUMNS)
        grid = [
            list(values)
            for values in sheet.iter_rows(
                min_row=1, max_row=last_row, max_col=last_column, values_only=True
            )
        ]
        # A merged cell holds its value in the top-left cell only; standard
        # catalogues merge 一级事项, 公开依据 and the header over many rows.
        for merged in sheet.merged_cells.ranges:
            if merged.min_row > len(grid) or merged.min_col > last_column:
                continue
            value = grid[merged.min_row - 1][merged.min_col - 1]
            for row in range(merged.min_row, min(merged.max_row, len(grid)) + 1):
                for column in range(
                    merged.min_col, min(merged.max_col, last_column) + 1
                ):
                    grid[row - 1][column - 1] = value
    # openpyxl reports a damaged workbook with many exception types (zip,
    # XML, KeyError for missing parts...): all of them mean "not a workbook".
    except Exception as error:
        raise _file_error(_("文件不是有效的 XLSX 文件，可能已损坏。")) from error
    rows = [
        (number, [_cell_text(value) for value in values])
        for number, values in enumerate(grid, 1)
    ]
    if len(rows) > MAX_ROWS and any(rows[-1][1]):
        raise _file_error(_("文件超过 %(rows)d 行，请分批导入。") % {"rows": MAX_ROWS})
    return rows[:MAX_ROWS]


# --- The header -------------------------------------------------------------


@dataclass
class Layout:
    """Where each column is: ``columns`` maps a canonical header to
    ``(index, header as written)``; ``options`` maps 公开对象/公开方式/公开层级
    to ``[(index, option label)]`` when the file ticks sub-columns."""

    header_row: int
    columns: dict[str, tuple[int, str]] = field(default_factory=dict)
    options: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    duplicates: list[str] = field(default_factory=list)

    def has(self, header: str) -> bool:
        return header in self.columns or header in self.options

    def label(self, header: str) -> str:
        if header in self.columns:
            return self.columns[header][1]
        return header


def _layout(header_row: int, cells: list[str], above: list[str] | None) -> Layout:
    layout = Layout(header_row)
    upper: list[str] = []
    last = ""
    for index in range(len(cells)):
        text = above[index] if above and index < len(above) else ""
        last = text or (last if cells[index] else "")
        upper.append(last)
    for index, text in enumerate(cells):
        canonical = HEADER_ALIASES.get(_norm(text)) if text else None
        group = HEADER_ALIASES.get(_norm(upper[index])) if upper[index] else None
        if canonical is None and text and group in OPTION_GROUPS:
            layout.options.setdefault(group, []).append((index, text))
            continue
        if canonical is None and not text and group:
            canonical, text = group, upper[index]
        if canonical is None:
            continue
        if canonical in layout.columns:
            layout.duplicates.append(text)
            continue
        layout.columns[canonical] = (index, text)
    for group in OPTION_GROUPS:
        if group in layout.options and group in layout.columns:
            del layout.columns[group]
    return layout


def _find_layout(rows: list[tuple[int, list[str]]]) -> tuple[Layout, int]:
    """The header layout and the position in ``rows`` where data begins. The
    header is the row (among the first few) that names the most known columns,
    read together with the row above it for two-row headers."""
    best_score, best = -1, (Layout(rows[0][0]), 1)
    for position in range(min(HEADER_SEARCH_ROWS, len(rows))):
        number, cells = rows[position]
        above = rows[position - 1][1] if position else None
        layout = _layout(number, cells, above)
        score = len(layout.columns) + len(layout.options)
        if score > best_score:
            best_score, best = score, (layout, position + 1)
    return best


# --- Import -----------------------------------------------------------------


@dataclass
class _Draft:
    row: int
    entry: CatalogEntry
    area_name: str
    channels: list[Channel] | None
    structured: bool
    error_columns: set[str] = field(default_factory=set)


class _Importer:
    def __init__(self, layout: Layout):
        self.layout = layout
        self.errors: list[RowError] = []
        self.areas = {area.name: area for area in CatalogArea.objects.all()}
        self.new_areas: dict[str, CatalogArea] = {}
        self.next_area_order = (
            CatalogArea.objects.aggregate(top=Max("order"))["top"] or 0
        ) + 1
        self.area_counts: dict[str, int] = {}
        self.existing = {
            (entry.area.name, entry.level1, entry.level2): entry
            for entry in CatalogEntry.objects.select_related("area")
        }
        self.seen: dict[tuple[str, str, str], int] = {}
        self.departments: dict[str, dict[str, list[Department]]] = {
            "name": {},
            "short_name": {},
            "code": {},
        }
        for department in Department.objects.all():
            for attribute, index in self.departments.items():
                value = getattr(department, attribute)
                if value:
                    index.setdefault(_norm(value), []).append(department)
        self.channels = {
            _norm(channel.name): channel for channel in Channel.objects.all()
        }
        self.channel_codes = {
            channel.code.lower(): channel for channel in self.channels.values()
        }
        self.drafts: list[_Draft] = []

    # Cells ------------------------------------------------------------

    def cell(self, cells: list[str], header: str) -> str | None:
        """The cell's text, or ``None`` when the file has no such column."""
        if header not in self.layout.columns:
            return None
        index = self.layout.columns[header][0]
        return cells[index] if index < len(cells) else ""

    def ticked(self, cells: list[str], header: str) -> list[str] | None:
        if header not in self.layout.options:
            return None
        return [
            label
            for index, label in self.layout.options[header]
            if index < len(cells) and _norm(cells[index]) in TICKS
        ]

    def error(self, draft: _Draft, header: str, message: str) -> None:
        draft.error_columns.add(header)
        self.errors.append(RowError(draft.row, self.layout.label(header), message))

    # Rows -------------------------------------------------------------

    def add_row(self, number: int, cells: list[str]) -> None:
        area_name = self.cell(cells, AREA) or ""
        level1 = self.cell(cells, LEVEL1) or ""
        level2 = self.cell(cells, LEVEL2) or ""
        key = (area_name, level1, level2)
        duplicate_of = self.seen.get(key) if area_name and level1 else None
        entry = None
        if area_name and level1 and duplicate_of is None:
            self.seen[key] = number
            entry = self.existing.get(key)
        draft = _Draft(number, entry or CatalogEntry(), area_name, None, False)
        entry = draft.entry
        is_new = entry.pk is None
        self.drafts.append(draft)

        self.read_area(draft, area_name)
        if not level1:
            self.error(draft, LEVEL1, _("一级事项不能为空。"))
        entry.level1, entry.level2 = level1, level2
        if duplicate_of is not None:
            self.error(
                draft,
                LEVEL2 if self.layout.has(LEVEL2) else LEVEL1,
                _("与第%(row)d行是同一事项（领域、一级事项、二级事项都相同）。")
                % {"row": duplicate_of},
            )

        self.read_order(draft, cells, is_new)
        for header, attribute in ((CONTENT, "content"), (BASIS, "basis")):
            value = self.cell(cells, header)
            if value is not None:
                setattr(entry, attribute, value)
        self.read_time_limit(draft, cells)
        self.read_department(draft, cells)
        self.read_channels(draft, cells, is_new)
        self.read_choice(
            draft, cells, AUDIENCE, "audience", CatalogEntry.Audience, is_new
        )
        self.read_choice(draft, cells, MODE, "mode", CatalogEntry.Mode, is_new)
        self.read_level(draft, cells)
        self.read_active(draft, cells, is_new)

    def read_area(self, draft: _Draft, name: str) -> None:
        if not name:
            self.error(draft, AREA, _("领域不能为空。"))
            return
        self.area_counts[name] = self.area_counts.get(name, 0) + 1
        area = self.areas.get(name) or self.new_areas.get(name)
        if area is None:
            area = CatalogArea(name=name, order=self.next_area_order)
            try:
                area.full_clean(validate_unique=False)
            except ValidationError as error:
                for messages in error.message_dict.values():
                    for message in messages:
                        self.error(draft, AREA, message)
                return
            self.next_area_order += 1
            self.new_areas[name] = area
        draft.entry.area = area

    def read_order(self, draft: _Draft, cells: list[str], is_new: bool) -> None:
        value = self.cell(cells, ORDER)
        if value:
            if not value.isdecimal() or len(value) > 9:
                self.error(draft, ORDER, _("序号应为整数。"))
                return
            draft.entry.order = int(value)
        elif is_new:
            draft.entry.order = self.area_counts.get(draft.area_name, 1)

    def read_time_limit(self, draft: _Draft, cells: list[str]) -> None:
        entry = draft.entry
        kinds = CatalogEntry.TimeLimitKind
        text = self.cell(cells, TIME_LIMIT) or ""
        kind_text = self.cell(cells, KIND) or ""
        if kind_text:
            draft.structured = True
            kind = self.choice(kind_text, kinds)
            if kind is None:
                self.error(
                    draft,
                    KIND,
                    _(
                        "时限类型应为 working_days（若干工作日内）、realtime（实时）、"
                        "periodic（定期）或 standing（长期）。"
                    ),
                )
                return
            days_text = self.cell(cells, DAYS) or ""
            days = None
            if days_text:
                if not days_text.isdecimal() or len(days_text) > 5:
                    self.error(draft, DAYS, _("时限工作日应为整数。"))
                    return
                days = int(days_text)
            period_text = self.cell(cells, PERIOD) or ""
            period = ""
            if period_text:
                period = self.choice(period_text, CatalogEntry.Period)
                if period is None:
                    self.error(
                        draft,
                        PERIOD,
                        _(
                            "公开周期应为 monthly（每月）、quarterly（每季度）、"
                            "half_yearly（每半年）或 yearly（每年）。"
                        ),
                    )
                    return
        elif not text:
            self.error(draft, TIME_LIMIT, _("公开时限不能为空。"))
            return
        else:
            parsed = parse_time_limit(text)
            if parsed is None:
                self.error(
                    draft,
                    TIME_LIMIT,
                    _(
                        "无法识别公开时限“%(text)s”。可写作“信息形成或者变更之日起20个"
                        "工作日内”“实时公开”“长期公开”或“每季度结束后10个工作日内”；"
                        "其他表述请同时填写“时限类型”“时限工作日”“公开周期”列。"
                    )
                    % {"text": text},
                )
                return
            kind, days, period = parsed
        entry.time_limit_kind, entry.time_limit_days, entry.period = kind, days, period
        canonical = describe_time_limit(kind, days, period)
        entry.time_limit_text = "" if text == canonical else text

    @staticmethod
    def choice(text: str, choices) -> str | None:
        """The value of a choice written as its code or its label (in Chinese,
        the language of the file, or in the language of the page)."""
        normalized = _norm(text)
        with translation.override(FILE_LANGUAGE):
            chinese = {value: _norm(str(label)) for value, label in choices.choices}
        for value, label in choices.choices:
            if normalized in (value, chinese[value], _norm(str(label))):
                return value
        return None

    def read_department(self, draft: _Draft, cells: list[str]) -> None:
        name = self.cell(cells, DEPARTMENT) or ""
        if not name:
            self.error(draft, DEPARTMENT, _("公开主体不能为空。"))
            return
        key = _norm(name)
        for index in self.departments.values():
            candidates = index.get(key, [])
            if len(candidates) > 1:
                candidates = [dept for dept in candidates if dept.is_active]
            if len(candidates) == 1:
                draft.entry.responsible_department = candidates[0]
                return
            if candidates:
                self.error(
                    draft,
                    DEPARTMENT,
                    _("“%(name)s”对应多个机构，请改填机构代码。") % {"name": name},
                )
                return
        self.error(
            draft,
            DEPARTMENT,
            _(
                "找不到机构“%(name)s”。请填写已登记机构的名称、简称或机构代码，"
                "或先在“机构”中添加该机构。"
            )
            % {"name": name},
        )

    def split_channels(self, text: str) -> tuple[list[Channel], list[str]]:
        """Channel names in a cell. Names are matched longest first, so that
        the “/” inside “发布会/听证会” or “入户/现场” is not taken for a
        separator."""
        normalized = unicodedata.normalize("NFKC", text).lower()
        names = sorted(self.channels, key=len, reverse=True)
        found: list[Channel] = []
        unknown: list[str] = []
        position = 0
        while position < len(normalized):
            if normalized[position] in CHANNEL_SEPARATORS:
                position += 1
                continue
            for name in names:
                end = position + len(name)
                if normalized.startswith(name, position) and (
                    end == len(normalized) or normalized[end] in CHANNEL_SEPARATORS
                ):
                    channel = self.channels[name]
                    position = end
                    break
            else:
                end = position
                while end < len(normalized) and normalized[end] not in (
                    CHANNEL_SEPARATORS
                ):
                    end += 1
                token = normalized[position:end]
                position = end
                channel = self.channel_codes.get(token)
                if channel is None:
                    unknown.append(token)
                    continue
            if channel not in found:
                found.append(channel)
        return found, unknown

    def read_channels(self, draft: _Draft, cells: list[str], is_new: bool) -> None:
        text = self.cell(cells, CHANNELS)
        if text is None:
            draft.channels = [] if is_new else None
            return
        channels, unknown = self.split_channels(text)
        if unknown:
            self.error(
                draft,
                CHANNELS,
                _("找不到公开渠道“%(names)s”。可选：%(known)s。")
                % {
                    "names": "、".join(unknown),
                    "known": "、".join(
                        channel.name for channel in self.channels.values()
                    ),
                },
            )
            return
        draft.channels = channels

    def read_choice(self, draft, cells, header, attribute, choices, is_new) -> None:
        ticked = self.ticked(cells, header)
        text = self.cell(cells, header)
        if ticked is not None:
            tokens = ticked
        elif text is not None:
            tokens = [token for token in re.split(r"[、，,；;/\s]+", text) if token]
        else:
            if is_new:
                setattr(draft.entry, attribute, choices.values[0])
            return
        values = set()
        for token in tokens:
            value = self.choice(token.removesuffix("公开"), choices)
            if value is None:
                self.error(
                    draft,
                    header,
                    _("“%(text)s”无效，%(column)s应为%(choices)s。")
                    % {
                        "text": token,
                        "column": header,
                        "choices": "或".join(f"“{label}”" for label in choices.labels),
                    },
                )
                return
            values.add(value)
        # Both ticked: the wider one wins (全社会 includes 特定群体; 主动公开
        # information can be requested too). Blank: the default.
        for value in choices.values:
            if value in values or not values:
                setattr(draft.entry, attribute, value)
                return

    def read_level(self, draft: _Draft, cells: list[str]) -> None:
        ticked = self.ticked(cells, LEVEL)
        if ticked is not None:
            draft.entry.level = "、".join(ticked)
            return
        text = self.cell(cells, LEVEL)
        if text is not None:
            draft.entry.level = text

    def read_active(self, draft: _Draft, cells: list[str], is_new: bool) -> None:
        text = self.cell(cells, ACTIVE)
        if not text:
            if is_new or text == "":
                draft.entry.is_active = True
            return
        normalized = _norm(text)
        if normalized in YES:
            draft.entry.is_active = True
        elif normalized in NO:
            draft.entry.is_active = False
        else:
            self.error(draft, ACTIVE, _("“启用”应填“是”或“否”。"))

    # Validation and saving ---------------------------------------------

    def validate(self, draft: _Draft) -> None:
        """The model's own checks (field lengths, the time-limit rule, the
        unique constraint), reported against the columns."""
        entry = draft.entry
        exclude = []
        if entry.area_id is None:
            exclude.append("area")
        if entry.responsible_department_id is None:
            exclude.append("responsible_department")
        try:
            entry.full_clean(exclude=exclude)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                column = self.column_for(name, draft.structured)
                # Reported already: a cell that could not be read leaves the
                # model with blanks it would complain about again.
                if column in draft.error_columns or (
                    column in TIME_LIMIT_HEADERS
                    and draft.error_columns & TIME_LIMIT_HEADERS
                ):
                    continue
                if name == NON_FIELD_ERRORS and draft.error_columns:
                    continue
                for message in messages:
                    self.error(draft, column, message)

    def column_for(self, field_name: str, structured: bool) -> str:
        if field_name in STRUCTURED_TIME_LIMIT_COLUMNS:
            return (
                STRUCTURED_TIME_LIMIT_COLUMNS[field_name] if structured else TIME_LIMIT
            )
        if field_name == NON_FIELD_ERRORS:
            return ""
        return FIELD_COLUMNS.get(field_name, "")

    def run(self, rows: list[tuple[int, list[str]]]) -> ImportResult:
        for number, cells in rows:
            self.add_row(number, cells)
        for area in self.new_areas.values():
            area.save()
        for draft in self.drafts:
            if draft.entry.area_id is None and draft.area_name in self.new_areas:
                draft.entry.area = self.new_areas[draft.area_name]
            self.validate(draft)
        if self.errors:
            raise CatalogImportError(
                sorted(self.errors, key=lambda error: error.row or 0)
            )
        created = updated = 0
        for draft in self.drafts:
            if draft.entry.pk is None:
                created += 1
            else:
                updated += 1
            draft.entry.save()
            if draft.channels is not None:
                draft.entry.channels.set(draft.channels)
        return ImportResult(created=created, updated=updated)


_NOTE_RE = re.compile(r"^(注|备注|说明)\d*[:：]")


def _is_note(cells: list[str]) -> bool:
    """A foot note under a catalogue (“注：…”), alone on its row."""
    filled = [cell for cell in cells if cell]
    return len(filled) == 1 and bool(_NOTE_RE.match(filled[0]))


def read_rows(data: bytes, fmt: str) -> list[tuple[int, list[str]]]:
    """Non-blank rows of the file as ``(row number, cells)``."""
    rows = _read_xlsx(data) if fmt == "xlsx" else _read_csv(data)
    return [(number, cells) for number, cells in rows if any(cells)]


def import_catalog(fileobj_or_bytes, fmt: str | None = None) -> ImportResult:
    """Import a catalogue file (``fmt`` ``"csv"`` or ``"xlsx"``; ``None``
    guesses from the content). All or nothing: raises
    :class:`CatalogImportError` listing every problem, having written nothing.
    """
    data = _read_bytes(fileobj_or_bytes)
    name = getattr(fileobj_or_bytes, "name", "") or ""
    if fmt is None:
        fmt = detect_format(name, data)
    fmt = fmt.lower()
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    if not data.strip(b" \t\r\n\xef\xbb\xbf"):
        raise _file_error(_("文件是空的。"))
    if fmt == "xlsx" and not data.startswith(b"PK\x03\x04"):
        raise _file_error(_("文件不是有效的 XLSX 文件，可能已损坏。"))
    if fmt == "csv" and data.startswith(b"PK\x03\x04"):
        raise _file_error(_("这是 XLSX 文件，请按 XLSX 格式导入。"))
    rows = read_rows(data, fmt)
    if not rows:
        raise _file_error(_("文件是空的。"))
    layout, first_data = _find_layout(rows)
    errors = [
        RowError(
            layout.header_row,
            header,
            _("列“%(column)s”出现了多次。") % {"column": header},
        )
        for header in layout.duplicates
    ]
    for header in REQUIRED_HEADERS:
        if not layout.has(header):
            errors.append(
                RowError(
                    layout.header_row,
                    header,
                    _("缺少“%(column)s”列。") % {"column": header},
                )
            )
    if not layout.has(TIME_LIMIT) and not layout.has(KIND):
        errors.append(
            RowError(
                layout.header_row,
                TIME_LIMIT,
                _("缺少“%(column)s”列。") % {"column": TIME_LIMIT},
            )
        )
    if errors:
        raise CatalogImportError(errors)
    data_rows = [
        (number, cells) for number, cells in rows[first_data:] if not _is_note(cells)
    ]
    if not data_rows:
        raise _file_error(_("文件只有表头，没有事项。"))
    try:
        with transaction.atomic():
            return _Importer(layout).run(data_rows)
    except IntegrityError as error:
        # Another import created the same area or entry in the meantime.
        raise _file_error(
            _("目录在导入过程中被其他人修改，未写入任何数据，请重新导入。")
        ) from error
