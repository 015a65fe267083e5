"""The staff workspace (/workspace/): thin views over the workflow.

Each view parses its input, calls one selector or one workflow function, and
renders or redirects. Who may do what is decided in ``permissions.py`` (the
templates get its flags) and enforced again in ``workflow.py``; a refused step
comes back as a ``WorkflowError`` whose message is shown to the user.
"""

import csv
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import (
    FileResponse,
    Http404,
    HttpResponse,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_filters.views import FilterView

from catalog.selectors import work_calendar
from disclosure import permissions, workflow
from disclosure.diff import attachment_diff, content_diff
from disclosure.models import Item
from disclosure.permissions import STAGE_LABELS, STAGE_OFFICE
from disclosure.uploads import check_upload, type_label
from portal.spreadsheets import safe_cell

from .. import selectors
from ..filters import ItemFilter
from ..forms import (
    AttachmentForm,
    AuditExportForm,
    DueDateForm,
    ItemForm,
    PublishForm,
    ReasonForm,
    ReviewForm,
)

State = Item.State


# --- access -------------------------------------------------------------------


def _forbidden(request, message=""):
    return render(
        request,
        "disclosure/workspace/forbidden.html",
        {
            "message": message
            or _("工作台仅供信息员、部门负责人和政务公开办公室工作人员使用。")
        },
        status=403,
    )


def workspace_required(view):
    """Anonymous users are sent to the login page; signed-in users who are
    not staff members (permissions.can_use_workspace) get 403."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not permissions.can_use_workspace(request.user):
            return _forbidden(request)
        return view(request, *args, **kwargs)

    return wrapper


def nav_context(user) -> dict:
    """Flags for the workspace navigation."""
    user_roles = permissions.roles(user)
    return {
        "nav_can_create": permissions.can_create(user),
        "nav_can_review": user_roles.is_reviewer or bool(user_roles.head_of),
        "nav_can_export": permissions.can_export_audit(user),
        "nav_can_oversee": user_roles.is_office_staff,
    }


def render_workspace(request, template, context, *, nav="", status=200):
    context = {**nav_context(request.user), "nav": nav, **context}
    return render(request, template, context, status=status)


def stage_label(stage: str) -> str:
    return _(STAGE_LABELS[stage]) if stage in STAGE_LABELS else stage


# --- dashboard ------------------------------------------------------------------


@require_GET
@workspace_required
def dashboard(request):
    user = request.user
    calendar = work_calendar()
    now, today = timezone.now(), timezone.localdate()
    user_roles = permissions.roles(user)
    in_review = list(selectors.my_items_in_review(user)[:50])
    for item in in_review:
        item.stage_label = stage_label(item.review_stage)
        item.waiting = selectors.waiting(item.submitted_at, now, calendar)
    due = list(selectors.due_items(user, today, calendar)[:50])
    for item in due:
        item.due = selectors.due_status(item.due_on, today, calendar)
    reviews_stages = user_roles.is_reviewer or bool(user_roles.head_of)
    return render_workspace(
        request,
        "disclosure/workspace/dashboard.html",
        {
            "drafts": list(selectors.my_drafts(user)[:50]),
            "returned": list(selectors.returned_items(user)[:50]),
            "in_review": in_review,
            "due": due,
            "reviews_stages": reviews_stages,
            "queue_count": (
                selectors.review_queue(user).count() if reviews_stages else 0
            ),
            "publish_count": selectors.awaiting_publication(user).count(),
            "is_clerk": bool(user_roles.clerk_of),
        },
        nav="dashboard",
    )


# --- item list ------------------------------------------------------------------


@method_decorator(workspace_required, name="dispatch")
class ItemListView(FilterView):
    filterset_class = ItemFilter
    template_name = "disclosure/workspace/item_list.html"
    paginate_by = 25
    context_object_name = "items"

    def get_queryset(self):
        return selectors.workspace_items(self.request.user).order_by(
            "-updated_at", "-pk"
        )

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["user"] = self.request.user
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        calendar, today = work_calendar(), timezone.localdate()
        for item in context["items"]:
            item.due = (
                selectors.due_status(item.due_on, today, calendar)
                if item.due_on
                and not item.first_published_at
                and item.state in selectors.PENDING_STATES
                else None
            )
        context.update(nav_context(self.request.user))
        context["nav"] = "items"
        return context


item_list = ItemListView.as_view()


# --- editor -----------------------------------------------------------------------


def _due_preview_for(form, item=None):
    calendar = work_calendar()
    if form.is_bound and hasattr(form, "cleaned_data"):
        entry = form.cleaned_data.get("catalog_entry")
        formed_on = form.cleaned_data.get("formed_on")
    elif item is not None:
        entry, formed_on = item.catalog_entry, item.formed_on
    else:
        entry, formed_on = None, None
    return selectors.due_preview(entry, formed_on, calendar)


def _render_editor(request, form, item=None, status=200):
    live_due = item is None or not item.first_published_at
    if item is not None and item.first_published_at and item.due_on:
        due_text = _("应公开日期：%(due)s（首次发布时已确定，修改不再改变）") % {
            "due": item.due_on.isoformat()
        }
    else:
        due_text = _due_preview_for(form, item).text
    return render_workspace(
        request,
        "disclosure/workspace/item_form.html",
        {
            "form": form,
            "item": item,
            "due_text": due_text,
            "live_due": live_due,
        },
        nav="new" if item is None else "items",
        status=status,
    )


def _form_error(form, error) -> None:
    if isinstance(error, workflow.WorkflowError):
        form.add_error(None, error.message)
    else:
        form.add_error(None, error.messages)


@require_http_methods(["GET", "POST"])
@workspace_required
def item_create(request):
    user = request.user
    if not permissions.can_create(user):
        return _forbidden(request, _("只有信息员可以起草信息。"))
    departments = permissions.creatable_departments(user)
    if request.method == "POST":
        form = ItemForm(request.POST, user=user, departments=departments)
        if form.is_valid():
            try:
                item = workflow.create_item(by=user, data=form.content_data())
            except (workflow.WorkflowError, ValidationError) as error:
                _form_error(form, error)
            else:
                messages.success(
                    request,
                    _("草稿已保存。可以继续上传附件，确认无误后点击“提交审核”。"),
                )
                return redirect(item)
        return _render_editor(request, form)
    return _render_editor(request, ItemForm(user=user, departments=departments))


@require_http_methods(["GET", "POST"])
@workspace_required
def item_edit(request, pk):
    user = request.user
    item = selectors.item_for_page(user, pk)
    if not permissions.can_edit(user, item):
        messages.error(
            request,
            _(
                "这条信息当前状态为“%(state)s”，您不能修改。只有所属部门的信息员可以修改草稿、退回件和已发布的信息。"
            )
            % {"state": item.get_effective_state_display()},
        )
        return redirect(item)
    has_record = hasattr(item, "public_record")
    departments = permissions.creatable_departments(user)
    if request.method == "POST":
        form = ItemForm(
            request.POST,
            instance=item,
            user=user,
            departments=departments,
            has_public_record=has_record,
        )
        if form.is_valid():
            expected = form.cleaned_data.get("version")
            try:
                workflow.update_item(
                    item=item,
                    by=user,
                    data=form.content_data(),
                    expected_version=expected if expected is not None else -1,
                )
            except (workflow.WorkflowError, ValidationError) as error:
                _form_error(form, error)
            else:
                messages.success(request, _("修改已保存。"))
                return redirect(item)
        fresh = selectors.item_for_page(user, pk)
        return _render_editor(request, form, fresh)
    form = ItemForm(
        instance=item, user=user, departments=departments, has_public_record=has_record
    )
    return _render_editor(request, form, item)


@require_GET
@workspace_required
def due_date(request):
    """The due date for a catalog entry and 成文日期, for the editor."""
    form = DueDateForm(request.GET)
    if not form.is_valid():
        return JsonResponse(
            {"error": _("参数不正确。"), "text": ""},
            status=400,
            json_dumps_params={"ensure_ascii": False},
        )
    preview = selectors.due_preview(
        form.cleaned_data.get("entry"),
        form.cleaned_data.get("formed_on"),
        work_calendar(),
    )
    return JsonResponse(preview.as_dict(), json_dumps_params={"ensure_ascii": False})


# --- item page --------------------------------------------------------------------


def _item_context(request, item, **forms):
    user = request.user
    record = getattr(item, "public_record", None)
    flags = permissions.item_flags(user, item)
    flags["is_reviewer"] = permissions.roles(user).is_reviewer
    flags["any"] = any(
        value for name, value in flags.items() if name.startswith("can_")
    ) or (flags["holds_stage"] and item.state == State.SUBMITTED)
    calendar = work_calendar()
    attachments = selectors.item_attachments(item)
    for attachment in attachments:
        attachment.type_label = type_label(attachment.extension)
    due = (
        selectors.due_status(item.due_on, timezone.localdate(), calendar)
        if item.due_on
        and not item.first_published_at
        and item.state in selectors.PENDING_STATES
        else None
    )
    return {
        "item": item,
        "flags": flags,
        "record": record,
        "stage_label": stage_label(item.review_stage),
        "due": due,
        "waiting": (
            selectors.waiting(item.submitted_at, timezone.now(), calendar)
            if item.state == State.SUBMITTED
            else None
        ),
        "draft_attachments": [a for a in attachments if a.in_draft],
        "published_only": [a for a in attachments if a.is_published and not a.in_draft],
        "history": selectors.history(item),
        "review_form": forms.get("review_form")
        or ReviewForm(office_stage=item.review_stage == STAGE_OFFICE),
        "publish_form": forms.get("publish_form")
        or PublishForm(allow_schedule=flags["can_schedule"]),
        "withdraw_form": forms.get("withdraw_form") or ReasonForm(prefix="withdraw"),
        "remove_form": forms.get("remove_form") or ReasonForm(prefix="remove"),
        "upload_form": forms.get("upload_form") or AttachmentForm(),
        "stage_labels": STAGE_LABELS,
    }


def _render_item(request, item, status=200, **forms):
    return render_workspace(
        request,
        "disclosure/workspace/item_detail.html",
        _item_context(request, item, **forms),
        nav="items",
        status=status,
    )


@require_GET
@workspace_required
def item_detail(request, pk):
    return _render_item(request, selectors.item_for_page(request.user, pk))


# --- review -----------------------------------------------------------------------


def _render_review(request, item, status=200, **forms):
    context = _item_context(request, item, **forms)
    record = selectors.public_record(item)
    context["diff"] = content_diff(item, record)
    context["diff_record"] = record
    context["attachment_diff"] = attachment_diff(
        context["draft_attachments"] + context["published_only"]
    )
    return render_workspace(
        request,
        "disclosure/workspace/review.html",
        context,
        nav="review",
        status=status,
    )


@require_GET
@workspace_required
def review(request, pk):
    return _render_review(request, selectors.item_for_page(request.user, pk))


@require_GET
@workspace_required
def review_queue(request):
    user = request.user
    calendar, now = work_calendar(), timezone.now()
    queue = list(selectors.review_queue(user))
    for item in queue:
        item.waiting = selectors.waiting(item.submitted_at, now, calendar)
        item.stage_label = stage_label(item.review_stage)
        item.own = permissions.is_author(user, item)
    user_roles = permissions.roles(user)
    return render_workspace(
        request,
        "disclosure/workspace/review_queue.html",
        {
            "queue": queue,
            "to_publish": list(selectors.awaiting_publication(user)),
            "reviews_stages": user_roles.is_reviewer or bool(user_roles.head_of),
        },
        nav="review",
    )


# --- transitions --------------------------------------------------------------------


def _refused(request, item, error):
    messages.error(request, error.message)
    return redirect(item)


@require_POST
@workspace_required
def submit_item(request, pk):
    item = selectors.item_for_action(request.user, pk)
    try:
        item = workflow.submit(item=item, by=request.user)
    except workflow.WorkflowError as error:
        return _refused(request, item, error)
    messages.success(
        request,
        _("已提交审核，当前环节：%(stage)s。审核结果会通过邮件通知您。")
        % {"stage": stage_label(item.review_stage)},
    )
    return redirect(item)


@require_POST
@workspace_required
def approve_item(request, pk):
    item = selectors.item_for_page(request.user, pk)
    form = ReviewForm(request.POST, office_stage=item.review_stage == STAGE_OFFICE)
    form.is_valid()
    try:
        item = workflow.approve(
            item=item,
            by=request.user,
            comment=form.cleaned_data.get("comment", ""),
            confidentiality_checked=form.confirms_confidentiality,
        )
    except workflow.WorkflowError as error:
        form.add_error(None, error.message)
        return _render_review(request, item, review_form=form)
    if item.state == State.APPROVED:
        messages.success(request, _("审核通过。现在可以发布了。"))
    else:
        messages.success(
            request,
            _("已签批，转入下一环节：%(stage)s。")
            % {"stage": stage_label(item.review_stage)},
        )
    return redirect(item)


@require_POST
@workspace_required
def return_item(request, pk):
    item = selectors.item_for_page(request.user, pk)
    form = ReviewForm(request.POST, office_stage=item.review_stage == STAGE_OFFICE)
    form.is_valid()
    try:
        item = workflow.return_item(
            item=item, by=request.user, comment=form.cleaned_data.get("comment", "")
        )
    except workflow.WorkflowError as error:
        form.add_error(None, error.message)
        return _render_review(request, item, review_form=form)
    messages.success(request, _("已退回，并已通知信息员按审核意见修改。"))
    return redirect(item)


@require_POST
@workspace_required
def publish_item(request, pk):
    item = selectors.item_for_page(request.user, pk)
    allow_schedule = permissions.can_schedule(request.user, item)
    form = PublishForm(request.POST, allow_schedule=allow_schedule)
    if not form.is_valid():
        return _render_item(request, item, publish_form=form)
    try:
        item = workflow.publish(
            item=item, by=request.user, at=form.cleaned_data.get("publish_at")
        )
    except workflow.WorkflowError as error:
        form.add_error(None, error.message)
        return _render_item(request, item, publish_form=form)
    if item.state == State.SCHEDULED:
        messages.success(
            request,
            _("已设定定时发布：%(at)s 自动公开。索引号：%(index)s。")
            % {
                "at": timezone.localtime(item.publish_at).strftime("%Y-%m-%d %H:%M"),
                "index": item.index_number,
            },
        )
    else:
        messages.success(
            request, _("已发布。索引号：%(index)s。") % {"index": item.index_number}
        )
    return redirect(item)


@require_POST
@workspace_required
def unschedule_item(request, pk):
    item = selectors.item_for_action(request.user, pk)
    try:
        item = workflow.unschedule(item=item, by=request.user)
    except workflow.WorkflowError as error:
        return _refused(request, item, error)
    messages.success(request, _("已取消定时发布，信息回到“审核通过”状态。"))
    return redirect(item)


def _end_publication(request, pk, *, prefix, action, done):
    item = selectors.item_for_page(request.user, pk)
    form = ReasonForm(request.POST, prefix=prefix)
    if form.is_valid():
        try:
            item = action(
                item=item, by=request.user, reason=form.cleaned_data["reason"]
            )
        except workflow.WorkflowError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, done)
            return redirect(item)
    return _render_item(request, item, **{f"{prefix}_form": form})


@require_POST
@workspace_required
def withdraw_item(request, pk):
    return _end_publication(
        request,
        pk,
        prefix="withdraw",
        action=workflow.withdraw,
        done=_("已撤销。公开页面保留并显示撤销理由，信息不再出现在列表中。"),
    )


@require_POST
@workspace_required
def remove_item(request, pk):
    return _end_publication(
        request,
        pk,
        prefix="remove",
        action=workflow.remove,
        done=_("已删除（错发）。公开页面不再显示该信息，操作记录保留。"),
    )


# --- attachments ------------------------------------------------------------------


@require_POST
@workspace_required
def upload_attachments(request, pk):
    item = selectors.item_for_page(request.user, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_item(request, item, upload_form=form)
    added, refused = [], []
    for uploaded in form.cleaned_data["files"]:
        name = uploaded.name or _("（无文件名）")
        try:
            checked = check_upload(uploaded)
            workflow.add_attachment(
                item=item, by=request.user, uploaded=uploaded, checked=checked
            )
        except ValidationError as error:
            refused.append(f"{name}：{' '.join(error.messages)}")
        except workflow.WorkflowError as error:
            refused.append(f"{name}：{error.message}")
        else:
            added.append(name)
    if added:
        messages.success(
            request, _("已上传：%(names)s。") % {"names": "、".join(added)}
        )
    for message in refused:
        messages.error(request, _("未上传 %(message)s") % {"message": message})
    return redirect(reverse("workspace:item", args=[item.pk]) + "#attachments")


@require_POST
@workspace_required
def remove_attachment(request, pk, token):
    attachment = selectors.attachment_for_download(request.user, pk, token)
    try:
        workflow.remove_attachment(attachment=attachment, by=request.user)
    except workflow.WorkflowError as error:
        return _refused(request, attachment.item, error)
    messages.success(
        request,
        _("已从工作稿中移除附件：%(name)s。") % {"name": attachment.original_name},
    )
    return redirect(reverse("workspace:item", args=[pk]) + "#attachments")


@require_GET
@workspace_required
def download_attachment(request, pk, token):
    attachment = selectors.attachment_for_download(request.user, pk, token)
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, ValueError) as error:
        raise Http404(_("文件不存在。")) from error
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


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
