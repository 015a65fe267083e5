"""What every oversight page shares: who may open it (the disclosure office),
the period it is about, the clock, and DOCX downloads."""

from __future__ import annotations

import csv
import datetime
import functools
import io

from django import forms
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from disclosure.permissions import roles
from portal.spreadsheets import safe_cell

from .. import periods

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
            data["result"] = periods.Period(start, end)
        elif kind == "quarter":
            quarter = data.get("quarter") or periods.quarter_of(self.today)
            data["result"] = periods.quarter_period(year, quarter)
        elif kind == "month":
            month = data.get("month") or self.today.month
            data["result"] = periods.month_period(year, month)
        else:
            data["result"] = periods.year_period(year)
        return data

    @property
    def result(self) -> periods.Period:
        if self.is_valid():
            return self.cleaned_data["result"]
        return periods.year_period(self.today.year)


def _period(request, today) -> tuple[PeriodForm, periods.Period]:
    form = PeriodForm(request.GET, today=today)
    return form, form.result


def _clock():
    now = timezone.now()
    return timezone.localdate(now), now


def _docx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(
        content,
        content_type=(
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        ),
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _csv_response(rows, filename: str) -> HttpResponse:
    """Rows as CSV (UTF-8 with BOM, for Excel), cells safe from formulas."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    csv.writer(buffer).writerows([[safe_cell(v) for v in row] for row in rows])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _xlsx_response(
    rows, filename: str, sheet_title: str, more: tuple = ()
) -> HttpResponse:
    """Rows as an XLSX workbook of one sheet (and the ``(title, rows)`` of
    ``more`` as further sheets); text stays text (no formulas)."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for title, table in ((sheet_title, rows), *more):
        if sheet is None:
            sheet = workbook.create_sheet()
        sheet.title = str(title)[:31]
        for row in table:
            sheet.append(list(row))
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    cell.data_type = "s"
        sheet = None
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
