"""The catalogue import: every row checked, all problems reported, nothing
written unless there is none (see ``layout.py`` for the layout)."""

from __future__ import annotations

import re

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from catalog.element_models import set_elements
from catalog.elements import ElementSyntaxError, parse_elements
from catalog.models import CatalogArea, CatalogEntry, Channel, Department

from .cells import _CellReader, _Draft
from .layout import (
    AREA,
    AUDIENCE,
    BASIS,
    CONTENT,
    FIELD_COLUMNS,
    FORMATS,
    KIND,
    LEVEL1,
    LEVEL2,
    MODE,
    REQUIRED_HEADERS,
    STRUCTURED_TIME_LIMIT_COLUMNS,
    TIME_LIMIT,
    TIME_LIMIT_HEADERS,
    CatalogImportError,
    ImportResult,
    RowError,
    _file_error,
    _norm,
)
from .reading import (
    Layout,
    _find_layout,
    _read_bytes,
    _read_csv,
    _read_xlsx,
    detect_format,
)

# --- Import -----------------------------------------------------------------


class _Importer(_CellReader):
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
        self.read_elements(draft, cells)
        self.read_time_limit(draft, cells)
        self.read_department(draft, cells)
        self.read_channels(draft, cells, is_new)
        self.read_choice(
            draft, cells, AUDIENCE, "audience", CatalogEntry.Audience, is_new
        )
        self.read_choice(draft, cells, MODE, "mode", CatalogEntry.Mode, is_new)
        self.read_level(draft, cells)
        self.read_active(draft, cells, is_new)

    def read_elements(self, draft: _Draft, cells: list[str]) -> None:
        """The elements of 公开内容（要素）(syntax: ``catalog/elements.py``)."""
        value = self.cell(cells, CONTENT)
        if value is None:
            return
        try:
            draft.elements = parse_elements(value)
        except ElementSyntaxError as error:
            for message in error.messages:
                self.error(draft, CONTENT, message)

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
            if draft.elements is not None:
                set_elements(draft.entry, draft.elements)
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
