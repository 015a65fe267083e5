"""The annual reports for staff (/workspace/oversight/annual/): the overview
of every organ's report for a year (who has not published, who is late), the
editor of one report, its review (publish or return), its history and DOCX,
and the reports' audit trail as CSV. Public pages: ``annual_public.py``."""

from __future__ import annotations

import csv
import functools

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from catalog.models import Department
from catalog.organs import ORGAN_KINDS
from catalog.selectors import work_calendar
from disclosure.permissions import roles
from portal.spreadsheets import safe_cell
from portal.widgets import DataSelect

from ..annual import (
    consistency,
    deadlines,
    docx_writer,
    layout,
    measurement,
    permissions,
    reports,
    text,
)
from ..annual.forms import AnnualReportForm
from ..models import AnnualReport, AnnualReportAuditEntry
from .annual_tables import tables
from .base import _clock, _docx_response

# --- access ------------------------------------------------------------------------------


def _forbidden(request, message):
    return render(
        request, "disclosure/oversight/forbidden.html", {"message": message}, status=403
    )


def report_staff(view):
    """The office, and clerks for their own organ's report (each view checks
    the report itself)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not permissions.can_use_reports(request.user):
            return _forbidden(
                request, _("只有政务公开办公室和各机关的信息员可以编写年度报告。")
            )
        return view(request, *args, **kwargs)

    return wrapper


def _context(request, **extra) -> dict:
    return {
        "nav": "annual",
        "report_only": not roles(request.user).is_office_staff,
        **extra,
    }


# --- the overview of a year -------------------------------------------------------------


class NewReportForm(forms.Form):
    organ = forms.ModelChoiceField(
        label=gettext_lazy("报告机关"),
        queryset=Department.objects.filter(kind__in=ORGAN_KINDS, is_active=True),
        to_field_name="code",
        widget=DataSelect,
    )
    year = forms.IntegerField(
        label=gettext_lazy("报告年度"), min_value=2000, max_value=2100
    )


@require_http_methods(["GET", "POST"])
@report_staff
def annual_list(request, year=None):
    today, now = _clock()
    if request.method == "POST":
        form = NewReportForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("请选择报告机关并填写年度。"))
            return redirect("oversight:annual-list")
        organ, year = form.cleaned_data["organ"], form.cleaned_data["year"]
        try:
            reports.start_report(
                organ=organ,
                year=year,
                by=request.user,
                now=now,
                calendar=work_calendar(),
            )
        except reports.ReportError as error:
            messages.info(request, error.message)
        else:
            messages.success(
                request, _("已创建报告草稿，并根据门户数据填入了可统计的数字。")
            )
        return redirect("oversight:annual", year=year, organ=organ.code)
    if year is None:
        year = _year_param(request, today.year - 1)
    elif not 2000 <= year <= 2100:
        raise Http404
    statuses = [
        status
        for status in deadlines.year_status(year, today)
        if permissions.can_draft(request.user, status.organ)
    ]
    unpublished = [status for status in statuses if not status.is_published]
    return render(
        request,
        "disclosure/oversight/annual_list.html",
        _context(
            request,
            year=year,
            years=range(today.year, today.year - 6, -1),
            statuses=statuses,
            unpublished=unpublished,
            late=[status for status in statuses if status.is_late],
            notice=deadlines.deadline_notice(today),
        ),
    )


def _year_param(request, default: int) -> int:
    value = request.GET.get("year", "")
    if value.isdigit() and 2000 <= int(value) <= 2100:
        return int(value)
    return default


# --- one report ---------------------------------------------------------------------------


def _report(year, organ) -> AnnualReport:
    return get_object_or_404(
        AnnualReport.objects.select_related("organ"), year=year, organ__code=organ
    )


def _errors_by_cell(form, errors) -> dict[str, list[str]]:
    by_cell: dict[str, list[str]] = {}
    if form is not None and form.is_bound:
        for name, messages_ in form.errors.items():
            by_cell.setdefault(name, []).extend(str(m) for m in messages_)
    for error in errors:
        by_cell.setdefault(error.field, []).append(error.message)
    return by_cell


def _render(request, report, *, form=None, errors=(), status=200):
    flags = permissions.report_flags(request.user, report)
    editable = flags["can_edit"]
    if editable and form is None:
        form = AnnualReportForm(instance=report)
    by_cell = _errors_by_cell(form if editable else None, errors)
    shown = report if editable else text.draft_text(report)
    portal = (
        measurement.portal_figures(report.organ, report.year, now=timezone.now())
        if editable
        else None
    )
    return render(
        request,
        "disclosure/oversight/annual_form.html",
        _context(
            request,
            report=report,
            form=form,
            flags=flags,
            due_on=deadlines.due_on(report.organ, report.year),
            preview=shown,
            cell_errors=[
                {"id": f"id_{name}", "message": message}
                for name, messages_ in by_cell.items()
                if name not in layout.TEXT_FIELDS
                for message in messages_
            ],
            text_fields=[(form[name], title) for name, title in layout.SECTION_TITLES]
            if editable
            else [],
            sections=[
                (title, getattr(shown, name), name)
                for name, title in layout.SECTION_TITLES
            ],
            revisions=report.revisions.select_related("published_by"),
            history=report.audit_entries.select_related("actor"),
            **tables(
                shown, form=form, errors=by_cell, portal=portal, editable=editable
            ),
        ),
        status=status,
    )


@require_http_methods(["GET", "POST"])
@report_staff
def annual_edit(request, year, organ):
    report = _report(year, organ)
    if not permissions.can_view(request.user, report):
        return _forbidden(request, _("您不能查看这个机关的年度报告。"))
    if request.method == "GET":
        return _render(request, report, errors=consistency.stored_errors(report))
    action = request.POST.get("action", "save")
    url = redirect("oversight:annual", year=year, organ=organ)
    try:
        if action in ("publish", "return"):
            return _review(request, report, action) or url
        if action == "refill":
            reports.refill(report=report, by=request.user, now=timezone.now())
            messages.success(request, _("已按门户数据重新填入表二第（一）项。"))
            return url
        return _save(request, report, submit=action == "submit") or url
    except reports.ReportError as error:
        messages.error(request, error.message)
        return url


def _save(request, report, *, submit: bool):
    form = AnnualReportForm(request.POST, instance=report)
    if not form.is_valid():
        messages.error(request, _("有单元格填写有误，未保存。请按标出的提示修改。"))
        return _render(request, report, form=form)
    # Validation changed the form's instance in memory; work from the row.
    report = AnnualReport.objects.select_related("organ").get(pk=report.pk)
    try:
        report = reports.save(
            report=report,
            form=form,
            by=request.user,
            expected_version=form.cleaned_data.get("version") or 0,
        )
    except reports.ReportError as error:
        if error.field:
            form.add_error(error.field, error.message)
        messages.error(request, error.message)
        return _render(request, report, form=form)
    if not submit:
        messages.success(request, _("已保存。"))
        return None
    try:
        reports.submit(report=report, by=request.user)
    except consistency.ReportNotConsistent as error:
        messages.error(
            request,
            _("已保存，但表格有%(count)s处不符合勾稽关系，未能提交审核。")
            % {"count": len(error.errors)},
        )
        return _render(request, report, errors=error.errors)
    except reports.ReportError as error:
        messages.error(request, _("已保存，但未能提交审核：") + error.message)
        return None
    messages.success(request, _("已提交审核。公布前须由另一位审核员审核。"))
    return None


def _review(request, report, action):
    if action == "return":
        reports.return_report(
            report=report, by=request.user, comment=request.POST.get("comment", "")
        )
        messages.success(request, _("已退回修改。"))
        return None
    try:
        report = reports.publish(report=report, by=request.user)
    except consistency.ReportNotConsistent as error:
        messages.error(request, _("表格不符合勾稽关系，不能公布。"))
        return _render(request, report, errors=error.errors)
    messages.success(request, _("年度报告已公布。"))
    return None


@require_GET
@report_staff
def annual_docx(request, year, organ):
    report = _report(year, organ)
    if not permissions.can_view(request.user, report):
        return _forbidden(request, _("您不能查看这个机关的年度报告。"))
    return _docx_response(
        docx_writer.build_docx(text.draft_text(report)),
        f"annual-report-{report.year}-{report.organ.code}-draft.docx",
    )


# --- the audit trail ------------------------------------------------------------------------

AUDIT_HEADER = [
    "时间",
    "操作人",
    "报告",
    "操作",
    "原状态",
    "新状态",
    "说明",
    "公开版本",
]


@require_GET
def annual_audit_csv(request):
    """Every step of every report, for the office and the auditors."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    user_roles = roles(request.user)
    if not (user_roles.is_office_staff or user_roles.is_auditor):
        return _forbidden(
            request, _("只有政务公开办公室工作人员和审计人员可以导出操作记录。")
        )
    states = dict(AnnualReport.State.choices)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="annual-report-audit-{timezone.localdate():%Y%m%d}.csv"'
    )
    response["Cache-Control"] = "no-store"
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(AUDIT_HEADER)
    entries = AnnualReportAuditEntry.objects.select_related(
        "actor", "report__organ"
    ).order_by("at", "pk")
    for entry in entries.iterator(chunk_size=2000):
        actor = entry.actor
        writer.writerow(
            [
                safe_cell(value)
                for value in (
                    timezone.localtime(entry.at).strftime("%Y-%m-%d %H:%M:%S"),
                    f"{actor.last_name}{actor.first_name}".strip() or actor.username,
                    str(entry.report),
                    str(entry.get_action_display()),
                    str(states.get(entry.from_state, entry.from_state)),
                    str(states.get(entry.to_state, entry.to_state)),
                    entry.comment,
                    entry.revision_number or "",
                )
            ]
        )
    return response
