"""The reply (Art. 36): drafted by a handler as one of the result types of
table 三, reviewed by a reviewer who did not draft it (second pair of eyes),
then sent as a letter with the legal basis and the remedies; and turning
released information into a proactive item (Art. 44)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from disclosure import request_letters, request_mail
from disclosure import request_permissions as perms
from disclosure.models import (
    DisclosureMode,
    InformationRequest,
    Item,
    ReplyType,
    RequestLetter,
    RequestPause,
)

from ..editing import create_item
from .common import (
    Action,
    State,
    WorkflowError,
    check_state,
    event,
    issue_letter,
    locked,
    require,
    save,
    today,
)


def _check_type(request: InformationRequest, reply_type: str) -> None:
    """Which result fits which situation (Arts. 30, 36 and 109号)."""
    if reply_type not in ReplyType.values:
        raise WorkflowError(_("请选择答复类型。"))
    day = today()
    if reply_type == ReplyType.OTHER_NO_CORRECTION:
        if request.state != State.CORRECTION or day <= request.correction_due_on:
            raise WorkflowError(
                _("只有补正期限届满、申请人仍未补正的申请，才能按逾期不补正处理。")
            )
    elif request.state == State.CORRECTION:
        raise WorkflowError(_("申请正在等待补正：补正期限届满前只能等待申请人补正。"))
    if reply_type == ReplyType.OTHER_NO_FEE:
        lapsed = request.fee_due_on is not None and day > request.fee_due_on
        if request.state != State.FEE or not (lapsed or request.fee_declined_on):
            raise WorkflowError(
                _(
                    "只有缴费期限届满仍未缴费、或申请人表示不缴费的申请，"
                    "才能按逾期未缴费处理。"
                )
            )
    elif request.state == State.FEE:
        raise WorkflowError(
            _("申请正在等待缴纳信息处理费：请先确认缴费，或在期限届满后按未缴费处理。")
        )
    if reply_type == ReplyType.UNABLE_UNCLEAR and request.corrected_on is None:
        raise WorkflowError(
            _("“补正后申请内容仍不明确”只适用于已经补正的申请（条例第三十条）。")
        )


def draft_reply(
    *, request: InformationRequest, by, reply_type: str, text: str = ""
) -> InformationRequest:
    with transaction.atomic():
        request = locked(request)
        check_state(request, "draft_reply")
        require(perms.can_draft_reply(by, request), _("您不是这件申请的承办人。"))
        _check_type(request, reply_type)
        if reply_type in request_letters.TEXT_REQUIRED and not text.strip():
            raise WorkflowError(
                _(
                    "这类答复须写明具体内容（提供的信息和方式、不予公开部分的理由、"
                    "负责公开的机关或获取途径等）。"
                )
            )
        if (
            request.pauses.filter(ended_on__isnull=True)
            .exclude(kind=RequestPause.Kind.FEE)
            .exists()
        ):
            raise WorkflowError(_("还有征求意见尚未结束，请先登记意见（或未答复）。"))
        from_state = request.state
        request.reply_from_state = from_state
        request.state = State.REVIEW
        request.reply_type = reply_type
        request.reply_text = text.strip()[:10000]
        request.reply_drafted_by = by
        request.reply_return_comment = ""
        save(
            request,
            [
                "reply_from_state",
                "reply_type",
                "reply_text",
                "reply_drafted_by",
                "reply_return_comment",
            ],
        )
        event(
            request,
            by,
            Action.DRAFT_REPLY,
            from_state,
            comment=request.get_reply_type_display(),
        )
        request_id = request.pk
        transaction.on_commit(
            lambda: request_mail.reply_to_review(request_id), robust=True
        )
    return request


def return_reply(
    *, request: InformationRequest, by, comment: str
) -> InformationRequest:
    if not comment.strip():
        raise WorkflowError(_("退回时请写明需要修改什么。"))
    with transaction.atomic():
        request = locked(request)
        check_state(request, "return_reply")
        require(perms.can_review_reply(by, request), _review_refusal(by, request))
        request.state = request.reply_from_state or State.PROCESSING
        request.reply_return_comment = comment.strip()
        save(request, ["reply_return_comment"])
        event(request, by, Action.RETURN_REPLY, State.REVIEW, comment=comment.strip())
        request_id = request.pk
        transaction.on_commit(
            lambda: request_mail.reply_returned(request_id), robust=True
        )
    return request


def _review_refusal(by, request) -> str:
    if perms.is_reply_author(by, request):
        return _("答复由您起草，按照双人审核原则须由其他审核员审核。")
    return _("只有审核员可以审核答复。")


def send_reply(*, request: InformationRequest, by) -> RequestLetter:
    """Approve the drafted reply and send it: the request is closed with its
    result (a row of table 三) on the day the letter is issued."""
    with transaction.atomic():
        request = locked(request)
        check_state(request, "send_reply")
        require(perms.can_review_reply(by, request), _review_refusal(by, request))
        day = today()
        request.state = State.CLOSED
        request.result = request.reply_type
        request.closed_on = day
        request.reply_reviewed_by = by
        save(request, ["result", "closed_on", "reply_reviewed_by"])
        letter = issue_letter(
            request, RequestLetter.Kind.REPLY, by, day, request_letters.reply_letter
        )
        event(
            request,
            by,
            Action.SEND_REPLY,
            State.REVIEW,
            comment=f"{letter.number} {request.get_result_display()}",
        )
        letter_id = letter.pk
        transaction.on_commit(lambda: request_mail.letter(letter_id), robust=True)
    return letter


def make_proactive(
    *, request: InformationRequest, by, title: str, topic, body: str
) -> Item:
    """Art. 44: information released on request that many ask for becomes a
    proactive draft item of the organ (reviewed and published as any item)."""
    with transaction.atomic():
        request = locked(request)
        check_state(request, "to_proactive")
        require(
            perms.can_make_proactive(by, request),
            _(
                "只有受理机关的信息员可以把已公开的信息转为主动公开，且每件申请只转一次。"
            ),
        )
        item = create_item(
            by=by,
            data={
                "department": request.organ,
                "title": title.strip(),
                "body": body,
                "formed_on": request.closed_on,
                "topic": topic,
                "disclosure_mode": DisclosureMode.PROACTIVE,
            },
        )
        request.proactive_item = item
        save(request, ["proactive_item"])
        event(request, by, Action.TO_PROACTIVE, request.state, comment=str(item.pk))
    return item
