"""Reading a catalogue file: its format, its rows as text, and where its
header and columns are (a title row, a two-row header and merged cells
are coped with)."""

from __future__ import annotations

import csv
import datetime
import io
import zipfile
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .layout import (
    FORMULA_PREFIXES,
    HEADER_ALIASES,
    HEADER_SEARCH_ROWS,
    MAX_COLUMNS,
    MAX_IMPORT_BYTES,
    MAX_ROWS,
    MAX_XLSX_UNCOMPRESSED_BYTES,
    OPTION_GROUPS,
    _file_error,
    _norm,
)

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
