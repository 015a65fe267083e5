"""Receiving an application: online by the applicant, on paper by staff
(with the receipt date of Art. 31), confirming an online one, setting aside
spam, assigning it, the correction notice and the corrected application
(Art. 30), and a withdrawal."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalog.models import Department
from catalog.selectors import work_calendar
from disclosure import request_access, request_clock, request_letters, request_mail
from disclosure import request_permissions as perms
from disclosure.models import (
    Channel,
    InformationRequest,
    ReplyType,
    RequestLetter,
)

from .common import (
    Action,
    State,
    WorkflowError,
    check_day,
    check_state,
    event,
    issue_letter,
    locked,
    new_number,
    require,
    save,
    today,
)

APPLICANT_FIELDS = (
    "organ",
    "applicant_kind",
    "applicant_name",
    "id_type",
    "id_number",
    "representative",
    "contact_person",
    "phone",
    "email",
    "address",
    "postcode",
    "description",
    "document_number",
    "delivery_form",
    "delivery_method",
)


def _new_request(data: dict, **fields) -> tuple[InformationRequest, str]:
    unknown = set(data) - set(APPLICANT_FIELDS)
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    organ = data["organ"]
    if not isinstance(organ, Department) or not organ.is_active:
        raise WorkflowError(_("请选择受理申请的机关。"))
    code = request_access.new_code()
    request = InformationRequest(
        **data,
        **fields,
        number=new_number(today()),
        access_code_hash=request_access.digest(code),
        submitted_at=timezone.now(),
    )
    request.full_clean(exclude=["number", "access_code_hash"])
    request.save()
    return request, code


def submit_online(*, data: dict) -> tuple[InformationRequest, str]:
    """An application sent through /requests/new/: waits for the office to
    confirm receipt (Art. 31 (三)). Returns the request and its access code
    (shown and e-mailed once, stored only as a digest)."""
    with transaction.atomic():
        request, code = _new_request(
            data, channel=Channel.ONLINE, state=State.SUBMITTED
        )
        event(request, None, Action.SUBMIT, "")
        request_id = request.pk
        transaction.on_commit(
            lambda: request_mail.submitted(request_id, code), robust=True
        )
        transaction.on_commit(
            lambda: request_mail.new_online_application(request_id), robust=True
        )
    return request, code


def register(
    *,
    by,
    data: dict,
    channel: str,
    handed_in_on: datetime.date | None = None,
    signed_for_on: datetime.date | None = None,
    confirmed_on: datetime.date | None = None,
) -> tuple[InformationRequest, str]:
    """An application received in person, by post or by fax, entered by
    staff with the dates Art. 31 needs for its channel."""
    require(
        perms.can_register(by, data.get("organ")),
        _("您不能为这个机关登记政府信息公开申请。"),
    )
    if channel == Channel.ONLINE:
        raise WorkflowError(_("网上申请由申请人在门户提交，无需登记。"))
    try:
        received_on = request_clock.receipt_date(
            channel,
            handed_in_on=handed_in_on,
            signed_for_on=signed_for_on,
            confirmed_on=confirmed_on,
        )
    except request_clock.ClockError as error:
        raise WorkflowError(str(_RECEIPT_MESSAGES.get(str(error), error))) from error
    check_day(received_on, what=_("收到申请日期"))
    with transaction.atomic():
        request, code = _new_request(
            data,
            channel=channel,
            state=State.PROCESSING,
            received_on=received_on,
            registered_by=by,
        )
        event(
            request,
            by,
            Action.REGISTER,
            "",
            comment=_("收到申请日期：%(day)s") % {"day": received_on},
        )
    return request, code


_RECEIPT_MESSAGES = {
    "handed_in_on": gettext_lazy(
        "当面提交的申请，请填写申请人提交的日期（条例第三十一条第一项）。"
    ),
    "signed_for_on": gettext_lazy(
        "邮寄的申请，请填写本机关签收的日期（条例第三十一条第二项）。"
    ),
    "confirmed_on": gettext_lazy(
        "平常信函、传真或网上提交的申请，请填写与申请人确认的日期（条例第三十一条）。"
    ),
}


def confirm_receipt(
    *, request: InformationRequest, by, received_on: datetime.date | None = None
) -> InformationRequest:
    """Both sides confirm an online application (Art. 31 (三)): the
    applicant by sending it, the organ now. The receipt date is today unless
    staff give an earlier day, not before it was sent."""
    with transaction.atomic():
        request = locked(request)
        check_state(request, "confirm")
        require(perms.can_confirm(by, request), _("您不能确认收到这件申请。"))
        day = check_day(
            received_on or today(),
            not_before=timezone.localdate(request.submitted_at),
            what=_("确认收到日期"),
        )
        from_state = request.state
        request.state = State.PROCESSING
        request.received_on = day
        save(request, ["received_on"])
        event(request, by, Action.CONFIRM, from_state, comment=str(day))
    return request


def discard(*, request: InformationRequest, by, reason: str) -> InformationRequest:
    """Set aside an online submission that is no application (spam, a test):
    not counted anywhere; the office only, with a reason."""
    if not reason.strip():
        raise WorkflowError(_("请写明认定为无效提交的原因。"))
    with transaction.atomic():
        request = locked(request)
        check_state(request, "discard")
        require(perms.can_discard(by, request), _("只有政务公开办公室可以这样处理。"))
        from_state = request.state
        request.state = State.DISCARDED
        request.discard_reason = reason.strip()
        save(request, ["discard_reason"])
        event(request, by, Action.DISCARD, from_state, comment=reason.strip())
    return request


def assign(
    *, request: InformationRequest, by, department: Department
) -> InformationRequest:
    """Give the request to the department that holds the information; the
    time is recorded (the dashboard shows how long each step took)."""
    with transaction.atomic():
        request = locked(request)
        check_state(request, "assign")
        require(perms.can_assign(by, request), _("您不能交办这件申请。"))
        if not department.is_active:
            raise WorkflowError(_("不能交办给已停用的机构。"))
        request.assigned_department = department
        request.assigned_at = timezone.now()
        save(request, ["assigned_department", "assigned_at"])
        event(request, by, Action.ASSIGN, request.state, comment=department.name)
    return request


def request_correction(
    *,
    request: InformationRequest,
    by,
    items: str,
    period: int = request_clock.DEFAULT_CORRECTION_PERIOD,
) -> RequestLetter:
    """The correction notice (Art. 30): once, within 7 working days of
    receipt, naming what is missing and a period; the clock stops and starts
    again from the corrected application."""
    if not items.strip():
        raise WorkflowError(_("补正告知须写明需要补正的事项。"))
    if not 1 <= period <= request_clock.MAX_CORRECTION_PERIOD:
        raise WorkflowError(
            _("补正期限应为1至%(max)s个工作日。")
            % {"max": request_clock.MAX_CORRECTION_PERIOD}
        )
    calendar = work_calendar()
    with transaction.atomic():
        request = locked(request)
        check_state(request, "correction")
        require(perms.may_handle(by, request), _("您不是这件申请的承办人。"))
        if request.correction_requested_on is not None:
            raise WorkflowError(_("补正告知只能发出一次（条例第三十条）。"))
        day = today()
        last = request_clock.correction_notice_deadline(request.received_on, calendar)
        if day > last:
            raise WorkflowError(
                _(
                    "补正告知应在收到申请之日起7个工作日内发出（最迟%(last)s），"
                    "已超过期限，不能再要求补正。"
                )
                % {"last": last}
            )
        from_state = request.state
        request.state = State.CORRECTION
        request.correction_requested_on = day
        request.correction_items = items.strip()
        request.correction_due_on = request_clock.correction_due(day, period, calendar)
        save(
            request,
            ["correction_requested_on", "correction_items", "correction_due_on"],
        )
        letter = issue_letter(
            request,
            RequestLetter.Kind.CORRECTION,
            by,
            day,
            request_letters.correction_letter,
            due_on=request.correction_due_on,
            period=period,
        )
        event(request, by, Action.CORRECTION, from_state, comment=items.strip())
        letter_id = letter.pk
        transaction.on_commit(lambda: request_mail.letter(letter_id), robust=True)
    return letter


def correct(
    *,
    request: InformationRequest,
    by=None,
    description: str,
    received_on: datetime.date | None = None,
) -> InformationRequest:
    """The corrected application: sent by the applicant on the tracking page
    (``by`` None, received today) or entered by a handler with the day it
    arrived. The clock starts again from that day."""
    if not description.strip():
        raise WorkflowError(_("请填写补正后的申请内容。"))
    with transaction.atomic():
        request = locked(request)
        check_state(request, "corrected")
        if by is not None:
            require(perms.may_handle(by, request), _("您不是这件申请的承办人。"))
        day = today()
        if received_on is not None and by is not None:
            day = check_day(
                received_on,
                not_before=request.correction_requested_on,
                what=_("收到补正日期"),
            )
        if day > request.correction_due_on:
            raise WorkflowError(
                _("补正期限已于%(due)s届满，不能再提交补正。")
                % {"due": request.correction_due_on}
            )
        from_state = request.state
        request.state = State.PROCESSING
        request.corrected_on = day
        request.corrected_description = description.strip()[:5000]
        save(request, ["corrected_on", "corrected_description"])
        event(request, by, Action.CORRECTED, from_state, comment=str(day))
    return request


def withdraw(
    *, request: InformationRequest, by=None, reason: str = ""
) -> InformationRequest:
    """The applicant withdraws the application (on the tracking page, or in
    writing, recorded by a handler): closed as （六）3 其他."""
    with transaction.atomic():
        request = locked(request)
        check_state(request, "withdraw")
        if by is not None:
            require(perms.can_record_withdrawal(by, request), _("您不能登记撤回。"))
        from_state = request.state
        request.state = State.CLOSED
        request.result = ReplyType.OTHER_OTHER
        request.closed_on = today()
        request.reply_text = _("申请人撤回申请。") + (
            " " + reason.strip() if reason else ""
        )
        save(request, ["result", "closed_on", "reply_text"])
        event(request, by, Action.WITHDRAW, from_state, comment=reason.strip())
    return request
