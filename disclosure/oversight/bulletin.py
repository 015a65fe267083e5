"""The quarterly bulletin (通报): every department ranked by timeliness over a
quarter, those that published nothing included (a department that published
nothing is exactly what a 通报 must show), as a page, a DOCX and an XLSX.

Rows are organs (``catalog/organs.py``): every active department, the
government too when it published or had something due, and any organ no
longer active that still has figures in the quarter; an office's items count
for its department. The figures are the timeliness measurements
(``timeliness.py``) of the quarter, overdue items as of its last day."""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass

from django.utils.translation import gettext as _

from catalog.models import Department
from catalog.organs import ORGAN_KINDS, organ_members

from . import periods, timeliness
from .timeliness import Timeliness

_LISTS = (
    "published",
    "with_deadline",
    "on_time",
    "late",
    "days_to_publish",
    "overdue",
    "due_soon",
)


@dataclass(frozen=True)
class BulletinRow:
    rank: int
    figures: Timeliness

    @property
    def department(self) -> Department:
        return self.figures.department

    @property
    def silent(self) -> bool:
        """Published nothing in the quarter."""
        return not self.figures.published


@dataclass(frozen=True)
class Bulletin:
    year: int
    quarter: int
    period: periods.Period
    as_of: datetime.date
    rows: list[BulletinRow]
    total: Timeliness

    @property
    def title(self) -> str:
        return _("%(year)s年第%(quarter)s季度政务公开工作情况通报") % {
            "year": self.year,
            "quarter": self.quarter,
        }

    @property
    def rated(self) -> list[BulletinRow]:
        return [row for row in self.rows if row.figures.on_time_ratio is not None]

    @property
    def highest(self) -> BulletinRow | None:
        return self.rated[0] if self.rated else None

    @property
    def lowest(self) -> BulletinRow | None:
        return self.rated[-1] if self.rated else None

    @property
    def most_overdue(self) -> BulletinRow | None:
        return max(
            (row for row in self.rows if row.figures.overdue),
            key=lambda row: len(row.figures.overdue),
            default=None,
        )

    @property
    def silent(self) -> list[BulletinRow]:
        return [row for row in self.rows if row.silent]


def _merge(into: Timeliness, figures: Timeliness) -> None:
    for name in _LISTS:
        getattr(into, name).extend(getattr(figures, name))


def build_bulletin(
    year: int, quarter: int, *, today: datetime.date, now, calendar
) -> Bulletin:
    period = periods.quarter_period(year, quarter)
    as_of = min(period.end, today)
    report = timeliness.timeliness(
        period, today=today, now=now, calendar=calendar, as_of=as_of
    )
    organs = {
        organ.pk: organ
        for organ in Department.objects.filter(kind__in=ORGAN_KINDS).order_by(
            "order", "code"
        )
    }
    members = organ_members(organs.values())
    by_organ: dict[int, Timeliness] = {}
    for figures in report.departments:
        organ_id = members.get(figures.department.pk, figures.department.pk)
        organ = organs.get(organ_id, figures.department)
        merged = by_organ.setdefault(organ.pk, Timeliness(organ))
        _merge(merged, figures)
    for organ in organs.values():
        if organ.is_active and organ.kind == Department.Kind.DEPARTMENT:
            by_organ.setdefault(organ.pk, Timeliness(organ))
    ranked = timeliness.ranked(
        timeliness.TimelinessReport(
            period, today, as_of, list(by_organ.values()), report.total, []
        )
    )
    rows = [BulletinRow(rank, figures) for rank, figures in enumerate(ranked, 1)]
    return Bulletin(year, quarter, period, as_of, rows, report.total)


# --- downloads -------------------------------------------------------------------------------

HEADER = [
    "排名",
    "部门",
    "发布信息（条）",
    "有公开时限（条）",
    "按时公开（条）",
    "逾期发布（条）",
    "按时公开率",
    "逾期未发布（期末，条）",
]


def table_rows(bulletin: Bulletin) -> list[list]:
    rows = [HEADER]
    for row in bulletin.rows:
        figures = row.figures
        rows.append(
            [
                row.rank,
                row.department.name,
                len(figures.published),
                len(figures.with_deadline),
                len(figures.on_time),
                len(figures.late),
                figures.on_time_rate,
                len(figures.overdue),
            ]
        )
    total = bulletin.total
    rows.append(
        [
            "",
            _("合计"),
            len(total.published),
            len(total.with_deadline),
            len(total.on_time),
            len(total.late),
            total.on_time_rate,
            len(total.overdue),
        ]
    )
    return rows


def summary_paragraphs(bulletin: Bulletin) -> list[str]:
    total = bulletin.total
    lines = [
        _(
            "%(period)s，各部门共发布政府信息%(published)s条，其中有法定公开时限的%(due)s条，"
            "按时公开%(on_time)s条，按时公开率%(rate)s，逾期公开%(late)s条。"
            "截至%(as_of)s，超过公开时限仍未发布的信息%(overdue)s条。"
        )
        % {
            "period": bulletin.period.label,
            "published": len(total.published),
            "due": len(total.with_deadline),
            "on_time": len(total.on_time),
            "rate": total.on_time_rate,
            "late": len(total.late),
            "as_of": periods.date_zh(bulletin.as_of),
            "overdue": len(total.overdue),
        }
    ]
    if bulletin.silent:
        lines.append(
            _("本季度未发布任何信息的部门（%(count)s个）：%(names)s。")
            % {
                "count": len(bulletin.silent),
                "names": "、".join(row.department.name for row in bulletin.silent),
            }
        )
    return lines


def build_docx(bulletin: Bulletin, scores: list[list] | None = None) -> bytes:
    """The bulletin as DOCX; ``scores`` the assessment scores' table
    (``bulletin_scores.score_table``) as its last section."""
    from docx import Document

    document = Document()
    document.add_heading(bulletin.title, level=0)
    for paragraph in summary_paragraphs(bulletin):
        document.add_paragraph(paragraph)
    document.add_heading(_("各部门排名"), level=1)
    rows = table_rows(bulletin)
    _add_table(document, rows)
    if scores:
        document.add_heading(_("政务公开考核得分"), level=1)
        _add_table(document, scores)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _add_table(document, rows: list[list]) -> None:
    table = document.add_table(rows=0, cols=len(rows[0]))
    table.style = "Table Grid"
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = str(value)
