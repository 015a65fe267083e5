"""The office's assessment sheet (政务公开考核, 纳入年度目标考核、一季度一通报):
indicators computed from the portal's own records, weighted, a score per
organ (offices under their department) and period.

Indicators (definitions; the tests recompute each with plain loops):

- *按时公开率*: of the items first published in the period with a deadline
  (``timeliness``), those published on time.
- *公开要素齐全率*: of the items first published in the period whose entry has
  required content elements, those answering all of them (``completeness``).
- *政策解读同步率*: of the live policies needing an interpretation
  (``interpretations.needs_interpretation``) published in the period, those
  a live interpretation explains.
- *依申请按时答复率*: of the requests closed in the period, those answered
  within the statutory clock (``request_tables.request_statistics``).

Score: 100 × Σ weight × rate / Σ weight over the indicators that have
something to measure (an indicator with nothing to count is left out and its
weight shared by the others; no indicator at all: no score). Points lost per
indicator: weight × (1 − rate), scaled in the same way."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from catalog.organs import organ_members, reporting_organs
from disclosure import interpretations
from disclosure.models import ItemKind, PublicRecord
from disclosure.request_tables import request_statistics

from .completeness import missing_elements
from .periods import Period
from .timeliness import published_rows


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str
    weight: int


INDICATORS = (
    Indicator("on_time", _("按时公开率"), 40),
    Indicator("completeness", _("公开要素齐全率"), 30),
    Indicator("interpretation", _("政策解读同步率"), 15),
    Indicator("requests", _("依申请按时答复率"), 15),
)


@dataclass
class Measure:
    part: int = 0
    whole: int = 0

    @property
    def ratio(self) -> float | None:
        return self.part / self.whole if self.whole else None

    @property
    def display(self) -> str:
        if not self.whole:
            return "—"
        rate = f"{100 * self.part / self.whole:.1f}%"
        return str(_("%(part)s/%(whole)s（%(rate)s）")) % {
            "part": self.part,
            "whole": self.whole,
            "rate": rate,
        }


@dataclass
class SheetRow:
    organ: object
    measures: dict[str, Measure] = field(default_factory=dict)

    def _applicable(self) -> list[Indicator]:
        return [i for i in INDICATORS if self.measures[i.key].ratio is not None]

    @property
    def score(self) -> float | None:
        applicable = self._applicable()
        weights = sum(i.weight for i in applicable)
        if not weights:
            return None
        earned = sum(i.weight * self.measures[i.key].ratio for i in applicable)
        return round(100 * earned / weights, 1)

    @property
    def lost(self) -> list[tuple[Indicator, float]]:
        """(indicator, points lost) for the indicators that lost points."""
        applicable = self._applicable()
        weights = sum(i.weight for i in applicable)
        result = []
        for indicator in applicable:
            lost = 100 * indicator.weight * (1 - self.measures[indicator.key].ratio)
            if lost > 0:
                result.append((indicator, round(lost / weights, 1)))
        return result

    @property
    def cells(self) -> list[Measure]:
        return [self.measures[i.key] for i in INDICATORS]


def _interpretation_counts(period: Period, now) -> tuple[dict, set]:
    """department id → policy ids needing an interpretation published in the
    period, and the ids of those explained."""
    start, end = period.bounds()
    live = PublicRecord.objects.filter(
        status=PublicRecord.Status.LIVE, published_at__lte=now
    )
    policies = defaultdict(list)
    for pk, department_id in (
        live.filter(
            interpretations.needs_interpretation(
                interpretations.interpretation_type_ids()
            )
        )
        .filter(published_at__gte=start, published_at__lt=end)
        .values_list("pk", "department_id")
    ):
        policies[department_id].append(pk)
    ids = [pk for pks in policies.values() for pk in pks]
    explained = set(
        live.filter(kind=ItemKind.INTERPRETATION, interprets_id__in=ids).values_list(
            "interprets_id", flat=True
        )
    )
    return policies, explained


def assessment(period: Period, *, now: datetime.datetime) -> list[SheetRow]:
    """The sheet: one row per reporting organ, in the directory's order."""
    organs = list(reporting_organs())
    members = organ_members(organs)
    rows = {
        organ.pk: SheetRow(organ, {i.key: Measure() for i in INDICATORS})
        for organ in organs
    }

    published = published_rows(period, now=now)
    missing = missing_elements(published)
    for row in published:
        sheet = rows.get(members.get(row.department_id))
        if sheet is None:
            continue
        if row.has_deadline:
            sheet.measures["on_time"].whole += 1
            sheet.measures["on_time"].part += row.on_time
        if row.item_id in missing:
            sheet.measures["completeness"].whole += 1
            sheet.measures["completeness"].part += not missing[row.item_id]

    policies, explained = _interpretation_counts(period, now)
    for department_id, pks in policies.items():
        sheet = rows.get(members.get(department_id))
        if sheet is None:
            continue
        sheet.measures["interpretation"].whole += len(pks)
        sheet.measures["interpretation"].part += sum(pk in explained for pk in pks)

    for organ in organs:
        figures = request_statistics(period.start, period.end, organ)
        measure = rows[organ.pk].measures["requests"]
        measure.part, measure.whole = figures.on_time, figures.on_time + figures.late
    return [rows[organ.pk] for organ in organs]


def sheet_rows(sheet: list[SheetRow]) -> list[list]:
    """The sheet as cells for the XLSX download, header first."""
    header = [str(_("机关"))]
    for indicator in INDICATORS:
        header += [
            f"{indicator.label}（{indicator.weight}）",
            str(_("分子")),
            str(_("分母")),
        ]
    header += [str(_("得分")), str(_("失分项"))]
    table = [header]
    for row in sheet:
        cells = [row.organ.name]
        for measure in row.cells:
            ratio = measure.ratio
            cells += [
                round(100 * ratio, 1) if ratio is not None else "",
                measure.part,
                measure.whole,
            ]
        cells.append(row.score if row.score is not None else "")
        cells.append(
            "；".join(f"{indicator.label} -{points}" for indicator, points in row.lost)
        )
        table.append(cells)
    return table
