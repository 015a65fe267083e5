"""What the public reads of the annual reports: the last published revision
of each report, and any earlier one (the text before a correction)."""

from __future__ import annotations

from django.http import Http404

from catalog.organs import is_own_government

from ..models import AnnualReport, AnnualReportRevision
from .text import ReportText, revision_text


def published_reports() -> list[tuple[int, list[ReportText]]]:
    """Every published report by year, newest year first; in a year the
    government's first, then the departments in the directory's order. Two
    queries."""
    reports = list(
        AnnualReport.objects.filter(published_at__isnull=False)
        .select_related("organ")
        .order_by("-year", "organ__order", "organ__code")
    )
    latest: dict[int, AnnualReportRevision] = {}
    for revision in AnnualReportRevision.objects.filter(report__in=reports).order_by(
        "report_id", "number"
    ):
        latest[revision.report_id] = revision
    by_year: dict[int, list[ReportText]] = {}
    for report in sorted(
        reports, key=lambda r: (-r.year, not is_own_government(r.organ))
    ):
        revision = latest.get(report.pk)
        if revision is None:
            continue
        revision.report = report
        by_year.setdefault(report.year, []).append(revision_text(revision))
    return list(by_year.items())


def _revisions(year: int, organ_code: str | None):
    queryset = AnnualReportRevision.objects.select_related("report__organ").filter(
        report__year=year
    )
    if organ_code is None:
        return queryset.filter(
            report__organ__kind="government", report__organ__parent__isnull=True
        )
    return queryset.filter(report__organ__code=organ_code)


def report_history(year: int, organ_code: str | None) -> list[AnnualReportRevision]:
    """The published revisions of one report, oldest first (404 if none).
    ``organ_code`` None: the government's report (本级政府)."""
    revisions = list(_revisions(year, organ_code).order_by("report_id", "number"))
    if not revisions:
        raise Http404
    report_id = revisions[-1].report_id
    return [revision for revision in revisions if revision.report_id == report_id]
