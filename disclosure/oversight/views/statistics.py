"""Statistics of what was published, as a table, a chart, CSV and XLSX."""

from __future__ import annotations

import csv
import io

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from disclosure.complaint_figures import complaint_figures
from portal.spreadsheets import safe_cell

from .. import drilldown
from ..statistics import BUCKETS, DIMENSIONS, statistics_table
from .base import _clock, _period, office_only

# --- statistics ------------------------------------------------------------------------------


class StatisticsForm(forms.Form):
    dimension = forms.ChoiceField(
        label=gettext_lazy("统计维度"),
        choices=list(DIMENSIONS.items()),
        required=False,
    )
    bucket = forms.ChoiceField(
        label=gettext_lazy("时间单位"),
        choices=list(BUCKETS.items()),
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
    table = statistics_table(period, dimension, bucket, now=now)
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
            "url": drilldown.drilldown_url(
                "published", period, **{filter_name: row.key}
            ),
            "cells": [
                {
                    "value": count,
                    "url": drilldown.drilldown_url(
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
            "total_url": drilldown.drilldown_url("published", period),
            "complaints": complaint_figures(period.start, period.end),
        },
    )


def _with(query, **values) -> str:
    query = query.copy()
    for key, value in values.items():
        query[key] = value
    return query.urlencode()
