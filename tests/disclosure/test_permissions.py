"""Who may take which step, in which state: every workflow step by every role.

The table :data:`ALLOWED` is the rule book: for each step, the starting states
in which it can be taken and, per state, the roles that may take it. Every
other combination must be refused with ``NotAllowed`` or ``InvalidTransition``
and change nothing (state, version, audit trail, revisions, attachments, the
public record, mail). The template flags (``permissions.item_flags``) are
checked against the same table, so a button is shown exactly when the step
would succeed.

In a state where a step is allowed, every role is tried. In the other states,
the roles that could take the step somewhere (and a superuser holding every
role) are tried, to prove the state alone refuses it.
"""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.core import mail
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from disclosure import permissions, workflow
from disclosure.models import (
    Attachment,
    AuditEntry,
    ChangeNote,
    Item,
    PublicRecord,
    Revision,
)
from disclosure.permissions import OFFICE_ADMIN_GROUP, REVIEWER_GROUP
from disclosure.uploads import check_upload
from tests import factories

State = Item.State
Action = AuditEntry.Action

ROLES = (
    "anonymous",
    "inactive",  # holds every role, but the account is disabled
    "clerk",  # a clerk of the item's department (not its author)
    "other_clerk",  # a clerk of another department
    "head",  # head of the item's department
    "reviewer",
    "reviewer_author",  # reviewer and clerk, created the item (and attached)
    "reviewer_editor",  # reviewer and clerk, edited the item
    "reviewer_submitter",  # reviewer and clerk, submitted the item
    "office_admin",
    "superuser",  # is_superuser, no portal role
    "superuser_author",  # superuser with every role, created the item
)

CLERKS = frozenset(
    {
        "clerk",
        "reviewer_author",
        "reviewer_editor",
        "reviewer_submitter",
        "superuser_author",
    }
)
REVIEWERS = frozenset(
    {
        "reviewer",
        "reviewer_author",
        "reviewer_editor",
        "reviewer_submitter",
        "superuser_author",
    }
)
#: Second pair of eyes: of the reviewers, only the one who touched nothing of
#: the revision under review (created, edited, attached, submitted) may
#: approve, return or publish it (every kind of touch and step:
#: test_second_pair_of_eyes.py).
INDEPENDENT_REVIEWER = frozenset({"reviewer"})
HEAD = frozenset({"head"})
ADMINS = frozenset({"office_admin", "superuser_author"})

EDITABLE = ("draft", "returned", "published", "scheduled_past", "published_editing")
LIVE = ("published", "scheduled_past", "published_editing", "approved_revision")

#: step → {starting state: roles allowed}. Not listed: refused.
ALLOWED = {
    "edit": dict.fromkeys(EDITABLE, CLERKS),
    "add_attachment": dict.fromkeys(EDITABLE, CLERKS),
    "remove_attachment": dict.fromkeys(EDITABLE, CLERKS),
    "submit": dict.fromkeys(("draft", "returned", "published_editing"), CLERKS),
    "approve": {
        "submitted_head": HEAD,  # head sign-off stage
        "submitted_office": INDEPENDENT_REVIEWER,  # office stage, no sign-off
        "submitted_office_after_head": INDEPENDENT_REVIEWER,
    },
    "return": {
        "submitted_head": HEAD,
        "submitted_office": INDEPENDENT_REVIEWER,
        "submitted_office_after_head": INDEPENDENT_REVIEWER,
        "approved": INDEPENDENT_REVIEWER,
        "approved_revision": INDEPENDENT_REVIEWER,
    },
    "publish_now": {
        "approved": INDEPENDENT_REVIEWER,
        "approved_revision": INDEPENDENT_REVIEWER,
    },
    # A change to a published item goes public at once: never scheduled.
    "publish_scheduled": {"approved": INDEPENDENT_REVIEWER},
    "unschedule": {"scheduled": REVIEWERS},
    "withdraw": dict.fromkeys(LIVE, ADMINS),
    "remove": dict.fromkeys((*LIVE, "withdrawn"), ADMINS),
}

#: Roles tried in the states where a step is refused whoever asks.
STATE_GATE_ROLES = {
    "edit": ("clerk", "superuser_author"),
    "add_attachment": ("clerk", "superuser_author"),
    "remove_attachment": ("clerk", "superuser_author"),
    "submit": ("clerk", "superuser_author"),
    "approve": ("head", "reviewer", "superuser_author"),
    "return": ("head", "reviewer", "superuser_author"),
    "publish_now": ("reviewer", "superuser_author"),
    "publish_scheduled": ("reviewer", "superuser_author"),
    "unschedule": ("reviewer", "superuser_author"),
    "withdraw": ("office_admin", "superuser_author"),
    "remove": ("office_admin", "superuser_author"),
}

#: The template flag that shows each step's button.
FLAG = {
    "edit": "can_edit",
    "add_attachment": "can_edit",
    "remove_attachment": "can_edit",
    "submit": "can_submit",
    "approve": "can_review",
    "return": "can_return",
    "publish_now": "can_publish",
    "publish_scheduled": "can_schedule",
    "unschedule": "can_unschedule",
    "withdraw": "can_withdraw",
    "remove": "can_remove",
}

#: What the item has become after an allowed step, and the audit action.
RESULT = {
    "submit": (State.SUBMITTED, Action.SUBMIT),
    "return": (State.RETURNED, Action.RETURN),
    "publish_now": (State.PUBLISHED, Action.PUBLISH),
    "publish_scheduled": (State.SCHEDULED, Action.SCHEDULE),
    "unschedule": (State.APPROVED, Action.UNSCHEDULE),
    "withdraw": (State.WITHDRAWN, Action.WITHDRAW),
    "remove": (State.REMOVED, Action.REMOVE),
}
EDIT_ACTIONS = {
    "edit": Action.EDIT,
    "add_attachment": Action.ATTACH,
    "remove_attachment": Action.DETACH,
}


def _cases():
    for step, allowed in ALLOWED.items():
        for state in factories.BUILDABLE_STATES:
            roles = ROLES if state in allowed else STATE_GATE_ROLES[step]
            for role in roles:
                yield pytest.param(
                    step,
                    state,
                    role,
                    role in allowed.get(state, ()),
                    id=f"{step}-{state}-{role}",
                )


def _expected_result(step, state, item_before):
    if step in EDIT_ACTIONS:
        # A returned item stays returned (its comments stay visible); any
        # other edit leaves a draft, the public record untouched.
        to_state = State.RETURNED if state == "returned" else State.DRAFT
        return to_state, EDIT_ACTIONS[step]
    if step == "approve":
        if item_before.review_stage == "head":
            return State.SUBMITTED, Action.APPROVE
        return State.APPROVED, Action.APPROVE
    return RESULT[step]


class World:
    """Departments, the users who set items up and one actor per role. Made
    once for the module (users are the slow part); each test's items live in
    the test's own transaction."""

    def __init__(self):
        self.dept = factories.DepartmentFactory(publisher_code="000014349")
        self.signoff_dept = factories.require_head_signoff(
            factories.DepartmentFactory()
        )
        self.other_dept = factories.DepartmentFactory()
        self.author = self._clerk("author")
        self.setup_head = self._head("setup_head")
        self.setup_reviewer = factories.reviewer("setup_reviewer")
        self.setup_admin = factories.office_admin("setup_admin")
        self.actors = {role: self._make_actor(role) for role in ROLES}
        self.items = {}

    def build_items(self, keys):
        """Build the items of the table once; each test starts from them and
        its changes are rolled back with it."""
        for state, role in sorted(keys):
            self.items[state, role] = self._build_item(state, role).pk

    def users(self):
        return [
            self.author,
            self.setup_head,
            self.setup_reviewer,
            self.setup_admin,
            *(user for user in self.actors.values() if user.pk),
        ]

    def _clerk(self, username, user=None):
        user = user or factories.UserFactory(username=username)
        for department in (self.dept, self.signoff_dept):
            factories.Membership.objects.create(
                user=user, department=department, role="clerk"
            )
        return user

    def _head(self, username, user=None):
        user = user or factories.UserFactory(username=username)
        for department in (self.dept, self.signoff_dept):
            factories.Membership.objects.create(
                user=user, department=department, role="head"
            )
        return user

    def _groups(self, user, *names):
        user.groups.add(*Group.objects.filter(name__in=names))
        return user

    def _make_actor(self, role):
        if role == "anonymous":
            return AnonymousUser()
        if role == "inactive":
            user = self._head("inactive", self._clerk("inactive"))
            self._groups(user, REVIEWER_GROUP, OFFICE_ADMIN_GROUP)
            user.is_active = False
            user.save(update_fields=["is_active"])
            return user
        if role == "clerk":
            return self._clerk("clerk")
        if role == "other_clerk":
            return factories.clerk_of(self.other_dept, "other_clerk")
        if role == "head":
            return self._head("head")
        if role == "reviewer":
            return factories.reviewer("reviewer")
        if role.startswith("reviewer_"):
            return self._groups(self._clerk(role), REVIEWER_GROUP)
        if role == "office_admin":
            return factories.office_admin("office_admin")
        user = factories.UserFactory(username=role, is_superuser=True, is_staff=True)
        if role == "superuser_author":
            self._clerk(role, user)
            self._groups(user, REVIEWER_GROUP, OFFICE_ADMIN_GROUP)
        return user

    def actor(self, role):
        return self.actors[role]

    def item(self, state, role):
        """The item in ``state`` as it is for ``role`` (authorship matters for
        the reviewer-authors), read afresh."""
        key = (state, role if role in AUTHOR_ROLES else "default")
        return Item.objects.select_related("department").get(pk=self.items[key])

    def _build_item(self, state, role):
        """Built by the setup users, except for the step the author role
        took (``role`` "default": none)."""
        actor = self.actors.get(role)
        department = (
            self.signoff_dept
            if state in ("submitted_head", "submitted_office_after_head")
            else self.dept
        )
        return factories.item_in_state(
            state,
            department=department,
            creator=actor
            if role in ("reviewer_author", "superuser_author")
            else self.author,
            editor=actor if role == "reviewer_editor" else None,
            submitter=actor if role == "reviewer_submitter" else None,
            reviewer=self.setup_reviewer,
            head=self.setup_head,
            admin=self.setup_admin,
            attachment=True,
        )


#: Roles whose items differ: they created, last edited or submitted them.
AUTHOR_ROLES = (
    "reviewer_author",
    "reviewer_editor",
    "reviewer_submitter",
    "superuser_author",
)


def _item_keys():
    keys = {(state, "default") for state in factories.BUILDABLE_STATES}
    for step, allowed in ALLOWED.items():
        for state in factories.BUILDABLE_STATES:
            roles = ROLES if state in allowed else STATE_GATE_ROLES[step]
            keys.update((state, role) for role in roles if role in AUTHOR_ROLES)
    return keys


@pytest.fixture(scope="module")
def _module_world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The world, built in a transaction that stays open for the module and is
    rolled back at its end (audit entries are never deleted: rolling back is
    the only way to leave the database as it was). Each test runs in a
    savepoint inside it."""
    media = override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media"))
    media.enable()
    outer = transaction.atomic()
    with django_db_blocker.unblock():
        outer.__enter__()
        try:
            world = World()
            world.build_items(_item_keys())
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            media.disable()
            raise
    yield world
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)
    media.disable()


@pytest.fixture
def world(_module_world, db):
    # Roles are cached on the user object: read them afresh in every test.
    for user in _module_world.users():
        permissions.forget_roles(user)
    return _module_world


def observable(item_pk) -> dict:
    """Everything a user or reviewer could see change."""
    item = Item.objects.get(pk=item_pk)
    return {
        "item": {
            name: getattr(item, name)
            for name in (
                "state",
                "review_stage",
                "version",
                "title",
                "keywords",
                "updated_by_id",
                "submitted_by_id",
                "return_comment",
                "index_number",
                "publish_at",
                "first_published_at",
            )
        },
        "audit": list(
            AuditEntry.objects.filter(item_id=item_pk).values_list("pk", flat=True)
        ),
        "revisions": Revision.objects.filter(item_id=item_pk).count(),
        "attachments": list(
            Attachment.objects.filter(item_id=item_pk).values_list(
                "pk", "in_draft", "is_published"
            )
        ),
        "record": PublicRecord.objects.filter(item_id=item_pk)
        .values(
            "title",
            "status",
            "status_reason",
            "revision_number",
            "published_at",
            "updated_at",
        )
        .first(),
        "change_notes": ChangeNote.objects.filter(record__item_id=item_pk).count(),
    }


def perform(step, item, actor):
    if step == "edit":
        return workflow.update_item(
            item=item,
            by=actor,
            data={"title": "关于2026年耕地地力保护补贴发放的公示（修订）"},
            expected_version=item.version,
        )
    if step == "add_attachment":
        uploaded = factories.pdf_upload("补贴名单.pdf")
        return workflow.add_attachment(
            item=item, by=actor, uploaded=uploaded, checked=check_upload(uploaded)
        )
    if step == "remove_attachment":
        return workflow.remove_attachment(
            attachment=item.attachments.get(in_draft=True), by=actor
        )
    if step == "submit":
        return workflow.submit(item=item, by=actor)
    if step == "approve":
        return workflow.approve(item=item, by=actor, confidentiality_checked=True)
    if step == "return":
        return workflow.return_item(item=item, by=actor, comment="请补充政策依据。")
    if step == "publish_now":
        return workflow.publish(item=item, by=actor)
    if step == "publish_scheduled":
        at = timezone.now() + datetime.timedelta(days=3)
        return workflow.publish(item=item, by=actor, at=at)
    if step == "unschedule":
        return workflow.unschedule(item=item, by=actor)
    if step == "withdraw":
        return workflow.withdraw(item=item, by=actor, reason="政策已调整。")
    if step == "remove":
        return workflow.remove(item=item, by=actor, reason="错发。")
    raise AssertionError(step)


def flags_as_template_sees_them(actor, item_pk):
    """The flags a page would compute: a fresh item, a fresh request user."""
    permissions.forget_roles(actor)
    item = Item.objects.select_related("department").get(pk=item_pk)
    return permissions.item_flags(actor, item)


@pytest.mark.parametrize(("step", "state", "role", "allowed"), list(_cases()))
def test_step_by_role_in_state(
    world, django_capture_on_commit_callbacks, step, state, role, allowed
):
    actor = world.actor(role)
    item = world.item(state, role)
    mail.outbox.clear()

    flags = flags_as_template_sees_them(actor, item.pk)
    assert flags[FLAG[step]] is allowed, f"flag {FLAG[step]} disagrees with the table"

    before = observable(item.pk)
    permissions.forget_roles(actor)
    if not allowed:
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            with pytest.raises(
                (workflow.NotAllowed, workflow.InvalidTransition)
            ) as refused:
                perform(step, item, actor)
        message = refused.value.message
        assert message and "%(" not in message
        assert observable(item.pk) == before
        assert callbacks == []
        assert mail.outbox == []
        return

    perform(step, item, actor)
    after = observable(item.pk)
    to_state, action = _expected_result(step, state, item)
    assert after["item"]["state"] == to_state
    new_entries = AuditEntry.objects.filter(item_id=item.pk).exclude(
        pk__in=before["audit"]
    )
    assert [(entry.action, entry.actor_id) for entry in new_entries] == [
        (action, actor.pk)
    ]


CREATORS = CLERKS


@pytest.mark.parametrize("role", ROLES)
def test_create_by_role(world, role):
    actor = world.actor(role)
    allowed = role in CREATORS
    assert permissions.can_create(actor, world.dept) is allowed
    items_before = Item.objects.count()
    entries_before = AuditEntry.objects.count()
    data = factories.item_data(world.dept)
    if not allowed:
        with pytest.raises(workflow.NotAllowed) as refused:
            workflow.create_item(by=actor, data=data)
        assert world.dept.name in refused.value.message
        assert Item.objects.count() == items_before
        assert AuditEntry.objects.count() == entries_before
        return
    item = workflow.create_item(by=actor, data=data)
    assert item.state == State.DRAFT
    assert item.created_by == actor and item.updated_by == actor
    entry = AuditEntry.objects.get(item=item)
    assert (entry.action, entry.actor, entry.to_state) == (
        Action.CREATE,
        actor,
        State.DRAFT,
    )


def test_clerk_cannot_create_for_a_department_they_do_not_serve(world):
    clerk = world.actor("other_clerk")
    with pytest.raises(workflow.NotAllowed) as refused:
        workflow.create_item(by=clerk, data=factories.item_data(world.dept))
    assert (
        refused.value.message == f"您不是{world.dept.name}的信息员，不能为它起草信息。"
    )


def test_clerk_cannot_move_an_item_to_a_department_they_do_not_serve(world):
    item = factories.draft_item(world.author, world.dept)
    with pytest.raises(workflow.NotAllowed) as refused:
        workflow.update_item(
            item=item,
            by=world.author,
            data={"department": world.other_dept},
            expected_version=item.version,
        )
    assert refused.value.message == "您不能把信息改到自己不负责的部门。"
    item.refresh_from_db()
    assert item.department == world.dept and item.version == 1


# --- the second pair of eyes, in words the reviewer reads -------------------------


@pytest.mark.parametrize(
    ("role", "touches"),
    [
        ("reviewer_author", "创建、上传附件、提交审核"),
        ("reviewer_editor", "修改内容"),
        ("reviewer_submitter", "提交审核"),
    ],
)
def test_author_editor_or_submitter_is_told_why_they_cannot_review(
    world, role, touches
):
    actor = world.actor(role)
    item = world.item("submitted_office", role)
    flags = flags_as_template_sees_them(actor, item.pk)
    reason = (
        f"您修改过本次送审的内容（{touches}），按照双人审核原则不能审核它，"
        "请由其他审核员审核。"
    )
    assert flags["is_author"] is True
    assert flags["review_block_reason"] == reason
    with pytest.raises(workflow.NotAllowed) as refused:
        workflow.approve(item=item, by=actor, confidentiality_checked=True)
    assert refused.value.message == reason


def test_author_cannot_publish_even_as_superuser(world):
    actor = world.actor("superuser_author")
    item = world.item("approved", "superuser_author")
    reason = (
        "您修改过本次送审的内容（创建、上传附件、提交审核），按照双人审核原则"
        "不能发布它，请由其他审核员发布。"
    )
    assert flags_as_template_sees_them(actor, item.pk)["publish_block_reason"] == (
        reason
    )
    with pytest.raises(workflow.NotAllowed) as refused:
        workflow.publish(item=item, by=actor)
    assert refused.value.message == reason
    assert Item.objects.get(pk=item.pk).state == State.APPROVED
    assert not PublicRecord.objects.filter(item=item).exists()


def test_a_reviewer_who_edited_the_revision_stays_blocked_after_others_edit_it(
    world,
):
    """Not only the last editor: a reviewer's early edit, followed by the
    clerk's own edit and submission, still keeps the reviewer from it."""
    reviewer = world.actor("reviewer_editor")
    item = factories.draft_item(world.author, world.dept)
    item = workflow.update_item(
        item=item, by=reviewer, data={"keywords": "补贴"}, expected_version=1
    )
    item = workflow.update_item(
        item=item, by=world.author, data={"keywords": "补贴 公示"}, expected_version=2
    )
    item = workflow.submit(item=item, by=world.author)
    assert flags_as_template_sees_them(reviewer, item.pk)["can_review"] is False
    with pytest.raises(workflow.NotAllowed):
        workflow.approve(item=item, by=reviewer, confidentiality_checked=True)
    assert Item.objects.get(pk=item.pk).state == State.SUBMITTED


def test_wrong_stage_is_explained(world):
    reviewer = world.actor("reviewer")
    item = world.item("submitted_head", "reviewer")
    with pytest.raises(workflow.NotAllowed) as refused:
        workflow.approve(item=item, by=reviewer, confidentiality_checked=True)
    assert refused.value.message == "您不是当前审核环节（部门负责人签批）的审核人。"


def test_wrong_state_is_explained(world):
    reviewer = world.actor("reviewer")
    item = world.item("draft", "reviewer")
    with pytest.raises(workflow.InvalidTransition) as refused:
        workflow.approve(item=item, by=reviewer, confidentiality_checked=True)
    assert refused.value.message == "这条信息当前状态为“草稿”，不能审核通过。"


def test_head_of_a_department_signs_off_the_items_of_its_offices(world):
    office = factories.DepartmentFactory(parent=world.signoff_dept, publisher_code="")
    clerk = factories.clerk_of(office)
    head = world.actor("head")  # head of the parent department only
    item = factories.draft_item(clerk, office)
    item = workflow.submit(item=item, by=clerk)
    assert item.review_stage == "head"  # the office inherits the sign-off rule
    assert flags_as_template_sees_them(head, item.pk)["can_review"] is True
    item = workflow.approve(item=item, by=head)
    assert (item.state, item.review_stage) == (State.SUBMITTED, "office")


def test_anonymous_user_is_nobodys_author(world):
    item = world.item("draft", "clerk")
    flags = permissions.item_flags(AnonymousUser(), item)
    assert item.submitted_by_id is None
    assert not any(value for key, value in flags.items() if not key.endswith("_reason"))


def test_visibility_follows_departments(world):
    mine = factories.draft_item(world.author, world.dept)
    theirs = factories.draft_item(
        factories.clerk_of(world.other_dept), world.other_dept
    )
    clerk = world.actor("clerk")
    visible = set(permissions.visible_items(clerk))
    assert mine in visible and theirs not in visible
    assert {item.department for item in visible} == {world.dept, world.signoff_dept}
    assert permissions.can_view(clerk, mine) and not permissions.can_view(clerk, theirs)
    assert set(permissions.visible_items(world.actor("reviewer"))) == set(
        Item.objects.all()
    )
    assert list(permissions.visible_items(world.actor("superuser"))) == []
    assert list(permissions.visible_items(AnonymousUser())) == []
    assert not permissions.can_view(world.actor("inactive"), mine)
