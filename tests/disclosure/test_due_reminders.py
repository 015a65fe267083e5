"""manage.py send_due_reminders: clerks hear of their departments' items due
within five working days or overdue, the office gets a summary, and a second
run the same day sends nothing."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from catalog.models import Department
from disclosure import workflow
from disclosure.models import Item
from disclosure.oversight.models import ReminderLog
from tests import factories

TODAY = "2026-03-16"  # a Monday; no holiday until April


def run(*args) -> str:
    out = io.StringIO()
    call_command("send_due_reminders", *args, stdout=out)
    return out.getvalue()


def due(item, day: str):
    Item.objects.filter(pk=item.pk).update(due_on=datetime.date.fromisoformat(day))
    return item


@pytest.fixture
def office():
    finance = factories.DepartmentFactory(code="czj-t", name="区财政局（测试）")
    budget = factories.DepartmentFactory(
        code="czj-t-ys", name="预算科（测试）", parent=finance
    )
    farming = factories.DepartmentFactory(code="nyj-t", name="区农业农村局（测试）")
    quiet = factories.DepartmentFactory(code="jyj-t", name="区教育局（测试）")
    clerk = factories.clerk_of(finance, "clerk-finance")
    farming_clerk = factories.clerk_of(farming, "clerk-farming")
    quiet_clerk = factories.clerk_of(quiet, "clerk-quiet")
    reviewer = factories.reviewer("office-reviewer")
    admin = factories.office_admin("office-admin")
    items = {
        "overdue": due(
            factories.draft_item(clerk, finance, title="已逾期的预算公开"),
            "2026-03-10",
        ),
        "due_today": due(
            factories.draft_item(clerk, finance, title="今天到期的决算公开"),
            "2026-03-16",
        ),
        "fifth_day": due(
            factories.draft_item(clerk, budget, title="第五个工作日到期的专项资金"),
            "2026-03-23",
        ),
        "sixth_day": due(
            factories.draft_item(clerk, finance, title="第六个工作日到期的信息"),
            "2026-03-24",
        ),
        "farming": due(
            factories.draft_item(farming_clerk, farming, title="即将到期的补贴公示"),
            "2026-03-18",
        ),
    }
    published = factories.draft_item(clerk, finance, title="已经发布的信息")
    workflow.submit(item=published, by=clerk)
    workflow.approve(item=published, by=reviewer, confidentiality_checked=True)
    workflow.publish(item=published, by=reviewer)
    due(published, "2026-03-12")
    return {
        "clerk": clerk,
        "farming_clerk": farming_clerk,
        "quiet_clerk": quiet_clerk,
        "reviewer": reviewer,
        "admin": admin,
        "items": items,
    }


def mails_to(address):
    return [message for message in mail.outbox if message.to == [address]]


@pytest.mark.django_db
def test_clerks_hear_of_their_items_due_soon_or_overdue(office):
    output = run("--today", TODAY)
    [message] = mails_to("clerk-finance@example.gov.cn")
    assert message.subject == "【到期提醒】3条信息即将到期或已逾期"
    assert "已逾期的预算公开" in message.body
    assert "已逾期（应于2026-03-10前公开）" in message.body
    assert "今天到期的决算公开" in message.body
    # the department's office is covered by its clerk
    assert "第五个工作日到期的专项资金" in message.body
    assert "第六个工作日到期的信息" not in message.body
    assert "已经发布的信息" not in message.body
    assert "即将到期的补贴公示" not in message.body
    assert f"/workspace/items/{office['items']['overdue'].pk}/" in message.body
    [farming] = mails_to("clerk-farming@example.gov.cn")
    assert "即将到期的补贴公示" in farming.body
    assert "已逾期的预算公开" not in farming.body
    assert mails_to("clerk-quiet@example.gov.cn") == []
    assert (
        "sent: clerk clerk-finance <clerk-finance@example.gov.cn>: 3 item(s), 1 overdue"
        in output
    )


@pytest.mark.django_db
def test_the_office_gets_a_summary(office):
    run("--today", TODAY)
    for address in ["office-reviewer@example.gov.cn", "office-admin@example.gov.cn"]:
        [message] = mails_to(address)
        assert message.subject == "【公开时效】4条信息即将到期或已逾期"
        assert "区财政局（测试）：2条（已逾期1条）" in message.body
        assert "预算科（测试）：1条（已逾期0条）" in message.body
        assert "区农业农村局（测试）：1条（已逾期0条）" in message.body
        assert "/workspace/oversight/" in message.body


@pytest.mark.django_db
def test_a_second_run_the_same_day_sends_nothing(office):
    run("--today", TODAY)
    sent = len(mail.outbox)
    assert sent == 4
    output = run("--today", TODAY)
    assert len(mail.outbox) == sent
    assert "skipped: clerk clerk-finance" in output
    assert "Done: 0 e-mail(s) sent, 4 already sent today." in output
    assert ReminderLog.objects.count() == 4
    # the next day, the reminders go out again
    run("--today", "2026-03-17")
    assert len(mail.outbox) == 2 * sent


@pytest.mark.django_db
def test_dry_run_sends_and_records_nothing(office):
    output = run("--today", TODAY, "--dry-run")
    assert mail.outbox == []
    assert not ReminderLog.objects.exists()
    assert "[dry-run] would send: clerk clerk-finance" in output
    assert "[dry-run] would send: office office-admin" in output


@pytest.mark.django_db
def test_inactive_users_and_users_without_address_get_nothing(office):
    office["clerk"].is_active = False
    office["clerk"].save()
    office["reviewer"].email = ""
    office["reviewer"].save()
    run("--today", TODAY)
    assert mails_to("clerk-finance@example.gov.cn") == []
    assert mails_to("office-reviewer@example.gov.cn") == []
    assert len(mails_to("office-admin@example.gov.cn")) == 1


@pytest.mark.django_db
def test_nothing_due_nothing_sent(office):
    Item.objects.update(due_on=datetime.date(2026, 12, 31))
    output = run("--today", TODAY)
    assert mail.outbox == []
    assert "0 item(s) due" in output


@pytest.mark.django_db
def test_a_bad_date_is_refused():
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        run("--today", "16/03/2026")


@pytest.mark.django_db
def test_without_today_it_uses_the_local_date(office):
    assert Department.objects.filter(code="czj-t").exists()
    output = run("--dry-run")
    assert output.startswith("[dry-run] ")
