"""The review queue, the review page and the steps taken from the item page
(submit, approve, return, publish, unschedule, withdraw, remove)."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from catalog.selectors import work_calendar
from disclosure import elements, permissions, workflow
from disclosure.diff import attachment_diff, content_diff
from disclosure.models import Ending, Item, Validity
from disclosure.permissions import STAGE_OFFICE

from .. import selectors
from ..forms import PublishForm, ReasonForm, ReviewForm, WithdrawForm
from .base import render_workspace, stage_label, workspace_required
from .clerk import render_confirmation
from .items import _item_context, _render_item

State = Item.State

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
    to_publish = list(selectors.awaiting_publication(user))
    permissions.prefetch_contributors(queue + to_publish)
    for item in queue:
        item.waiting = selectors.waiting(item.submitted_at, now, calendar)
        item.stage_label = stage_label(item.review_stage)
    for item in queue + to_publish:
        item.own = permissions.is_author(user, item)
    user_roles = permissions.roles(user)
    return render_workspace(
        request,
        "disclosure/workspace/review_queue.html",
        {
            "queue": queue,
            "to_publish": to_publish,
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
    missing = elements.missing_required(elements.checklist(item))
    if missing:
        messages.warning(request, elements.missing_warning(missing))
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


def _end_publication(request, pk, *, prefix, action, done, form_class=ReasonForm):
    item = selectors.item_for_page(request.user, pk)
    form = form_class(request.POST, prefix=prefix)
    if form.is_valid() and request.POST.get("confirmed") != "yes":
        return render_confirmation(
            request,
            item,
            prefix,
            url=reverse(f"workspace:{prefix}", args=[item.pk]),
            reason=form.cleaned_data["reason"],
            prefix=prefix,
            ending=form.cleaned_data.get("ending", ""),
        )
    if form.is_valid():
        options = {
            name: value
            for name, value in form.cleaned_data.items()
            if name in ("ending", "keep_attachments")
        }
        if form.cleaned_data.get("ended_on"):
            options["on"] = form.cleaned_data["ended_on"]
        if callable(done):
            done = done(form.cleaned_data)
        try:
            item = action(
                item=item,
                by=request.user,
                reason=form.cleaned_data["reason"],
                **options,
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
        done=_withdrawn_message,
        form_class=WithdrawForm,
    )


def _withdrawn_message(data) -> str:
    if data["ending"] == Ending.TAKEN_DOWN:
        return _("已撤销（撤回）。信息不再出现在列表中，公开页面只显示撤回理由和日期。")
    return _("已标为%(ending)s。公开页面保留，有效性显示为%(ending)s及其日期。") % {
        "ending": Validity(data["ending"]).label
    }


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
