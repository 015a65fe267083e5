"""The staff workspace (/workspace/): thin views over the workflow.

Each view parses its input, calls one selector or one workflow function, and
renders or redirects. Who may do what is decided in ``disclosure/permissions.py``
(the templates get its flags) and enforced again in ``disclosure/workflow/``; a
refused step comes back as a ``WorkflowError`` whose message is shown to the
user.

This module: the dashboard, the item list, the editor and the item page.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from django_filters.views import FilterView

from catalog.selectors import work_calendar
from disclosure import elements, permissions, workflow
from disclosure.models import Item
from disclosure.models.deadline_facts import DEADLINE_FIELDS
from disclosure.permissions import STAGE_LABELS, STAGE_OFFICE
from disclosure.uploads import type_label
from disclosure.validators import doc_number_year_warning

from .. import checklist, checks, selectors
from ..filters import ItemFilter
from ..forms import (
    AttachmentForm,
    ItemForm,
    PublishForm,
    ReasonForm,
    ReviewForm,
    WithdrawForm,
)
from ..query_forms import DueDateForm
from .base import (
    _forbidden,
    nav_context,
    render_workspace,
    stage_label,
    workspace_required,
)

State = Item.State

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
        items = selectors.workspace_items(self.request.user)
        if self.request.GET.get("state") != State.DISCARDED:
            # Deleted drafts only when asked for by their state.
            items = items.exclude(state=State.DISCARDED)
        return items.order_by("-updated_at", "-pk")

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
    facts = {}
    if form.is_bound and hasattr(form, "cleaned_data"):
        entry = form.cleaned_data.get("catalog_entry")
        formed_on = form.cleaned_data.get("formed_on")
        facts = {name: form.cleaned_data.get(name) for name in DEADLINE_FIELDS}
    elif item is not None:
        entry, formed_on = item.catalog_entry, item.formed_on
        facts = {name: getattr(item, name) for name in DEADLINE_FIELDS}
    else:
        entry, formed_on = None, None
    return selectors.due_preview(entry, formed_on, calendar, **facts)


def _render_editor(request, form, item=None, status=200, checklist_form=None):
    if item is not None and checklist_form is None:
        checklist_form = checklist.ChecklistForm(rows=elements.checklist(item))
    body = form["body"].value() if form.is_bound else (item.body if item else "")
    attachments = selectors.item_attachments(item) if item is not None else []
    live_due = item is None or not item.first_published_at
    if item is not None and item.first_published_at and item.due_on:
        due_text = _("应公开日期：%(due)s（首次发布时已确定，修改不再改变）") % {
            "due": item.due_on.isoformat()
        }
    else:
        due_text = _due_preview_for(form, item).html
    return render_workspace(
        request,
        "disclosure/workspace/item_form.html",
        {
            "form": form,
            "item": item,
            "due_text": due_text,
            "live_due": live_due,
            "checklist_form": checklist_form,
            "places": checklist.places(body, attachments) if checklist_form else [],
        },
        nav="new" if item is None else "items",
        status=status,
    )


def _warn_doc_number_year(request, item) -> None:
    warning = doc_number_year_warning(item.doc_number, item.formed_on)
    if warning:
        messages.warning(request, warning)


def _form_error(form, error) -> None:
    if isinstance(error, workflow.WorkflowError):
        form.add_error(None, error.message)
    else:
        form.add_error(None, error.messages)


def _warn(request, item) -> None:
    for text in checks.warnings(item):
        messages.warning(request, text)


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
                _warn_doc_number_year(request, item)
                _warn(request, item)
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
        rows = elements.checklist(item)  # before the form changes the instance
        checklist_form = checklist.ChecklistForm(request.POST, rows=rows)
        answers = None
        if form.is_valid() and checklist_form.is_valid():
            answers = checklist_form.resolve(
                body=form.cleaned_data.get("body", ""),
                attachments=selectors.item_attachments(item),
            )
        if answers is not None:
            expected = form.cleaned_data.get("version")
            try:
                workflow.update_item(
                    item=item,
                    by=user,
                    data=form.content_data(),
                    expected_version=expected if expected is not None else -1,
                    answers=answers,
                )
            except (workflow.WorkflowError, ValidationError) as error:
                _form_error(form, error)
            else:
                messages.success(request, _("修改已保存。"))
                _warn_doc_number_year(request, item)
                _warn(request, selectors.item_for_page(user, pk))
                return redirect(item)
        fresh = selectors.item_for_page(user, pk)
        return _render_editor(request, form, fresh, checklist_form=checklist_form)
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
        **{name: form.cleaned_data.get(name) for name in DEADLINE_FIELDS},
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
    rows = elements.checklist(item)
    return {
        "item": item,
        "checklist": rows,
        "missing_elements": elements.missing_required(rows),
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
        "withdraw_form": forms.get("withdraw_form") or WithdrawForm(prefix="withdraw"),
        "remove_form": forms.get("remove_form") or ReasonForm(prefix="remove"),
        "upload_form": forms.get("upload_form") or AttachmentForm(),
        "stage_labels": STAGE_LABELS,
        "warnings": checks.warnings(item) if flags["can_edit"] else [],
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
