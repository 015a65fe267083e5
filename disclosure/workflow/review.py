"""The life of a disclosure item: one function per step.

Every function runs in one transaction, re-reads the item with SELECT ... FOR
UPDATE, checks the state against :data:`TRANSITIONS` and the permission against
``disclosure.permissions``, saves with ``update_fields``, writes the audit entry
in the same transaction and sends e-mail only after the commit.

States::

    draft ──submit──▶ submitted ──approve (last stage)──▶ approved ──publish──▶ published
      ▲                 │  ▲ approve (head stage: to the office stage)       │ (future time:
      └──── returned ◀──┘  │                                                 │  scheduled)
                           └───────────── edit of a published item ◀─────────┘
    published/… ──withdraw──▶ withdrawn (page stays, out of listings)
    published/withdrawn/… ──remove──▶ removed (page answers 410)
"""

import datetime
import hashlib
import secrets

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalog.selectors import work_calendar
from catalog.workdays import working_days_late
from disclosure import notifications, permissions
from disclosure.deadlines import due_date
from disclosure.index_numbers import allocate_index_number
from disclosure.models import (
    Attachment,
    AuditEntry,
    ChangeNote,
    Item,
    PublicRecord,
    ReviewConfig,
    Revision,
)
from disclosure.permissions import STAGE_HEAD, STAGE_OFFICE
from disclosure.sanitize import clean_html
from disclosure.scrub import strip_metadata
from disclosure.uploads import CheckedFile

State = Item.State
Action = AuditEntry.Action

#: action → (states it may start from, state it leads to). ``approve`` leads to
#: ``submitted`` again when another review stage follows; ``publish`` leads to
#: ``scheduled`` for a future time. ``edit`` of a published item starts a new
#: revision as a draft (the public keeps the published one meanwhile); an edit
#: of a draft or a returned item keeps its state (see ``_begin_edit``).
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "edit": (frozenset({State.DRAFT, State.RETURNED, State.PUBLISHED}), State.DRAFT),
    "submit": (frozenset({State.DRAFT, State.RETURNED}), State.SUBMITTED),
    "approve": (frozenset({State.SUBMITTED}), State.APPROVED),
    "return": (frozenset({State.SUBMITTED, State.APPROVED}), State.RETURNED),
    "publish": (frozenset({State.APPROVED}), State.PUBLISHED),
    "unschedule": (frozenset({State.SCHEDULED}), State.APPROVED),
    "withdraw": (
        frozenset(
            {
                State.PUBLISHED,
                State.DRAFT,
                State.SUBMITTED,
                State.RETURNED,
                State.APPROVED,
            }
        ),
        State.WITHDRAWN,
    ),
    "remove": (
        frozenset(
            {
                State.PUBLISHED,
                State.WITHDRAWN,
                State.DRAFT,
                State.SUBMITTED,
                State.RETURNED,
                State.APPROVED,
            }
        ),
        State.REMOVED,
    ),
}


class WorkflowError(Exception):
    """A step that cannot be taken; ``message`` is for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class InvalidTransition(WorkflowError):
    pass


class NotAllowed(WorkflowError):
    pass


class StaleEdit(WorkflowError):
    pass


# --- helpers ----------------------------------------------------------------------


def _locked(item: Item) -> Item:
    """The item re-read and locked; a scheduled item whose time has come is
    promoted to published first."""
    fresh = (
        Item.objects.select_for_update(of=("self",))
        .select_related("department", "catalog_entry")
        .get(pk=item.pk)
    )
    if fresh.state == State.SCHEDULED and fresh.effective_state == State.PUBLISHED:
        fresh.state = State.PUBLISHED
        fresh.save(update_fields=["state"])
    return fresh


def _check_state(item: Item, action: str) -> None:
    from_states, _to = TRANSITIONS[action]
    if item.state not in from_states:
        raise InvalidTransition(
            _("这条信息当前状态为“%(state)s”，不能%(action)s。")
            % {"state": item.get_state_display(), "action": _ACTION_WORDS[action]}
        )


_ACTION_WORDS = {
    "edit": gettext_lazy("修改"),
    "submit": gettext_lazy("提交审核"),
    "approve": gettext_lazy("审核通过"),
    "return": gettext_lazy("退回"),
    "publish": gettext_lazy("发布"),
    "unschedule": gettext_lazy("取消定时发布"),
    "withdraw": gettext_lazy("撤销"),
    "remove": gettext_lazy("删除"),
}


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise NotAllowed(message)


def _audit(item, by, action, from_state, *, comment="", stage="", revision=None):
    return AuditEntry.objects.create(
        item=item,
        actor=by,
        at=timezone.now(),
        action=action,
        from_state=from_state,
        to_state=item.state,
        stage=stage,
        comment=comment,
        revision=revision,
    )


def _snapshot(item: Item, by) -> Revision:
    number = (
        item.revisions.order_by("-number").values_list("number", flat=True).first() or 0
    ) + 1
    content = item.content_snapshot()
    content["attachments"] = list(
        item.attachments.filter(in_draft=True).values_list("original_name", "sha256")
    )
    content["change_note"] = item.change_note
    content["is_major_change"] = item.is_major_change
    return Revision.objects.create(
        item=item,
        number=number,
        content=content,
        created_by=by,
        created_at=timezone.now(),
    )


def _stages(item: Item) -> list[str]:
    config = ReviewConfig.objects.filter(department_id=item.department_id).first()
    if config is None and item.department.parent_id:
        config = ReviewConfig.objects.filter(
            department_id=item.department.parent_id
        ).first()
    if config is not None and config.head_signoff:
        return [STAGE_HEAD, STAGE_OFFICE]
    return [STAGE_OFFICE]


def _next_stage(stage: str) -> str:
    """The stage after ``stage``; '' when the review is complete. The office
    review (with the confidentiality check) is always the last stage and never
    skipped, even if the department's review settings changed while the item
    was at the head stage."""
    if stage == STAGE_OFFICE:
        return ""
    return STAGE_OFFICE


def compute_due_on(item: Item) -> datetime.date | None:
    deadline = due_date(item.catalog_entry, item.formed_on, work_calendar())
    return deadline.due if deadline else None


def _apply_content(item: Item, data: dict) -> list[str]:
    changed = []
    for name, value in data.items():
        field = Item._meta.get_field(name)
        if name == "body":
            value = clean_html(value)
        if field.is_relation:
            current = getattr(item, field.attname)
            differs = current != (value.pk if value is not None else None)
        else:
            differs = getattr(item, name) != value
        if differs:
            setattr(item, name, value)
            changed.append(name)
    return changed


CONTENT_INPUT_FIELDS = set(Item.CONTENT_FIELDS) | {"change_note", "is_major_change"}


# --- clerks ---------------------------------------------------------------------


def create_item(*, by, data: dict) -> Item:
    """A new draft for ``data["department"]``."""
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
        revision = _snapshot(item, by)
        _audit(item, by, Action.CREATE, "", revision=revision)
    return item


def update_item(*, item: Item, by, data: dict, expected_version: int) -> Item:
    """Save the clerk's edit. An edit made on a version that someone else has
    since changed is refused, never silently overwritten."""
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
        revision = _snapshot(item, by)
        comment = (
            _("修改了：%(fields)s")
            % {
                "fields": "、".join(
                    str(Item._meta.get_field(f).verbose_name) for f in changed
                )
            }
            if changed
            else ""
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


def add_attachment(*, item: Item, by, uploaded, checked: CheckedFile) -> Attachment:
    """Attach a file that ``disclosure.uploads.check_upload`` accepted.

    A copy without document metadata (author, company, revision history) is
    made for the public before the transaction; the original stays for staff."""
    uploaded.seek(0)
    original = uploaded.read()
    uploaded.seek(0)
    scrubbed = strip_metadata(original, checked.extension)
    with transaction.atomic():
        item = _locked(item)
        _check_state(item, "edit")
        _require(permissions.can_edit(by, item), _("您不能给这条信息添加附件。"))
        from_state = _begin_edit(item)
        attachment = Attachment(
            item=item,
            token=secrets.token_hex(16),
            original_name=(uploaded.name or "file")[-200:],
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
        if scrubbed != original:
            attachment.public_sha256 = hashlib.sha256(scrubbed).hexdigest()
            attachment.public_file.save(
                f"{attachment.token}.public.{checked.extension}",
                ContentFile(scrubbed),
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
        revision = item.revisions.order_by("-number").first()
        _audit(
            item,
            by,
            Action.SUBMIT,
            from_state,
            stage=item.review_stage,
            revision=revision,
        )
        item_id = item.pk
        transaction.on_commit(
            lambda: notifications.item_submitted(item_id), robust=True
        )
    return item


# --- reviewers ------------------------------------------------------------------


def approve(
    *, item: Item, by, comment: str = "", confidentiality_checked: bool = False
) -> Item:
    """Approve at the current stage. The disclosure office stage includes the
    confidentiality review (保密审查, Art. 17), which the reviewer confirms."""
    with transaction.atomic():
        item = _locked(item)
        _check_state(item, "approve")
        _require(
            permissions.can_review(by, item), permissions.review_block_reason(by, item)
        )
        stage = item.review_stage
        if stage == STAGE_OFFICE and not confidentiality_checked:
            raise WorkflowError(
                _(
                    "请确认已完成保密审查（信息不涉及国家秘密、商业秘密、个人隐私等不应公开的内容）。"
                )
            )
        from_state = item.state
        next_stage = _next_stage(stage)
        if next_stage:
            item.review_stage = next_stage
        else:
            item.state = State.APPROVED
            item.review_stage = ""
        item.save(update_fields=["state", "review_stage"])
        if stage == STAGE_OFFICE:
            comment = (_("已完成保密审查。") + " " + comment).strip()
        revision = item.revisions.order_by("-number").first()
        _audit(
            item,
            by,
            Action.APPROVE,
            from_state,
            comment=comment,
            stage=stage,
            revision=revision,
        )
        item_id = item.pk
        transaction.on_commit(lambda: notifications.item_approved(item_id), robust=True)
    return item


def return_item(*, item: Item, by, comment: str) -> Item:
    """Send the item back to its department with the reviewer's comments."""
    if not comment or not comment.strip():
        raise WorkflowError(_("退回时请写明退回意见，告诉信息员需要修改什么。"))
    with transaction.atomic():
        item = _locked(item)
        _check_state(item, "return")
        _require(
            permissions.can_return(by, item),
            permissions.review_block_reason(by, item)
            if item.state == State.SUBMITTED
            else _(
                "只有审核员可以退回已审核通过的信息，且不能退回自己创建、修改或提交的信息。"
            ),
        )
        stage = item.review_stage or STAGE_OFFICE
        from_state = item.state
        item.state = State.RETURNED
        item.review_stage = ""
        item.return_comment = comment.strip()
        item.save(update_fields=["state", "review_stage", "return_comment"])
        revision = item.revisions.order_by("-number").first()
        _audit(
            item,
            by,
            Action.RETURN,
            from_state,
            comment=item.return_comment,
            stage=stage,
            revision=revision,
        )
        item_id, text = item.pk, item.return_comment
        transaction.on_commit(
            lambda: notifications.item_returned(item_id, text), robust=True
        )
    return item


def publish(*, item: Item, by, at: datetime.datetime | None = None) -> Item:
    """Publish an approved item now, or at a future time ``at`` (the public
    site shows it from then on, with no job to run)."""
    with transaction.atomic():
        item = _locked(item)
        _check_state(item, "publish")
        _require(
            permissions.can_publish(by, item),
            _("只有审核员可以发布，且不能发布自己创建、修改或提交的信息。"),
        )
        now = timezone.now()
        record = PublicRecord.objects.select_for_update().filter(item=item).first()
        if at is not None and timezone.is_naive(at):
            at = timezone.make_aware(at)
        if at is not None and at <= now:
            at = None
        if at is not None and record is not None:
            raise InvalidTransition(
                _("已发布信息的修改审核通过后即时发布，不能定时发布。")
            )
        publish_at = at or now
        from_state = item.state
        first_publication = record is None
        if item.index_number is None:
            local = timezone.localtime(publish_at)
            item.index_number = allocate_index_number(
                item.department.effective_publisher_code, local.year
            )
        content = {name: getattr(item, name) for name in Item.CONTENT_FIELDS}
        if first_publication:
            record = PublicRecord(
                item=item,
                index_number=item.index_number,
                published_at=publish_at,
                updated_at=publish_at,
                **content,
            )
            record.save()
            item.first_published_at = publish_at
            if item.due_on:
                published_on = timezone.localtime(publish_at).date()
                late = working_days_late(item.due_on, published_on, work_calendar())
                # Published after the due date on a day off (the weekend after
                # a Friday deadline) is late all the same: it counts as the
                # first working day late, never as on time.
                if published_on > item.due_on:
                    late = max(late, 1)
                item.late_working_days = late
        else:
            for name, value in content.items():
                setattr(record, name, value)
            record.updated_at = now
            record.revision_number += 1
            record.save()
            if item.is_major_change:
                ChangeNote.objects.create(
                    record=record, changed_at=now, note=item.change_note.strip()
                )
        Attachment.objects.filter(item=item, in_draft=True).update(is_published=True)
        Attachment.objects.filter(item=item, in_draft=False).update(is_published=False)
        item.state = State.SCHEDULED if at else State.PUBLISHED
        item.publish_at = publish_at
        item.change_note = ""
        item.is_major_change = False
        item.save(
            update_fields=[
                "state",
                "index_number",
                "publish_at",
                "first_published_at",
                "late_working_days",
                "change_note",
                "is_major_change",
            ]
        )
        revision = item.revisions.order_by("-number").first()
        comment = (
            _("定时发布：%(at)s")
            % {"at": timezone.localtime(at).strftime("%Y-%m-%d %H:%M")}
            if at
            else ""
        )
        _audit(
            item,
            by,
            Action.SCHEDULE if at else Action.PUBLISH,
            from_state,
            comment=comment,
            revision=revision,
        )
        item_id = item.pk
        transaction.on_commit(
            lambda: notifications.item_published(item_id), robust=True
        )
    return item


def unschedule(*, item: Item, by) -> Item:
    """Cancel a scheduled publication that has not happened yet. The index
    number stays reserved for the item."""
    with transaction.atomic():
        item = _locked(item)
        _check_state(item, "unschedule")
        _require(
            permissions.can_unschedule(by, item), _("只有审核员可以取消定时发布。")
        )
        from_state = item.state
        PublicRecord.objects.filter(item=item).delete()
        Attachment.objects.filter(item=item).update(is_published=False)
        item.state = State.APPROVED
        item.publish_at = None
        item.first_published_at = None
        item.late_working_days = None
        item.save(
            update_fields=[
                "state",
                "publish_at",
                "first_published_at",
                "late_working_days",
            ]
        )
        _audit(item, by, Action.UNSCHEDULE, from_state)
    return item


# --- office administrators ------------------------------------------------------------


def _end_publication(*, item, by, reason, action, status, audit_action) -> Item:
    if not reason or not reason.strip():
        raise WorkflowError(_("请写明理由，它会与操作记录一起保存。"))
    with transaction.atomic():
        item = _locked(item)
        _check_state(item, action)
        record = PublicRecord.objects.select_for_update().filter(item=item).first()
        if record is None or record.status == PublicRecord.Status.REMOVED:
            raise InvalidTransition(_("这条信息没有公开，无需撤销或删除。"))
        if action == "withdraw" and record.status != PublicRecord.Status.LIVE:
            raise InvalidTransition(_("这条信息已经撤销。"))
        allowed = (
            permissions.can_withdraw(by, item)
            if action == "withdraw"
            else permissions.can_remove(by, item)
        )
        _require(allowed, _("只有政务公开办公室管理员可以撤销或删除已发布的信息。"))
        from_state = item.state
        now = timezone.now()
        record.status = status
        record.status_changed_at = now
        record.status_reason = reason.strip()
        record.save(update_fields=["status", "status_changed_at", "status_reason"])
        item.state = TRANSITIONS[action][1]
        item.review_stage = ""
        item.save(update_fields=["state", "review_stage"])
        _audit(item, by, audit_action, from_state, comment=record.status_reason)
    return item


def withdraw(*, item: Item, by, reason: str) -> Item:
    """撤销: the page stays, with the reason and date, out of listings and feeds."""
    return _end_publication(
        item=item,
        by=by,
        reason=reason,
        action="withdraw",
        status=PublicRecord.Status.WITHDRAWN,
        audit_action=Action.WITHDRAW,
    )


def remove(*, item: Item, by, reason: str) -> Item:
    """Published in error: the public page answers 410 Gone. The record and
    its audit trail are kept."""
    return _end_publication(
        item=item,
        by=by,
        reason=reason,
        action="remove",
        status=PublicRecord.Status.REMOVED,
        audit_action=Action.REMOVE,
    )
