"""The clerks' steps: create and edit an item, attach and remove files, submit
it for review."""

import hashlib
import secrets

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from disclosure import elements, modes, notifications, permissions
from disclosure.models import Attachment, AuditEntry, Contribution, Item, PublicRecord
from disclosure.models.records import default_attachment_title
from disclosure.uploads import CheckedFile

from .transitions import (
    CONTENT_INPUT_FIELDS,
    TRANSITIONS,
    InvalidTransition,
    NotAllowed,
    StaleEdit,
    WorkflowError,
    _apply_content,
    _audit,
    _check_state,
    _contributed,
    _locked,
    _require,
    _snapshot,
    _stages,
    compute_due_on,
)

State = Item.State
Action = AuditEntry.Action
Touch = Contribution.Kind

# --- clerks ---------------------------------------------------------------------


def create_item(*, by, data: dict, answers: dict | None = None) -> Item:
    """A new draft for ``data["department"]``; ``answers``: where the item
    answers the elements of its catalog entry (``elements.resolve``)."""
    unknown = set(data) - CONTENT_INPUT_FIELDS
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    department = data["department"]
    _require(
        permissions.can_create(by, department),
        _("您不是%(dept)s的信息员，不能为它起草信息。") % {"dept": department.name},
    )
    with transaction.atomic():
        now = timezone.now()
        item = Item(created_by=by, updated_by=by, created_at=now, updated_at=now)
        _apply_content(item, data)
        item.due_on = compute_due_on(item)
        item.full_clean()
        item.save()
        if answers:
            elements.save_answers(item, answers, by=by)
        _contributed(item, by, Touch.CREATE)
        revision = _snapshot(item, by)
        _audit(item, by, Action.CREATE, "", revision=revision)
    return item


def update_item(
    *, item: Item, by, data: dict, expected_version: int, answers: dict | None = None
) -> Item:
    """Save the clerk's edit (with ``answers``, where the item answers the
    elements of its catalog entry, in the same transaction). An edit made on a
    version that someone else has since changed is refused, never silently
    overwritten."""
    unknown = set(data) - CONTENT_INPUT_FIELDS
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    with transaction.atomic():
        item = _locked(item)
        _check_state(item, "edit")
        _require(
            permissions.can_edit(by, item),
            _(
                "您不能修改这条信息：只有所属部门的信息员可以修改草稿、退回件和已发布的信息。"
            ),
        )
        if "department" in data and not permissions.can_create(by, data["department"]):
            raise NotAllowed(_("您不能把信息改到自己不负责的部门。"))
        if item.version != expected_version:
            raise StaleEdit(
                _(
                    "这条信息在您打开之后已被他人修改（当前版本 %(current)s，您编辑的是版本 "
                    "%(mine)s）。为避免覆盖他人的修改，本次保存未生效；请重新打开后再改。"
                )
                % {"current": item.version, "mine": expected_version}
            )
        from_state = _begin_edit(item)
        changed = _apply_content(item, data)
        item.due_on = item.due_on if item.first_published_at else compute_due_on(item)
        item.updated_by = by
        item.updated_at = timezone.now()
        item.version += 1
        item.full_clean()
        item.save(
            update_fields=[
                *changed,
                "state",
                "due_on",
                "updated_by",
                "updated_at",
                "version",
            ]
        )
        labels = [str(Item._meta.get_field(f).verbose_name) for f in changed]
        if answers and elements.save_answers(item, answers, by=by):
            labels.append(_("公开要素标注"))
        _contributed(item, by, Touch.EDIT)
        revision = _snapshot(item, by)
        comment = (
            _("修改了：%(fields)s") % {"fields": "、".join(labels)} if labels else ""
        )
        if from_state == State.PUBLISHED:
            comment = (_("开始修改已发布的信息。") + comment).strip()
        _audit(item, by, Action.EDIT, from_state, comment=comment, revision=revision)
    return item


def _begin_edit(item: Item) -> str:
    """Apply the ``edit`` transition; return the state the item was in. A
    published item becomes a draft of its next revision; drafts and returned
    items stay as they are until submitted."""
    from_state = item.state
    if from_state == State.PUBLISHED:
        item.state = TRANSITIONS["edit"][1]
    return from_state


def _touch(item: Item, by) -> None:
    item.updated_by = by
    item.updated_at = timezone.now()
    item.version += 1


def add_attachment(
    *, item: Item, by, uploaded, checked: CheckedFile, title: str = ""
) -> Attachment:
    """Attach a file that ``disclosure.uploads.check_upload`` accepted.

    The check made the copy without document metadata (author, company,
    revision history) that the public downloads; the original stays for staff."""
    uploaded.seek(0)
    if hashlib.sha256(uploaded.read()).hexdigest() != checked.sha256:
        raise ValueError("the uploaded file is not the one that was checked")
    uploaded.seek(0)
    with transaction.atomic():
        item = _locked(item)
        _check_state(item, "edit")
        _require(permissions.can_edit(by, item), _("您不能给这条信息添加附件。"))
        from_state = _begin_edit(item)
        attachment = Attachment(
            item=item,
            token=secrets.token_hex(16),
            original_name=(uploaded.name or "file")[-200:],
            title=" ".join((title or "").split())[:200]
            or default_attachment_title(uploaded.name or "file"),
            extension=checked.extension,
            content_type=checked.content_type,
            size=checked.size,
            sha256=checked.sha256,
            order=item.attachments.count() + 1,
            uploaded_by=by,
        )
        attachment.file.save(
            f"{attachment.token}.{checked.extension}", uploaded, save=False
        )
        attachment.public_sha256 = checked.public_sha256
        if checked.public_sha256 != checked.sha256:
            attachment.public_file.save(
                f"{attachment.token}.public.{checked.extension}",
                ContentFile(checked.public_data),
                save=False,
            )
        try:
            attachment.save()
        except Exception:
            attachment.file.delete(save=False)
            if attachment.public_file:
                attachment.public_file.delete(save=False)
            raise
        _touch(item, by)
        item.save(update_fields=["state", "updated_by", "updated_at", "version"])
        _contributed(item, by, Touch.ATTACH)
        revision = _snapshot(item, by)
        _audit(
            item,
            by,
            Action.ATTACH,
            from_state,
            comment=attachment.original_name,
            revision=revision,
        )
    return attachment


def remove_attachment(*, attachment: Attachment, by) -> None:
    """Take a file out of the working copy (a published copy stays public
    until the new revision is published)."""
    with transaction.atomic():
        item = _locked(attachment.item)
        _check_state(item, "edit")
        _require(permissions.can_edit(by, item), _("您不能删除这条信息的附件。"))
        # Under the item's lock: a second click (or a colleague's) finds the
        # file already gone and changes nothing.
        if not Attachment.objects.filter(
            pk=attachment.pk, item=item, in_draft=True
        ).update(in_draft=False):
            raise InvalidTransition(_("这个附件已经从这条信息中删除。"))
        from_state = _begin_edit(item)
        _touch(item, by)
        item.save(update_fields=["state", "updated_by", "updated_at", "version"])
        _contributed(item, by, Touch.DETACH)
        revision = _snapshot(item, by)
        _audit(
            item,
            by,
            Action.DETACH,
            from_state,
            comment=attachment.original_name,
            revision=revision,
        )


def submit(*, item: Item, by) -> Item:
    with transaction.atomic():
        item = _locked(item)
        _check_state(item, "submit")
        _require(
            permissions.can_submit(by, item),
            _("只有所属部门的信息员可以提交这条信息。"),
        )
        missing = modes.content_missing_message(
            item, item.attachments.filter(in_draft=True).exists()
        )
        if missing:
            raise WorkflowError(missing)
        record = PublicRecord.objects.filter(item=item).first()
        if record and item.is_major_change and not item.change_note.strip():
            raise WorkflowError(
                _("这是对已发布信息的实质性修改，请先填写将公开显示的更新说明。")
            )
        from_state = item.state
        item.state = State.SUBMITTED
        item.review_stage = _stages(item)[0]
        item.submitted_by = by
        item.submitted_at = timezone.now()
        item.return_comment = ""
        item.save(
            update_fields=[
                "state",
                "review_stage",
                "submitted_by",
                "submitted_at",
                "return_comment",
            ]
        )
        _contributed(item, by, Touch.SUBMIT)
        revision = item.revisions.order_by("-number").first()
        missing = elements.missing_required(elements.checklist(item))
        _audit(
            item,
            by,
            Action.SUBMIT,
            from_state,
            comment=(
                _("提交时未标注的必备要素：%(names)s") % {"names": "、".join(missing)}
                if missing
                else ""
            ),
            stage=item.review_stage,
            revision=revision,
        )
        item_id = item.pk
        transaction.on_commit(
            lambda: notifications.item_submitted(item_id), robust=True
        )
    return item
