"""What every step shares: the table of allowed transitions, the errors a step
raises, and the helpers that lock, check, audit, snapshot an item and record
who touched it."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalog.selectors import work_calendar
from disclosure import permissions
from disclosure.deadlines import item_due_date
from disclosure.models import AuditEntry, Contribution, Item, ReviewConfig, Revision
from disclosure.permissions import STAGE_HEAD, STAGE_OFFICE
from disclosure.sanitize import clean_html

State = Item.State

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
    "discard": (frozenset({State.DRAFT}), State.DISCARDED),
    "recall": (frozenset({State.SUBMITTED}), State.DRAFT),
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
    "discard": gettext_lazy("删除草稿"),
    "recall": gettext_lazy("撤回"),
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


def _contributed(item: Item, by, kind: str) -> None:
    """Record that ``by`` touched the revision under review (in the caller's
    transaction): they may not sign off, approve or publish it."""
    Contribution.objects.bulk_create(
        [
            Contribution(
                item=item,
                round=item.publication_count,
                user=by,
                kind=kind,
                at=timezone.now(),
            )
        ],
        ignore_conflicts=True,
    )
    permissions.forget_contributors(item)


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
    deadline = item_due_date(item, work_calendar())
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
