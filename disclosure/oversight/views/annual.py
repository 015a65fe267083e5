"""The annual report (政府信息公开工作年度报告): the office's list, editor and DOCX
download (/workspace/oversight/annual/), and the public pages of the
published reports (/reports/annual/)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from catalog.selectors import work_calendar

from ..annual import consistency, docx_writer, layout, measurement, reports
from ..annual.forms import AnnualReportForm
from ..models import AnnualReport
from .base import _clock, _docx_response, office_only

# --- annual report (staff) ------------------------------------------------------------------


class NewAnnualReportForm(forms.Form):
    year = forms.IntegerField(
        label=gettext_lazy("报告年度"), min_value=2000, max_value=2100
    )


@require_http_methods(["GET", "POST"])
@office_only
def annual_list(request):
    today, now = _clock()
    if request.method == "POST":
        form = NewAnnualReportForm(request.POST)
        if form.is_valid():
            year = form.cleaned_data["year"]
            if AnnualReport.objects.filter(year=year).exists():
                messages.info(request, _("该年度的报告已经存在。"))
            else:
                reports.start_report(
                    year, by=request.user, now=now, calendar=work_calendar()
                )
                messages.success(
                    request, _("已创建报告草稿，并根据门户数据填入了可统计的数字。")
                )
            return redirect("oversight:annual", year=year)
    else:
        form = NewAnnualReportForm(initial={"year": today.year - 1})
    return render(
        request,
        "disclosure/oversight/annual_list.html",
        {
            "form": form,
            "reports": AnnualReport.objects.all(),
            "notice": reports.deadline_notice(today),
        },
    )


def _cell(name: str, value, errors: dict, editable: bool, labelled_by: str) -> dict:
    return {
        "name": name,
        "id": f"id_{name}",
        "value": "" if value is None else value,
        "errors": errors.get(name, []),
        "editable": editable,
        "labelled_by": labelled_by,
    }


def _tables(report, *, form=None, errors=None, portal=None, editable=False) -> dict:
    """The three tables as the templates draw them, with the values of the
    bound form (if any) and the error messages of each cell."""
    errors = errors or {}

    def value(name, stored):
        if form is not None and form.is_bound:
            return form[name].value()
        return stored

    table2 = []
    for group_index, group in enumerate(layout.table2_display(report, portal)):
        rows = []
        for row in group["rows"]:
            row_id = f"t2-{row['key']}"
            cells = []
            for column_index, cell in enumerate(row["cells"]):
                column_id = f"t2-g{group_index}-c{column_index}"
                entry = _cell(
                    cell["name"],
                    value(cell["name"], cell["value"]),
                    errors,
                    editable,
                    f"{row_id} {column_id}",
                )
                entry["portal"] = cell["portal"]
                entry["auto"] = cell["auto"]
                entry["decimal"] = cell["key"] == layout.AMOUNT_CELL
                cells.append(entry)
            rows.append({"id": row_id, "label": row["label"], "cells": cells})
        table2.append(
            {
                "article": group["article"],
                "columns": [
                    {"id": f"t2-g{group_index}-c{i}", "label": label}
                    for i, (_key, label) in enumerate(group["columns"])
                ],
                "rows": rows,
            }
        )
    column_ids = [f"t3-col-{key}" for key, _label in layout.TABLE3_COLUMNS]
    for index in range(1, 6):
        column_ids[index] = f"t3-col-org {column_ids[index]}"
    table3 = []
    group_id = ""
    for row in layout.table3_display(report):
        row_id = f"t3-row-{row['key'] or len(table3)}"
        if not row["key"]:
            if row["level"] == 1:
                group_id = row_id
            table3.append({"id": row_id, "label": row["label"], "heading": True})
            continue
        if row["level"] < 2:
            group_id = ""
        labelled = f"{group_id} {row_id}".strip()
        table3.append(
            {
                "id": row_id,
                "label": row["label"],
                "level": row["level"],
                "heading": False,
                "cells": [
                    _cell(
                        name, value(name, stored), errors, editable, f"{labelled} {col}"
                    )
                    for name, stored, col in zip(
                        row["names"], row["values"], column_ids, strict=True
                    )
                ],
            }
        )
    table4 = []
    for group in layout.table4_display(report):
        group_id = f"t4-{group['key']}"
        if group["key"] != "review":
            group_id = f"t4-litigation {group_id}"
        table4.append(
            {
                "key": group["key"],
                "label": group["label"],
                "cells": [
                    _cell(
                        name,
                        value(name, stored),
                        errors,
                        editable,
                        f"{group_id} t4-{group['key']}-{i}",
                    )
                    for i, (name, stored) in enumerate(
                        zip(group["names"], group["values"], strict=True)
                    )
                ],
            }
        )
    return {
        "table2": table2,
        "table3": table3,
        "table3_columns": layout.TABLE3_COLUMNS,
        "table3_organisation_columns": layout.TABLE3_ORGANISATION_COLUMNS,
        "table4": table4,
        "table4_columns": layout.TABLE4_COLUMNS,
        "editable": editable,
    }


def _errors_by_cell(form, consistency) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if form is not None and form.is_bound:
        for name, messages_ in form.errors.items():
            errors.setdefault(name, []).extend(str(m) for m in messages_)
    for error in consistency:
        errors.setdefault(error.field, []).append(error.message)
    return errors


def _render_annual_form(request, report, form, consistency, *, status=200):
    portal = measurement.portal_figures(report.year, now=timezone.now())
    errors = _errors_by_cell(form, consistency)
    cell_errors = [
        {"id": f"id_{name}", "message": message}
        for name, messages_ in errors.items()
        if name not in layout.TEXT_FIELDS
        for message in messages_
    ]
    return render(
        request,
        "disclosure/oversight/annual_form.html",
        {
            "report": report,
            "form": form,
            "cell_errors": cell_errors,
            "consistency": consistency,
            "text_fields": [
                (form[name], title) for name, title in layout.SECTION_TITLES
            ],
            **_tables(report, form=form, errors=errors, portal=portal, editable=True),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@office_only
def annual_edit(request, year):
    report = get_object_or_404(AnnualReport, year=year)
    if request.method == "GET":
        form = AnnualReportForm(instance=report)
        return _render_annual_form(
            request, report, form, consistency.stored_errors(report)
        )
    action = request.POST.get("action", "save")
    if action == "refill":
        reports.refill(report=report, by=request.user, now=timezone.now())
        messages.success(request, _("已按门户数据重新填入表二第（一）项。"))
        return redirect("oversight:annual", year=year)
    form = AnnualReportForm(request.POST, instance=report)
    if not form.is_valid():
        messages.error(request, _("有单元格填写有误，未保存。请按标出的提示修改。"))
        return _render_annual_form(request, report, form, [])
    # The form's instance was changed in memory by validation; work from the
    # row as stored.
    report = AnnualReport.objects.get(pk=report.pk)
    try:
        if action == "publish":
            reports.publish(report=report, form=form, by=request.user)
            messages.success(request, _("年度报告已公布。"))
        else:
            reports.save_draft(report=report, form=form, by=request.user)
            messages.success(request, _("已保存。"))
    except consistency.ReportNotConsistent as error:
        messages.error(
            request,
            _("表格有%(count)s处不符合勾稽关系，未能%(action)s。请按标出的单元格修改。")
            % {
                "count": len(error.errors),
                "action": _("公布") if action == "publish" else _("保存"),
            },
        )
        return _render_annual_form(request, report, form, error.errors)
    return redirect("oversight:annual", year=year)


@require_GET
@office_only
def annual_docx(request, year):
    report = get_object_or_404(AnnualReport, year=year)
    return _docx_response(
        docx_writer.build_docx(report), f"annual-report-{report.year}.docx"
    )


# --- annual report (public) ---------------------------------------------------------------------


@require_GET
def annual_public_list(request):
    return render(
        request,
        "disclosure/oversight/annual_public_list.html",
        {
            "reports": AnnualReport.objects.filter(
                state=AnnualReport.State.PUBLISHED
            ).order_by("-year")
        },
    )


def _published(year) -> AnnualReport:
    return get_object_or_404(
        AnnualReport, year=year, state=AnnualReport.State.PUBLISHED
    )


@require_GET
def annual_public_detail(request, year):
    report = _published(year)
    return render(
        request,
        "disclosure/oversight/annual_public_detail.html",
        {
            "report": report,
            "sections": [
                (title, getattr(report, name), name)
                for name, title in layout.SECTION_TITLES
            ],
            **_tables(report),
        },
    )


@require_GET
def annual_public_docx(request, year):
    report = _published(year)
    return _docx_response(
        docx_writer.build_docx(report), f"annual-report-{report.year}.docx"
    )
