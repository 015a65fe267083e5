"""What the clerk records so that the due date follows the law (issue 12 §2):
the 报告期 of a periodic item (default: the last complete period), the
approval date a budget's limit counts from, and the checks on 成文日期 and
发文字号 at saving and publishing."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from catalog.models import CatalogEntry, DocumentType, TopicCategory
from disclosure import workflow
from disclosure.deadlines import last_complete_period
from disclosure.models import Item
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    dept = factories.DepartmentFactory(code="czj", name="区财政局")
    return {
        "dept": dept,
        "clerk": factories.clerk_of(dept, "clerk1"),
        "reviewer": factories.reviewer("rev1"),
        "quarterly": factories.CatalogEntryFactory(
            responsible_department=dept,
            level2="专项资金分配结果",
            time_limit_kind="periodic",
            time_limit_days=10,
            period="quarterly",
        ),
        "budget": factories.CatalogEntryFactory(
            responsible_department=dept,
            level2="部门预算",
            time_limit_kind="calendar_days",
            time_limit_days=20,
            counted_from="approved",
        ),
    }


def form_data(world, **overrides):
    data = {
        "title": "财政专项资金分配结果公开",
        "department": world["dept"].pk,
        "doc_number": "",
        "document_type": DocumentType.objects.get(code="announcement").pk,
        "catalog_entry": world["quarterly"].pk,
        "formed_on": timezone.localdate().isoformat(),
        "topic": TopicCategory.objects.get(code="0401").pk,
        "keywords": "",
        "disclosure_mode": "proactive",
        "non_disclosure_reason": "",
        "scope": "public",
        "validity": "valid",
        "validity_changed_on": "",
        "body": "<p>分配结果如下。</p>",
    }
    data.update(overrides)
    return data


def create(client, world, **overrides):
    client.force_login(world["clerk"])
    return client.post(
        reverse("workspace:item-create"), form_data(world, **overrides), follow=True
    )


def test_a_periodic_item_defaults_to_the_last_complete_period(client, world):
    today = timezone.localdate()
    response = create(client, world)
    assert response.status_code == 200
    item = Item.objects.get()
    year, quarter = last_complete_period(today, CatalogEntry.Period.QUARTERLY)
    assert (item.report_year, item.report_period) == (year, quarter)
    # Due 10 working days after that quarter's end, never after the current one.
    quarter_end = datetime.date(year, quarter * 3, 1) + datetime.timedelta(days=31)
    quarter_end = quarter_end.replace(day=1) - datetime.timedelta(days=1)
    assert quarter_end < item.due_on <= quarter_end + datetime.timedelta(days=30)
    assert "报告期" in response.content.decode()


def test_the_clerk_picks_the_report_period_and_the_due_date_follows(client, world):
    today = timezone.localdate()
    response = create(client, world, report_year=today.year - 1, report_period=3)
    assert f"{today.year - 1}年第3季度" in response.content.decode()  # item page
    item = Item.objects.get()
    assert (item.report_year, item.report_period) == (today.year - 1, 3)
    sept_30 = datetime.date(today.year - 1, 9, 30)
    assert sept_30 < item.due_on < datetime.date(today.year - 1, 10, 31)


def test_a_report_period_that_does_not_exist_is_refused(client, world):
    response = create(client, world, report_year=2025, report_period=5)
    assert "请按公开事项的周期填写报告期的季度（1-4）" in response.content.decode()
    assert not Item.objects.exists()


def test_a_budget_needs_its_approval_date_and_counts_calendar_days(client, world):
    response = create(client, world, catalog_entry=world["budget"].pk)
    assert "请填写时限起算日期" in response.content.decode()
    assert not Item.objects.exists()
    approved = timezone.localdate() - datetime.timedelta(days=3)
    create(
        client,
        world,
        catalog_entry=world["budget"].pk,
        event_on=approved.isoformat(),
        formed_on=(approved - datetime.timedelta(days=5)).isoformat(),
    )
    item = Item.objects.get()
    assert item.event_on == approved
    assert item.due_on == approved + datetime.timedelta(days=20)


def test_outside_the_catalog_the_editor_shows_article_26(client, world):
    response = create(client, world, catalog_entry="")
    item = Item.objects.get()
    assert item.due_on is not None  # 20 working days (Art. 26)
    client.force_login(world["clerk"])
    page = client.get(reverse("workspace:item-edit", args=[item.pk])).content.decode()
    assert "条例第二十六条" in page
    assert response.status_code == 200


def test_a_doc_number_of_another_year_is_a_warning_not_an_error(client, world):
    today = timezone.localdate()
    response = create(
        client,
        world,
        catalog_entry="",
        doc_number=f"示财〔{today.year - 1}〕3号",
    )
    text = response.content.decode()
    assert "草稿已保存" in text
    assert f"发文字号“示财〔{today.year - 1}〕3号”的年份是{today.year - 1}年" in text
    assert Item.objects.count() == 1


def test_a_doc_number_of_the_same_year_gives_no_warning(client, world):
    today = timezone.localdate()
    response = create(
        client, world, catalog_entry="", doc_number=f"示财〔{today.year}〕3号"
    )
    assert "请核对：发文字号" not in response.content.decode()


def test_publication_before_the_formed_on_date_is_refused(client, world):
    later = timezone.localdate() + datetime.timedelta(days=30)
    item = factories.draft_item(world["clerk"], world["dept"], formed_on=later)
    item = workflow.submit(item=item, by=world["clerk"])
    item = workflow.approve(
        item=item, by=world["reviewer"], confidentiality_checked=True
    )
    client.force_login(world["reviewer"])
    response = client.post(
        reverse("workspace:publish", args=[item.pk]), {"when": "now"}
    )
    text = response.content.decode()
    assert "晚于发布日期" in text
    assert "不能发布" in text
    item.refresh_from_db()
    assert item.state == Item.State.APPROVED
    assert item.first_published_at is None


def test_scheduling_after_the_formed_on_date_is_allowed(world):
    later = timezone.localdate() + datetime.timedelta(days=2)
    item = factories.draft_item(world["clerk"], world["dept"], formed_on=later)
    item = workflow.submit(item=item, by=world["clerk"])
    item = workflow.approve(
        item=item, by=world["reviewer"], confidentiality_checked=True
    )
    at = timezone.make_aware(
        datetime.datetime.combine(later + datetime.timedelta(days=1), datetime.time(9))
    )
    item = workflow.publish(item=item, by=world["reviewer"], at=at)
    assert item.state == Item.State.SCHEDULED


def test_the_editor_preview_follows_the_report_period(client, world):
    client.force_login(world["clerk"])
    url = reverse("workspace:due-date")
    params = {"entry": world["quarterly"].pk, "formed_on": "2026-10-09"}
    chosen = client.get(url, {**params, "report_year": 2026, "report_period": 3})
    assert chosen.json()["due"] == "2026-10-20"
    assert "自 2026-09-30 起算" in chosen.json()["text"]
    budget = client.get(
        url,
        {
            "entry": world["budget"].pk,
            "formed_on": "2026-01-20",
            "event_on": "2026-01-26",
        },
    )
    assert budget.json()["due"] == "2026-02-15"
    assert "批准或者批复之日起20日内" in budget.json()["text"]
