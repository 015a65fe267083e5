"""A report's text as it is shown and written to DOCX: the working copy (the
office's preview) or a published revision (what the public reads). Both
read the same way, so the pages and the DOCX writer never care which."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from ..models import AnnualReport, AnnualReportRevision
from .layout import TEXT_FIELDS, empty_table2, empty_table3, empty_table4, parse_amount


@dataclass(frozen=True)
class ReportText:
    title: str
    year: int
    organ_name: str
    organ_code: str
    overview: str
    proactive_text: str
    requests_text: str
    appeals_text: str
    problems: str
    other_matters: str
    table2: dict
    table3: dict
    table4: dict
    fees_charged: Decimal
    number: int | None = None  # the published revision's number
    published_at: datetime.datetime | None = None
    correction_note: str = ""

    @property
    def fees_sentence(self) -> str:
        """Section 六's statement of 信息处理费 (the 2021 format's notes)."""
        if self.fees_charged > 0:
            return _("本年度收取信息处理费%(amount)s元。") % {
                "amount": f"{self.fees_charged:,.2f}"
            }
        return _("本年度未收取信息处理费。")


def content_of(report: AnnualReport) -> dict:
    """What a revision keeps of the working copy (JSON)."""
    content = {name: getattr(report, name) for name in TEXT_FIELDS}
    content.update(
        table2={**empty_table2(), **(report.table2 or {})},
        table3={**empty_table3(), **(report.table3 or {})},
        table4={**empty_table4(), **(report.table4 or {})},
        fees_charged=str(report.fees_charged),
    )
    return content


def draft_text(report: AnnualReport) -> ReportText:
    """The working copy (the office's preview and DOCX)."""
    return _text(str(report), report, content_of(report))


def revision_text(revision: AnnualReportRevision) -> ReportText:
    """A published revision (its report's organ selected)."""
    return _text(
        revision.title,
        revision.report,
        revision.content,
        number=revision.number,
        published_at=revision.published_at,
        correction_note=revision.correction_note,
    )


def _text(title, report, content, **published) -> ReportText:
    return ReportText(
        title=title,
        year=report.year,
        organ_name=report.organ.name,
        organ_code=report.organ.code,
        **{name: content.get(name, "") for name in TEXT_FIELDS},
        table2={**empty_table2(), **content.get("table2", {})},
        table3={**empty_table3(), **content.get("table3", {})},
        table4={**empty_table4(), **content.get("table4", {})},
        fees_charged=parse_amount(content.get("fees_charged", "0")),
        **published,
    )
