"""What every step of a request shares: the table of transitions, locking,
the trail, serial numbers and letters."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from disclosure.models import (
    InformationRequest,
    RequestEvent,
    RequestLetter,
    RequestSerial,
)

from ..transitions import InvalidTransition, NotAllowed, WorkflowError

State = InformationRequest.State
Action = RequestEvent.Action

#: action → (states it may start from, state it leads to; None: unchanged).
TRANSITIONS: dict[str, tuple[frozenset[str], str | None]] = {
    "confirm": (frozenset({State.SUBMITTED}), State.PROCESSING),
    "discard": (frozenset({State.SUBMITTED}), State.DISCARDED),
    "assign": (
        frozenset({State.SUBMITTED, State.PROCESSING, State.CORRECTION, State.FEE}),
        None,
    ),
    "correction": (frozenset({State.PROCESSING}), State.CORRECTION),
    "corrected": (frozenset({State.CORRECTION}), State.PROCESSING),
    "consult": (frozenset({State.PROCESSING}), None),
    "consulted": (frozenset({State.PROCESSING}), None),
    "extend": (frozenset({State.PROCESSING}), None),
    "fee_notice": (frozenset({State.PROCESSING}), State.FEE),
    "fee_response": (frozenset({State.FEE}), None),
    "fee_paid": (frozenset({State.FEE}), State.PROCESSING),
    "draft_reply": (
        frozenset({State.PROCESSING, State.CORRECTION, State.FEE}),
        State.REVIEW,
    ),
    "return_reply": (frozenset({State.REVIEW}), None),  # back where it came from
    "send_reply": (frozenset({State.REVIEW}), State.CLOSED),
    "withdraw": (
        frozenset({State.PROCESSING, State.CORRECTION, State.FEE, State.REVIEW}),
        State.CLOSED,
    ),
    "to_proactive": (frozenset({State.CLOSED}), None),
}

_ACTION_WORDS = {
    "confirm": gettext_lazy("确认收到"),
    "discard": gettext_lazy("认定为无效提交"),
    "assign": gettext_lazy("交办"),
    "correction": gettext_lazy("告知补正"),
    "corrected": gettext_lazy("登记补正"),
    "consult": gettext_lazy("征求意见"),
    "consulted": gettext_lazy("登记意见"),
    "extend": gettext_lazy("延期答复"),
    "fee_notice": gettext_lazy("发出收费通知"),
    "fee_response": gettext_lazy("回复收费通知"),
    "fee_paid": gettext_lazy("确认缴费"),
    "draft_reply": gettext_lazy("起草答复"),
    "return_reply": gettext_lazy("退回答复"),
    "send_reply": gettext_lazy("发出答复"),
    "withdraw": gettext_lazy("撤回"),
    "to_proactive": gettext_lazy("转为主动公开"),
}

__all__ = [
    "Action",
    "InvalidTransition",
    "NotAllowed",
    "State",
    "TRANSITIONS",
    "WorkflowError",
]


def locked(request: InformationRequest) -> InformationRequest:
    return (
        InformationRequest.objects.select_for_update(of=("self",))
        .select_related("organ", "organ__parent", "assigned_department")
        .get(pk=request.pk)
    )


def check_state(request: InformationRequest, action: str) -> None:
    from_states, _to = TRANSITIONS[action]
    if request.state not in from_states:
        raise InvalidTransition(
            _("这件申请当前状态为“%(state)s”，不能%(action)s。")
            % {"state": request.get_state_display(), "action": _ACTION_WORDS[action]}
        )


def require(allowed: bool, message: str) -> None:
    if not allowed:
        raise NotAllowed(message)


def event(request, by, action, from_state, *, comment="") -> RequestEvent:
    return RequestEvent.objects.create(
        request=request,
        actor=by if by is not None and by.is_authenticated else None,
        at=timezone.now(),
        action=action,
        from_state=from_state,
        to_state=request.state,
        comment=comment,
    )


def save(request: InformationRequest, fields: list[str]) -> None:
    request.version += 1
    request.save(update_fields=[*fields, "state", "version"])


def today() -> datetime.date:
    return timezone.localdate()


def check_day(day: datetime.date, *, not_before=None, what: str) -> datetime.date:
    """A date staff enter: not in the future, not before ``not_before``."""
    if day > today():
        raise WorkflowError(_("%(what)s不能晚于今天。") % {"what": what})
    if not_before is not None and day < not_before:
        raise WorkflowError(
            _("%(what)s不能早于%(day)s。") % {"what": what, "day": not_before}
        )
    return day


def next_serial(scope: str, year: int) -> int:
    """The next serial of ``scope`` in ``year``, under a row lock (gap-free
    and unique with concurrent callers)."""
    try:
        with transaction.atomic():
            RequestSerial.objects.get_or_create(scope=scope, year=year)
    except IntegrityError:  # created concurrently
        pass
    serial = RequestSerial.objects.select_for_update().get(scope=scope, year=year)
    serial.last_serial += 1
    serial.save(update_fields=["last_serial"])
    return serial.last_serial


def new_number(day: datetime.date) -> str:
    """The tracking number: YSQ + year + 5-digit serial, e.g. YSQ202600042."""
    return f"YSQ{day.year}{next_serial('tracking', day.year):05d}"


def letter_number(request: InformationRequest, day: datetime.date) -> str:
    """GB/T 9704 style: issuer + 依申请 + 〔year〕 + serial + 号."""
    organ = request.organ
    serial = next_serial(f"letter:{organ.pk}", day.year)
    return f"{organ.short_name or organ.name}依申请〔{day.year}〕{serial}号"


def issue_letter(request, kind, by, day, compose, **extra) -> RequestLetter:
    number = letter_number(request, day)
    return RequestLetter.objects.create(
        request=request,
        kind=kind,
        number=number,
        content=compose(request, number=number, issued_on=day, **extra),
        issued_on=day,
        issued_by=by,
    )
