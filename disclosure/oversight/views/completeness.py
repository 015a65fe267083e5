"""Completeness of the items against their catalog entries' required content
elements, per department and per entry, with the drill-down links."""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_GET

from .. import completeness, drilldown
from .base import _clock, _period, office_only


def _links(period, figures, **filters) -> dict:
    url = drilldown.drilldown_url
    return {
        "figures": figures,
        "scope_url": url("elements_scope", period, **filters),
        "complete_url": url("elements_complete", period, **filters),
        "incomplete_url": url("elements_incomplete", period, **filters),
    }


@require_GET
@office_only
def completeness_page(request):
    today, now = _clock()
    form, period = _period(request, today)
    report = completeness.completeness(period, now=now)
    return render(
        request,
        "disclosure/oversight/completeness.html",
        {
            "form": form,
            "period": period,
            "nav": "completeness",
            "departments": [
                _links(period, f, department=f.subject.pk) for f in report.departments
            ],
            "entries": [_links(period, f, entry=f.subject.pk) for f in report.entries],
            "total": _links(period, report.total),
        },
    )
