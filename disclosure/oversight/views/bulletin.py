"""The quarterly bulletin (通报): every department ranked by timeliness over a
quarter, as a page, a DOCX and an XLSX (``oversight/bulletin.py``)."""

from __future__ import annotations

import datetime

from django import forms
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from catalog.selectors import work_calendar
from disclosure.complaint_figures import complaint_figures

from .. import bulletin as bulletins
from .. import bulletin_scores, drilldown, periods
from .assessment import organ_url
from .base import _clock, _docx_response, _xlsx_response, office_only

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
    result = bulletins.build_bulletin(
        year, quarter, today=today, now=now, calendar=work_calendar()
    )
    scores = bulletin_scores.bulletin_scores(year, quarter, now=now)
    name = f"bulletin-{year}-q{quarter}"
    download = request.GET.get("download")
    if download == "docx":
        return _docx_response(
            bulletins.build_docx(result, bulletin_scores.score_table(scores)),
            f"{name}.docx",
        )
    if download == "xlsx":
        return _xlsx_response(
            bulletins.table_rows(result),
            f"{name}.xlsx",
            _("季度通报"),
            more=((_("考核得分"), bulletin_scores.score_table(scores)),),
        )
    period, as_of = result.period, result.as_of
    url = drilldown.drilldown_url

    def links(department=None) -> dict:
        scope = {"department": department} if department else {}
        return {
            "published_url": url("published", period, **scope),
            "with_deadline_url": url("with_deadline", period, **scope),
            "on_time_url": url("on_time", period, **scope),
            "late_url": url("late", period, **scope),
            "overdue_url": url("overdue", period, as_of=as_of.isoformat(), **scope),
        }

    ranking = [
        {"rank": row.rank, "figures": row.figures, "silent": row.silent}
        | links(row.department.pk)
        for row in result.rows
    ]
    query = f"year={year}&quarter={quarter}"
    return render(
        request,
        "disclosure/oversight/bulletin.html",
        {
            "nav": "bulletin",
            "complaints": complaint_figures(period.start, period.end),
            "form": form,
            "bulletin": result,
            "year": year,
            "quarter": quarter,
            "period": period,
            "as_of": as_of,
            "ranking": ranking,
            "total": result.total,
            "lowest": result.lowest,
            "highest": result.highest,
            "most_overdue": result.most_overdue,
            "silent": result.silent,
            "total_urls": {
                key.removesuffix("_url"): value for key, value in links().items()
            },
            "scores": scores,
            "score_rows": [
                {
                    "row": row,
                    "quarter_url": organ_url(row.organ, scores.quarter_period),
                    "year_url": organ_url(row.organ, scores.year_period),
                }
                for row in scores.rows
            ],
            "docx_query": f"{query}&download=docx",
            "xlsx_query": f"{query}&download=xlsx",
        },
    )
