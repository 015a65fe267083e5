"""Attachments of an item in the workspace: upload, remove, download."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from disclosure import workflow
from disclosure.uploads import check_upload

from .. import selectors
from ..forms import AttachmentForm
from .base import workspace_required
from .items import _render_item
from .review import _refused

# --- attachments ------------------------------------------------------------------


@require_POST
@workspace_required
def upload_attachments(request, pk):
    item = selectors.item_for_page(request.user, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_item(request, item, upload_form=form)
    added, refused = [], []
    files = form.cleaned_data["files"]
    # A display name typed for one file; several files keep their own names.
    title = form.cleaned_data.get("title", "") if len(files) == 1 else ""
    for uploaded in files:
        name = uploaded.name or _("（无文件名）")
        try:
            checked = check_upload(uploaded)
            workflow.add_attachment(
                item=item,
                by=request.user,
                uploaded=uploaded,
                checked=checked,
                title=title,
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
