"""The second pair of eyes: whoever touched the content of the revision under
review may neither sign it off as head, approve, return nor publish it,
superusers included.

The revision under review is everything since the item's last publication
(or since its creation). A touch is any edit, an attachment added or
removed, the submission, and creating the item. The table below tries every
kind of touch against every step, by a member of staff who holds every role
and by a superuser who does, on a first revision and on a revision of a
published item; an independent colleague then takes the same step, proving
that only the touch refused it.
"""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from catalog.models import Membership
from disclosure import permissions, workflow
from disclosure.models import AuditEntry, Contribution, Item, PublicRecord
from disclosure.permissions import OFFICE_ADMIN_GROUP, REVIEWER_GROUP
from tests import factories

State = Item.State

TOUCHES = {
    "create": "创建",
    "edit": "修改内容",
    "attach": "上传附件",
    "detach": "删除附件",
    "submit": "提交审核",
}
STEPS = ("head_signoff", "approve", "return", "publish_now", "publish_scheduled")
ACTORS = ("staff", "superuser")
REVISIONS = ("first", "of_published")

FLAG = {
    "head_signoff": "can_review",
    "approve": "can_review",
    "return": "can_return",
    "publish_now": "can_publish",
    "publish_scheduled": "can_schedule",
}
VERB = {
    "head_signoff": "不能签批它，请由部门其他负责人签批。",
    "approve": "不能审核它，请由其他审核员审核。",
    "return": "不能审核它，请由其他审核员审核。",
    "publish_now": "不能发布它，请由其他审核员发布。",
    "publish_scheduled": "不能发布它，请由其他审核员发布。",
}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


class World:
    def __init__(self):
        self.dept = factories.DepartmentFactory(publisher_code="000014349")
        self.signoff_dept = factories.require_head_signoff(
            factories.DepartmentFactory()
        )
        self.author = factories.clerk_of(self.dept, "author")
        Membership.objects.create(
            user=self.author, department=self.signoff_dept, role="clerk"
        )
        self.head = factories.head_of(self.signoff_dept, "independent_head")
        self.reviewer = factories.reviewer("independent_reviewer")
        self.actors = {
            "staff": self._every_role(factories.UserFactory(username="staff")),
            "superuser": self._every_role(
                factories.UserFactory(
                    username="superuser", is_superuser=True, is_staff=True
                )
            ),
        }

    def _every_role(self, user):
        for department in (self.dept, self.signoff_dept):
            for role in ("clerk", "head"):
                Membership.objects.create(user=user, department=department, role=role)
        user.groups.add(
            *Group.objects.filter(name__in=[REVIEWER_GROUP, OFFICE_ADMIN_GROUP])
        )
        return user


@pytest.fixture
def world(db):
    return World()


def _edit(item, by, **data):
    return workflow.update_item(
        item=item, by=by, data=data, expected_version=item.version
    )


def _through_review(item, world):
    while item.state == State.SUBMITTED:
        if item.review_stage == "head":
            item = workflow.approve(item=item, by=world.head)
        else:
            item = workflow.approve(
                item=item, by=world.reviewer, confidentiality_checked=True
            )
    return item


def build(world, *, touch, step, revision, actor):
    """An item at ``step``'s starting point whose revision under review
    ``actor`` touched once, by ``touch``; the author did the rest, last."""
    department = world.signoff_dept if step == "head_signoff" else world.dept
    author = world.author
    item = factories.draft_item(actor if touch == "create" else author, department)
    factories.attach_pdf(item, author, name="原有附件.pdf")
    item.refresh_from_db()
    if revision == "of_published":
        item = workflow.submit(item=item, by=author)
        item = _through_review(item, world)
        item = workflow.publish(item=item, by=world.reviewer)
        item = _edit(item, author, title=item.title + "（更正）")
    if touch == "edit":
        item = _edit(item, actor, body="<p>补贴标准调整为每亩120元。</p>")
    elif touch == "attach":
        factories.attach_pdf(item, actor, name="补充名单.pdf")
    elif touch == "detach":
        workflow.remove_attachment(
            attachment=item.attachments.get(original_name="原有附件.pdf"), by=actor
        )
    item = Item.objects.get(pk=item.pk)
    item = _edit(item, author, keywords="补贴 公示 第二批")
    item = workflow.submit(item=item, by=actor if touch == "submit" else author)
    if step in ("publish_now", "publish_scheduled"):
        item = _through_review(item, world)
        assert item.state == State.APPROVED
    else:
        assert item.review_stage == ("head" if step == "head_signoff" else "office")
    return Item.objects.get(pk=item.pk)


def take(step, item, by):
    if step in ("head_signoff", "approve"):
        return workflow.approve(item=item, by=by, confidentiality_checked=True)
    if step == "return":
        return workflow.return_item(item=item, by=by, comment="请补充依据。")
    if step == "publish_now":
        return workflow.publish(item=item, by=by)
    at = timezone.now() + datetime.timedelta(days=2)
    return workflow.publish(item=item, by=by, at=at)


def flags(user, item_pk):
    permissions.forget_roles(user)
    item = Item.objects.select_related("department").get(pk=item_pk)
    return permissions.item_flags(user, item)


def _cases():
    for touch in TOUCHES:
        for step in STEPS:
            for revision in REVISIONS:
                if revision == "of_published" and touch == "create":
                    continue  # a published item was created long before
                if revision == "of_published" and step == "publish_scheduled":
                    continue  # a revision is published at once, never scheduled
                for actor in ACTORS:
                    yield pytest.param(
                        touch,
                        step,
                        revision,
                        actor,
                        id=f"{touch}-{step}-{revision}-{actor}",
                    )


@pytest.mark.parametrize(("touch", "step", "revision", "actor"), list(_cases()))
def test_whoever_touched_the_revision_cannot_take_the_step(
    world, touch, step, revision, actor
):
    user = world.actors[actor]
    item = build(world, touch=touch, step=step, revision=revision, actor=user)
    reason = f"您修改过本次送审的内容（{TOUCHES[touch]}），按照双人审核原则{VERB[step]}"

    seen = flags(user, item.pk)
    assert seen[FLAG[step]] is False
    shown = (
        seen["publish_block_reason"]
        if step.startswith("publish")
        else seen["review_block_reason"]
    )
    assert shown == reason
    entries = AuditEntry.objects.filter(item=item).count()
    with pytest.raises(workflow.NotAllowed) as refused:
        take(step, item, user)
    assert refused.value.message == reason
    after = Item.objects.get(pk=item.pk)
    assert (after.state, after.review_stage) == (item.state, item.review_stage)
    assert AuditEntry.objects.filter(item=item).count() == entries

    # An independent colleague may: the touch alone refused it.
    colleague = world.head if step == "head_signoff" else world.reviewer
    assert flags(colleague, item.pk)[FLAG[step]] is True
    take(step, Item.objects.get(pk=item.pk), colleague)


@pytest.mark.parametrize("actor", ACTORS)
def test_touching_an_earlier_revision_does_not_keep_anyone_from_the_next(world, actor):
    """The creator, editor, attacher and submitter of the first publication
    may review and publish a later revision that they did not touch."""
    user = world.actors[actor]
    item = factories.draft_item(user, world.signoff_dept)
    factories.attach_pdf(item, user)
    item = _edit(Item.objects.get(pk=item.pk), user, keywords="补贴")
    item = workflow.submit(item=item, by=user)
    item = _through_review(item, world)
    item = workflow.publish(item=item, by=world.reviewer)
    assert permissions.is_author(user, Item.objects.get(pk=item.pk)) is False

    item = _edit(item, world.author, title=item.title + "（更正）")
    item = workflow.submit(item=item, by=world.author)
    item = workflow.approve(item=item, by=user)  # head sign-off
    item = workflow.approve(item=item, by=user, confidentiality_checked=True)
    item = workflow.publish(item=item, by=user)
    assert item.state == State.PUBLISHED
    assert PublicRecord.objects.get(item=item).revision_number == 2


def test_cancelling_a_scheduled_publication_keeps_the_contributors_out(world):
    """A cancelled scheduled publication was no publication: whoever touched
    the revision still may not publish it."""
    user = world.actors["staff"]
    item = build(world, touch="edit", step="publish_now", revision="first", actor=user)
    at = timezone.now() + datetime.timedelta(days=2)
    item = workflow.publish(item=item, by=world.reviewer, at=at)
    assert item.state == State.SCHEDULED
    item = workflow.unschedule(item=item, by=user)
    assert flags(user, item.pk)["can_publish"] is False
    with pytest.raises(workflow.NotAllowed):
        workflow.publish(item=Item.objects.get(pk=item.pk), by=user)


def test_each_touch_is_recorded_with_the_touch_and_nothing_when_it_fails(world):
    user = world.actors["staff"]
    item = factories.draft_item(world.author, world.dept)
    with pytest.raises(workflow.StaleEdit):
        workflow.update_item(
            item=item, by=user, data={"keywords": "x"}, expected_version=99
        )
    assert not Contribution.objects.filter(user=user).exists()
    _edit(item, user, keywords="补贴 名单")
    attachment = factories.attach_pdf(Item.objects.get(pk=item.pk), user)
    workflow.remove_attachment(attachment=attachment, by=user)
    workflow.submit(item=Item.objects.get(pk=item.pk), by=user)
    rows = Contribution.objects.filter(item=item).values_list(
        "user__username", "kind", "round"
    )
    assert sorted(rows) == sorted(
        [
            ("author", "create", 0),
            ("staff", "edit", 0),
            ("staff", "attach", 0),
            ("staff", "detach", 0),
            ("staff", "submit", 0),
        ]
    )


def test_the_review_queue_marks_touched_items_without_a_query_per_item(
    client, world, django_assert_max_num_queries
):
    user = world.actors["staff"]
    for number in range(6):
        item = factories.draft_item(world.author, world.dept, title=f"信息{number}")
        if number % 2:
            _edit(item, user, keywords="补贴")
            item = Item.objects.get(pk=item.pk)
        workflow.submit(item=item, by=world.author)
    client.force_login(user)
    with django_assert_max_num_queries(20):
        page = client.get(reverse("workspace:review-queue")).content.decode()
    assert page.count("本人经手，不能审核") == 3


# --- the case, through the workspace -------------------------------------


def test_a_reviewer_who_edited_and_attached_cannot_approve_or_publish_alone(
    client, world
):
    """A creates an item; B edits the body and attaches a file; A edits the
    keywords and submits; B may neither approve nor publish it."""
    a = world.author
    b = world.actors["staff"]  # clerk of the department and reviewer
    item = factories.draft_item(a, world.dept)

    client.force_login(b)
    item = _edit(item, b, body="<p>补贴标准调整为每亩120元。</p>")
    response = client.post(
        reverse("workspace:upload", args=[item.pk]),
        {"files": [SimpleUploadedFile("补贴名单.pdf", factories.minimal_pdf())]},
    )
    assert response.status_code == 302
    item = _edit(Item.objects.get(pk=item.pk), a, keywords="补贴 公示 修改")
    item = workflow.submit(item=item, by=a)

    reason = (
        "您修改过本次送审的内容（修改内容、上传附件），按照双人审核原则不能审核它，"
        "请由其他审核员审核。"
    )
    review_page = client.get(reverse("workspace:review", args=[item.pk]))
    assert reason in review_page.content.decode()
    assert 'name="confidentiality_checked"' not in review_page.content.decode()
    refused = client.post(
        reverse("workspace:approve", args=[item.pk]),
        {"confidentiality_checked": "on", "comment": "同意"},
    )
    assert reason in refused.content.decode()
    assert Item.objects.get(pk=item.pk).state == State.SUBMITTED

    # Another reviewer approves; B still may not publish.
    workflow.approve(
        item=Item.objects.get(pk=item.pk),
        by=world.reviewer,
        confidentiality_checked=True,
    )
    item_page = client.get(reverse("workspace:item", args=[item.pk])).content.decode()
    assert (
        "您修改过本次送审的内容（修改内容、上传附件），按照双人审核原则不能发布它，"
        "请由其他审核员发布。"
    ) in item_page
    client.post(reverse("workspace:publish", args=[item.pk]), {"when": "now"})
    assert Item.objects.get(pk=item.pk).state == State.APPROVED
    assert not PublicRecord.objects.filter(item_id=item.pk).exists()
