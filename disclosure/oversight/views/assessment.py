"""The assessment sheet: a score per organ and period from the indicators of
``oversight/assessment.py``, on a page and as XLSX; each organ's own sheet
with the records behind every figure (the office, and the organ's clerks
and heads: a department sees its own only); the evidence of manual
indicators, for the same people only."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from catalog.models import Department
from catalog.organs import ORGAN_KINDS

from .. import assessment, assessment_records, schemes
from ..annual.permissions import can_use_reports
from ..assessment_models import ManualScore
from .base import _clock, _period, _xlsx_response, office_only


def organ_url(organ, period) -> str:
    query = {"period": period.kind, "year": period.start.year} | (
        {"quarter": (period.start.month - 1) // 3 + 1}
        if period.kind == "quarter"
        else {}
    )
    if period.kind in ("custom", "month"):
        query = {"period": "custom"} | period.params
    return (
        reverse("oversight:assessment-organ", args=[organ.code])
        + "?"
        + urlencode(query)
    )


@require_GET
@office_only
def assessment_page(request):
    today, now = _clock()
    form, period = _period(request, today)
    sheet = assessment.sheet_for(period, now=now)
    if request.GET.get("format") == "xlsx":
        return _xlsx_response(
            assessment.sheet_rows(sheet),
            f"assessment-{period.start:%Y%m%d}-{period.end:%Y%m%d}.xlsx",
            _("考核表"),
        )
    query = request.GET.copy()
    query["format"] = "xlsx"
    return render(
        request,
        "disclosure/oversight/assessment.html",
        {
            "form": form,
            "period": period,
            "nav": "assessment",
            "indicators": sheet.indicators,
            "scheme": sheet.scheme,
            "sheet": [(row, organ_url(row.organ, period)) for row in sheet.rows],
            "xlsx_query": query.urlencode(),
        },
    )


def _forbidden(request, message):
    return render(
        request,
        "disclosure/oversight/forbidden.html",
        {"message": message},
        status=403,
    )


@require_GET
def assessment_organ(request, organ):
    """One organ's sheet, every figure with the records behind it."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    organ = get_object_or_404(Department, code=organ, kind__in=ORGAN_KINDS)
    if not schemes.can_view_organ(request.user, organ):
        return _forbidden(
            request, _("您只能查看本部门的考核情况，不能查看其他部门的考核明细。")
        )
    today, now = _clock()
    form, period = _period(request, today)
    sheet = assessment.sheet_for(period, now=now, organ=organ)
    row = sheet.row_of(organ.pk)
    if row is None:
        raise Http404
    lost = {indicator.key: points for indicator, points in row.lost}
    indicators = [
        {
            "indicator": indicator,
            "measure": measure,
            "lost": lost.get(indicator.key),
            "records": assessment_records.records(
                indicator, measure, user=request.user
            ),
        }
        for indicator, measure in row.pairs
    ]
    return render(
        request,
        "disclosure/oversight/assessment_organ.html",
        {
            "form": form,
            "period": period,
            "nav": "assessment",
            "report_only": not schemes.can_edit_scheme(request.user),
            "hide_reports": not can_use_reports(request.user),
            "organ": organ,
            "row": row,
            "scheme": sheet.scheme,
            "indicators": indicators,
        },
    )


@require_GET
def assessment_evidence(request, token):
    """A manual indicator's evidence: for the office and the organ scored,
    never public (no cache keeps it)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    score = get_object_or_404(
        ManualScore.objects.select_related("department"), token=token
    )
    if not score.evidence or not schemes.can_view_organ(request.user, score.department):
        raise Http404
    response = FileResponse(
        score.evidence.open("rb"),
        content_type=score.evidence_content_type,
        as_attachment=True,
        filename=score.evidence_name,
    )
    response["Cache-Control"] = "private, no-store"
    return response
