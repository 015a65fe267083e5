"""The timeliness dashboard and its drill-down to the items behind a figure."""

from __future__ import annotations

import datetime

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from catalog.selectors import work_calendar
from disclosure import interpretations

from .. import catalog_gaps, completeness, drilldown, timeliness
from ..annual import deadlines
from .base import _clock, _period, office_only

# --- dashboard ------------------------------------------------------------------------------


@require_GET
@office_only
def dashboard(request):
    today, now = _clock()
    form, period = _period(request, today)
    calendar = work_calendar()
    report = timeliness.timeliness(period, today=today, now=now, calendar=calendar)
    url = drilldown.drilldown_url
    rows = [
        {
            "figures": figures,
            "published_url": url("published", period, department=figures.department.pk),
            "on_time_url": url("on_time", period, department=figures.department.pk),
            "with_deadline_url": url(
                "with_deadline", period, department=figures.department.pk
            ),
            "late_url": url("late", period, department=figures.department.pk),
            "overdue_url": url("overdue", department=figures.department.pk),
            "due_soon_url": url("due_soon", department=figures.department.pk),
        }
        for figures in report.departments
    ]
    total = {
        "figures": report.total,
        "published_url": url("published", period),
        "on_time_url": url("on_time", period),
        "with_deadline_url": url("with_deadline", period),
        "late_url": url("late", period),
        "overdue_url": url("overdue"),
        "due_soon_url": url("due_soon"),
    }
    return render(
        request,
        "disclosure/oversight/dashboard.html",
        {
            "form": form,
            "period": period,
            "today": today,
            "rows": rows,
            "total": total,
            "gaps": catalog_gaps.catalog_gaps(period, today=today),
            "uninterpreted": interpretations.policies_without_interpretation(
                period.start, period.end, now=now
            ),
            "late_interpretations": interpretations.late_interpretations(
                period.start, period.end, now=now
            ),
            "notice": deadlines.deadline_notice(today),
            "due_soon_days": timeliness.DUE_SOON_WORKING_DAYS,
        },
    )


# --- drill-down ------------------------------------------------------------------------------

FILTERS = ("department", "topic", "entry", "document_type", "channel")


@require_GET
@office_only
def items(request):
    today, now = _clock()
    form, period = _period(request, today)
    metric = request.GET.get("metric", "published")
    if metric not in drilldown.METRICS:
        raise Http404
    filters = {name: request.GET.get(name, "") for name in FILTERS}
    as_of = None
    if request.GET.get("as_of"):
        try:
            as_of = datetime.date.fromisoformat(request.GET["as_of"])
        except ValueError as error:
            raise Http404 from error
    ids = drilldown.drilldown_ids(
        metric,
        period,
        filters,
        today=today,
        now=now,
        calendar=work_calendar(),
        as_of=as_of,
    )
    items = drilldown.items_for(ids)
    show_missing = metric in completeness.METRICS
    if show_missing:
        missing = completeness.missing_for([(i.pk, i.catalog_entry_id) for i in items])
        for item in items:
            item.missing_elements = missing.get(item.pk, [])
    return render(
        request,
        "disclosure/oversight/items.html",
        {
            "metric_label": drilldown.METRICS[metric],
            "metric": metric,
            "period": period,
            "as_of": as_of or today,
            "dated": metric in ("overdue", "due_soon"),
            "filter_labels": drilldown.drilldown_filter_labels(filters),
            "items": items,
            "show_missing": show_missing,
        },
    )
