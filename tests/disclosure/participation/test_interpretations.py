"""政策解读 (国办发〔2016〕80号): an item of its own kind linked to its policy,
published together with it in one action (all or nothing, second pair of
eyes on each), linked both ways on the public pages, and the oversight's
lists of policies without an interpretation and of late ones."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from catalog.models import DocumentType
from disclosure import workflow
from disclosure.interpretations import (
    late_interpretations,
    policies_without_interpretation,
)
from disclosure.models import (
    AuditEntry,
    Contribution,
    Item,
    ItemKind,
    PublicRecord,
    SiteSettings,
)
from tests import factories
from tests.disclosure.public_fixtures import publish

from .conftest import move_clock

pytestmark = pytest.mark.django_db


def approved(world, clerk=None, **overrides) -> Item:
    clerk = clerk or world.clerk
    item = factories.draft_item(clerk, world.department, **overrides)
    workflow.submit(item=item, by=clerk)
    return workflow.approve(item=item, by=world.reviewer, confidentiality_checked=True)


def interpretation_of(policy, world, clerk=None, **overrides) -> Item:
    fields = {
        "title": f"《{policy.title}》解读",
        "kind": ItemKind.INTERPRETATION,
        "interprets": policy,
        "interpretation_form": "qa",
        **overrides,
    }
    return approved(world, clerk, **fields)


@pytest.fixture
def publisher(db):
    """A reviewer who had no hand in the items: may publish them."""
    return factories.reviewer()


# --- the kind and its rules ------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"kind": "interpretation", "interpretation_form": "text"},
            "须选择所解读的政策",
        ),
        ({"kind": "interpretation", "interprets": "policy"}, "请选择解读形式"),
        (
            {
                "kind": "interpretation",
                "interprets": "policy",
                "interpretation_form": "video",
            },
            "视频解读须填写视频地址",
        ),
        (
            {
                "kind": "interpretation",
                "interprets": "policy",
                "interpretation_form": "video",
                "video_url": "http://video.example.gov.cn/1",
            },
            "https://",
        ),
        (
            {
                "kind": "interpretation",
                "interprets": "interpretation",
                "interpretation_form": "text",
            },
            "本身是政策解读",
        ),
        ({"kind": "ordinary", "interprets": "policy"}, "只有政策解读"),
        ({"kind": "ordinary", "interpretation_form": "qa"}, "只有政策解读"),
    ],
)
def test_what_an_interpretation_must_name(world, fields, message):
    policy = factories.draft_item(world.clerk, world.department, title="政策")
    interpretation = factories.draft_item(
        world.clerk,
        world.department,
        kind=ItemKind.INTERPRETATION,
        interprets=policy,
        interpretation_form="text",
    )
    targets = {"policy": policy, "interpretation": interpretation}
    data = {
        name: targets.get(value, value) if name == "interprets" else value
        for name, value in fields.items()
    }
    with pytest.raises(ValidationError, match=message):
        workflow.create_item(
            by=world.clerk, data=factories.item_data(world.department, **data)
        )


def test_the_database_refuses_an_interpretation_without_its_policy(world):
    item = factories.draft_item(world.clerk, world.department)
    with pytest.raises(IntegrityError), transaction.atomic():
        Item.objects.filter(pk=item.pk).update(kind=ItemKind.INTERPRETATION)


# --- published together ------------------------------------------------------------------


def test_a_policy_and_its_interpretation_are_published_together(world, publisher):
    policy = approved(world, title="示例区关于促进乡村产业振兴的实施意见")
    interpretation = interpretation_of(policy, world)
    published = workflow.publish_together(
        policy=policy, interpretations=[interpretation], by=publisher
    )
    assert [item.state for item in published] == ["published", "published"]
    records = PublicRecord.objects.filter(pk__in=[policy.pk, interpretation.pk])
    assert records.count() == 2
    days = {timezone.localdate(record.published_at) for record in records}
    assert len(days) == 1
    notes = AuditEntry.objects.filter(action="publish").values_list(
        "comment", flat=True
    )
    assert all("同步发布" in note for note in notes) and len(notes) == 2


def test_both_or_neither(world, publisher):
    """The publisher edited the interpretation: may not publish it, so the
    policy is not published either."""
    policy = approved(world, title="政策")
    item = factories.draft_item(
        world.clerk,
        world.department,
        title="解读",
        kind=ItemKind.INTERPRETATION,
        interprets=policy,
        interpretation_form="text",
    )
    item = workflow.submit(item=item, by=world.clerk)
    item = workflow.approve(item=item, by=world.reviewer, confidentiality_checked=True)
    Contribution.objects.create(
        item=item, round=item.publication_count, user=publisher, kind="edit"
    )
    with pytest.raises(workflow.NotAllowed, match="《解读》"):
        workflow.publish_together(policy=policy, interpretations=[item], by=publisher)
    assert not PublicRecord.objects.exists()
    assert Item.objects.get(pk=policy.pk).state == "approved"
    assert Item.objects.get(pk=policy.pk).index_number is None
    assert not AuditEntry.objects.filter(action="publish").exists()


@pytest.mark.parametrize(
    "who", ["clerk", "reviewer_who_created", "office_admin", "head", "publisher"]
)
def test_who_may_publish_together(world, publisher, who):
    creator = factories.reviewer() if who == "reviewer_who_created" else world.clerk
    if who == "reviewer_who_created":
        from catalog.models import Membership

        Membership.objects.create(user=creator, department=world.department)
    policy = approved(world, clerk=creator, title="政策")
    interpretation = interpretation_of(policy, world)
    user = {
        "clerk": world.clerk,
        "reviewer_who_created": creator,
        "office_admin": factories.office_admin(),
        "head": factories.head_of(world.department),
        "publisher": publisher,
    }[who]
    if who == "publisher":
        workflow.publish_together(
            policy=policy, interpretations=[interpretation], by=user
        )
        assert PublicRecord.objects.count() == 2
    else:
        with pytest.raises(workflow.NotAllowed):
            workflow.publish_together(
                policy=policy, interpretations=[interpretation], by=user
            )
        assert not PublicRecord.objects.exists()


def test_only_the_policys_own_approved_interpretations(world, publisher):
    policy = approved(world, title="政策")
    other = approved(world, title="另一份政策")
    stranger = interpretation_of(other, world)
    with pytest.raises(workflow.InvalidTransition, match="不是这份政策的解读"):
        workflow.publish_together(
            policy=policy, interpretations=[stranger], by=publisher
        )
    draft = factories.draft_item(
        world.clerk,
        world.department,
        kind=ItemKind.INTERPRETATION,
        interprets=policy,
        interpretation_form="text",
    )
    with pytest.raises(workflow.InvalidTransition, match="都须已审核通过"):
        workflow.publish_together(policy=policy, interpretations=[draft], by=publisher)
    with pytest.raises(workflow.WorkflowError, match="至少选择一份"):
        workflow.publish_together(policy=policy, interpretations=[], by=publisher)
    assert not PublicRecord.objects.exists()


def test_scheduled_together_at_the_same_time(world, publisher, clock):
    policy = approved(world, title="政策")
    interpretation = interpretation_of(policy, world)
    at = timezone.now() + datetime.timedelta(days=1)
    workflow.publish_together(
        policy=policy, interpretations=[interpretation], by=publisher, at=at
    )
    times = set(PublicRecord.objects.values_list("published_at", flat=True))
    assert times == {at}


# --- linked both ways on the public pages -------------------------------------------------


def test_the_pages_link_both_ways(client, world, publisher):
    policy = approved(world, title="示例区关于促进乡村产业振兴的实施意见")
    interpretation = interpretation_of(
        policy,
        world,
        interpretation_form="video",
        video_url="https://video.example.gov.cn/1.html",
    )
    workflow.publish_together(
        policy=policy, interpretations=[interpretation], by=publisher
    )
    policy_page = client.get(f"/items/{policy.pk}/").content.decode()
    assert f'href="/items/{interpretation.pk}/"' in policy_page
    assert "视频解读" in policy_page
    interpretation_page = client.get(f"/items/{interpretation.pk}/").content.decode()
    assert f'href="/items/{policy.pk}/"' in interpretation_page
    assert "解读的文件：" in interpretation_page
    assert 'href="https://video.example.gov.cn/1.html"' in interpretation_page
    # A withdrawn interpretation leaves the policy's page.
    workflow.withdraw(item=interpretation, by=world.admin, reason="内容有误，撤销。")
    policy_page = client.get(f"/items/{policy.pk}/").content.decode()
    assert f'href="/items/{interpretation.pk}/"' not in policy_page


# --- oversight ----------------------------------------------------------------------------


def _mark(*codes):
    settings = SiteSettings.load()
    settings.interpretation_types.set(DocumentType.objects.filter(code__in=codes))


def test_policies_without_interpretation(world, publisher):
    _mark("opinion")
    opinion = DocumentType.objects.get(code="opinion")
    alone = publish(world, title="没有解读的意见", document_type=opinion)
    policy = approved(world, title="有解读的意见", document_type=opinion)
    workflow.publish_together(
        policy=policy, interpretations=[interpretation_of(policy, world)], by=publisher
    )
    publish(world, title="不须解读的公告")  # document type: announcement
    today = timezone.localdate()
    found = policies_without_interpretation(
        today - datetime.timedelta(days=30), today, now=timezone.now()
    )
    assert [record.title for record in found] == [alone.title]
    _mark()
    assert policies_without_interpretation(today, today, now=timezone.now()) == []


def test_normative_documents_need_an_interpretation_whatever_their_type(world):
    """行政规范性文件 (marked on the item, 国办发〔2018〕37号) need one even when the
    office marks no document type."""
    _mark()
    today = timezone.localdate()
    normative = publish(
        world,
        title="没有解读的规范性文件",
        document_class="normative",
        registration_number="SLQ-2026-001",
        effective_on=today,
    )
    publish(world, title="普通的通知")
    found = policies_without_interpretation(today, today, now=timezone.now())
    assert [record.title for record in found] == [normative.title]


def test_a_withdrawn_interpretation_does_not_count(world, publisher):
    _mark("opinion")
    opinion = DocumentType.objects.get(code="opinion")
    policy = approved(world, title="意见", document_type=opinion)
    interpretation = interpretation_of(policy, world)
    workflow.publish_together(
        policy=policy, interpretations=[interpretation], by=publisher
    )
    workflow.withdraw(item=interpretation, by=world.admin, reason="撤销。")
    today = timezone.localdate()
    found = policies_without_interpretation(today, today, now=timezone.now())
    assert [record.pk for record in found] == [policy.pk]


def test_late_interpretations(world, publisher, clock):
    policy = publish(world, title="先发布的政策")
    same_day = interpretation_of(policy.item, world, title="同日的解读")
    workflow.publish(item=same_day, by=publisher)
    later = interpretation_of(policy.item, world, title="晚三天的解读")
    move_clock(clock, 3)
    workflow.publish(item=later, by=publisher)
    today = timezone.localdate()
    found = late_interpretations(
        today - datetime.timedelta(days=10), today, now=timezone.now()
    )
    assert [(pair.interpretation.title, pair.days_late) for pair in found] == [
        ("晚三天的解读", 3)
    ]


def test_the_dashboard_lists_them(client, world, publisher):
    _mark("opinion")
    publish(
        world,
        title="没有解读的意见",
        document_type=DocumentType.objects.get(code="opinion"),
    )
    client.force_login(world.reviewer)
    page = client.get("/workspace/oversight/").content.decode()
    assert "未配发解读的政策文件" in page
    assert "没有解读的意见" in page


# --- the staff pages -----------------------------------------------------------------------


def test_a_clerk_writes_an_interpretation_in_the_editor(client, world):
    policy = factories.draft_item(world.clerk, world.department, title="本部门的政策")
    foreign = factories.draft_item(
        world.other_clerk, world.other_department, title="别的部门的政策"
    )
    client.force_login(world.clerk)
    form_page = client.get("/workspace/items/new/").content.decode()
    assert "本部门的政策" in form_page
    assert "别的部门的政策" not in form_page
    data = {
        "title": "《本部门的政策》解读",
        "department": world.department.pk,
        "formed_on": "2026-03-02",
        "topic": world.topic.pk,
        "disclosure_mode": "proactive",
        "scope": "public",
        "validity": "valid",
        "body": "<p>解读正文。</p>",
        "kind": "interpretation",
        "interpretation_form": "text",
    }
    response = client.post("/workspace/items/new/", {**data, "interprets": foreign.pk})
    assert response.status_code == 200
    assert "请从列表中选择一项" in response.content.decode()
    response = client.post("/workspace/items/new/", {**data, "interprets": policy.pk})
    created = Item.objects.get(title="《本部门的政策》解读")
    assert response.status_code == 302
    assert (
        created.kind == ItemKind.INTERPRETATION and created.interprets_id == policy.pk
    )


def test_the_publish_together_page(client, world, publisher):
    policy = approved(world, title="示例区高标准农田建设管护办法")
    interpretation = interpretation_of(policy, world)
    url = reverse("participation:publish-together", args=[policy.pk])
    client.force_login(world.clerk)
    assert client.get(url).status_code == 403
    client.force_login(publisher)
    overview = client.get(reverse("participation:interpretations")).content.decode()
    assert url in overview
    item_page = client.get(f"/workspace/items/{policy.pk}/").content.decode()
    assert url in item_page  # the item page offers it
    response = client.post(url, {"interpretations": [interpretation.pk]})
    assert response.status_code == 302
    assert set(PublicRecord.objects.values_list("pk", flat=True)) == {
        policy.pk,
        interpretation.pk,
    }
    # From the interpretation's own address, the reviewer lands on the policy's.
    response = client.get(
        reverse("participation:publish-together", args=[interpretation.pk])
    )
    assert response["Location"] == url


def test_an_interpretation_of_a_withdrawn_policy_can_still_be_edited(client, world):
    policy = publish(world, title="后来撤销的政策")
    interpretation = factories.draft_item(
        world.clerk,
        world.department,
        title="解读",
        kind=ItemKind.INTERPRETATION,
        interprets=policy.item,
        interpretation_form="text",
    )
    workflow.withdraw(item=policy.item, by=world.admin, reason="撤销。")
    client.force_login(world.clerk)
    page = client.get(f"/workspace/items/{interpretation.pk}/edit/").content.decode()
    assert "后来撤销的政策" in page  # the policy it names stays a choice


def test_the_listing_marks_interpretations(client, world, publisher):
    policy = approved(world, title="乡村产业振兴实施意见")
    interpretation = interpretation_of(policy, world)
    workflow.publish_together(
        policy=policy, interpretations=[interpretation], by=publisher
    )
    page = client.get("/items/").content.decode()
    assert page.count('<span class="badge">政策解读</span>') == 1


def test_the_pages_link_only_what_the_public_may_see(
    client, world, publisher, clock, settings
):
    """The links of an item page (``interpretations.related_to_record``):
    an interpretation once its publication time has come; the policy while
    its page is visible (live or withdrawn, not removed, not yet scheduled)."""
    settings.PORTAL_PAGE_CACHE_SECONDS = 0  # what the view finds, not the cache
    policy = approved(world, title="示例区关于促进乡村产业振兴的实施意见")
    now_published = interpretation_of(policy, world, title="《实施意见》图解")
    workflow.publish_together(
        policy=policy, interpretations=[now_published], by=publisher
    )
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    later = interpretation_of(policy, world, title="《实施意见》问答")
    workflow.publish(item=later, by=publisher, at=tomorrow)

    policy_page = client.get(f"/items/{policy.pk}/").content.decode()
    assert f'href="/items/{now_published.pk}/"' in policy_page
    assert f'href="/items/{later.pk}/"' not in policy_page
    clock.move_to(tomorrow + datetime.timedelta(minutes=1))
    policy_page = client.get(f"/items/{policy.pk}/").content.decode()
    assert f'href="/items/{later.pk}/"' in policy_page

    # The policy withdrawn: still linked from its interpretation (its page
    # says it was withdrawn); removed: no longer.
    interpretation_page = f"/items/{now_published.pk}/"
    workflow.withdraw(item=policy, by=world.admin, reason="已被新文件替代。")
    assert (
        f'href="/items/{policy.pk}/"'
        in client.get(interpretation_page).content.decode()
    )
    workflow.remove(item=policy, by=world.admin, reason="误发，删除。")
    assert (
        f'href="/items/{policy.pk}/"'
        not in client.get(interpretation_page).content.decode()
    )


def test_a_policy_not_yet_public_is_not_linked(client, world, publisher, settings):
    settings.PORTAL_PAGE_CACHE_SECONDS = 0  # the change below bumps nothing
    policy = approved(world, title="示例区关于促进乡村产业振兴的实施意见")
    interpretation = interpretation_of(policy, world)
    workflow.publish_together(
        policy=policy, interpretations=[interpretation], by=publisher
    )
    page = f"/items/{interpretation.pk}/"
    assert f'href="/items/{policy.pk}/"' in client.get(page).content.decode()
    # The policy's record moved to a later publication time (as a scheduled
    # one would be): its page is not visible yet, nor linked.
    PublicRecord.objects.filter(pk=policy.pk).update(
        published_at=timezone.now() + datetime.timedelta(days=1)
    )
    assert client.get(f"/items/{policy.pk}/").status_code == 404
    assert f'href="/items/{policy.pk}/"' not in client.get(page).content.decode()
