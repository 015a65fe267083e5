"""The quarterly bulletin (通报): timeliness per department over a quarter."""

from __future__ import annotations

import datetime

from django import forms
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from catalog.selectors import work_calendar
from disclosure.complaint_figures import complaint_figures

from .. import drilldown, periods, timeliness
from .base import _clock, office_only

# --- quarterly bulletin ------------------------------------------------------------------------


class BulletinForm(forms.Form):
    year = forms.IntegerField(
        label=gettext_lazy("年份"), min_value=2000, max_value=2100, required=False
    )
    quarter = forms.TypedChoiceField(
        label=gettext_lazy("季度"), coerce=int, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quarter"].choices = [
            (q, _("第%(q)s季度") % {"q": q}) for q in range(1, 5)
        ]


def _last_full_quarter(today: datetime.date) -> tuple[int, int]:
    quarter = periods.quarter_of(today) - 1
    if quarter == 0:
        return today.year - 1, 4
    return today.year, quarter


@require_GET
@office_only
def bulletin(request):
    today, now = _clock()
    form = BulletinForm(request.GET)
    year, quarter = _last_full_quarter(today)
    if form.is_valid():
        year = form.cleaned_data.get("year") or year
        quarter = form.cleaned_data.get("quarter") or quarter
    period = periods.quarter_period(year, quarter)
    as_of = min(period.end, today)
    report = timeliness.timeliness(
        period, today=today, now=now, calendar=work_calendar(), as_of=as_of
    )
    url = drilldown.drilldown_url
    ranking = []
    for rank, figures in enumerate(timeliness.ranked(report), 1):
        department = figures.department.pk
        ranking.append(
            {
                "rank": rank,
                "figures": figures,
                "published_url": url("published", period, department=department),
                "with_deadline_url": url(
                    "with_deadline", period, department=department
                ),
                "on_time_url": url("on_time", period, department=department),
                "late_url": url("late", period, department=department),
                "overdue_url": url(
                    "overdue", period, department=department, as_of=as_of.isoformat()
                ),
            }
        )
    rated = [r for r in ranking if r["figures"].on_time_ratio is not None]
    lowest = rated[-1] if rated else None
    most_overdue = max(
        (r for r in ranking if r["figures"].overdue),
        key=lambda r: len(r["figures"].overdue),
        default=None,
    )
    return render(
        request,
        "disclosure/oversight/bulletin.html",
        {
            "complaints": complaint_figures(period.start, period.end),
            "form": form,
            "year": year,
            "quarter": quarter,
            "period": period,
            "as_of": as_of,
            "ranking": ranking,
            "total": report.total,
            "lowest": lowest,
            "highest": rated[0] if rated else None,
            "most_overdue": most_overdue,
            "total_urls": {
                "published": url("published", period),
                "with_deadline": url("with_deadline", period),
                "on_time": url("on_time", period),
                "late": url("late", period),
                "overdue": url("overdue", period, as_of=as_of.isoformat()),
            },
        },
    )
