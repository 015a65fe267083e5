"""The account trail as CSV for a date range, for the auditor (审计管理员):
``/workspace/audit/accounts.csv?start=…&end=…``, offered on the workspace's
audit page next to the items' trail. The admin lists the same entries."""

import csv
import datetime

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from ..models import AccountAuditEntry
from ..spreadsheets import safe_cell

HEADER = ["时间", "操作人", "来源地址", "账号ID", "账号", "操作", "内容"]
VIEW_PERMISSION = "portal.view_accountauditentry"


class PeriodForm(forms.Form):
    start = forms.DateField(
        input_formats=["%Y-%m-%d"],
        error_messages={
            "required": gettext_lazy("请填写开始日期。"),
            "invalid": gettext_lazy("开始日期格式应为 YYYY-MM-DD，如 2026-01-01。"),
        },
    )
    end = forms.DateField(
        input_formats=["%Y-%m-%d"],
        error_messages={
            "required": gettext_lazy("请填写结束日期。"),
            "invalid": gettext_lazy("结束日期格式应为 YYYY-MM-DD，如 2026-12-31。"),
        },
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        for value in (start, end):
            if value and not 1949 <= value.year <= 2200:
                raise forms.ValidationError(_("日期的年份应在1949至2200之间。"))
        if start and end and end < start:
            raise forms.ValidationError(_("结束日期不能早于开始日期。"))
        return cleaned


def entries_between(start: datetime.date, end: datetime.date):
    """The account trail from ``start`` to ``end`` inclusive (local dates)."""
    tz = timezone.get_current_timezone()
    begin = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz)
    stop = datetime.datetime.combine(
        end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz
    )
    return (
        AccountAuditEntry.objects.filter(at__gte=begin, at__lt=stop)
        .select_related("actor")
        .order_by("at", "pk")
    )


def _actor_name(entry) -> str:
    if entry.actor is None:
        return "系统（命令行）"
    name = f"{entry.actor.last_name}{entry.actor.first_name}".strip()
    username = entry.actor.get_username()
    return f"{name}（{username}）" if name else username


def _rows(entries):
    yield HEADER
    for entry in entries.iterator(chunk_size=2000):
        yield [
            timezone.localtime(entry.at).strftime("%Y-%m-%d %H:%M:%S"),
            _actor_name(entry),
            entry.actor_address or "",
            entry.subject_id or "",
            entry.subject_username,
            entry.get_action_display(),
            entry.detail,
        ]


class _Echo:
    def write(self, value):
        return value


@require_GET
@login_required
def account_audit_csv(request):
    if not request.user.has_perm(VIEW_PERMISSION):
        raise PermissionDenied
    form = PeriodForm(request.GET)
    if not form.is_valid():
        problems = [
            str(message) for errors in form.errors.values() for message in errors
        ]
        return HttpResponse(
            _("无法导出：%(problems)s") % {"problems": " ".join(problems)},
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff"
        for row in _rows(entries_between(start, end)):
            yield writer.writerow(
                ["" if cell is None else safe_cell(str(cell)) for cell in row]
            )

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(
        True, f"账号与权限变更记录_{start:%Y%m%d}-{end:%Y%m%d}.csv"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
