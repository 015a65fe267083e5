"""The annual report as a DOCX file in the official layout."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _

from ..models import AnnualReport
from .layout import (
    SECTION_TITLES,
    TABLE3_COLUMNS,
    TABLE3_ORGANISATION_COLUMNS,
    TABLE4_COLUMNS,
    TEXT_FIELDS,
    table2_display,
    table3_display,
    table4_display,
)

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
