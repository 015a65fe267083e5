"""After a consultation opens: the public's comments and their moderation;
after it closes: the feedback (how many comments, what was adopted and why
not), published by a reviewer who did not write it, and the link to the
policy adopted in the end.

    closed: feedback draft ──submit──▶ submitted ──publish──▶ published
                 ▲                          │
                 └────────── return ◀───────┘
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from disclosure.models import (
    Consultation,
    ConsultationComment,
    ItemKind,
    ParticipationEntry,
    PublicRecord,
)
from disclosure.workflow import InvalidTransition, WorkflowError

from . import rules
from .consultations import _locked, _require, _trail
from .text import clean_comment_text

Feedback = Consultation.FeedbackState
Action = ParticipationEntry.Action

FEEDBACK_FIELDS = (
    "offline_comment_count",
    "feedback_summary",
    "feedback_adopted",
    "feedback_not_adopted",
)


# --- comments --------------------------------------------------------------------------


def add_comment(
    *, consultation: Consultation, name: str, contact: str, body: str
) -> ConsultationComment:
    """A comment from the public, kept for moderation (nothing is shown
    before a moderator has looked at it). Refused once the consultation is
    closed, whatever page the visitor had open."""
    body = clean_comment_text(body)
    if not body:
        raise WorkflowError(_("请填写意见内容。"))
    with transaction.atomic():
        consultation = _locked(consultation)
        if consultation.phase() != "open":
            raise InvalidTransition(_("这项意见征集不在征集期内，不能再提交意见。"))
        comment = ConsultationComment.objects.create(
            consultation=consultation,
            name=clean_comment_text(name, multiline=False),
            contact=clean_comment_text(contact, multiline=False),
            body=body,
            submitted_at=timezone.now(),
        )
        _trail(consultation, None, Action.COMMENT, comment=comment)
    return comment


def moderate_comment(
    *, comment: ConsultationComment, by, state: str, note: str = "", reply: str = ""
) -> ConsultationComment:
    if state not in ConsultationComment.State.values or state == "pending":
        raise WorkflowError(_("请选择审核结果。"))
    _require(rules.can_moderate(by), _("只有政务公开办公室工作人员可以审核意见。"))
    with transaction.atomic():
        comment = (
            ConsultationComment.objects.select_for_update(of=("self",))
            .select_related("consultation")
            .get(pk=comment.pk)
        )
        comment.state = state
        comment.moderated_by = by
        comment.moderated_at = timezone.now()
        comment.moderation_note = clean_comment_text(note, multiline=False)[:300]
        comment.reply = clean_comment_text(reply)
        comment.save(
            update_fields=[
                "state",
                "moderated_by",
                "moderated_at",
                "moderation_note",
                "reply",
            ]
        )
        label = ConsultationComment.State(state).label
        _trail(
            comment.consultation,
            by,
            Action.MODERATE,
            f"{label} {comment.moderation_note}".strip(),
            comment=comment,
        )
    return comment


# --- feedback ----------------------------------------------------------------------------


def save_feedback(*, consultation: Consultation, by, data: dict) -> Consultation:
    unknown = set(data) - set(FEEDBACK_FIELDS)
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    with transaction.atomic():
        consultation = _locked(consultation)
        _require(
            rules.can_write_feedback(by, consultation),
            _("征集结束后，所属单位的信息员或公开办工作人员可以起草反馈。"),
        )
        for name, value in data.items():
            setattr(
                consultation, name, value.strip() if isinstance(value, str) else value
            )
        consultation.feedback_state = Feedback.DRAFT
        consultation.feedback_by = by
        consultation.save(update_fields=[*data, "feedback_state", "feedback_by"])
        _trail(consultation, by, Action.FEEDBACK_EDIT)
    return consultation


def submit_feedback(*, consultation: Consultation, by) -> Consultation:
    with transaction.atomic():
        consultation = _locked(consultation)
        _require(
            consultation.feedback_state == Feedback.DRAFT
            and rules.can_draft_for(by, consultation.department),
            _("只有起草中的反馈可以提交审核。"),
        )
        if not (
            consultation.feedback_summary.strip()
            and consultation.feedback_adopted.strip()
        ):
            raise WorkflowError(_("请先填写意见总体情况和采纳情况。"))
        if ConsultationComment.objects.filter(
            consultation=consultation, state=ConsultationComment.State.PENDING
        ).exists():
            raise WorkflowError(_("还有未审核的意见，请先审核全部意见再提交反馈。"))
        consultation.feedback_state = Feedback.SUBMITTED
        consultation.feedback_by = by
        consultation.save(update_fields=["feedback_state", "feedback_by"])
        _trail(consultation, by, Action.FEEDBACK_SUBMIT)
    return consultation


def return_feedback(*, consultation: Consultation, by, comment: str) -> Consultation:
    if not (comment or "").strip():
        raise WorkflowError(_("退回时请写明需要修改的内容。"))
    with transaction.atomic():
        consultation = _locked(consultation)
        _require(
            rules.can_publish_feedback(by, consultation),
            _("只有审核员可以退回待审核的反馈，且不能退回自己起草的。"),
        )
        consultation.feedback_state = Feedback.DRAFT
        consultation.save(update_fields=["feedback_state"])
        _trail(consultation, by, Action.FEEDBACK_RETURN, comment.strip())
    return consultation


def publish_feedback(*, consultation: Consultation, by) -> Consultation:
    with transaction.atomic():
        consultation = _locked(consultation)
        _require(
            rules.can_publish_feedback(by, consultation),
            _("只有审核员可以公布反馈，且不能公布自己起草或提交的反馈。"),
        )
        consultation.feedback_state = Feedback.PUBLISHED
        consultation.feedback_published_by = by
        consultation.feedback_published_at = timezone.now()
        consultation.save(
            update_fields=[
                "feedback_state",
                "feedback_published_by",
                "feedback_published_at",
            ]
        )
        _trail(consultation, by, Action.FEEDBACK_PUBLISH)
    return consultation


def link_policy(*, consultation: Consultation, by, index_number: str) -> Consultation:
    """Name the policy adopted after the consultation (by its 索引号): its
    public page then links the feedback, and the feedback links it."""
    record = (
        PublicRecord.objects.filter(
            index_number=(index_number or "").strip(),
            status=PublicRecord.Status.LIVE,
            published_at__lte=timezone.now(),
        )
        .only("item_id", "title", "kind")
        .first()
    )
    if record is None:
        raise WorkflowError(_("没有找到这个索引号对应的已发布信息。"))
    if record.kind == ItemKind.INTERPRETATION:
        raise WorkflowError(_("请关联正式出台的文件，而不是它的解读。"))
    with transaction.atomic():
        consultation = _locked(consultation)
        _require(
            rules.can_link_policy(by, consultation),
            _("反馈公布后，公开办工作人员可以关联正式出台的文件。"),
        )
        consultation.adopted_policy_id = record.pk
        consultation.save(update_fields=["adopted_policy"])
        _trail(consultation, by, Action.LINK_POLICY, record.title)
    return consultation
