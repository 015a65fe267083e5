"""The reviewers' and office administrators' steps: approve, return, publish
(now or at a time), unschedule, withdraw and remove."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.selectors import work_calendar
from catalog.workdays import working_days_late
from disclosure import modes, notifications, permissions
from disclosure.index_numbers import allocate_index_number
from disclosure.models import (
    Attachment,
    AuditEntry,
    ChangeNote,
    Ending,
    Item,
    PublicRecord,
)
from disclosure.permissions import STAGE_OFFICE

from .transitions import (
    TRANSITIONS,
    InvalidTransition,
    WorkflowError,
    _audit,
    _check_state,
    _locked,
    _next_stage,
    _require,
)

State = Item.State
Action = AuditEntry.Action

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
            else permissions.contribution_reason(by, item)
            or _("只有审核员可以退回已审核通过的信息。"),
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


def publish(
    *, item: Item, by, at: datetime.datetime | None = None, note: str = ""
) -> Item:
    """Publish an approved item now, or at a future time ``at`` (the public
    site shows it from then on, with no job to run). ``note`` goes into the
    audit entry (e.g. published together with its interpretation)."""
    with transaction.atomic():
        item = _locked(item)
        _check_state(item, "publish")
        _require(
            permissions.can_publish(by, item),
            permissions.publish_block_reason(by, item),
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
        published_on = timezone.localtime(publish_at).date()
        if item.formed_on > published_on:
            raise WorkflowError(
                _(
                    "成文日期（%(formed)s）晚于发布日期（%(published)s），不能发布："
                    "信息不能在形成之前公开。请退回信息员核对成文日期。"
                )
                % {
                    "formed": item.formed_on.isoformat(),
                    "published": published_on.isoformat(),
                }
            )
        from_state = item.state
        first_publication = record is None and item.first_published_at is None
        if item.index_number is None:
            local = timezone.localtime(publish_at)
            item.index_number = allocate_index_number(
                item.department.effective_publisher_code, local.year
            )
        status = modes.record_status(item)
        content = modes.public_content(item)
        if first_publication:
            item.first_published_at = publish_at
            if item.due_on:
                late = working_days_late(item.due_on, published_on, work_calendar())
                # Published after the due date on a day off (the weekend after
                # a Friday deadline) is late all the same: it counts as the
                # first working day late, never as on time.
                if published_on > item.due_on:
                    late = max(late, 1)
                item.late_working_days = late
        if record is None:
            if status != PublicRecord.Status.WITHHELD:
                # (A withheld item gets no public record at all.)
                record = PublicRecord(
                    item=item,
                    index_number=item.index_number,
                    published_at=publish_at,
                    updated_at=publish_at,
                    status=status,
                    **content,
                )
                record.save()
        else:
            for name, value in content.items():
                setattr(record, name, value)
            record.updated_at = now
            record.revision_number += 1
            if record.status != status:
                record.status = status
                record.status_changed_at = now
            record.save()
            if item.is_major_change and status == PublicRecord.Status.LIVE:
                ChangeNote.objects.create(
                    record=record, changed_at=now, note=item.change_note.strip()
                )
        public = status == PublicRecord.Status.LIVE
        Attachment.objects.filter(item=item, in_draft=True).update(is_published=public)
        Attachment.objects.filter(item=item, in_draft=False).update(is_published=False)
        item.state = State.SCHEDULED if at else State.PUBLISHED
        item.publish_at = publish_at
        item.change_note = ""
        item.is_major_change = False
        # The next touch starts the next revision under review.
        item.publication_count += 1
        item.save(
            update_fields=[
                "state",
                "index_number",
                "publish_at",
                "first_published_at",
                "late_working_days",
                "change_note",
                "is_major_change",
                "publication_count",
            ]
        )
        revision = item.revisions.order_by("-number").first()
        comment = (
            _("定时发布：%(at)s")
            % {"at": timezone.localtime(at).strftime("%Y-%m-%d %H:%M")}
            if at
            else ""
        )
        comment = " ".join(part for part in (comment, note) if part)
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
        # Not published after all: the revision under review is again the
        # one its contributors touched (they still may not publish it).
        item.publication_count -= 1
        item.save(
            update_fields=[
                "state",
                "publish_at",
                "first_published_at",
                "late_working_days",
                "publication_count",
            ]
        )
        _audit(item, by, Action.UNSCHEDULE, from_state)
    return item


# --- office administrators ------------------------------------------------------------


def _end_publication(
    *, item, by, reason, action, status, audit_action, keep_attachments=True
) -> Item:
    if not reason or not reason.strip():
        raise WorkflowError(_("请写明理由，它会与操作记录一起保存。"))
    with transaction.atomic():
        item = _locked(item)
        _check_state(item, action)
        record = PublicRecord.objects.select_for_update().filter(item=item).first()
        if record is None or record.status in ENDED_STATUSES:
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
        if action == "withdraw":
            record.ending = Ending.TAKEN_DOWN
        record.save(
            update_fields=["status", "status_changed_at", "status_reason", "ending"]
        )
        if not keep_attachments:
            Attachment.objects.filter(item=item).update(is_published=False)
        item.state = TRANSITIONS[action][1]
        item.review_stage = ""
        item.save(update_fields=["state", "review_stage"])
        _audit(item, by, audit_action, from_state, comment=record.status_reason)
    return item


#: Statuses of a record that cannot be withdrawn or removed (again).
ENDED_STATUSES = (PublicRecord.Status.REMOVED, PublicRecord.Status.WITHHELD)


def withdraw(
    *,
    item: Item,
    by,
    reason: str,
    ending: str = Ending.TAKEN_DOWN,
    keep_attachments: bool = False,
    on: datetime.date | None = None,
) -> Item:
    """End a published item, as the office says which it is (条例 Art. 20(一);
    withdrawal is not repeal):

    - 撤回 (``Ending.TAKEN_DOWN``): taken off the site; the page says so with
      the reason and date, out of listings and feeds.
    - 废止 or 失效: the document stops having effect from ``on`` (today by
      default); its page stays public with 有效性 废止/失效 and the date, in
      listings (``?validity=valid`` leaves it out). See :func:`repeal`.

    ``keep_attachments``: whether its files can still be downloaded."""
    if ending != Ending.TAKEN_DOWN:
        return repeal(
            item=item,
            by=by,
            reason=reason,
            ending=ending,
            keep_attachments=keep_attachments,
            on=on,
        )
    return _end_publication(
        item=item,
        by=by,
        reason=reason,
        action="withdraw",
        status=PublicRecord.Status.WITHDRAWN,
        audit_action=Action.WITHDRAW,
        keep_attachments=keep_attachments,
    )


def repeal(
    *,
    item: Item,
    by,
    reason: str,
    ending: str = Ending.REPEALED,
    keep_attachments: bool = True,
    on: datetime.date | None = None,
) -> Item:
    """废止 or 失效: the record stays live with its 有效性 and the date it
    changed (the working copy too, so a later revision keeps it)."""
    if ending not in (Ending.REPEALED, Ending.EXPIRED):
        raise WorkflowError(_("请选择撤回、废止或失效。"))
    if not reason or not reason.strip():
        raise WorkflowError(_("请写明理由，它会与操作记录一起保存。"))
    today = timezone.localdate()
    on = on or today
    if on > today:
        raise WorkflowError(_("废止或失效日期不能晚于今天。"))
    with transaction.atomic():
        item = _locked(item)
        record = PublicRecord.objects.select_for_update().filter(item=item).first()
        if record is None or record.status != PublicRecord.Status.LIVE:
            raise InvalidTransition(_("这条信息没有公开，不能废止。"))
        if record.ending:
            raise InvalidTransition(_("这份文件已经废止或失效。"))
        _require(
            permissions.can_withdraw(by, item),
            _("只有政务公开办公室管理员可以撤销或删除已发布的信息。"),
        )
        now = timezone.now()
        for row in (record, item):
            row.validity = ending  # Validity and Ending share these values
            row.validity_changed_on = on
        record.ending = ending
        record.status_changed_at = now
        record.status_reason = reason.strip()
        record.save(
            update_fields=[
                "validity",
                "validity_changed_on",
                "ending",
                "status_changed_at",
                "status_reason",
            ]
        )
        item.save(update_fields=["validity", "validity_changed_on"])
        if not keep_attachments:
            Attachment.objects.filter(item=item).update(is_published=False)
        comment = f"{Ending(ending).label}（{on.isoformat()}）{record.status_reason}"
        _audit(item, by, Action.REPEAL, item.state, comment=comment)
    return item


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
