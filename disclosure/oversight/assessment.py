"""The office's assessment sheet (政务公开考核, 纳入年度目标考核、一季度一通报):
indicators computed from the portal's own records (defined in
``indicators.py``) and manual indicators scored by the office, weighted by
the year's scheme (``assessment_models.AssessmentScheme``; a year without
one uses ``DEFAULT_INDICATORS``), a score per organ (offices under their
department) and period.

Manual indicators (培训, 公开栏 …) are yearly: they count in the sheet of a
whole year only; a quarter's sheet has the computed indicators alone. A
manual indicator's value is points ÷ its maximum; an organ not scored yet
has nothing to count for it.

Score: 100 × Σ weight × rate / Σ weight over the indicators that have
something to measure (an indicator with nothing to count is left out and its
weight shared by the others; no indicator at all: no score). Points lost per
indicator: weight × (1 − rate), scaled in the same way."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from catalog.organs import organ_members, reporting_organs

from .assessment_models import (
    AssessmentScheme,
    Computed,
    ManualScore,
    SchemeIndicator,
)
from .indicators import computed_rows
from .periods import Period


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str
    weight: int
    max_points: Decimal | None = None
    pk: int | None = None

    @property
    def manual(self) -> bool:
        return self.max_points is not None


DEFAULT_INDICATORS = (
    Indicator("on_time", _("按时公开率"), 40),
    Indicator("completeness", _("公开要素齐全率"), 30),
    Indicator("interpretation", _("政策解读同步率"), 15),
    Indicator("requests", _("依申请按时答复率"), 15),
)
INDICATORS = DEFAULT_INDICATORS


def scheme_indicators(year: int) -> tuple[AssessmentScheme | None, list[Indicator]]:
    """The year's scheme and its indicators in order; the default weights
    when the year has no scheme."""
    rows = list(
        SchemeIndicator.objects.filter(scheme__year=year)
        .select_related("scheme")
        .order_by("order", "pk")
    )
    if not rows:
        return AssessmentScheme.objects.filter(year=year).first(), list(
            DEFAULT_INDICATORS
        )
    return rows[0].scheme, [
        Indicator(
            key=row.key or f"manual-{row.pk}",
            label=row.label,
            weight=row.weight,
            max_points=row.max_points,
            pk=row.pk,
        )
        for row in rows
    ]


@dataclass
class Measure:
    passed: list = field(default_factory=list)
    failed: list = field(default_factory=list)
    max_points: Decimal | None = None
    score: ManualScore | None = None

    @property
    def part(self) -> int:
        return len(self.passed)

    @property
    def whole(self) -> int:
        return len(self.passed) + len(self.failed)

    @property
    def ratio(self) -> float | None:
        if self.max_points is not None:
            if self.score is None:
                return None
            return min(float(self.score.points / self.max_points), 1.0)
        return self.part / self.whole if self.whole else None

    @property
    def display(self) -> str:
        if self.max_points is not None:
            if self.score is None:
                return "—"
            return f"{float(self.score.points):g}/{float(self.max_points):g}"
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
    indicators: list[Indicator]
    measures: dict[str, Measure] = field(default_factory=dict)

    def _applicable(self) -> list[Indicator]:
        return [i for i in self.indicators if self.measures[i.key].ratio is not None]

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
        return [self.measures[i.key] for i in self.indicators]

    @property
    def pairs(self) -> list[tuple[Indicator, Measure]]:
        return [(i, self.measures[i.key]) for i in self.indicators]


@dataclass
class Sheet:
    period: Period
    scheme: AssessmentScheme | None
    indicators: list[Indicator]
    rows: list[SheetRow]

    def row_of(self, organ_id: int) -> SheetRow | None:
        return next((row for row in self.rows if row.organ.pk == organ_id), None)


def sheet_for(period: Period, *, now: datetime.datetime, organ=None) -> Sheet:
    """The sheet: one row per reporting organ, in the directory's order (only
    ``organ``'s when given), by the scheme of the year the period starts in;
    manual indicators only when the period is a whole year."""
    return sheets_for([period], now=now, organ=organ)[0]


def sheets_for(
    periods: list[Period], *, now: datetime.datetime, organ=None
) -> list[Sheet]:
    """The sheets of periods of one year (a quarter and the year, say), the
    records read once over the span of them."""
    scheme, indicators = scheme_indicators(periods[0].start.year)
    organs = list(reporting_organs())
    if organ is not None:
        organs = [o for o in organs if o.pk == organ.pk]
    members = organ_members(organs)
    span = Period(min(p.start for p in periods), max(p.end for p in periods))
    computed = [i.key for i in indicators if i.key in Computed.values]
    records = computed_rows(span, now=now, keys=computed)
    manual = {i.pk: i.key for i in indicators if i.manual}
    scores = list(ManualScore.objects.filter(indicator_id__in=manual)) if manual else []
    return [
        _sheet(period, scheme, indicators, organs, members, records, manual, scores)
        for period in periods
    ]


def _sheet(period, scheme, indicators, organs, members, records, manual, scores):
    if period.kind != "year":
        indicators = [i for i in indicators if not i.manual]
    rows = {
        o.pk: SheetRow(
            o, indicators, {i.key: Measure(max_points=i.max_points) for i in indicators}
        )
        for o in organs
    }
    for key, found in records.items():
        for department_id, pk, passed, day in found:
            row = rows.get(members.get(department_id))
            if row is not None and period.contains(day):
                measure = row.measures[key]
                (measure.passed if passed else measure.failed).append(pk)
    if period.kind == "year":
        for score in scores:
            row = rows.get(score.department_id)
            if row is not None:
                row.measures[manual[score.indicator_id]].score = score
    return Sheet(period, scheme, indicators, [rows[o.pk] for o in organs])


def assessment(period: Period, *, now: datetime.datetime) -> list[SheetRow]:
    return sheet_for(period, now=now).rows


def sheet_rows(sheet: Sheet) -> list[list]:
    """The sheet as cells for the XLSX download, header first."""
    header = [str(_("机关"))]
    for indicator in sheet.indicators:
        header += [
            f"{indicator.label}（{indicator.weight}）",
            str(_("分子")),
            str(_("分母")),
        ]
    header += [str(_("得分")), str(_("失分项"))]
    table = [header]
    for row in sheet.rows:
        cells = [row.organ.name]
        for indicator, measure in row.pairs:
            ratio = measure.ratio
            if indicator.manual:
                points = measure.score.points if measure.score else ""
                cells += [
                    round(100 * ratio, 1) if ratio is not None else "",
                    float(points) if points != "" else "",
                    float(indicator.max_points),
                ]
                continue
            cells += [
                round(100 * ratio, 1) if ratio is not None else "",
                measure.part,
                measure.whole,
            ]
        cells.append(row.score if row.score is not None else "")
        cells.append(lost_text(row))
        table.append(cells)
    return table


def lost_text(row: SheetRow) -> str:
    return "；".join(f"{indicator.label} -{points}" for indicator, points in row.lost)
