"""The steps of a request (disclosure/workflow/requests/): each one checks
its state and its permission, writes the trail in the same transaction and
mails after the commit; the rules of Arts. 30-36 and 44 are enforced, and
what they forbid is refused."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from catalog.models import TopicCategory
from catalog.selectors import work_calendar
from catalog.workdays import add_working_days
from disclosure import request_access
from disclosure.models import (
    AppendOnlyError,
    InformationRequest,
    Item,
    ReplyType,
    RequestEvent,
    RequestLetter,
)
from disclosure.request_queries import clock_of
from disclosure.workflow import InvalidTransition, NotAllowed, WorkflowError
from disclosure.workflow import requests as steps

from .helpers import applicant_data, received, submitted, world

State = InformationRequest.State
pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return world()


def actions(request):
    return list(request.events.order_by("pk").values_list("action", flat=True))


def later(clock, working_days):
    """Move the frozen clock ``working_days`` working days on."""
    day = add_working_days(timezone.localdate(), working_days, work_calendar()).due
    clock.move_to(
        datetime.datetime.combine(
            day, datetime.time(10), tzinfo=timezone.get_current_timezone()
        )
    )
    return day


def test_an_online_application_waits_for_confirmation_and_mails_the_code(
    w, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        request, code = submitted(w)
    assert request.state == State.SUBMITTED
    assert request.received_on is None
    assert request.number.startswith(f"YSQ{timezone.localdate().year}")
    assert request_access.matches(request.access_code_hash, code)
    assert code not in request.access_code_hash
    to_applicant = [m for m in mail.outbox if m.to == ["zhangsan@example.com"]]
    assert request_access.display(code) in to_applicant[0].body
    assert request.number in to_applicant[0].body
    assert any("reviewer@example.gov.cn" in m.to for m in mail.outbox)
    assert actions(request) == ["submit"]


def test_tracking_numbers_run_on_without_gaps(w):
    numbers = [submitted(w)[0].number for _ in range(3)]
    serials = [int(number[-5:]) for number in numbers]
    assert serials == [serials[0], serials[0] + 1, serials[0] + 2]


def test_confirming_starts_the_clock_and_cannot_be_backdated_before_submission(w):
    request, _code = submitted(w)
    with pytest.raises(WorkflowError):
        steps.confirm_receipt(
            request=request,
            by=w["reviewer"],
            received_on=timezone.localdate() - datetime.timedelta(days=3),
        )
    with pytest.raises(NotAllowed):
        steps.confirm_receipt(request=request, by=w["other_clerk"])
    request = steps.confirm_receipt(request=request, by=w["clerk"])
    assert (request.state, request.received_on) == (
        State.PROCESSING,
        timezone.localdate(),
    )
    clock = clock_of(request, timezone.localdate(), work_calendar())
    assert clock.due == add_working_days(timezone.localdate(), 20, work_calendar()).due
    with pytest.raises(InvalidTransition):
        steps.confirm_receipt(request=request, by=w["clerk"])


@pytest.mark.parametrize(
    ("channel", "dates", "message"),
    [
        ("in_person", {"signed_for_on": "today"}, "当面提交的申请"),
        ("post", {"handed_in_on": "today"}, "本机关签收的日期"),
        ("fax", {}, "确认的日期"),
        ("online", {"confirmed_on": "today"}, "网上申请"),
    ],
)
def test_registration_needs_the_receipt_date_of_its_channel(w, channel, dates, message):
    today = timezone.localdate()
    dates = dict.fromkeys(dates, today)
    with pytest.raises(WorkflowError, match=message):
        steps.register(
            by=w["clerk"], data=applicant_data(w["organ"]), channel=channel, **dates
        )
    assert not InformationRequest.objects.exists()


def test_a_posted_application_counts_from_the_day_it_was_signed_for(w):
    signed = timezone.localdate() - datetime.timedelta(days=2)
    request, code = steps.register(
        by=w["clerk"],
        data=applicant_data(w["organ"], email=""),
        channel="post",
        signed_for_on=signed,
    )
    assert (request.state, request.received_on, request.registered_by) == (
        State.PROCESSING,
        signed,
        w["clerk"],
    )
    assert request_access.matches(request.access_code_hash, code)
    with pytest.raises(WorkflowError, match="不能晚于今天"):
        steps.register(
            by=w["clerk"],
            data=applicant_data(w["organ"]),
            channel="in_person",
            handed_in_on=timezone.localdate() + datetime.timedelta(days=1),
        )
    with pytest.raises(NotAllowed):
        steps.register(
            by=w["other_clerk"],
            data=applicant_data(w["organ"]),
            channel="in_person",
            handed_in_on=timezone.localdate(),
        )


def test_a_correction_once_within_7_working_days_and_the_clock_restarts(
    w, clock, django_capture_on_commit_callbacks
):
    request = received(w)
    with django_capture_on_commit_callbacks(execute=True):
        letter = steps.request_correction(
            request=request, by=w["clerk"], items="请写明文件名称或文号。", period=10
        )
    request.refresh_from_db()
    assert request.state == State.CORRECTION
    assert letter.kind == RequestLetter.Kind.CORRECTION
    assert "请写明文件名称或文号" in "".join(letter.content["paragraphs"])
    assert any(m.to == ["zhangsan@example.com"] for m in mail.outbox)
    assert clock_of(request, timezone.localdate(), work_calendar()).due is None
    corrected_day = later(clock, 3)
    request = steps.correct(request=request, description="示财〔2025〕12号文件全文")
    assert (request.state, request.corrected_on) == (State.PROCESSING, corrected_day)
    due = clock_of(request, corrected_day, work_calendar()).due
    assert due == add_working_days(corrected_day, 20, work_calendar()).due
    with pytest.raises(WorkflowError, match="只能发出一次"):
        steps.request_correction(
            request=request, by=w["clerk"], items="再补充", period=5
        )


def test_no_correction_notice_after_7_working_days(w, clock):
    request = received(w)
    later(clock, 8)
    with pytest.raises(WorkflowError, match="7个工作日内"):
        steps.request_correction(
            request=request, by=w["clerk"], items="缺少文号", period=10
        )
    assert InformationRequest.objects.get(pk=request.pk).state == State.PROCESSING


def test_a_late_correction_is_refused_and_the_request_can_be_closed_as_abandoned(
    w, clock
):
    request = received(w)
    steps.request_correction(request=request, by=w["clerk"], items="缺少文号", period=5)
    with pytest.raises(WorkflowError, match="补正期限届满"):
        steps.draft_reply(
            request=request, by=w["clerk"], reply_type=ReplyType.OTHER_NO_CORRECTION
        )
    with pytest.raises(WorkflowError, match="等待补正"):
        steps.draft_reply(
            request=request, by=w["clerk"], reply_type=ReplyType.GRANTED, text="x"
        )
    later(clock, 6)
    with pytest.raises(WorkflowError, match="补正期限已于"):
        steps.correct(request=request, description="太晚了")
    steps.draft_reply(
        request=request, by=w["clerk"], reply_type=ReplyType.OTHER_NO_CORRECTION
    )
    letter = steps.send_reply(request=request, by=w["reviewer"])
    request.refresh_from_db()
    assert (request.state, request.result) == (
        State.CLOSED,
        ReplyType.OTHER_NO_CORRECTION,
    )
    assert "视为放弃申请" in "".join(letter.content["paragraphs"])


def test_unclear_after_correction_needs_a_correction(w):
    request = received(w)
    with pytest.raises(WorkflowError, match="已经补正"):
        steps.draft_reply(
            request=request, by=w["clerk"], reply_type=ReplyType.UNABLE_UNCLEAR
        )


def test_consultations_stop_the_clock_and_must_end_before_a_reply(w, clock):
    request = received(w)
    pause = steps.start_consultation(
        request=request, by=w["clerk"], kind="third_party", party="某建设公司"
    )
    with pytest.raises(WorkflowError, match="征求意见尚未结束"):
        steps.draft_reply(
            request=request, by=w["clerk"], reply_type=ReplyType.GRANTED, text="提供"
        )
    answered = later(clock, 4)
    steps.end_consultation(
        pause=pause, by=w["clerk"], answer="同意公开", answered_on=answered
    )
    request.refresh_from_db()
    clock_now = clock_of(request, answered, work_calendar())
    assert clock_now.paused == 4
    assert (
        clock_now.due == add_working_days(request.received_on, 24, work_calendar()).due
    )
    assert actions(request)[-2:] == ["consult", "consulted"]


def test_one_extension_by_the_office_head_with_a_letter(
    w, django_capture_on_commit_callbacks
):
    request = received(w)
    for user in (w["clerk"], w["reviewer"]):
        with pytest.raises(NotAllowed):
            steps.extend(request=request, by=user, days=10, reason="需要检索档案")
    with pytest.raises(WorkflowError):
        steps.extend(request=request, by=w["admin"], days=21, reason="需要检索档案")
    with django_capture_on_commit_callbacks(execute=True):
        letter = steps.extend(
            request=request, by=w["admin"], days=20, reason="需要检索档案"
        )
    request.refresh_from_db()
    assert (request.extension_days, request.extension_approved_by) == (20, w["admin"])
    due = add_working_days(request.received_on, 40, work_calendar()).due
    assert f"{due.year}年{due.month}月{due.day}日" in "".join(
        letter.content["paragraphs"]
    )
    assert any("延期答复告知书" in m.subject for m in mail.outbox)
    with pytest.raises(NotAllowed):
        steps.extend(request=request, by=w["admin"], days=5, reason="再延")


def test_no_extension_once_the_answer_is_overdue(w, clock):
    request = received(w)
    later(clock, 21)
    with pytest.raises(WorkflowError, match="不能再延期"):
        steps.extend(request=request, by=w["admin"], days=10, reason="太晚")


def test_a_fee_by_count_from_the_register_and_its_payment(w, clock):
    for _n in range(10):
        received(w)
    eleventh = received(w)
    with pytest.raises(WorkflowError, match="不应收费"):
        steps.issue_fee_notice(
            request=InformationRequest.objects.order_by("pk").first(),
            by=w["clerk"],
            method="count",
        )
    letter = steps.issue_fee_notice(request=eleventh, by=w["clerk"], method="count")
    eleventh.refresh_from_db()
    assert (eleventh.state, eleventh.fee_amount) == (State.FEE, Decimal(100))
    assert "第11件" in "".join(letter.content["paragraphs"])
    assert (
        eleventh.fee_due_on
        == add_working_days(timezone.localdate(), 20, work_calendar()).due
    )
    steps.respond_to_fee(request=eleventh, accept=True, reference="PAY-001")
    paid = later(clock, 3)
    steps.confirm_payment(request=eleventh, by=w["clerk"], paid_on=paid)
    eleventh.refresh_from_db()
    assert eleventh.state == State.PROCESSING
    assert clock_of(eleventh, paid, work_calendar()).paused == 3


def test_by_pages_and_the_unpaid_fee(w, clock):
    request = received(w)
    steps.issue_fee_notice(request=request, by=w["clerk"], method="pages", pages=150)
    request.refresh_from_db()
    assert request.fee_amount == Decimal(1700)
    with pytest.raises(WorkflowError, match="逾期未缴费"):
        steps.draft_reply(
            request=request, by=w["clerk"], reply_type=ReplyType.OTHER_NO_FEE
        )
    steps.respond_to_fee(request=request, accept=False)
    steps.draft_reply(request=request, by=w["clerk"], reply_type=ReplyType.OTHER_NO_FEE)
    steps.send_reply(request=request, by=w["reviewer"])
    request.refresh_from_db()
    assert request.result == ReplyType.OTHER_NO_FEE
    assert request.fee_paid_on is None


def test_the_reply_needs_a_second_pair_of_eyes(w, django_capture_on_commit_callbacks):
    request = received(w)
    author = w["reviewer"]
    with pytest.raises(WorkflowError, match="具体内容"):
        steps.draft_reply(request=request, by=author, reply_type=ReplyType.GRANTED)
    steps.draft_reply(
        request=request,
        by=author,
        reply_type=ReplyType.GRANTED,
        text="以电子邮件提供该文件。",
    )
    author.is_superuser = True
    author.save()
    with pytest.raises(NotAllowed, match="双人审核"):
        steps.send_reply(request=request, by=author)
    with pytest.raises(NotAllowed):
        steps.send_reply(request=request, by=w["clerk"])
    steps.return_reply(
        request=request, by=w["reviewer2"], comment="请写明提供的文件名称。"
    )
    request.refresh_from_db()
    assert request.state == State.PROCESSING
    steps.draft_reply(
        request=request,
        by=w["clerk"],
        reply_type=ReplyType.GRANTED,
        text="以电子邮件提供《示财〔2025〕12号》。",
    )
    with django_capture_on_commit_callbacks(execute=True):
        letter = steps.send_reply(request=request, by=w["reviewer2"])
    request.refresh_from_db()
    assert (request.state, request.result, request.closed_on) == (
        State.CLOSED,
        ReplyType.GRANTED,
        timezone.localdate(),
    )
    content = letter.content
    assert content["letterhead"]["organ"] == "区财政局"
    assert "第三十六条第（二）项" in content["basis"]
    assert "60日内向示例区人民政府申请行政复议" in content["remedies"]
    assert "6个月内" in content["remedies"]
    assert letter.number == f"区财政局依申请〔{timezone.localdate().year}〕1号"
    assert actions(request)[-4:] == [
        "draft_reply",
        "return_reply",
        "draft_reply",
        "send_reply",
    ]


def test_released_information_becomes_a_proactive_draft(w):
    request = received(w)
    steps.draft_reply(
        request=request, by=w["clerk"], reply_type=ReplyType.GRANTED, text="提供"
    )
    steps.send_reply(request=request, by=w["reviewer"])
    topic = TopicCategory.objects.filter(parent__isnull=False).first()
    with pytest.raises(NotAllowed):
        steps.make_proactive(
            request=request, by=w["reviewer"], title="t", topic=topic, body="b"
        )
    item = steps.make_proactive(
        request=request,
        by=w["clerk"],
        title="2025年区级财政专项资金分配结果",
        topic=topic,
        body="<p>分配结果如下。</p>",
    )
    assert (item.state, item.department, item.disclosure_mode) == (
        Item.State.DRAFT,
        w["organ"],
        "proactive",
    )
    request.refresh_from_db()
    assert request.proactive_item == item
    with pytest.raises(NotAllowed):
        steps.make_proactive(
            request=request, by=w["clerk"], title="again", topic=topic, body="b"
        )


def test_withdrawal_closes_as_other(w):
    request = received(w)
    steps.withdraw(request=request)
    request.refresh_from_db()
    assert (request.state, request.result) == (State.CLOSED, ReplyType.OTHER_OTHER)
    with pytest.raises(InvalidTransition):
        steps.withdraw(request=request)


def test_spam_is_set_aside_by_the_office_only(w):
    request, _code = submitted(w)
    with pytest.raises(NotAllowed):
        steps.discard(request=request, by=w["clerk"], reason="广告")
    steps.discard(request=request, by=w["reviewer"], reason="广告")
    assert InformationRequest.objects.get(pk=request.pk).state == State.DISCARDED


def test_assignment_records_the_time_and_lets_the_department_handle_it(w):
    request = received(w)
    with pytest.raises(NotAllowed):
        steps.request_correction(
            request=request, by=w["other_clerk"], items="x", period=5
        )
    steps.assign(request=request, by=w["clerk"], department=w["other"])
    request.refresh_from_db()
    assert request.assigned_at is not None
    steps.start_consultation(
        request=request, by=w["other_clerk"], kind="other_organ", party="区自然资源局"
    )
    with pytest.raises(NotAllowed):
        steps.start_consultation(
            request=request, by=w["clerk"], kind="third_party", party="x"
        )


def test_the_trail_is_append_only(w):
    request = received(w)
    entry = RequestEvent.objects.filter(request=request).first()
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        RequestEvent.objects.filter(request=request).update(comment="x")


def test_another_organ_that_never_answers_pauses_for_15_working_days_only(w, clock):
    request = received(w)
    steps.start_consultation(
        request=request, by=w["clerk"], kind="other_organ", party="区自然资源局"
    )
    today = later(clock, 30)
    request.refresh_from_db()
    result = clock_of(request, today, work_calendar())
    # Art. 34: silence after 15 working days is consent; the clock runs again.
    assert (result.status, result.paused) == ("running", 15)
    assert result.due == add_working_days(request.received_on, 35, work_calendar()).due
