"""The assessment sheet: a score per organ and period from the indicators of
``oversight/assessment.py``, on a page and as XLSX."""

from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from .. import assessment
from .base import _clock, _period, _xlsx_response, office_only


@require_GET
@office_only
def assessment_page(request):
    today, now = _clock()
    form, period = _period(request, today)
    sheet = assessment.assessment(period, now=now)
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
            "indicators": assessment.INDICATORS,
            "sheet": sheet,
            "xlsx_query": query.urlencode(),
        },
    )
