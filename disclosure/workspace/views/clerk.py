"""The clerks' ways back: delete a draft (after a confirmation page), recall
a submitted item, name an attachment; and the confirmation page that
withdrawing and removing a published item pass through."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from disclosure import permissions, workflow

from .. import selectors
from .base import render_workspace, workspace_required


def _refused(request, item, error):
    messages.error(request, error.message)
    return redirect(item)


class AttachmentTitleForm(forms.Form):
    title = forms.CharField(
        label=gettext_lazy("显示名称"),
        max_length=200,
        error_messages={"required": gettext_lazy("请填写附件的显示名称。")},
    )


#: What each confirmed step does, in words for the confirmation page.
CONSEQUENCES = {
    "discard": [
        gettext_lazy("草稿及其附件不再出现在任何列表中，也不能恢复编辑。"),
        gettext_lazy("这份草稿从未提交或发布，公众从未看到它。"),
        gettext_lazy("创建和删除的操作记录保留，供审计。"),
    ],
    "withdraw": [
        gettext_lazy(
            "公开页面只显示“已撤销（撤回）”、撤回日期和下面的理由，不再显示正文。"
        ),
        gettext_lazy("信息不再出现在公开列表、搜索结果和订阅中。"),
        gettext_lazy("撤销后不能恢复；如需重新公开，须新建信息并重新审核。"),
    ],
    "withdraw:repealed": [
        gettext_lazy("公开页面保留，有效性显示为“废止”及其日期和下面的理由。"),
        gettext_lazy("信息仍在公开列表中，但“现行有效”的筛选不再列出它。"),
        gettext_lazy("废止后不能恢复为有效；如需重新施行，须发布新的文件。"),
    ],
    "withdraw:expired": [
        gettext_lazy("公开页面保留，有效性显示为“失效”及其日期和下面的理由。"),
        gettext_lazy("信息仍在公开列表中，但“现行有效”的筛选不再列出它。"),
        gettext_lazy("失效后不能恢复为有效；如需重新施行，须发布新的文件。"),
    ],
    "remove": [
        gettext_lazy("公开页面不再显示内容，只说明该信息已删除及删除日期。"),
        gettext_lazy("理由不对公众显示，只保存在操作记录中。"),
        gettext_lazy("仅用于错发的信息；删除后不能恢复。"),
    ],
}

TITLES = {
    "discard": gettext_lazy("删除草稿"),
    "withdraw": gettext_lazy("撤销这条信息"),
    "withdraw:repealed": gettext_lazy("宣布废止"),
    "withdraw:expired": gettext_lazy("宣布失效"),
    "remove": gettext_lazy("删除（错发）"),
}


def render_confirmation(request, item, action, *, url, reason="", prefix="", ending=""):
    """The page that asks, once more, whether to take ``action``; the form's
    other answers (撤回 or 废止, the date, the files) go along unchanged."""
    carried = [
        (name, value)
        for name, value in request.POST.items()
        if prefix and name.startswith(f"{prefix}-") and name != f"{prefix}-reason"
    ]
    key = f"{action}:{ending}" if f"{action}:{ending}" in CONSEQUENCES else action
    return render_workspace(
        request,
        "disclosure/workspace/confirm.html",
        {
            "item": item,
            "action": action,
            "heading": TITLES.get(key, TITLES[action]),
            "consequences": CONSEQUENCES[key],
            "url": url,
            "reason": reason,
            "reason_name": f"{prefix}-reason" if prefix else "",
            "carried": carried,
        },
        nav="items",
    )


@require_http_methods(["GET", "POST"])
@workspace_required
def discard_item(request, pk):
    item = selectors.item_for_page(request.user, pk)
    if not permissions.can_discard(request.user, item):
        reason = permissions.discard_block_reason(item) or _("您不能删除这份草稿。")
        return _refused(request, item, workflow.WorkflowError(reason))
    if request.method == "GET" or request.POST.get("confirmed") != "yes":
        url = reverse("workspace:discard", args=[item.pk])
        return render_confirmation(request, item, "discard", url=url)
    try:
        workflow.discard(item=item, by=request.user)
    except workflow.WorkflowError as error:
        return _refused(request, item, error)
    messages.success(
        request, _("已删除草稿《%(title)s》。操作记录保留。") % {"title": item.title}
    )
    return redirect("workspace:items")


@require_POST
@workspace_required
def recall_item(request, pk):
    item = selectors.item_for_action(request.user, pk)
    try:
        item = workflow.recall(item=item, by=request.user)
    except workflow.WorkflowError as error:
        return _refused(request, item, error)
    messages.success(request, _("已撤回，信息回到草稿，可以修改后再提交审核。"))
    return redirect(item)


@require_POST
@workspace_required
def rename_attachment(request, pk, token):
    attachment = selectors.attachment_for_download(request.user, pk, token)
    form = AttachmentTitleForm(request.POST)
    try:
        if not form.is_valid():
            raise workflow.WorkflowError(" ".join(form.errors["title"]))
        workflow.rename_attachment(
            attachment=attachment, by=request.user, title=form.cleaned_data["title"]
        )
    except workflow.WorkflowError as error:
        return _refused(request, attachment.item, error)
    messages.success(request, _("已修改附件的显示名称。"))
    return redirect(reverse("workspace:item", args=[pk]) + "#attachments")
