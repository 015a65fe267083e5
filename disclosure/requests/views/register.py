"""The register (/workspace/requests/): the list with filters, the requests
behind a figure of table 三, CSV and XLSX exports, and the registration of
applications received on paper, in person or by fax.

The list and the exports carry no personal data (no names, numbers or
contacts: the applicant's kind only), so they need no entry in the trail;
the request page shows them, and logs every view."""

import csv
import datetime
import io

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from catalog.selectors import work_calendar
from disclosure import request_permissions as perms
from disclosure import request_tables
from disclosure.request_access import display
from disclosure.workflow import WorkflowError
from disclosure.workflow import requests as steps
from portal.spreadsheets import safe_cell

from .. import selectors
from ..filters import RegisterFilter
from ..staff_forms import RegisterForm
from .common import register_required, render_staff

EXPORT_LIMIT = 20000


def _figure(request):
    """(organ, year, row, column) of a figure of table 三, if asked for."""
    try:
        organ = int(request.GET["figure_organ"]) or None  # 0: all organs
        year = int(request.GET["figure_year"])
    except (KeyError, ValueError):
        return None
    row = request.GET.get("figure_row", "")
    column = request.GET.get("figure_column", "total")
    if row not in request_tables.TABLE3_KEYS or not 2000 <= year <= 2200:
        return None
    return organ, year, row, column


def _filtered(request):
    queryset = selectors.register(request.user)
    figure = _figure(request)
    if figure is not None and perms.can_see_tables(request.user):
        behind = request_tables.requests_behind(*figure).values("pk")
        queryset = queryset.filter(pk__in=behind)
    filterset = RegisterFilter(request.GET or None, queryset=queryset)
    rows = filterset.qs if filterset.is_bound and filterset.is_valid() else queryset
    return filterset, rows.order_by("-received_on", "-pk"), figure


@require_GET
@register_required
def register_list(request):
    filterset, rows, figure = _filtered(request)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    today, calendar = timezone.localdate(), work_calendar()
    requests_on_page = selectors.with_clocks(page.object_list, today, calendar)
    query = request.GET.copy()
    query.pop("page", None)
    return render_staff(
        request,
        "disclosure/requests/staff/register.html",
        {
            "filter": filterset,
            "page": page,
            "rows": requests_on_page,
            "figure": figure,
            "figure_label": {
                key: label for key, label, _level in request_tables.TABLE3_ROWS
            }.get(figure[2])
            if figure
            else "",
            "query": query.urlencode(),
        },
    )


HEADERS = (
    "申请编号",
    "受理机关",
    "承办部门",
    "申请方式",
    "申请人类型",
    "提交时间",
    "收到申请日期",
    "答复期限",
    "状态",
    "办理结果",
    "办结日期",
    "是否逾期",
    "信息处理费（元）",
)


def _export_rows(request):
    _filterset, rows, _figure = _filtered(request)
    today, calendar = timezone.localdate(), work_calendar()
    for item in selectors.with_clocks(rows[:EXPORT_LIMIT], today, calendar):
        clock = item.clock
        late = clock is not None and (clock.late > 0 or clock.overdue)
        yield [
            item.number,
            item.organ.name,
            item.assigned_department.name if item.assigned_department else "",
            item.get_channel_display(),
            item.get_applicant_kind_display(),
            timezone.localtime(item.submitted_at).strftime("%Y-%m-%d %H:%M"),
            item.received_on,
            clock.due if clock else None,
            item.get_state_display(),
            item.get_result_display() if item.result else "",
            item.closed_on,
            _("是") if late else _("否"),
            item.fee_amount if item.fee_paid_on else None,
        ]


@require_GET
@register_required
def export(request, fmt):
    name = f"依申请公开登记簿-{timezone.localdate():%Y%m%d}.{fmt}"
    if fmt == "csv":
        out = io.StringIO()
        out.write("\ufeff")
        writer = csv.writer(out)
        writer.writerow(HEADERS)
        for row in _export_rows(request):
            writer.writerow(
                ["" if value is None else safe_cell(_text(value)) for value in row]
            )
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet(_("登记簿"))
        sheet.append(HEADERS)
        for row in _export_rows(request):
            sheet.append([safe_cell(value) for value in row])
        out = io.BytesIO()
        book.save(out)
        response = HttpResponse(
            out.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


def _text(value):
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


@require_http_methods(["GET", "POST"])
@register_required
def register_new(request):
    if not perms.can_register(request.user):
        return redirect("requests_staff:list")
    form = RegisterForm(request.POST or None)
    code = None
    if request.method == "POST" and form.is_valid():
        try:
            created, code = steps.register(
                by=request.user,
                data=form.applicant_data(),
                channel=form.cleaned_data["channel"],
                **form.receipt_dates(),
            )
        except WorkflowError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _(
                    "已登记申请 %(number)s。请把申请编号和查询码告知申请人（只显示这一次）。"
                )
                % {"number": created.number},
            )
            return render_staff(
                request,
                "disclosure/requests/staff/registered.html",
                {"created": created, "code": display(code)},
            )
    return render_staff(
        request,
        "disclosure/requests/staff/register_form.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )
