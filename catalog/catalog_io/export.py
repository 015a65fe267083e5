"""Export of the catalog as CSV or XLSX in the standard layout, with the
machine columns."""

from __future__ import annotations

import csv
import io

from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from catalog.models import CatalogEntry, Department

from .layout import (
    BASIS,
    CHANNELS,
    CONTENT,
    DEPARTMENT,
    FILE_LANGUAGE,
    FORMATS,
    FORMULA_PREFIXES,
    HEADERS,
    TIME_LIMIT,
)

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
                entry.counted_from,
                f"{entry.fixed_month:02d}-{entry.fixed_day:02d}"
                if entry.fixed_month and entry.fixed_day
                else "",
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
