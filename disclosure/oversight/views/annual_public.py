"""The public pages of the annual reports (/reports/annual/), the fourth
standard section of the disclosure column: every published report by year
and organ, a report's page with its correction history, any earlier text,
and the DOCX of each."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ..annual import docx_writer, layout, published
from ..annual.text import revision_text
from .annual_tables import tables
from .base import _docx_response


@require_GET
def annual_public_list(request):
    return render(
        request,
        "disclosure/oversight/annual_public_list.html",
        {"years": published.published_reports()},
    )


def _page(request, revisions, shown):
    report = revision_text(shown)
    latest = revisions[-1]
    return render(
        request,
        "disclosure/oversight/annual_public_detail.html",
        {
            "report": report,
            "is_latest": shown.number == latest.number,
            "latest": latest,
            "revisions": revisions,
            "sections": [
                (title, getattr(report, name), name)
                for name, title in layout.SECTION_TITLES
            ],
            **tables(report),
        },
    )


@require_GET
def annual_public_detail(request, year, organ=None):
    """The report's current text. Without an organ: the government's own
    report (本级政府), at the address the portal has always used."""
    revisions = published.report_history(year, organ)
    return _page(request, revisions, revisions[-1])


@require_GET
def annual_public_revision(request, year, organ, number):
    revisions = published.report_history(year, organ)
    shown = next((r for r in revisions if r.number == number), None)
    if shown is None:
        raise Http404
    return _page(request, revisions, shown)


def _docx(revision):
    report = revision_text(revision)
    suffix = f"-v{revision.number}" if revision.number > 1 else ""
    return _docx_response(
        docx_writer.build_docx(report),
        f"annual-report-{report.year}-{report.organ_code}{suffix}.docx",
    )


@require_GET
def annual_public_docx(request, year, organ=None):
    return _docx(published.report_history(year, organ)[-1])


@require_GET
def annual_public_revision_docx(request, year, organ, number):
    revisions = published.report_history(year, organ)
    shown = next((r for r in revisions if r.number == number), None)
    if shown is None:
        raise Http404
    return _docx(shown)
