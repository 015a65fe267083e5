"""While a request is handled: consulting a third party (Art. 32) or another
organ (Art. 18), the one extension (Art. 33), and the fee notice and its
payment (国办函〔2020〕109号). Consultations and the wait for payment are
not counted in the answer period (Art. 33 ¶3)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from catalog.selectors import work_calendar
from disclosure import request_clock, request_fees, request_letters, request_mail
from disclosure import request_permissions as perms
from disclosure.models import (
    FeeMethod,
    InformationRequest,
    RequestLetter,
    RequestPause,
)
from disclosure.request_queries import clock_of, monthly_ordinal

from .common import (
    Action,
    State,
    WorkflowError,
    check_day,
    check_state,
    event,
    issue_letter,
    locked,
    require,
    save,
    today,
)

Kind = RequestPause.Kind


def start_consultation(
    *, request: InformationRequest, by, kind: str, party: str
) -> RequestPause:
    """Ask a third party (Art. 32, 15 working days to answer) or another
    organ (Art. 18) for its opinion; the clock stops from the next day."""
    if kind not in (Kind.THIRD_PARTY, Kind.OTHER_ORGAN):
        raise WorkflowError(_("请选择征求第三方意见或征求其他机关意见。"))
    if not party.strip():
        raise WorkflowError(_("请填写征求意见的对象。"))
    with transaction.atomic():
        request = locked(request)
        check_state(request, "consult")
        require(perms.can_consult(by, request), _("您不是这件申请的承办人。"))
        if request.pauses.filter(ended_on__isnull=True, kind=kind).exists():
            raise WorkflowError(_("已有一项同类征求意见尚未结束。"))
        pause = RequestPause.objects.create(
            request=request, kind=kind, party=party.strip()[:100], started_on=today()
        )
        save(request, [])
        event(
            request,
            by,
            Action.CONSULT,
            request.state,
            comment=f"{pause.get_kind_display()}：{pause.party}",
        )
    return pause


def end_consultation(
    *, pause: RequestPause, by, answer: str, answered_on: datetime.date | None = None
) -> RequestPause:
    """Record the opinion (or that none came): the clock runs again from the
    day after. A third party's silence beyond its 15 working days is counted
    again from then (request_clock)."""
    with transaction.atomic():
        request = locked(pause.request)
        check_state(request, "consulted")
        require(perms.can_consult(by, request), _("您不是这件申请的承办人。"))
        pause = RequestPause.objects.select_for_update().get(pk=pause.pk)
        if pause.ended_on is not None or pause.kind == Kind.FEE:
            raise WorkflowError(_("这项征求意见已经结束。"))
        pause.ended_on = check_day(
            answered_on or today(), not_before=pause.started_on, what=_("收到意见日期")
        )
        pause.answer = answer.strip()
        pause.save(update_fields=["ended_on", "answer"])
        save(request, [])
        event(request, by, Action.CONSULTED, request.state, comment=pause.answer)
    return pause


def extend(*, request: InformationRequest, by, days: int, reason: str) -> RequestLetter:
    """The one extension of at most 20 working days, approved by the office
    head before the answer is due; the applicant is told by letter."""
    if not 1 <= days <= request_clock.MAX_EXTENSION_WORKING_DAYS:
        raise WorkflowError(_("延长期限应为1至20个工作日。"))
    if not reason.strip():
        raise WorkflowError(_("请写明需要延期答复的理由。"))
    calendar = work_calendar()
    with transaction.atomic():
        request = locked(request)
        check_state(request, "extend")
        require(
            perms.can_extend(by, request),
            _(
                "延期答复须经政府信息公开工作机构负责人（公开办管理员）同意，且只能延长一次。"
            ),
        )
        day = today()
        clock = clock_of(request, day, calendar)
        if clock.due is not None and day > clock.due:
            raise WorkflowError(
                _("答复期限已于%(due)s届满，不能再延期。") % {"due": clock.due}
            )
        request.extension_days = days
        request.extension_reason = reason.strip()
        request.extension_approved_by = by
        request.extension_approved_on = day
        save(
            request,
            [
                "extension_days",
                "extension_reason",
                "extension_approved_by",
                "extension_approved_on",
            ],
        )
        new_due = clock_of(request, day, calendar).due
        letter = issue_letter(
            request,
            RequestLetter.Kind.EXTENSION,
            by,
            day,
            request_letters.extension_letter,
            days=days,
            due_on=new_due,
        )
        event(request, by, Action.EXTEND, request.state, comment=reason.strip())
        letter_id = letter.pk
        transaction.on_commit(lambda: request_mail.letter(letter_id), robust=True)
    return letter


def issue_fee_notice(
    *, request: InformationRequest, by, method: str, pages: int | None = None
) -> RequestLetter:
    """Charge 信息处理费 by count (from the register: the applicant's
    applications to this organ in the month) or by pages. A fee of 0 is no
    notice: the rules charge only beyond the free amounts."""
    with transaction.atomic():
        request = locked(request)
        check_state(request, "fee_notice")
        require(perms.can_charge(by, request), _("您不能对这件申请收费。"))
        if request.fee_notified_on is not None:
            raise WorkflowError(_("这件申请已经发出过收费通知。"))
        if method == FeeMethod.BY_COUNT:
            ordinal = monthly_ordinal(request)
            amount = request_fees.fee_by_count(ordinal)
            explanation = request_fees.fee_explanation("count", ordinal=ordinal)
        elif method == FeeMethod.BY_PAGES:
            if pages is None or pages < 0:
                raise WorkflowError(_("按量计收请填写页数。"))
            amount = request_fees.fee_by_pages(pages)
            explanation = request_fees.fee_explanation("pages", pages=pages)
        else:
            raise WorkflowError(_("请选择按件计收或按量计收。"))
        if amount <= Decimal(0):
            raise WorkflowError(
                _("按所选方式计算，这件申请不应收费（%(why)s）。")
                % {"why": explanation}
            )
        day = today()
        from_state = request.state
        request.state = State.FEE
        request.fee_method = method
        request.fee_pages = pages if method == FeeMethod.BY_PAGES else None
        request.fee_amount = amount
        request.fee_notified_on = day
        request.fee_due_on = request_clock.fee_due(day, work_calendar())
        save(
            request,
            ["fee_method", "fee_pages", "fee_amount", "fee_notified_on", "fee_due_on"],
        )
        RequestPause.objects.create(request=request, kind=Kind.FEE, started_on=day)
        letter = issue_letter(
            request,
            RequestLetter.Kind.FEE,
            by,
            day,
            request_letters.fee_letter,
            explanation=explanation,
            due_on=request.fee_due_on,
        )
        event(request, by, Action.FEE_NOTICE, from_state, comment=f"{amount}元")
        letter_id = letter.pk
        transaction.on_commit(lambda: request_mail.letter(letter_id), robust=True)
    return letter


def respond_to_fee(
    *, request: InformationRequest, accept: bool, reference: str = ""
) -> InformationRequest:
    """The applicant on the tracking page: paid (with the payment's
    reference, for the handler to confirm) or declines to pay."""
    with transaction.atomic():
        request = locked(request)
        check_state(request, "fee_response")
        if request.fee_declined_on is not None:
            raise WorkflowError(_("您已表示不缴纳信息处理费。"))
        if accept:
            if not reference.strip():
                raise WorkflowError(_("请填写缴费凭证号，以便核对。"))
            request.fee_reference = reference.strip()[:60]
            comment = _("申请人告知已缴费，凭证号：%(ref)s") % {
                "ref": request.fee_reference
            }
        else:
            request.fee_declined_on = today()
            comment = _("申请人表示不缴纳信息处理费。")
        save(request, ["fee_reference", "fee_declined_on"])
        event(request, None, Action.FEE_RESPONSE, request.state, comment=comment)
    return request


def confirm_payment(
    *, request: InformationRequest, by, paid_on: datetime.date
) -> InformationRequest:
    """The fee has arrived: the clock runs again from the day after."""
    with transaction.atomic():
        request = locked(request)
        check_state(request, "fee_paid")
        require(perms.can_confirm_payment(by, request), _("您不是这件申请的承办人。"))
        paid_on = check_day(
            paid_on, not_before=request.fee_notified_on, what=_("缴费日期")
        )
        from_state = request.state
        request.state = State.PROCESSING
        request.fee_paid_on = paid_on
        save(request, ["fee_paid_on"])
        request.pauses.filter(kind=Kind.FEE, ended_on__isnull=True).update(
            ended_on=paid_on
        )
        event(request, by, Action.FEE_PAID, from_state, comment=str(paid_on))
    return request
