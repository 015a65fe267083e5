"""The audit trail for office staff and auditors: the page and its CSV export."""

import csv

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from disclosure import permissions
from disclosure.models import Item
from portal.spreadsheets import safe_cell

from .. import selectors
from ..query_forms import AuditExportForm
from .base import _forbidden, render_workspace, stage_label, workspace_required

State = Item.State

# --- audit log --------------------------------------------------------------------

CSV_HEADER = [
    "时间",
    "操作人",
    "信息ID",
    "索引号",
    "标题",
    "操作",
    "原状态",
    "新状态",
    "审核环节",
    "意见",
    "版本",
]


def csv_cell(value) -> str:
    """A cell that spreadsheet programs will not run as a formula."""
    return safe_cell("" if value is None else str(value))


def person_name(user) -> str:
    name = f"{user.last_name}{user.first_name}".strip()
    return name or user.get_username()


def _audit_rows(entries):
    states = dict(Item.State.choices)
    yield CSV_HEADER
    for entry in entries.iterator(chunk_size=2000):
        yield [
            timezone.localtime(entry.at).strftime("%Y-%m-%d %H:%M:%S"),
            person_name(entry.actor),
            entry.item_id,
            entry.item.index_number or "",
            entry.item.title,
            entry.get_action_display(),
            states.get(entry.from_state, entry.from_state),
            states.get(entry.to_state, entry.to_state),
            stage_label(entry.stage) if entry.stage else "",
            entry.comment,
            entry.revision.number if entry.revision_id else "",
        ]


class _Echo:
    def write(self, value):
        return value


@require_GET
@workspace_required
def audit_page(request):
    if not permissions.can_export_audit(request.user):
        return _forbidden(request, _("只有政务公开办公室工作人员可以导出操作记录。"))
    form = AuditExportForm(request.GET or None)
    return render_workspace(
        request, "disclosure/workspace/audit.html", {"form": form}, nav="audit"
    )


@require_GET
@workspace_required
def audit_csv(request):
    if not permissions.can_export_audit(request.user):
        return _forbidden(request, _("只有政务公开办公室工作人员可以导出操作记录。"))
    form = AuditExportForm(request.GET)
    if not form.is_valid():
        problems = [
            str(message) for messages_ in form.errors.values() for message in messages_
        ]
        return HttpResponse(
            _(
                "无法导出：%(problems)s 日期格式为 YYYY-MM-DD，如 /workspace/audit.csv?start=2026-01-01&end=2026-03-31。"
            )
            % {"problems": " ".join(problems)},
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    writer = csv.writer(_Echo())
    entries = selectors.audit_entries(start, end)

    def lines():
        yield "\ufeff"
        for row in _audit_rows(entries):
            yield writer.writerow([csv_cell(cell) for cell in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(
        True, f"操作记录_{start:%Y%m%d}-{end:%Y%m%d}.csv"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
