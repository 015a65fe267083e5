"""Complaints about disclosure (条例第四十七条): filed by the public, routed to
the disclosure office, looked into and concluded with a recorded outcome.

    received ──accept──▶ accepted ──conclude──▶ concluded
        └────────────────conclude────────────────▲

Each step writes the participation trail in its transaction; e-mail (to the
office when one arrives, to the complainant when it is concluded, if they
gave an address) is sent after the commit.
"""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from disclosure.models import Complaint, IndexSerial, ParticipationEntry
from disclosure.permissions import OFFICE_ADMIN_GROUP, REVIEWER_GROUP
from disclosure.workflow import InvalidTransition, NotAllowed, WorkflowError

from . import rules
from .links import site_url
from .text import clean_comment_text

State = Complaint.State
Action = ParticipationEntry.Action

#: The serial counter of complaint numbers (a row of ``IndexSerial`` per year).
SERIAL_KEY = "complaints"


def _next_number(year: int) -> str:
    """TS2026-0007: gap-free per year under concurrent filing (the counter
    row is locked)."""
    IndexSerial.objects.get_or_create(publisher_code=SERIAL_KEY, year=year)
    serial = IndexSerial.objects.select_for_update().get(
        publisher_code=SERIAL_KEY, year=year
    )
    serial.last_serial += 1
    serial.save(update_fields=["last_serial"])
    return f"TS{year}-{serial.last_serial:04d}"


def _trail(complaint, by, action, note=""):
    ParticipationEntry.objects.create(
        complaint=complaint, actor=by, action=action, note=note, at=timezone.now()
    )


def file_complaint(*, data: dict) -> Complaint:
    """Record a complaint from the public form."""
    description = clean_comment_text(data.get("description"))
    if not description:
        raise WorkflowError(_("请写明投诉的具体情况。"))
    if data.get("kind") not in Complaint.Kind.values:
        raise WorkflowError(_("请选择投诉类型。"))
    with transaction.atomic():
        now = timezone.now()
        complaint = Complaint.objects.create(
            number=_next_number(timezone.localtime(now).year),
            access_key=secrets.token_urlsafe(32),
            kind=data["kind"],
            department=data.get("department"),
            subject=clean_comment_text(data.get("subject"), multiline=False),
            description=description,
            name=clean_comment_text(data.get("name"), multiline=False),
            contact=clean_comment_text(data.get("contact"), multiline=False),
            email=(data.get("email") or "").strip(),
            received_at=now,
        )
        _trail(complaint, None, Action.COMPLAINT_RECEIVED)
        complaint_id = complaint.pk
        transaction.on_commit(lambda: _notify_received(complaint_id), robust=True)
    return complaint


def _locked(complaint: Complaint) -> Complaint:
    return Complaint.objects.select_for_update(of=("self",)).get(pk=complaint.pk)


def accept_complaint(*, complaint: Complaint, by, note: str = "") -> Complaint:
    if not rules.can_handle_complaints(by):
        raise NotAllowed(_("只有政务公开办公室工作人员可以办理投诉举报。"))
    with transaction.atomic():
        complaint = _locked(complaint)
        if complaint.state != State.RECEIVED:
            raise InvalidTransition(_("这件投诉举报已经受理。"))
        complaint.state = State.ACCEPTED
        complaint.handled_by = by
        complaint.accepted_at = timezone.now()
        complaint.save(update_fields=["state", "handled_by", "accepted_at"])
        _trail(complaint, by, Action.COMPLAINT_ACCEPTED, note.strip())
    return complaint


def conclude_complaint(
    *, complaint: Complaint, by, outcome: str, outcome_text: str
) -> Complaint:
    """Record the outcome. 条例第四十七条第二款: a complaint found true leads to
    rectification or a public criticism, which the outcome names."""
    if not rules.can_handle_complaints(by):
        raise NotAllowed(_("只有政务公开办公室工作人员可以办理投诉举报。"))
    if outcome not in Complaint.Outcome.values:
        raise WorkflowError(_("请选择办理结果。"))
    if not (outcome_text or "").strip():
        raise WorkflowError(_("请写明核查经过和处理情况，投诉人会看到它。"))
    with transaction.atomic():
        complaint = _locked(complaint)
        if complaint.state == State.CONCLUDED:
            raise InvalidTransition(_("这件投诉举报已经办结。"))
        now = timezone.now()
        if complaint.accepted_at is None:
            complaint.accepted_at = now
        complaint.state = State.CONCLUDED
        complaint.handled_by = by
        complaint.concluded_at = now
        complaint.outcome = outcome
        complaint.outcome_text = outcome_text.strip()
        complaint.save(
            update_fields=[
                "state",
                "handled_by",
                "accepted_at",
                "concluded_at",
                "outcome",
                "outcome_text",
            ]
        )
        _trail(
            complaint,
            by,
            Action.COMPLAINT_CONCLUDED,
            str(Complaint.Outcome(outcome).label),
        )
        complaint_id = complaint.pk
        transaction.on_commit(lambda: _notify_concluded(complaint_id), robust=True)
    return complaint


# --- e-mail --------------------------------------------------------------------------


def _office_addresses() -> list[str]:
    users = get_user_model().objects.filter(
        Q(groups__name=REVIEWER_GROUP) | Q(groups__name=OFFICE_ADMIN_GROUP),
        is_active=True,
    )
    return sorted({user.email for user in users if user.email})


def _notify_received(complaint_id: int) -> None:
    complaint = Complaint.objects.get(pk=complaint_id)
    recipients = _office_addresses()
    if recipients:
        send_mail(
            _("【投诉举报】%(number)s %(kind)s")
            % {"number": complaint.number, "kind": complaint.get_kind_display()},
            _("收到一件政府信息公开投诉举报，请及时核查办理：\n\n%(url)s\n")
            % {"url": site_url(complaint.get_staff_url())},
            settings.DEFAULT_FROM_EMAIL,
            recipients,
            fail_silently=True,
        )
    if complaint.email:
        send_mail(
            _("已收到您的投诉举报（编号 %(number)s）") % {"number": complaint.number},
            _(
                "我们已收到您关于政府信息公开工作的投诉举报，编号 %(number)s。"
                "政务公开办公室将核查办理，办理进展和结果可在以下页面查询：\n\n%(url)s\n\n"
                "请妥善保管此链接，不要转发给他人。\n"
            )
            % {
                "number": complaint.number,
                "url": site_url(complaint.get_status_url()),
            },
            settings.DEFAULT_FROM_EMAIL,
            [complaint.email],
            fail_silently=True,
        )


def _notify_concluded(complaint_id: int) -> None:
    complaint = Complaint.objects.get(pk=complaint_id)
    if not complaint.email:
        return
    send_mail(
        _("您的投诉举报已办结（编号 %(number)s）") % {"number": complaint.number},
        _("办理结果：%(outcome)s\n\n%(text)s\n\n详情：%(url)s\n")
        % {
            "outcome": complaint.get_outcome_display(),
            "text": complaint.outcome_text,
            "url": site_url(complaint.get_status_url()),
        },
        settings.DEFAULT_FROM_EMAIL,
        [complaint.email],
        fail_silently=True,
    )
