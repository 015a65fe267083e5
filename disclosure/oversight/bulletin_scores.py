"""The assessment scores in the quarterly 通报: each organ's score of the
quarter and of the year up to the quarter's end (the whole year, manual
indicators included, in the fourth quarter's bulletin), with what lost
points, from the assessment sheet (``assessment.py``) of each period."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _

from . import periods
from .assessment import SheetRow, lost_text, sheets_for


@dataclass(frozen=True)
class ScoreRow:
    organ: object
    quarter: SheetRow
    year: SheetRow


@dataclass(frozen=True)
class BulletinScores:
    quarter_period: periods.Period
    year_period: periods.Period
    rows: list[ScoreRow]


def year_to_date(year: int, quarter: int) -> periods.Period:
    if quarter == 4:
        return periods.year_period(year)
    end = periods.quarter_period(year, quarter).end
    return periods.Period(
        datetime.date(year, 1, 1),
        end,
        "custom",
        _("%(year)s年1月至第%(quarter)s季度末") % {"year": year, "quarter": quarter},
    )


def bulletin_scores(
    year: int, quarter: int, *, now: datetime.datetime
) -> BulletinScores:
    quarter_period = periods.quarter_period(year, quarter)
    year_period = year_to_date(year, quarter)
    by_quarter, by_year = sheets_for([quarter_period, year_period], now=now)
    rows = [
        ScoreRow(quarter.organ, quarter, year)
        for quarter, year in zip(by_quarter.rows, by_year.rows, strict=True)
    ]
    return BulletinScores(quarter_period, year_period, rows)


def _shown(score) -> str | float:
    return score if score is not None else "—"


def score_table(scores: BulletinScores) -> list[list]:
    """The scores as cells (XLSX sheet and DOCX table), header first."""
    table = [
        [
            _("机关"),
            _("本季度得分"),
            _("本季度失分项"),
            _("年度得分（%(period)s）") % {"period": scores.year_period.label},
            _("年度失分项"),
        ]
    ]
    for row in scores.rows:
        table.append(
            [
                row.organ.name,
                _shown(row.quarter.score),
                lost_text(row.quarter) or "—",
                _shown(row.year.score),
                lost_text(row.year) or "—",
            ]
        )
    return table
