"""The life of a consultation (意见征集): one function per step, each in one
transaction, on the row re-read with SELECT ... FOR UPDATE, with its state
and permission checked and a trail entry written in the same transaction.

    draft ──submit──▶ submitted ──publish (reviewer, not a drafter)──▶ published
      ▲                  │                       upcoming → open → closed (by date)
      └──── return ◀─────┘

Comments and the feedback after closing: ``feedback.py``.
"""

import secrets

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from disclosure.models import (
    Consultation,
    ConsultationAttachment,
    ParticipationEntry,
)
from disclosure.sanitize import clean_html
from disclosure.uploads import CheckedFile
from disclosure.workflow import InvalidTransition, NotAllowed, WorkflowError

from . import rules

State = Consultation.State
Feedback = Consultation.FeedbackState
Action = ParticipationEntry.Action

#: What a drafter fills in.
FIELDS = (
    "department",
    "title",
    "draft_text",
    "explanation",
    "opens_on",
    "closes_on",
    "is_major_decision",
    "short_period_reason",
    "offline_contact",
)
RICH_TEXT = {"draft_text", "explanation"}


def _trail(consultation, by, action, note="", comment=None):
    return ParticipationEntry.objects.create(
        consultation=consultation,
        comment=comment,
        actor=by,
        action=action,
        note=note,
        at=timezone.now(),
    )


def _locked(consultation: Consultation) -> Consultation:
    return (
        Consultation.objects.select_for_update(of=("self",))
        .select_related("department")
        .get(pk=consultation.pk)
    )


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise NotAllowed(message)


def _validate(consultation: Consultation) -> None:
    try:
        consultation.full_clean()
    except ValidationError as error:
        raise WorkflowError(" ".join(error.messages)) from error


def _apply(consultation: Consultation, data: dict) -> list[str]:
    unknown = set(data) - set(FIELDS)
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    changed = []
    for name, value in data.items():
        if name in RICH_TEXT:
            value = clean_html(value or "")
        field = Consultation._meta.get_field(name)
        if field.is_relation:
            current = getattr(consultation, field.attname)
            differs = current != (value.pk if value is not None else None)
        else:
            differs = getattr(consultation, name) != value
        if differs:
            setattr(consultation, name, value)
            changed.append(name)
    return changed


# --- drafting ----------------------------------------------------------------------


def create_consultation(*, by, data: dict) -> Consultation:
    department = data["department"]
    _require(
        rules.can_draft_for(by, department),
        _("您不是%(dept)s的信息员，不能为它发起意见征集。") % {"dept": department.name},
    )
    with transaction.atomic():
        now = timezone.now()
        consultation = Consultation(
            created_by=by, updated_by=by, created_at=now, updated_at=now
        )
        _apply(consultation, data)
        _validate(consultation)
        consultation.save()
        _trail(consultation, by, Action.CREATE)
    return consultation


def update_consultation(*, consultation: Consultation, by, data: dict) -> Consultation:
    with transaction.atomic():
        consultation = _locked(consultation)
        _require(
            rules.can_edit(by, consultation),
            _("只有所属单位的信息员或公开办工作人员可以修改草稿状态的意见征集。"),
        )
        if "department" in data and not rules.can_draft_for(by, data["department"]):
            raise NotAllowed(_("您不能把意见征集改到自己不负责的单位。"))
        changed = _apply(consultation, data)
        consultation.updated_by = by
        consultation.updated_at = timezone.now()
        _validate(consultation)
        consultation.save()
        labels = "、".join(
            str(Consultation._meta.get_field(name).verbose_name) for name in changed
        )
        _trail(consultation, by, Action.EDIT, _("修改了：%(f)s") % {"f": labels})
    return consultation


def add_attachment(
    *, consultation: Consultation, by, uploaded, checked: CheckedFile
) -> ConsultationAttachment:
    """Attach a file that ``disclosure.uploads.check_upload`` accepted."""
    with transaction.atomic():
        consultation = _locked(consultation)
        _require(rules.can_edit(by, consultation), _("您不能给这项意见征集添加附件。"))
        attachment = ConsultationAttachment(
            consultation=consultation,
            token=secrets.token_hex(16),
            original_name=(uploaded.name or "file")[-200:],
            extension=checked.extension,
            content_type=checked.content_type,
            size=checked.size,
            sha256=checked.sha256,
            public_sha256=checked.public_sha256,
            uploaded_by=by,
        )
        uploaded.seek(0)
        attachment.file.save(
            f"{attachment.token}.{checked.extension}", uploaded, save=False
        )
        if checked.public_sha256 != checked.sha256:
            attachment.public_file.save(
                f"{attachment.token}.public.{checked.extension}",
                ContentFile(checked.public_data),
                save=False,
            )
        attachment.save()
        _trail(consultation, by, Action.ATTACH, attachment.original_name)
    return attachment


def remove_attachment(*, attachment: ConsultationAttachment, by) -> None:
    with transaction.atomic():
        consultation = _locked(attachment.consultation)
        _require(rules.can_edit(by, consultation), _("您不能删除这项意见征集的附件。"))
        name = attachment.original_name
        files = [attachment.file, attachment.public_file]
        attachment.delete()
        _trail(consultation, by, Action.DETACH, name)
        transaction.on_commit(
            lambda: [f.delete(save=False) for f in files if f], robust=True
        )


def submit_consultation(*, consultation: Consultation, by) -> Consultation:
    with transaction.atomic():
        consultation = _locked(consultation)
        _require(rules.can_submit(by, consultation), _("您不能提交这项意见征集。"))
        _validate(consultation)
        consultation.state = State.SUBMITTED
        consultation.submitted_by = by
        consultation.return_comment = ""
        consultation.save(update_fields=["state", "submitted_by", "return_comment"])
        _trail(consultation, by, Action.SUBMIT)
    return consultation


# --- the office's review -------------------------------------------------------------


def return_consultation(
    *, consultation: Consultation, by, comment: str
) -> Consultation:
    if not (comment or "").strip():
        raise WorkflowError(_("退回时请写明需要修改的内容。"))
    with transaction.atomic():
        consultation = _locked(consultation)
        _require(
            rules.can_return(by, consultation),
            _("只有审核员可以退回待审核的意见征集，且不能退回自己起草的。"),
        )
        consultation.state = State.DRAFT
        consultation.return_comment = comment.strip()
        consultation.save(update_fields=["state", "return_comment"])
        _trail(consultation, by, Action.RETURN, consultation.return_comment)
    return consultation


def publish_consultation(*, consultation: Consultation, by) -> Consultation:
    """Put the consultation before the public. The period rules are checked
    again (《重大行政决策程序暂行条例》第十五条), and it may not open in the past:
    the public would get fewer days than announced."""
    with transaction.atomic():
        consultation = _locked(consultation)
        if consultation.state != State.SUBMITTED:
            raise InvalidTransition(_("只有待审核的意见征集可以发布。"))
        _require(
            rules.can_publish(by, consultation),
            _("只有审核员可以发布意见征集，且不能发布自己起草、修改或提交的。"),
        )
        _validate(consultation)
        today = timezone.localdate()
        if consultation.opens_on < today:
            raise WorkflowError(
                _(
                    "开始日期（%(day)s）已过，公众实际可提意见的时间会少于公告的期限。"
                    "请退回修改日期后再发布。"
                )
                % {"day": consultation.opens_on.isoformat()}
            )
        now = timezone.now()
        consultation.state = State.PUBLISHED
        consultation.published_by = by
        consultation.published_at = now
        consultation.save(update_fields=["state", "published_by", "published_at"])
        _trail(consultation, by, Action.PUBLISH)
    return consultation
