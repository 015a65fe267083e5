"""The self-inspection report (自查报告): list, editor and DOCX download."""

from __future__ import annotations

import datetime

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from catalog.selectors import work_calendar

from .. import periods, self_inspection
from ..models import SelfInspectionReport
from .base import _clock, _docx_response, office_only

# --- self-inspection ---------------------------------------------------------------------------


class NewSelfInspectionForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("标题"), max_length=200, required=False)
    period_start = forms.DateField(
        label=gettext_lazy("统计起始日期"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    period_end = forms.DateField(
        label=gettext_lazy("统计截止日期"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("截止日期不能早于起始日期。"))
        return data


class SelfInspectionTextForm(forms.ModelForm):
    class Meta:
        model = SelfInspectionReport
        fields = ["title", "work_done", "problems", "next_steps"]
        widgets = {
            "work_done": forms.Textarea(attrs={"rows": 10}),
            "problems": forms.Textarea(attrs={"rows": 8}),
            "next_steps": forms.Textarea(attrs={"rows": 6}),
        }


@require_http_methods(["GET", "POST"])
@office_only
def self_inspection_list(request):
    today, now = _clock()
    if request.method == "POST":
        form = NewSelfInspectionForm(request.POST)
        if form.is_valid():
            period = periods.Period(
                form.cleaned_data["period_start"], form.cleaned_data["period_end"]
            )
            title = form.cleaned_data["title"] or _(
                "%(period)s政府信息公开工作自查报告"
            ) % {"period": period.label}
            report = self_inspection.create_report(
                period=period,
                title=title,
                by=request.user,
                today=today,
                now=now,
                calendar=work_calendar(),
            )
            messages.success(request, _("已根据统计数据生成自查报告草稿，请修改完善。"))
            return redirect(report)
    else:
        form = NewSelfInspectionForm(
            initial={
                "period_start": datetime.date(today.year, 1, 1),
                "period_end": today,
            }
        )
    return render(
        request,
        "disclosure/oversight/self_inspection_list.html",
        {"form": form, "reports": SelfInspectionReport.objects.all()},
    )


def _measure(report):
    today, now = _clock()
    return self_inspection.measure(
        self_inspection.report_period(report),
        today=today,
        now=now,
        calendar=work_calendar(),
    )


@require_http_methods(["GET", "POST"])
@office_only
def self_inspection_detail(request, pk):
    report = get_object_or_404(SelfInspectionReport, pk=pk)
    if request.method == "POST":
        form = SelfInspectionTextForm(request.POST, instance=report)
        if form.is_valid():
            report = form.save(commit=False)
            report.updated_by = request.user
            report.updated_at = timezone.now()
            report.save()
            messages.success(request, _("已保存。"))
            return redirect(report)
    else:
        form = SelfInspectionTextForm(instance=report)
    return render(
        request,
        "disclosure/oversight/self_inspection_detail.html",
        {"report": report, "form": form, "m": _measure(report)},
    )


@require_GET
@office_only
def self_inspection_docx(request, pk):
    report = get_object_or_404(SelfInspectionReport, pk=pk)
    return _docx_response(
        self_inspection.build_docx(report, _measure(report)),
        f"self-inspection-{report.period_start:%Y%m%d}-{report.period_end:%Y%m%d}.docx",
    )
