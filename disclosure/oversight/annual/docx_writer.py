"""The annual report as a DOCX file laid out like the published format
(国办公开办函〔2021〕30号): table 二 is one table whose article rows and
single-figure cells span the columns; table 三's label area is three columns,
with 三、本年度办理结果 and each group (（三）不予公开 …) merged down over
their rows; table 四 has its two header levels."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _

from .layout import (
    SECTION_TITLES,
    TABLE2,
    TABLE3_ORGANISATION_COLUMNS,
    TABLE3_ROWS,
    TABLE4_COLUMNS,
    table2_display,
    table3_display,
    table4_display,
)
from .text import ReportText

# --- tables ------------------------------------------------------------------------------

TABLE2_WIDTH = 1 + max(len(group.columns) for group in TABLE2)
#: Table 三: three label columns, then the seven figures.
TABLE3_LABEL_COLUMNS = 3


def _new_table(document, columns: int):
    table = document.add_table(rows=0, cols=columns)
    table.style = "Table Grid"
    return table


def _set(cell, text) -> None:
    cell.text = "" if text is None else str(text)


def _span(row_cells, start: int, end: int, text) -> None:
    """Merge the cells ``start``…``end`` (inclusive) of one row."""
    cell = row_cells[start]
    if end > start:
        cell = cell.merge(row_cells[end])
    _set(cell, text)


def _table2(document, report: ReportText) -> None:
    table = _new_table(document, TABLE2_WIDTH)
    last = TABLE2_WIDTH - 1
    for group in table2_display(report):
        _span(table.add_row().cells, 0, last, group["article"])
        header = table.add_row().cells
        _set(header[0], _("信息内容"))
        columns = group["columns"]
        if len(columns) == 1:
            _span(header, 1, last, columns[0][1])
        else:
            for index, (_key, label) in enumerate(columns, 1):
                _set(header[index], label)
        for row in group["rows"]:
            cells = table.add_row().cells
            _set(cells[0], row["label"])
            values = [cell["value"] for cell in row["cells"]]
            if len(values) == 1:
                _span(cells, 1, last, values[0])
            else:
                for index, value in enumerate(values, 1):
                    _set(cells[index], value)


def _table3(document, report: ReportText) -> None:
    width = TABLE3_LABEL_COLUMNS + 7
    table = _new_table(document, width)
    header = [table.add_row().cells for _row in range(3)]
    corner = header[0][0].merge(header[2][TABLE3_LABEL_COLUMNS - 1])
    _set(
        corner,
        _("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"),
    )
    _span(header[0], TABLE3_LABEL_COLUMNS, width - 1, _("申请人情况"))
    first = TABLE3_LABEL_COLUMNS
    _set(header[1][first].merge(header[2][first]), _("自然人"))
    _span(header[1], first + 1, first + 5, _("法人或其他组织"))
    _set(header[1][width - 1].merge(header[2][width - 1]), _("总计"))
    for index, (_key, label) in enumerate(TABLE3_ORGANISATION_COLUMNS, first + 1):
        _set(header[2][index], label)

    values = {row["key"]: row["values"] for row in table3_display(report) if row["key"]}
    # Rows of figures; a heading (三、本年度办理结果, （三）不予公开 …) is the
    # label of the rows under it, merged down its column.
    open_headings: dict[int, tuple[str, list]] = {}
    merges: list[tuple[int, str, list]] = []
    for layout_row in TABLE3_ROWS:
        level = layout_row.level
        for deeper in [lvl for lvl in open_headings if lvl >= level]:
            merges.append((deeper, *open_headings.pop(deeper)))
        if not layout_row.key:
            open_headings[level] = (layout_row.label, [])
            continue
        cells = table.add_row().cells
        for heading_level, (_label, rows) in open_headings.items():
            rows.append(cells[heading_level])
        _span(cells, level, TABLE3_LABEL_COLUMNS - 1, layout_row.label)
        for index, value in enumerate(values[layout_row.key], first):
            _set(cells[index], value)
    for level in sorted(open_headings, reverse=True):
        merges.append((level, *open_headings.pop(level)))
    for _level, label, column_cells in merges:
        merged = column_cells[0]
        if len(column_cells) > 1:
            merged = merged.merge(column_cells[-1])
        _set(merged, label)


def _table4(document, report: ReportText) -> None:
    columns = len(TABLE4_COLUMNS)
    table = _new_table(document, 3 * columns)
    header = [table.add_row().cells for _row in range(3)]
    _span(header[0], 0, columns - 1, _("行政复议"))
    _span(header[0], columns, 3 * columns - 1, _("行政诉讼"))
    for index, (_key, label) in enumerate(TABLE4_COLUMNS):
        _set(header[1][index].merge(header[2][index]), label)
    _span(header[1], columns, 2 * columns - 1, _("未经复议直接起诉"))
    _span(header[1], 2 * columns, 3 * columns - 1, _("复议后起诉"))
    for index, (_key, label) in enumerate(TABLE4_COLUMNS * 2, columns):
        _set(header[2][index], label)
    cells = table.add_row().cells
    values = [v for row in table4_display(report) for v in row["values"]]
    for index, value in enumerate(values):
        _set(cells[index], value)


# --- the document ---------------------------------------------------------------------------


def _paragraphs(document, text: str) -> None:
    for paragraph in (text or "").splitlines():
        if paragraph.strip():
            document.add_paragraph(paragraph.strip())


def build_docx(report: ReportText) -> bytes:
    """The report as a Word document, tables included."""
    from docx import Document

    document = Document()
    document.add_heading(report.title, level=0)
    if report.correction_note:
        document.add_paragraph(
            _("更正说明（%(day)s）：%(note)s")
            % {
                "day": f"{report.published_at:%Y-%m-%d}" if report.published_at else "",
                "note": report.correction_note,
            }
        )
    tables = {"proactive_text": _table2, "requests_text": _table3}
    tables["appeals_text"] = _table4
    for name, title in SECTION_TITLES:
        document.add_heading(str(title), level=1)
        if name == "other_matters":
            document.add_paragraph(report.fees_sentence)
        _paragraphs(document, getattr(report, name))
        if name in tables:
            tables[name](document, report)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
