"""The office's page for a year's assessment scheme (考核方案): the weights
of the computed indicators, the manual indicators, publishing the scheme,
the manual points with their evidence, and the trail of every change
(``oversight/schemes.py``)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from catalog.models import Department

from .. import schemes
from ..assessment_forms import ManualIndicatorFormSet, ScoreForm, WeightsForm
from ..assessment_models import AssessmentScheme, ManualScore
from .base import _clock, office_only


def _scheme(year):
    return (
        AssessmentScheme.objects.filter(year=year)
        .prefetch_related("indicators", "audit_entries__actor")
        .first()
    )


def _manual_initial(scheme):
    if scheme is None:
        return []
    return [
        {
            "pk": row.pk,
            "name": row.name,
            "weight": row.weight,
            "max_points": row.max_points,
            "order": row.order,
        }
        for row in scheme.indicators.filter(key="")
    ]


def _render(request, year, *, weights=None, manual=None, score_form=None, status=200):
    scheme = _scheme(year)
    manual_rows = list(scheme.indicators.filter(key="")) if scheme else []
    return render(
        request,
        "disclosure/oversight/assessment_scheme.html",
        {
            "nav": "assessment",
            "year": year,
            "scheme": scheme,
            "weights": weights or WeightsForm(scheme=scheme),
            "manual": manual
            or ManualIndicatorFormSet(initial=_manual_initial(scheme), prefix="manual"),
            "score_form": score_form or ScoreForm(manual=manual_rows),
            "scores": ManualScore.objects.filter(indicator__in=manual_rows)
            .select_related("indicator", "department", "entered_by")
            .order_by("indicator__order", "department__order"),
            "trail": scheme.audit_entries.all() if scheme else [],
        },
        status=status,
    )


@office_only
def scheme_page(request, year=None):
    if year is None:
        today, _now = _clock()
        return redirect("oversight:assessment-scheme", year=today.year)
    if not 2000 <= year <= 2100:
        return redirect("oversight:assessment-scheme-default")
    return _render(request, year)


def _refused(request, year, error, **forms):
    messages.error(request, error.message)
    return _render(request, year, status=400, **forms)


@require_POST
@office_only
def scheme_create(request, year):
    try:
        schemes.create_scheme(year=year, by=request.user)
    except schemes.NotAllowed as error:
        return _refused(request, year, error)
    messages.success(request, _("已创建%(year)s年度考核方案。") % {"year": year})
    return redirect("oversight:assessment-scheme", year=year)


@require_POST
@office_only
def scheme_save(request, year):
    scheme = get_object_or_404(AssessmentScheme, year=year)
    weights = WeightsForm(request.POST, scheme=scheme)
    manual = ManualIndicatorFormSet(request.POST, prefix="manual")
    if not (weights.is_valid() and manual.is_valid()):
        messages.error(request, _("请更正下面标出的错误。"))
        return _render(request, year, weights=weights, manual=manual, status=400)
    entries = [form.cleaned_data for form in manual.forms if form.cleaned_data]
    try:
        schemes.save_indicators(
            scheme=scheme,
            by=request.user,
            computed=weights.computed(),
            manual=entries,
            reason=weights.cleaned_data["reason"],
        )
    except schemes.NotAllowed as error:
        return _refused(request, year, error, weights=weights, manual=manual)
    messages.success(request, _("考核方案已保存。"))
    return redirect("oversight:assessment-scheme", year=year)


@require_POST
@office_only
def scheme_publish(request, year):
    scheme = get_object_or_404(AssessmentScheme, year=year)
    try:
        schemes.publish_scheme(scheme=scheme, by=request.user)
    except schemes.NotAllowed as error:
        return _refused(request, year, error)
    messages.success(request, _("考核方案已公布。"))
    return redirect("oversight:assessment-scheme", year=year)


@require_POST
@office_only
def score_save(request, year):
    scheme = get_object_or_404(AssessmentScheme, year=year)
    manual = list(scheme.indicators.filter(key=""))
    form = ScoreForm(request.POST, request.FILES, manual=manual)
    if not form.is_valid():
        messages.error(request, _("请更正下面标出的错误。"))
        return _render(request, year, score_form=form, status=400)
    indicator = next(row for row in manual if row.pk == form.cleaned_data["indicator"])
    organ = get_object_or_404(Department, pk=form.cleaned_data["organ"])
    try:
        schemes.score_manual(
            indicator=indicator,
            organ=organ,
            by=request.user,
            points=form.cleaned_data["points"],
            note=form.cleaned_data["note"],
            uploaded=form.cleaned_data.get("evidence"),
            checked=form.checked,
        )
    except schemes.NotAllowed as error:
        return _refused(request, year, error, score_form=form)
    messages.success(request, _("得分已录入。"))
    return redirect("oversight:assessment-scheme", year=year)
