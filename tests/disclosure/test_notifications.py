"""Who gets which e-mail (disclosure/notifications.py). The workflow calls
these after commit (see test_workflow.py for the timing)."""

import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone

from catalog.models import Membership
from disclosure import notifications, workflow
from disclosure.models import Item
from tests import factories


@pytest.fixture
def w(db, settings):
    settings.PORTAL_BASE_URL = "https://gk.example.gov.cn/"
    dept = factories.require_head_signoff(
        factories.DepartmentFactory(name="区财政局", publisher_code="000014349")
    )
    office = factories.DepartmentFactory(parent=dept, name="预算科", publisher_code="")
    elsewhere = factories.DepartmentFactory(name="区住建局")
    return SimpleNamespace(
        dept=dept,
        office=office,
        clerk=factories.clerk_of(dept, "clerk"),
        office_clerk=factories.clerk_of(office, "office_clerk"),
        head=factories.head_of(dept, "head"),
        office_head=factories.head_of(office, "office_head"),
        other_head=factories.head_of(elsewhere, "other_head"),
        reviewer=factories.reviewer("reviewer"),
        reviewer2=factories.reviewer("reviewer2"),
    )


def recipients():
    return sorted(to for message in mail.outbox for to in message.to)


def emails(*users):
    return sorted(user.email for user in users)


def test_head_stage_asks_the_departments_heads_only(w):
    item = workflow.submit(item=factories.draft_item(w.clerk, w.dept), by=w.clerk)
    notifications.item_submitted(item.pk)
    assert recipients() == emails(w.head)
    message = mail.outbox[0]
    assert message.subject == f"【待审核】{item.title}"
    assert message.from_email == "portal@localhost"
    assert "区财政局 提交了一条信息等待您审核" in message.body
    assert f"https://gk.example.gov.cn/workspace/items/{item.pk}/review/" in (
        message.body
    )


def test_an_offices_items_go_to_its_heads_and_the_departments_heads(w):
    item = factories.draft_item(w.office_clerk, w.office)
    item = workflow.submit(item=item, by=w.office_clerk)
    assert item.review_stage == "head"
    notifications.item_submitted(item.pk)
    # The department head may sign off the office's items (permissions.Roles):
    # they are asked too.
    assert recipients() == emails(w.head, w.office_head)


def test_office_stage_asks_every_reviewer_but_those_who_touched_the_revision(w):
    """reviewer2 (also a clerk) edited the revision, the clerk edited it last
    and submitted it: reviewer2 may not review it and is not asked."""
    Membership.objects.create(user=w.reviewer2, department=w.dept, role="clerk")
    item = factories.draft_item(w.clerk, w.dept)
    item = workflow.update_item(
        item=item, by=w.reviewer2, data={"keywords": "补贴"}, expected_version=1
    )
    item = workflow.update_item(
        item=item, by=w.clerk, data={"keywords": "补贴 公示"}, expected_version=2
    )
    item = workflow.submit(item=item, by=w.clerk)
    item = workflow.approve(item=item, by=w.head)
    assert item.review_stage == "office"
    mail.outbox.clear()
    notifications.item_submitted(item.pk)
    assert recipients() == emails(w.reviewer)


def test_users_without_address_or_inactive_get_nothing(w):
    w.reviewer.email = ""
    w.reviewer.save()
    w.reviewer2.is_active = False
    w.reviewer2.save()
    item = factories.draft_item(w.clerk, w.dept)
    Item.objects.filter(pk=item.pk).update(
        state=Item.State.SUBMITTED, review_stage="office"
    )
    notifications.item_submitted(item.pk)  # nobody to tell: no error
    assert mail.outbox == []


def test_approval_at_head_stage_asks_the_office(w):
    item = workflow.submit(item=factories.draft_item(w.clerk, w.dept), by=w.clerk)
    item = workflow.approve(item=item, by=w.head)
    notifications.item_approved(item.pk)
    assert recipients() == emails(w.reviewer, w.reviewer2)
    assert {m.subject for m in mail.outbox} == {f"【待审核】{item.title}"}


def test_final_approval_tells_the_authors(w):
    clerk2 = factories.clerk_of(w.dept, "clerk2")
    item = factories.draft_item(w.clerk, w.dept)
    item = workflow.update_item(
        item=item, by=clerk2, data={"title": "新标题"}, expected_version=1
    )
    item = workflow.submit(item=item, by=w.clerk)
    item = workflow.approve(item=item, by=w.head)
    item = workflow.approve(item=item, by=w.reviewer, confidentiality_checked=True)
    notifications.item_approved(item.pk)
    assert recipients() == emails(w.clerk, clerk2)
    assert mail.outbox[0].subject == "【审核通过】新标题"
    assert "您提交的信息已审核通过，等待发布" in mail.outbox[0].body


def test_return_tells_the_authors_what_to_fix(w):
    item = workflow.submit(item=factories.draft_item(w.clerk, w.dept), by=w.clerk)
    item = workflow.return_item(item=item, by=w.head, comment="请补充预算表。")
    notifications.item_returned(item.pk, item.return_comment)
    assert recipients() == emails(w.clerk)
    body = mail.outbox[0].body
    assert mail.outbox[0].subject == f"【已退回】{item.title}"
    assert "退回意见：请补充预算表。" in body
    assert f"https://gk.example.gov.cn/workspace/items/{item.pk}/" in body


def test_publication_tells_the_authors_the_number_and_time(w, monkeypatch):
    moment = datetime.datetime(2026, 5, 6, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
    monkeypatch.setattr(timezone, "now", lambda: moment)
    item = workflow.submit(item=factories.draft_item(w.clerk, w.dept), by=w.clerk)
    item = workflow.approve(item=item, by=w.head)
    item = workflow.approve(item=item, by=w.reviewer, confidentiality_checked=True)
    item = workflow.publish(item=item, by=w.reviewer)
    notifications.item_published(item.pk)
    assert recipients() == emails(w.clerk)
    body = mail.outbox[0].body
    assert mail.outbox[0].subject == f"【已发布】{item.title}"
    assert "索引号：000014349/2026-00001" in body
    assert "发布时间：2026-05-06 09:30" in body
    assert f"https://gk.example.gov.cn/items/{item.pk}/" in body


def test_a_failing_mail_never_undoes_or_breaks_a_committed_step(
    w, monkeypatch, django_capture_on_commit_callbacks, caplog
):
    def broken(item_id):
        raise ConnectionError("mail server down")

    monkeypatch.setattr(notifications, "item_submitted", broken)
    item = factories.draft_item(w.clerk, w.dept)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        item = workflow.submit(item=item, by=w.clerk)
    assert len(callbacks) == 1
    assert Item.objects.get(pk=item.pk).state == Item.State.SUBMITTED
    assert "mail server down" in caplog.text
