"""Oversight pages for the disclosure office (/workspace/oversight/) and the
public annual report pages (/reports/annual/).

Thin views: parse the period, call ``disclosure.oversight``,
``disclosure.annual_report`` or ``disclosure.self_inspection``, render.
"""

from __future__ import annotations

import csv
import datetime
import functools
import io

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from catalog.selectors import work_calendar
from disclosure.permissions import roles
from portal.spreadsheets import safe_cell

from .. import self_inspection
from .. import timeliness as oversight
from ..annual import layout as annual_report
from ..models import AnnualReport, SelfInspectionReport

# --- access ---------------------------------------------------------------------------------


def can_oversee(user) -> bool:
    """Reviewers and office administrators (the disclosure office)."""
    return roles(user).is_office_staff


def office_only(view):
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not can_oversee(request.user):
            return render(
                request,
                "disclosure/oversight/forbidden.html",
                {
                    "message": _(
                        "只有政务公开办公室的审核员和管理员可以查看监督与报告页面。"
                    )
                },
                status=403,
            )
        return view(request, *args, **kwargs)

    return wrapper


# --- the period -------------------------------------------------------------------------------


class PeriodForm(forms.Form):
    period = forms.ChoiceField(
        label=gettext_lazy("统计期间"),
        choices=[
            ("year", gettext_lazy("全年")),
            ("quarter", gettext_lazy("季度")),
            ("month", gettext_lazy("月份")),
            ("custom", gettext_lazy("自定义")),
        ],
        initial="year",
        required=False,
    )
    year = forms.IntegerField(
        label=gettext_lazy("年份"), min_value=2000, max_value=2100, required=False
    )
    quarter = forms.IntegerField(
        label=gettext_lazy("季度"), min_value=1, max_value=4, required=False
    )
    month = forms.IntegerField(
        label=gettext_lazy("月份"), min_value=1, max_value=12, required=False
    )
    start = forms.DateField(
        label=gettext_lazy("起始日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    end = forms.DateField(
        label=gettext_lazy("截止日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, data, *, today: datetime.date, **kwargs):
        data = data.copy() if data else {}
        if not data.get("period"):
            data["period"] = "custom" if data.get("start") else "year"
        if not data.get("year"):
            data["year"] = str(today.year)
        super().__init__(data, **kwargs)
        self.today = today

    def clean(self):
        data = super().clean()
        kind = data.get("period") or "year"
        year = data.get("year") or self.today.year
        if kind == "custom":
            start, end = data.get("start"), data.get("end")
            if not start or not end:
                raise forms.ValidationError(_("自定义期间请填写起始日期和截止日期。"))
            if end < start:
                raise forms.ValidationError(_("截止日期不能早于起始日期。"))
            if (end - start).days > 366 * 5:
                raise forms.ValidationError(_("统计期间最长五年。"))
            data["result"] = oversight.Period(start, end)
        elif kind == "quarter":
            quarter = data.get("quarter") or oversight.quarter_of(self.today)
            data["result"] = oversight.quarter_period(year, quarter)
        elif kind == "month":
            month = data.get("month") or self.today.month
            data["result"] = oversight.month_period(year, month)
        else:
            data["result"] = oversight.year_period(year)
        return data

    @property
    def result(self) -> oversight.Period:
        if self.is_valid():
            return self.cleaned_data["result"]
        return oversight.year_period(self.today.year)


def _period(request, today) -> tuple[PeriodForm, oversight.Period]:
    form = PeriodForm(request.GET, today=today)
    return form, form.result


def _clock():
    now = timezone.now()
    return timezone.localdate(now), now


# --- dashboard ------------------------------------------------------------------------------


@require_GET
@office_only
def dashboard(request):
    today, now = _clock()
    form, period = _period(request, today)
    calendar = work_calendar()
    report = oversight.timeliness(period, today=today, now=now, calendar=calendar)
    url = oversight.drilldown_url
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
            "gaps": oversight.catalog_gaps(period, today=today),
            "notice": annual_report.deadline_notice(today),
            "due_soon_days": oversight.DUE_SOON_WORKING_DAYS,
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
    if metric not in oversight.METRICS:
        raise Http404
    filters = {name: request.GET.get(name, "") for name in FILTERS}
    as_of = None
    if request.GET.get("as_of"):
        try:
            as_of = datetime.date.fromisoformat(request.GET["as_of"])
        except ValueError as error:
            raise Http404 from error
    ids = oversight.drilldown_ids(
        metric,
        period,
        filters,
        today=today,
        now=now,
        calendar=work_calendar(),
        as_of=as_of,
    )
    return render(
        request,
        "disclosure/oversight/items.html",
        {
            "metric_label": oversight.METRICS[metric],
            "metric": metric,
            "period": period,
            "as_of": as_of or today,
            "dated": metric in ("overdue", "due_soon"),
            "filter_labels": oversight.drilldown_filter_labels(filters),
            "items": oversight.items_for(ids),
        },
    )


# --- statistics ------------------------------------------------------------------------------


class StatisticsForm(forms.Form):
    dimension = forms.ChoiceField(
        label=gettext_lazy("统计维度"),
        choices=list(oversight.DIMENSIONS.items()),
        required=False,
    )
    bucket = forms.ChoiceField(
        label=gettext_lazy("时间单位"),
        choices=list(oversight.BUCKETS.items()),
        required=False,
    )


BAR_WIDTH = 160


def _bars(values: list[int]) -> list[int]:
    top = max(values, default=0)
    return [round(BAR_WIDTH * value / top) if top else 0 for value in values]


def _column_chart(table) -> dict:
    """An SVG column chart of the totals per month/quarter/year."""
    height, column, gap = 120, 28, 8
    top = max(table.column_totals, default=0)
    columns = []
    for index, ((_key, label, _sub), value) in enumerate(
        zip(table.buckets, table.column_totals, strict=True)
    ):
        bar = round(height * value / top) if top else 0
        columns.append(
            {
                "label": label,
                "value": value,
                "x": index * (column + gap),
                "y": height - bar,
                "width": column,
                "height": bar,
                "text_x": index * (column + gap) + column // 2,
            }
        )
    return {
        "columns": columns,
        "width": max(len(columns) * (column + gap), column),
        "height": height + 16,
        "baseline": height,
    }


def _statistics_rows(table) -> list[list]:
    header = [
        str(table.dimension_label),
        *[label for _key, label, _sub in table.buckets],
        _("合计"),
    ]
    rows = [header]
    for row in table.rows:
        rows.append([row.label, *row.counts, row.total])
    rows.append([_("合计"), *table.column_totals, table.total])
    return [[safe_cell(value) for value in row] for row in rows]


def _download_name(table, extension: str) -> str:
    return (
        f"statistics-{table.dimension}-{table.bucket}-"
        f"{table.period.start:%Y%m%d}-{table.period.end:%Y%m%d}.{extension}"
    )


def _csv_response(table) -> HttpResponse:
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerows(_statistics_rows(table))
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{_download_name(table, "csv")}"'
    )
    return response


def _xlsx_response(table) -> HttpResponse:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "统计"
    for row in _statistics_rows(table):
        sheet.append(row)
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{_download_name(table, "xlsx")}"'
    )
    return response


@require_GET
@office_only
def statistics(request):
    today, now = _clock()
    form, period = _period(request, today)
    choice = StatisticsForm(request.GET)
    choice.is_valid()
    dimension = choice.cleaned_data.get("dimension") or "department"
    bucket = choice.cleaned_data.get("bucket") or "month"
    table = oversight.statistics_table(period, dimension, bucket, now=now)
    download = request.GET.get("download")
    if download == "csv":
        return _csv_response(table)
    if download == "xlsx":
        return _xlsx_response(table)
    filter_name = dimension
    rows = [
        {
            "row": row,
            "bar": bar,
            "url": oversight.drilldown_url(
                "published", period, **{filter_name: row.key}
            ),
            "cells": [
                {
                    "value": count,
                    "url": oversight.drilldown_url(
                        "published", sub, **{filter_name: row.key}
                    ),
                }
                for count, (_key, _label, sub) in zip(
                    row.counts, table.buckets, strict=True
                )
            ],
        }
        for row, bar in zip(
            table.rows, _bars([r.total for r in table.rows]), strict=True
        )
    ]
    query = request.GET.copy()
    query.pop("download", None)
    return render(
        request,
        "disclosure/oversight/statistics.html",
        {
            "form": form,
            "choice": choice,
            "period": period,
            "table": table,
            "rows": rows,
            "chart": _column_chart(table),
            "bar_width": BAR_WIDTH,
            "csv_query": _with(query, download="csv"),
            "xlsx_query": _with(query, download="xlsx"),
            "total_url": oversight.drilldown_url("published", period),
        },
    )


def _with(query, **values) -> str:
    query = query.copy()
    for key, value in values.items():
        query[key] = value
    return query.urlencode()


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
    quarter = oversight.quarter_of(today) - 1
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
    period = oversight.quarter_period(year, quarter)
    as_of = min(period.end, today)
    report = oversight.timeliness(
        period, today=today, now=now, calendar=work_calendar(), as_of=as_of
    )
    url = oversight.drilldown_url
    ranking = []
    for rank, figures in enumerate(oversight.ranked(report), 1):
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
                annual_report.start_report(
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
            "notice": annual_report.deadline_notice(today),
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
    for group_index, group in enumerate(annual_report.table2_display(report, portal)):
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
                entry["decimal"] = cell["key"] == annual_report.AMOUNT_CELL
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
    column_ids = [f"t3-col-{key}" for key, _label in annual_report.TABLE3_COLUMNS]
    for index in range(1, 6):
        column_ids[index] = f"t3-col-org {column_ids[index]}"
    table3 = []
    group_id = ""
    for row in annual_report.table3_display(report):
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
    for group in annual_report.table4_display(report):
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
        "table3_columns": annual_report.TABLE3_COLUMNS,
        "table3_organisation_columns": annual_report.TABLE3_ORGANISATION_COLUMNS,
        "table4": table4,
        "table4_columns": annual_report.TABLE4_COLUMNS,
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
    portal = annual_report.portal_figures(report.year, now=timezone.now())
    errors = _errors_by_cell(form, consistency)
    cell_errors = [
        {"id": f"id_{name}", "message": message}
        for name, messages_ in errors.items()
        if name not in annual_report.TEXT_FIELDS
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
                (form[name], title) for name, title in annual_report.SECTION_TITLES
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
        form = annual_report.AnnualReportForm(instance=report)
        return _render_annual_form(
            request, report, form, annual_report.stored_errors(report)
        )
    action = request.POST.get("action", "save")
    if action == "refill":
        annual_report.refill(report=report, by=request.user, now=timezone.now())
        messages.success(request, _("已按门户数据重新填入表二第（一）项。"))
        return redirect("oversight:annual", year=year)
    form = annual_report.AnnualReportForm(request.POST, instance=report)
    if not form.is_valid():
        messages.error(request, _("有单元格填写有误，未保存。请按标出的提示修改。"))
        return _render_annual_form(request, report, form, [])
    # The form's instance was changed in memory by validation; work from the
    # row as stored.
    report = AnnualReport.objects.get(pk=report.pk)
    try:
        if action == "publish":
            annual_report.publish(report=report, form=form, by=request.user)
            messages.success(request, _("年度报告已公布。"))
        else:
            annual_report.save_draft(report=report, form=form, by=request.user)
            messages.success(request, _("已保存。"))
    except annual_report.ReportNotConsistent as error:
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


def _docx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(
        content,
        content_type=(
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        ),
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
@office_only
def annual_docx(request, year):
    report = get_object_or_404(AnnualReport, year=year)
    return _docx_response(
        annual_report.build_docx(report), f"annual-report-{report.year}.docx"
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
                for name, title in annual_report.SECTION_TITLES
            ],
            **_tables(report),
        },
    )


@require_GET
def annual_public_docx(request, year):
    report = _published(year)
    return _docx_response(
        annual_report.build_docx(report), f"annual-report-{report.year}.docx"
    )


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
            period = oversight.Period(
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
