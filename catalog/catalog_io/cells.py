"""Reading one catalogue row's cells into a catalog entry: each column's
checks and the errors they report (the rest of the import is in
``importer.py``)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from catalog.elements import ElementSpec
from catalog.models import CatalogArea, CatalogEntry, Channel, describe_time_limit

from .layout import (
    ACTIVE,
    AREA,
    CHANNEL_SEPARATORS,
    CHANNELS,
    COUNTED_FROM,
    DAYS,
    DEPARTMENT,
    FILE_LANGUAGE,
    FIXED_DATE,
    KIND,
    LEVEL,
    NO,
    ORDER,
    PERIOD,
    TICKS,
    TIME_LIMIT,
    YES,
    RowError,
    TimeLimit,
    _norm,
    parse_time_limit,
)


@dataclass
class _Draft:
    row: int
    entry: CatalogEntry
    area_name: str
    channels: list[Channel] | None
    structured: bool
    error_columns: set[str] = field(default_factory=set)
    #: The elements read from 公开内容（要素）; ``None`` when the column is absent.
    elements: list[ElementSpec] | None = None


class _CellReader:
    """The cell readers of :class:`~catalog.catalog_io.importer._Importer`
    (which holds the state they use: ``layout``, ``errors``, ``areas`` …)."""

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
        text = self.cell(cells, TIME_LIMIT) or ""
        if self.cell(cells, KIND):
            draft.structured = True
            limit = self.read_structured_time_limit(draft, cells)
            if limit is None:
                return
        elif not text:
            self.error(draft, TIME_LIMIT, _("公开时限不能为空。"))
            return
        else:
            limit = parse_time_limit(text)
            if limit is None:
                self.error(
                    draft,
                    TIME_LIMIT,
                    _(
                        "无法识别公开时限“%(text)s”。可写作“信息形成或者变更之日起20个"
                        "工作日内”“批准或者批复之日起20日内”“每年3月31日前”“实时公开”"
                        "“长期公开”或“每季度结束后10个工作日内”；其他表述请同时填写"
                        "“时限类型”“时限工作日”“公开周期”“时限起算事件”“固定日期”列。"
                    )
                    % {"text": text},
                )
                return
        entry.time_limit_kind, entry.time_limit_days, entry.period = limit[:3]
        entry.counted_from = limit.counted_from
        entry.fixed_month, entry.fixed_day = limit.fixed_month, limit.fixed_day
        canonical = describe_time_limit(
            limit.kind,
            limit.days,
            limit.period,
            counted_from=limit.counted_from,
            fixed_month=limit.fixed_month,
            fixed_day=limit.fixed_day,
        )
        entry.time_limit_text = "" if text == canonical else text

    def read_structured_time_limit(
        self, draft: _Draft, cells: list[str]
    ) -> TimeLimit | None:
        kind = self.choice(self.cell(cells, KIND) or "", CatalogEntry.TimeLimitKind)
        if kind is None:
            self.error(
                draft,
                KIND,
                _(
                    "时限类型应为 working_days（若干工作日内）、calendar_days（若干日内）、"
                    "fixed_date（每年固定日期前）、realtime（实时）、periodic（定期）"
                    "或 standing（长期）。"
                ),
            )
            return None
        days_text = self.cell(cells, DAYS) or ""
        days = None
        if days_text:
            if not days_text.isdecimal() or len(days_text) > 5:
                self.error(draft, DAYS, _("时限工作日应为整数。"))
                return None
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
                return None
        event_text = self.cell(cells, COUNTED_FROM) or ""
        event = "formed"
        if event_text:
            event = self.choice(event_text, CatalogEntry.CountedFrom)
            if event is None:
                self.error(
                    draft,
                    COUNTED_FROM,
                    _(
                        "时限起算事件应为 formed（形成）、changed（变更）"
                        "或 approved（批准或批复）。"
                    ),
                )
                return None
        month = day = None
        fixed_text = self.cell(cells, FIXED_DATE) or ""
        if fixed_text:
            match = re.fullmatch(r"(\d{1,2})-(\d{1,2})", fixed_text.strip())
            if match is None:
                self.error(draft, FIXED_DATE, _("固定日期应写作 月-日，如 03-31。"))
                return None
            month, day = int(match[1]), int(match[2])
        return TimeLimit(kind, days, period, event, month, day)

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
