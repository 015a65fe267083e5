"""The clerks' ways back: delete a mistaken draft, recall a submitted item
before its review starts, and name an attachment for the public."""

from django.db import transaction
from django.utils.translation import gettext as _

from disclosure import permissions
from disclosure.models import Attachment, AuditEntry, Item

from .transitions import TRANSITIONS, WorkflowError, _audit, _check_state, _locked

State = Item.State
Action = AuditEntry.Action


def discard(*, item: Item, by) -> Item:
    """Delete a draft that was never submitted nor published. The item leaves
    every list; its audit trail stays (the entries are never deleted)."""
    with transaction.atomic():
        item = _locked(item)
        _check_state(item, "discard")
        if not permissions.is_clerk_for(by, item):
            raise WorkflowError(_("只有所属部门的信息员可以删除这份草稿。"))
        reason = permissions.discard_block_reason(item)
        if reason:
            raise WorkflowError(reason)
        from_state = item.state
        item.state = TRANSITIONS["discard"][1]
        item.save(update_fields=["state"])
        _audit(item, by, Action.DISCARD, from_state)
    return item


def recall(*, item: Item, by) -> Item:
    """Take a submitted item back to the draft before any reviewer acted on
    it (signed off or approved)."""
    with transaction.atomic():
        item = _locked(item)
        _check_state(item, "recall")
        if not permissions.is_clerk_for(by, item):
            raise WorkflowError(_("只有所属部门的信息员可以撤回这条信息。"))
        if permissions.review_started(item):
            raise WorkflowError(
                _("审核已经开始（已有人签批），不能撤回；如需修改，请联系审核人退回。")
            )
        from_state, stage = item.state, item.review_stage
        item.state = TRANSITIONS["recall"][1]
        item.review_stage = ""
        item.save(update_fields=["state", "review_stage"])
        _audit(item, by, Action.RECALL, from_state, stage=stage)
    return item


def rename_attachment(*, attachment: Attachment, by, title: str) -> Attachment:
    """Set the name the public sees for a file not yet published (a
    published file keeps its name until a new file replaces it, so the
    public page never changes without review)."""
    title = " ".join((title or "").split())[:200]
    if not title:
        raise WorkflowError(_("请填写附件的显示名称。"))
    with transaction.atomic():
        item = _locked(attachment.item)
        attachment = Attachment.objects.select_for_update().get(pk=attachment.pk)
        if not permissions.can_edit(by, item) or not attachment.in_draft:
            raise WorkflowError(_("您不能修改这个附件的名称。"))
        if attachment.is_published:
            raise WorkflowError(
                _("这个附件已经公开，名称不能直接修改；请上传新文件替换。")
            )
        previous = attachment.display_title
        attachment.title = title
        attachment.save(update_fields=["title"])
        _audit(
            item,
            by,
            Action.EDIT,
            item.state,
            comment=_("附件显示名称：%(old)s → %(new)s")
            % {"old": previous, "new": title},
        )
    return attachment
