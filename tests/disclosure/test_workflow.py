"""The effects of each workflow step: state, audit trail, revisions, the
public record, mail (after commit only), scheduling, changes to published
items, withdrawal and removal, stale edits, due dates and lateness.

Who may take a step is tested in test_permissions.py.
"""

import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from catalog.models import CatalogEntry
from disclosure import workflow
from disclosure.models import (
    Attachment,
    AuditEntry,
    ChangeNote,
    Item,
    PublicRecord,
    ReviewConfig,
    Revision,
)
from tests import factories

State = Item.State
Action = AuditEntry.Action
BEIJING = ZoneInfo("Asia/Shanghai")


def beijing(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=BEIJING)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def w(db):
    """A department with two clerks, its head, two reviewers and an office
    administrator."""
    dept = factories.DepartmentFactory(publisher_code="000014349", name="区农业农村局")
    return SimpleNamespace(
        dept=dept,
        clerk=factories.clerk_of(dept, "clerk"),
        clerk2=factories.clerk_of(dept, "clerk2"),
        head=factories.head_of(dept, "head"),
        reviewer=factories.reviewer("reviewer"),
        reviewer2=factories.reviewer("reviewer2"),
        admin=factories.office_admin("admin"),
    )


@pytest.fixture
def clock(monkeypatch):
    """Set the time the workflow (and ``effective_state``) sees."""
    real_now = timezone.now
    state = SimpleNamespace(now=None)
    monkeypatch.setattr(timezone, "now", lambda: state.now or real_now())

    def set_time(moment):
        state.now = moment

    return set_time


def approved(w, **overrides):
    item = factories.draft_item(w.clerk, w.dept, **overrides)
    item = workflow.submit(item=item, by=w.clerk)
    return workflow.approve(item=item, by=w.reviewer, confidentiality_checked=True)


def published(w, **overrides):
    return workflow.publish(item=approved(w, **overrides), by=w.reviewer)


def entries(item):
    # In the order written (some tests move the clock back).
    return list(AuditEntry.objects.filter(item=item).order_by("pk"))


# --- audit trail and revisions ---------------------------------------------------


def test_every_step_leaves_an_audit_entry_with_who_when_what(w):
    started = timezone.now()
    item = factories.draft_item(w.clerk, w.dept)
    item = workflow.update_item(
        item=item, by=w.clerk2, data={"title": "新标题"}, expected_version=1
    )
    factories.attach_pdf(item, w.clerk, name="名单.pdf")
    item = workflow.submit(item=item, by=w.clerk)
    item = workflow.return_item(item=item, by=w.reviewer, comment="  请补充依据  ")
    item = workflow.update_item(
        item=item, by=w.clerk, data={"keywords": "补贴"}, expected_version=3
    )
    item = workflow.submit(item=item, by=w.clerk)
    item = workflow.approve(
        item=item, by=w.reviewer, comment="同意", confidentiality_checked=True
    )
    item = workflow.publish(item=item, by=w.reviewer2)
    item = workflow.withdraw(item=item, by=w.admin, reason="政策已调整")
    item = workflow.remove(item=item, by=w.admin, reason="错发")
    finished = timezone.now()

    trail = entries(item)
    assert [
        (e.action, e.actor, e.from_state, e.to_state, e.stage, e.comment) for e in trail
    ] == [
        (Action.CREATE, w.clerk, "", State.DRAFT, "", ""),
        (Action.EDIT, w.clerk2, State.DRAFT, State.DRAFT, "", "修改了：标题"),
        (Action.ATTACH, w.clerk, State.DRAFT, State.DRAFT, "", "名单.pdf"),
        (Action.SUBMIT, w.clerk, State.DRAFT, State.SUBMITTED, "office", ""),
        (
            Action.RETURN,
            w.reviewer,
            State.SUBMITTED,
            State.RETURNED,
            "office",
            "请补充依据",
        ),
        (Action.EDIT, w.clerk, State.RETURNED, State.RETURNED, "", "修改了：主题词"),
        (Action.SUBMIT, w.clerk, State.RETURNED, State.SUBMITTED, "office", ""),
        (
            Action.APPROVE,
            w.reviewer,
            State.SUBMITTED,
            State.APPROVED,
            "office",
            "已完成保密审查。 同意",
        ),
        (Action.PUBLISH, w.reviewer2, State.APPROVED, State.PUBLISHED, "", ""),
        (Action.WITHDRAW, w.admin, State.PUBLISHED, State.WITHDRAWN, "", "政策已调整"),
        (Action.REMOVE, w.admin, State.WITHDRAWN, State.REMOVED, "", "错发"),
    ]
    assert all(started <= e.at <= finished for e in trail)
    # Each entry points at the revision it acted on.
    assert [e.revision.number if e.revision else None for e in trail] == [
        1,
        2,
        3,
        3,
        3,
        4,
        4,
        4,
        4,
        None,
        None,
    ]


def test_each_save_writes_a_revision_with_the_content(w):
    item = factories.draft_item(w.clerk, w.dept, title="初稿")
    item = workflow.update_item(
        item=item, by=w.clerk2, data={"title": "二稿"}, expected_version=1
    )
    attachment = factories.attach_pdf(item, w.clerk, name="名单.pdf")
    workflow.remove_attachment(attachment=attachment, by=w.clerk)

    revisions = list(Revision.objects.filter(item=item).order_by("number"))
    assert [r.number for r in revisions] == [1, 2, 3, 4]
    assert [r.created_by for r in revisions] == [w.clerk, w.clerk2, w.clerk, w.clerk]
    assert [r.content["title"] for r in revisions] == ["初稿", "二稿", "二稿", "二稿"]
    assert [[name for name, _ in r.content["attachments"]] for r in revisions] == [
        [],
        [],
        ["名单.pdf"],
        [],
    ]
    assert revisions[0].content["formed_on"] == "2026-03-02"
    assert revisions[0].content["department"] == w.dept.pk
    item.refresh_from_db()
    assert item.version == 4


def test_removing_an_attachment_twice_changes_nothing_the_second_time(w):
    item = factories.draft_item(w.clerk, w.dept)
    attachment = factories.attach_pdf(item, w.clerk, name="名单.pdf")
    workflow.remove_attachment(attachment=attachment, by=w.clerk)
    item.refresh_from_db()
    version, trail = item.version, len(entries(item))
    with pytest.raises(workflow.InvalidTransition) as refused:
        workflow.remove_attachment(attachment=attachment, by=w.clerk2)
    assert refused.value.message == "这个附件已经从这条信息中删除。"
    item.refresh_from_db()
    assert (item.version, item.updated_by, len(entries(item))) == (
        version,
        w.clerk,
        trail,
    )


def test_body_is_sanitised_when_saved(w):
    item = factories.draft_item(
        w.clerk,
        w.dept,
        body='<p class="MsoNormal" onclick="x()">正文<script>alert(1)</script></p>',
    )
    assert item.body == "<p>正文</p>"
    item = workflow.update_item(
        item=item,
        by=w.clerk,
        data={"body": '<p style="color:red">改<iframe src="//x"></iframe></p>'},
        expected_version=1,
    )
    assert Item.objects.get(pk=item.pk).body == "<p>改</p>"


def test_unknown_fields_are_a_programming_error(w):
    with pytest.raises(ValueError, match="state"):
        workflow.create_item(
            by=w.clerk, data={**factories.item_data(w.dept), "state": "published"}
        )


# --- mail, after commit only --------------------------------------------------------


def addresses(*users):
    return sorted(user.email for user in users)


def sent():
    return [(m.subject, sorted(m.to)) for m in mail.outbox]


def test_submit_mails_the_office_reviewers_after_commit(
    w, django_capture_on_commit_callbacks
):
    item = factories.draft_item(w.clerk, w.dept)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        workflow.submit(item=item, by=w.clerk)
    assert mail.outbox == []  # the transaction has not committed yet
    assert len(callbacks) == 1
    callbacks[0]()
    title = item.title
    # send_mass_mail: one message per recipient (no addresses shown to others).
    assert sorted(sent()) == [
        (f"【待审核】{title}", [address])
        for address in addresses(w.reviewer, w.reviewer2)
    ]
    assert w.dept.name in mail.outbox[0].body
    assert f"/workspace/items/{item.pk}/review/" in mail.outbox[0].body


def test_reviewer_who_submitted_is_not_asked_to_review(
    w, django_capture_on_commit_callbacks
):
    factories.Membership.objects.create(user=w.reviewer, department=w.dept)
    item = factories.draft_item(w.reviewer, w.dept)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.submit(item=item, by=w.reviewer)
    assert [to for _, to in sent()] == [[w.reviewer2.email]]


def test_head_signoff_mails_heads_then_office_reviewers(
    w, django_capture_on_commit_callbacks
):
    factories.require_head_signoff(w.dept)
    item = factories.draft_item(w.clerk, w.dept)
    with django_capture_on_commit_callbacks(execute=True):
        item = workflow.submit(item=item, by=w.clerk)
    assert sent() == [(f"【待审核】{item.title}", [w.head.email])]

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        item = workflow.approve(item=item, by=w.head)
    assert sorted(to[0] for _, to in sent()) == addresses(w.reviewer, w.reviewer2)
    assert {subject for subject, _ in sent()} == {f"【待审核】{item.title}"}


def test_return_mails_the_authors_with_the_comment(
    w, django_capture_on_commit_callbacks
):
    item = factories.draft_item(w.clerk, w.dept)
    item = workflow.update_item(
        item=item, by=w.clerk2, data={"keywords": "补贴"}, expected_version=1
    )
    item = workflow.submit(item=item, by=w.clerk)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.return_item(item=item, by=w.reviewer, comment="请补充发放依据。")
    assert sorted(to[0] for _, to in sent()) == addresses(w.clerk, w.clerk2)
    assert {subject for subject, _ in sent()} == {f"【已退回】{item.title}"}
    assert "退回意见：请补充发放依据。" in mail.outbox[0].body


def test_final_approval_and_publication_mail_the_authors(
    w, django_capture_on_commit_callbacks
):
    item = factories.draft_item(w.clerk, w.dept)
    item = workflow.submit(item=item, by=w.clerk)
    with django_capture_on_commit_callbacks(execute=True):
        item = workflow.approve(item=item, by=w.reviewer, confidentiality_checked=True)
    assert sent() == [(f"【审核通过】{item.title}", [w.clerk.email])]

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        item = workflow.publish(item=item, by=w.reviewer)
    assert sent() == [(f"【已发布】{item.title}", [w.clerk.email])]
    assert f"索引号：{item.index_number}" in mail.outbox[0].body


def test_nothing_is_sent_when_the_transaction_rolls_back(
    w, django_capture_on_commit_callbacks
):
    item = factories.draft_item(w.clerk, w.dept)

    class Boom(Exception):
        pass

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(Boom), transaction.atomic():
            workflow.submit(item=item, by=w.clerk)
            raise Boom
    assert callbacks == []
    assert mail.outbox == []
    item.refresh_from_db()
    assert item.state == State.DRAFT
    assert not AuditEntry.objects.filter(item=item, action=Action.SUBMIT).exists()


def test_inactive_reviewers_get_no_mail(w, django_capture_on_commit_callbacks):
    w.reviewer2.is_active = False
    w.reviewer2.save()
    item = factories.draft_item(w.clerk, w.dept)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.submit(item=item, by=w.clerk)
    assert [to for _, to in sent()] == [[w.reviewer.email]]


# --- review stages ---------------------------------------------------------------


def test_without_head_signoff_the_office_reviews_directly(w):
    item = workflow.submit(item=factories.draft_item(w.clerk, w.dept), by=w.clerk)
    assert (item.state, item.review_stage) == (State.SUBMITTED, "office")
    with pytest.raises(workflow.NotAllowed):
        workflow.approve(item=item, by=w.head)


def test_head_signoff_comes_before_the_office_review(w):
    factories.require_head_signoff(w.dept)
    item = workflow.submit(item=factories.draft_item(w.clerk, w.dept), by=w.clerk)
    assert (item.state, item.review_stage) == (State.SUBMITTED, "head")
    with pytest.raises(workflow.NotAllowed):
        workflow.approve(item=item, by=w.reviewer, confidentiality_checked=True)
    # The head's sign-off needs no confidentiality confirmation: that is the
    # office's review.
    item = workflow.approve(item=item, by=w.head, comment="同意公开")
    assert (item.state, item.review_stage) == (State.SUBMITTED, "office")
    entry = entries(item)[-1]
    assert (entry.action, entry.stage, entry.comment) == (
        Action.APPROVE,
        "head",
        "同意公开",
    )
    item = workflow.approve(item=item, by=w.reviewer, confidentiality_checked=True)
    assert (item.state, item.review_stage) == (State.APPROVED, "")


def test_office_review_is_not_skipped_when_signoff_is_switched_off_midway(w):
    factories.require_head_signoff(w.dept)
    item = workflow.submit(item=factories.draft_item(w.clerk, w.dept), by=w.clerk)
    ReviewConfig.objects.filter(department=w.dept).update(head_signoff=False)
    item = workflow.approve(item=item, by=w.head)
    assert (item.state, item.review_stage) == (State.SUBMITTED, "office")


def test_return_at_head_stage_goes_back_to_the_clerk(w):
    factories.require_head_signoff(w.dept)
    item = workflow.submit(item=factories.draft_item(w.clerk, w.dept), by=w.clerk)
    item = workflow.return_item(item=item, by=w.head, comment="数据有误")
    assert (item.state, item.review_stage, item.return_comment) == (
        State.RETURNED,
        "",
        "数据有误",
    )
    # Resubmitting starts again at the first stage.
    item = workflow.submit(item=item, by=w.clerk)
    assert (item.review_stage, item.return_comment) == ("head", "")


def test_office_approval_requires_the_confidentiality_check(w):
    item = workflow.submit(item=factories.draft_item(w.clerk, w.dept), by=w.clerk)
    count = AuditEntry.objects.filter(item=item).count()
    with pytest.raises(workflow.WorkflowError) as refused:
        workflow.approve(item=item, by=w.reviewer)
    assert refused.value.message == (
        "请确认已完成保密审查（信息不涉及国家秘密、商业秘密、个人隐私等不应公开的内容）。"
    )
    item.refresh_from_db()
    assert item.state == State.SUBMITTED
    assert AuditEntry.objects.filter(item=item).count() == count


@pytest.mark.parametrize("comment", ["", "   "])
def test_return_needs_a_comment(w, comment):
    item = workflow.submit(item=factories.draft_item(w.clerk, w.dept), by=w.clerk)
    with pytest.raises(workflow.WorkflowError) as refused:
        workflow.return_item(item=item, by=w.reviewer, comment=comment)
    assert refused.value.message == "退回时请写明退回意见，告诉信息员需要修改什么。"
    item.refresh_from_db()
    assert item.state == State.SUBMITTED


def test_an_approved_item_can_be_returned_before_publication(w):
    item = workflow.return_item(item=approved(w), by=w.reviewer2, comment="再核对")
    assert item.state == State.RETURNED


# --- publishing and scheduling ----------------------------------------------------------


def test_publish_creates_the_public_record_from_the_working_copy(w):
    item = factories.draft_item(w.clerk, w.dept)
    factories.attach_pdf(item, w.clerk, name="名单.pdf")
    item = workflow.submit(item=item, by=w.clerk)
    item = workflow.approve(item=item, by=w.reviewer, confidentiality_checked=True)
    before = timezone.now()
    item = workflow.publish(item=item, by=w.reviewer)
    record = PublicRecord.objects.get(item=item)
    assert item.state == State.PUBLISHED
    for name in Item.CONTENT_FIELDS:
        assert getattr(record, name) == getattr(item, name), name
    assert record.index_number == item.index_number
    assert record.index_number == f"000014349/{timezone.localtime().year}-00001"
    assert record.status == PublicRecord.Status.LIVE
    assert record.revision_number == 1
    assert before <= record.published_at == item.first_published_at
    assert record.is_visible
    assert list(item.attachments.values_list("original_name", "is_published")) == [
        ("名单.pdf", True)
    ]


def test_future_publication_is_scheduled_and_hidden_until_the_time(w, clock):
    item = approved(w)
    clock(beijing(2026, 5, 6, 9, 0))
    at = beijing(2026, 5, 8, 9, 0)
    item = workflow.publish(item=item, by=w.reviewer, at=at)
    assert item.state == State.SCHEDULED
    assert item.effective_state == State.SCHEDULED
    record = PublicRecord.objects.get(item=item)
    assert record.published_at == at
    assert not record.is_visible
    assert item.index_number == "000014349/2026-00001"  # reserved now
    entry = entries(item)[-1]
    assert (entry.action, entry.to_state, entry.comment) == (
        Action.SCHEDULE,
        State.SCHEDULED,
        "定时发布：2026-05-08 09:00",
    )

    # The time comes; no job runs, yet the item is published.
    clock(beijing(2026, 5, 8, 9, 0, 1))
    item = Item.objects.get(pk=item.pk)
    assert item.state == State.SCHEDULED  # the row is untouched...
    assert item.effective_state == State.PUBLISHED  # ...and it is published
    assert item.get_effective_state_display() == "已发布"
    assert PublicRecord.objects.get(item=item).is_visible
    # The first step taken on it sees it as published.
    item = workflow.withdraw(item=item, by=w.admin, reason="已过时")
    assert entries(item)[-1].from_state == State.PUBLISHED


def test_a_naive_publication_time_is_beijing_time(w, clock):
    clock(beijing(2026, 5, 6, 9, 0))
    item = workflow.publish(
        item=approved(w), by=w.reviewer, at=datetime.datetime(2026, 5, 8, 9, 0)
    )
    assert item.state == State.SCHEDULED
    assert PublicRecord.objects.get(item=item).published_at == beijing(2026, 5, 8, 9, 0)


def test_scheduled_item_becomes_published_when_time_passes_by_a_queryset_update(w):
    item = workflow.publish(
        item=approved(w),
        by=w.reviewer,
        at=timezone.now() + datetime.timedelta(days=1),
    )
    assert not PublicRecord.objects.get(item=item).is_visible
    item = factories.make_due(item)
    assert item.effective_state == State.PUBLISHED
    assert PublicRecord.objects.get(item=item).is_visible


def test_a_past_time_publishes_now(w):
    item = workflow.publish(
        item=approved(w),
        by=w.reviewer,
        at=timezone.now() - datetime.timedelta(minutes=5),
    )
    assert item.state == State.PUBLISHED
    assert entries(item)[-1].action == Action.PUBLISH


def test_unschedule_takes_the_record_back_and_keeps_the_number(w):
    item = workflow.publish(
        item=approved(w),
        by=w.reviewer,
        at=timezone.now() + datetime.timedelta(days=1),
    )
    number = item.index_number
    item = workflow.unschedule(item=item, by=w.reviewer2)
    assert item.state == State.APPROVED
    assert not PublicRecord.objects.filter(item=item).exists()
    assert (item.publish_at, item.first_published_at, item.late_working_days) == (
        None,
        None,
        None,
    )
    assert item.index_number == number
    entry = entries(item)[-1]
    assert (entry.action, entry.actor, entry.from_state, entry.to_state) == (
        Action.UNSCHEDULE,
        w.reviewer2,
        State.SCHEDULED,
        State.APPROVED,
    )
    item = workflow.publish(item=item, by=w.reviewer)
    assert PublicRecord.objects.get(item=item).index_number == number


def test_unschedule_after_the_time_has_come_is_refused(w):
    item = workflow.publish(
        item=approved(w),
        by=w.reviewer,
        at=timezone.now() + datetime.timedelta(days=1),
    )
    item = factories.make_due(item)
    with pytest.raises(workflow.InvalidTransition) as refused:
        workflow.unschedule(item=item, by=w.reviewer)
    assert refused.value.message == "这条信息当前状态为“已发布”，不能取消定时发布。"
    assert PublicRecord.objects.filter(item=item).exists()


# --- changing a published item ----------------------------------------------------


def test_public_record_keeps_the_old_content_until_the_change_is_published(w):
    item = factories.draft_item(w.clerk, w.dept, title="旧标题", body="<p>旧正文</p>")
    old_file = factories.attach_pdf(item, w.clerk, name="旧附件.pdf")
    item = workflow.submit(item=item, by=w.clerk)
    item = workflow.approve(item=item, by=w.reviewer, confidentiality_checked=True)
    item = workflow.publish(item=item, by=w.reviewer)
    number, first_published = item.index_number, item.first_published_at

    item = workflow.update_item(
        item=item,
        by=w.clerk,
        data={"title": "新标题", "body": "<p>新正文</p>"},
        expected_version=item.version,
    )
    assert item.state == State.DRAFT
    assert entries(item)[-1].comment == "开始修改已发布的信息。修改了：标题、正文"
    new_file = factories.attach_pdf(item, w.clerk, name="新附件.pdf")
    workflow.remove_attachment(attachment=old_file, by=w.clerk)

    def public():
        record = PublicRecord.objects.get(item=item)
        files = set(
            Attachment.objects.filter(item=item, is_published=True).values_list(
                "original_name", flat=True
            )
        )
        return record.title, record.body, record.revision_number, files

    assert public() == ("旧标题", "<p>旧正文</p>", 1, {"旧附件.pdf"})
    item = workflow.submit(item=Item.objects.get(pk=item.pk), by=w.clerk)
    assert public() == ("旧标题", "<p>旧正文</p>", 1, {"旧附件.pdf"})
    item = workflow.approve(item=item, by=w.reviewer, confidentiality_checked=True)
    assert public() == ("旧标题", "<p>旧正文</p>", 1, {"旧附件.pdf"})

    item = workflow.publish(item=item, by=w.reviewer)
    assert public() == ("新标题", "<p>新正文</p>", 2, {new_file.original_name})
    record = PublicRecord.objects.get(item=item)
    assert record.published_at == first_published  # 发布日期 stays
    assert record.updated_at > first_published
    assert item.index_number == record.index_number == number
    assert not ChangeNote.objects.filter(record=record).exists()  # minor change


def test_major_change_needs_a_change_note_and_publishes_it(w):
    item = published(w)
    item = workflow.update_item(
        item=item,
        by=w.clerk,
        data={"title": "补贴标准调整的公示", "is_major_change": True},
        expected_version=item.version,
    )
    with pytest.raises(workflow.WorkflowError) as refused:
        workflow.submit(item=item, by=w.clerk)
    assert refused.value.message == (
        "这是对已发布信息的实质性修改，请先填写将公开显示的更新说明。"
    )
    assert Item.objects.get(pk=item.pk).state == State.DRAFT

    item = workflow.update_item(
        item=item,
        by=w.clerk,
        data={"change_note": "补贴标准由每亩100元调整为120元。"},
        expected_version=item.version,
    )
    item = workflow.submit(item=item, by=w.clerk)
    item = workflow.approve(item=item, by=w.reviewer, confidentiality_checked=True)
    item = workflow.publish(item=item, by=w.reviewer)
    record = PublicRecord.objects.get(item=item)
    assert list(record.change_notes.values_list("note", flat=True)) == [
        "补贴标准由每亩100元调整为120元。"
    ]
    assert record.title == "补贴标准调整的公示"
    # The next revision starts clean.
    assert (item.is_major_change, item.change_note) == (False, "")


def test_change_note_is_not_needed_before_first_publication(w):
    item = factories.draft_item(w.clerk, w.dept, is_major_change=True)
    item = workflow.submit(item=item, by=w.clerk)
    assert item.state == State.SUBMITTED


def test_a_published_items_change_cannot_be_scheduled(w):
    item = published(w)
    item = workflow.update_item(
        item=item, by=w.clerk, data={"title": "改"}, expected_version=item.version
    )
    item = workflow.submit(item=item, by=w.clerk)
    item = workflow.approve(item=item, by=w.reviewer, confidentiality_checked=True)
    with pytest.raises(workflow.InvalidTransition) as refused:
        workflow.publish(
            item=item, by=w.reviewer, at=timezone.now() + datetime.timedelta(days=1)
        )
    assert refused.value.message == "已发布信息的修改审核通过后即时发布，不能定时发布。"
    assert Item.objects.get(pk=item.pk).state == State.APPROVED


# --- withdrawal and removal -------------------------------------------------------------


def test_withdraw_keeps_the_record_with_reason_and_date(w):
    item = published(w)
    before = timezone.now()
    item = workflow.withdraw(item=item, by=w.admin, reason="  政策已废止  ")
    record = PublicRecord.objects.get(item=item)
    assert item.state == State.WITHDRAWN
    assert record.status == PublicRecord.Status.WITHDRAWN
    assert record.status_reason == "政策已废止"
    assert record.status_changed_at >= before
    assert record.title == item.title  # the page stays, with its content
    assert record.is_visible


def test_remove_marks_the_record_removed(w):
    item = published(w)
    item = workflow.remove(item=item, by=w.admin, reason="错发")
    record = PublicRecord.objects.get(item=item)
    assert (item.state, record.status, record.status_reason) == (
        State.REMOVED,
        PublicRecord.Status.REMOVED,
        "错发",
    )
    assert not record.is_visible
    with pytest.raises(workflow.InvalidTransition):
        workflow.remove(item=item, by=w.admin, reason="再删")


def test_a_withdrawn_item_can_still_be_removed(w):
    item = workflow.withdraw(item=published(w), by=w.admin, reason="过时")
    item = workflow.remove(item=item, by=w.admin, reason="错发")
    assert PublicRecord.objects.get(item=item).status == PublicRecord.Status.REMOVED


def test_withdrawing_an_item_twice_is_refused(w):
    item = workflow.withdraw(item=published(w), by=w.admin, reason="过时")
    with pytest.raises(workflow.InvalidTransition) as refused:
        workflow.withdraw(item=item, by=w.admin, reason="再撤")
    assert refused.value.message == "这条信息当前状态为“已撤销”，不能撤销。"


@pytest.mark.parametrize("build", ["draft", "approved"])
def test_withdrawing_a_never_published_item_is_refused(w, build):
    item = factories.draft_item(w.clerk, w.dept) if build == "draft" else approved(w)
    with pytest.raises(workflow.InvalidTransition) as refused:
        workflow.withdraw(item=item, by=w.admin, reason="不需要了")
    assert refused.value.message == "这条信息没有公开，无需撤销或删除。"
    assert Item.objects.get(pk=item.pk).state == item.state


@pytest.mark.parametrize("step", [workflow.withdraw, workflow.remove])
def test_withdraw_and_remove_need_a_reason(w, step):
    item = published(w)
    with pytest.raises(workflow.WorkflowError) as refused:
        step(item=item, by=w.admin, reason=" ")
    assert refused.value.message == "请写明理由，它会与操作记录一起保存。"
    assert PublicRecord.objects.get(item=item).status == PublicRecord.Status.LIVE


def test_withdrawing_while_a_change_is_in_progress(w):
    item = published(w)
    item = workflow.update_item(
        item=item, by=w.clerk, data={"title": "改"}, expected_version=item.version
    )
    item = workflow.withdraw(item=item, by=w.admin, reason="停止公开")
    assert item.state == State.WITHDRAWN
    assert PublicRecord.objects.get(item=item).title != "改"


# --- stale edits ----------------------------------------------------------------------


def test_stale_edit_is_refused_and_nothing_is_saved(w):
    item = factories.draft_item(w.clerk, w.dept, title="原标题")
    opened_version = item.version
    workflow.update_item(
        item=item, by=w.clerk2, data={"title": "同事的修改"}, expected_version=1
    )
    revisions = Revision.objects.filter(item=item).count()
    audit = AuditEntry.objects.filter(item=item).count()
    with pytest.raises(workflow.StaleEdit) as refused:
        workflow.update_item(
            item=item,
            by=w.clerk,
            data={"title": "我的修改"},
            expected_version=opened_version,
        )
    assert refused.value.message == (
        "这条信息在您打开之后已被他人修改（当前版本 2，您编辑的是版本 1）。"
        "为避免覆盖他人的修改，本次保存未生效；请重新打开后再改。"
    )
    item.refresh_from_db()
    assert (item.title, item.version, item.updated_by) == ("同事的修改", 2, w.clerk2)
    assert Revision.objects.filter(item=item).count() == revisions
    assert AuditEntry.objects.filter(item=item).count() == audit


def test_an_attachment_added_meanwhile_makes_an_open_form_stale(w):
    item = factories.draft_item(w.clerk, w.dept)
    factories.attach_pdf(item, w.clerk2)
    with pytest.raises(workflow.StaleEdit):
        workflow.update_item(
            item=item, by=w.clerk, data={"title": "改"}, expected_version=1
        )


# --- due dates and lateness (2026 calendar from migration 0002) ---------------------------


def entry(w, kind, days=None, period=""):
    return factories.CatalogEntryFactory(
        responsible_department=w.dept,
        time_limit_kind=kind,
        time_limit_days=days,
        period=period,
    )


Kind = CatalogEntry.TimeLimitKind


@pytest.mark.parametrize(
    ("kind", "days", "period", "formed_on", "due_on"),
    [
        # Formed on Sunday 09-20 (a 调休 working day, not counted: start day).
        # 09-21..24 = 4, 09-25 中秋 off, 09-28..30 = 7, 10-01..07 国庆 off,
        # 10-08, 10-09 = 9, Saturday 10-10 调休 = 10, 10-12..16 = 15,
        # 10-19..23 = 20.
        (
            Kind.WORKING_DAYS,
            20,
            "",
            datetime.date(2026, 9, 20),
            datetime.date(2026, 10, 23),
        ),
        # Third quarter ends 09-30; 10 working days after: 10-08, 10-09,
        # 10-10 (调休), 10-12..16, 10-19, 10-20.
        (
            Kind.PERIODIC,
            10,
            CatalogEntry.Period.QUARTERLY,
            datetime.date(2026, 10, 9),  # reports on Q3, the last complete one
            datetime.date(2026, 10, 20),
        ),
        # Real time: the next working day, after the National Day holiday.
        (
            Kind.REALTIME,
            None,
            "",
            datetime.date(2026, 9, 30),
            datetime.date(2026, 10, 8),
        ),
        (Kind.STANDING, None, "", datetime.date(2026, 9, 30), None),
    ],
    ids=["working_days", "periodic_quarterly", "realtime", "standing"],
)
def test_due_on_from_the_catalog_entry(w, kind, days, period, formed_on, due_on):
    item = factories.draft_item(
        w.clerk,
        w.dept,
        catalog_entry=entry(w, kind, days, period),
        formed_on=formed_on,
    )
    assert Item.objects.get(pk=item.pk).due_on == due_on


def test_outside_the_catalog_article_26_gives_the_due_date(w):
    item = factories.draft_item(w.clerk, w.dept, formed_on=datetime.date(2026, 9, 20))
    assert Item.objects.get(pk=item.pk).due_on == datetime.date(2026, 10, 23)


def test_due_on_follows_the_formed_on_date_until_first_publication(w, clock):
    item = factories.draft_item(
        w.clerk,
        w.dept,
        catalog_entry=entry(w, Kind.WORKING_DAYS, 20),
        formed_on=datetime.date(2026, 9, 20),
    )
    item = workflow.update_item(
        item=item,
        by=w.clerk,
        data={"formed_on": datetime.date(2026, 9, 21)},
        expected_version=item.version,
    )
    assert item.due_on == datetime.date(2026, 10, 26)  # one working day later
    item = workflow.submit(item=item, by=w.clerk)
    item = workflow.approve(item=item, by=w.reviewer, confidentiality_checked=True)
    clock(beijing(2026, 10, 20, 10, 0))
    item = workflow.publish(item=item, by=w.reviewer)
    item = workflow.update_item(
        item=item,
        by=w.clerk,
        data={"formed_on": datetime.date(2026, 10, 19)},
        expected_version=item.version,
    )
    assert item.due_on == datetime.date(2026, 10, 26)  # the first deadline stays


@pytest.mark.parametrize(
    ("published_at", "late"),
    [
        (beijing(2026, 10, 22, 15, 0), 0),  # before the due date
        (beijing(2026, 10, 23, 23, 59), 0),  # on the due date
        (beijing(2026, 10, 24, 9, 0), 1),  # the Saturday after: late all the same
        (beijing(2026, 10, 26, 9, 0), 1),  # Monday
        (beijing(2026, 10, 27, 9, 0), 2),  # Tuesday
    ],
    ids=["early", "on_due_date", "saturday_after", "monday_after", "tuesday_after"],
)
def test_lateness_is_set_at_first_publication(w, clock, published_at, late):
    item = approved(
        w,
        catalog_entry=entry(w, Kind.WORKING_DAYS, 20),
        formed_on=datetime.date(2026, 9, 20),
    )
    assert item.due_on == datetime.date(2026, 10, 23)
    clock(published_at)
    item = workflow.publish(item=item, by=w.reviewer)
    assert item.late_working_days == late
    assert Item.objects.get(pk=item.pk).late_working_days == late


def test_lateness_does_not_change_on_republication(w, clock):
    clock(beijing(2026, 10, 27, 9, 0))
    item = published(
        w,
        catalog_entry=entry(w, Kind.WORKING_DAYS, 20),
        formed_on=datetime.date(2026, 9, 20),
    )
    assert item.late_working_days == 2
    clock(beijing(2026, 11, 30, 9, 0))
    item = workflow.update_item(
        item=item, by=w.clerk, data={"title": "更正"}, expected_version=item.version
    )
    item = workflow.submit(item=item, by=w.clerk)
    item = workflow.approve(item=item, by=w.reviewer, confidentiality_checked=True)
    item = workflow.publish(item=item, by=w.reviewer)
    assert item.late_working_days == 2
    assert item.first_published_at == beijing(2026, 10, 27, 9, 0)


def test_scheduled_publication_is_late_by_its_scheduled_date(w, clock):
    item = approved(
        w,
        catalog_entry=entry(w, Kind.WORKING_DAYS, 20),
        formed_on=datetime.date(2026, 9, 20),
    )
    clock(beijing(2026, 10, 20, 9, 0))
    item = workflow.publish(item=item, by=w.reviewer, at=beijing(2026, 10, 27, 9, 0))
    assert (item.state, item.late_working_days) == (State.SCHEDULED, 2)
