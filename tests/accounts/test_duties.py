"""Separation of duties for accounts (portal.accounts.duties): nobody grants
themselves anything, every grant takes two administrators, the three
administrator roles stay apart, superusers included; the model-level guard
refuses what bypasses the service."""

import io

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.db import transaction

from catalog.models import Membership
from disclosure import permissions
from portal.accounts import audit, duties
from portal.accounts.duties import DutyRefused
from portal.models import AccountAuditEntry, RoleGrant
from tests import factories

pytestmark = pytest.mark.django_db

Kind = RoleGrant.Kind


def administrator(group_name, username):
    user = factories.in_group(group_name, username)
    user.is_staff = True
    user.save()
    return user


def superuser(username):
    return factories.UserFactory(username=username, is_superuser=True, is_staff=True)


def group(name):
    return Group.objects.get(name=name)


def refused_entries(user):
    return AccountAuditEntry.objects.filter(
        subject_id=user.pk, action=AccountAuditEntry.Action.REFUSED
    )


@pytest.fixture
def anquan():
    return administrator("security_admin", "anquan")


@pytest.fixture
def anquan2():
    return administrator("security_admin", "anquan2")


# --- nobody grants themselves anything ---------------------------------------------------


@pytest.mark.parametrize(
    "role",
    [
        {"kind": Kind.MEMBERSHIP, "membership_role": "clerk"},
        {"kind": Kind.MEMBERSHIP, "membership_role": "head"},
        {"kind": Kind.GROUP, "group": "reviewer"},
        {"kind": Kind.GROUP, "group": "auditor"},
    ],
    ids=["clerk", "head", "reviewer", "auditor"],
)
def test_nobody_asks_for_a_role_for_themselves(anquan, role):
    role = dict(role)
    if role["kind"] == Kind.MEMBERSHIP:
        role["department"] = factories.DepartmentFactory()
    else:
        role["group"] = group(role["group"])
    with pytest.raises(DutyRefused, match="不能为自己申请角色或权限"):
        duties.request_grant(by=anquan, user=anquan, **role)
    assert not RoleGrant.objects.exists()
    assert refused_entries(anquan).count() == 1


def test_nor_a_superuser(anquan):
    root = superuser("root")
    with pytest.raises(DutyRefused, match="不能为自己申请"):
        duties.request_grant(
            by=root, user=root, kind=Kind.GROUP, group=group("reviewer")
        )
    # Nor directly, bypassing the service: the model guard refuses.
    department = factories.DepartmentFactory()
    with audit.acting_as(root):
        with pytest.raises(DutyRefused, match="不能给自己授予"), transaction.atomic():
            root.groups.add(group("reviewer"))
        with pytest.raises(DutyRefused, match="不能给自己授予"), transaction.atomic():
            Membership.objects.create(user=root, department=department)
    assert not root.groups.exists()
    assert not Membership.objects.filter(user=root).exists()


# --- two administrators ---------------------------------------------------------------------


def test_a_grant_takes_effect_only_when_another_administrator_approves(
    anquan, anquan2, django_capture_on_commit_callbacks
):
    clerk = factories.UserFactory(username="wangxin")
    department = factories.DepartmentFactory()
    grant = duties.request_grant(
        by=anquan,
        user=clerk,
        kind=Kind.MEMBERSHIP,
        department=department,
        membership_role="head",
        basis="区政府任命文件〔2026〕3号",
    )
    assert grant.state == RoleGrant.State.PENDING
    assert not Membership.objects.filter(user=clerk).exists()

    with pytest.raises(DutyRefused, match="不能批准自己提交的申请"):
        duties.approve_grant(grant=grant, by=anquan)
    assert not Membership.objects.filter(user=clerk).exists()

    with django_capture_on_commit_callbacks(execute=True):
        duties.approve_grant(grant=grant, by=anquan2)
    membership = Membership.objects.get(user=clerk)
    assert (membership.department, membership.role) == (department, "head")
    grant.refresh_from_db()
    assert (grant.state, grant.decided_by) == (RoleGrant.State.APPROVED, anquan2)
    # The holder is told.
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["wangxin@example.gov.cn"]
    assert "部门负责人" in mail.outbox[0].body
    assert "由 anquan 申请，anquan2 批准" in mail.outbox[0].body

    with pytest.raises(DutyRefused, match="已经处理过了"):
        duties.approve_grant(grant=grant, by=anquan2)


def test_the_grantee_and_the_creator_of_the_account_do_not_approve(anquan, anquan2):
    # anquan creates an account (as in the admin: the trail names the creator).
    with audit.acting_as(anquan):
        shadow = factories.UserFactory(username="shadow")
    grant = duties.request_grant(
        by=anquan2, user=shadow, kind=Kind.GROUP, group=group("reviewer")
    )
    with pytest.raises(DutyRefused, match="该账号是您创建的"):
        duties.approve_grant(grant=grant, by=anquan)
    assert not shadow.groups.exists()
    with pytest.raises(DutyRefused, match="不能批准授予自己的角色"):
        duties.approve_grant(grant=grant, by=shadow)  # were shadow an approver
    assert not shadow.groups.exists()


def test_one_administrator_cannot_make_a_reviewer_and_publish_alone(anquan):
    """The issue's attack: a security administrator creates an account, makes
    it a reviewer and so publishes alone."""
    with audit.acting_as(anquan):
        shadow = factories.UserFactory(username="shadow")
    grant = duties.request_grant(
        by=anquan, user=shadow, kind=Kind.GROUP, group=group("reviewer")
    )
    with pytest.raises(DutyRefused, match="须由另一名管理员批准"):
        duties.approve_grant(grant=grant, by=anquan)
    # Nor by putting the account in the group directly.
    with audit.acting_as(anquan), transaction.atomic():
        with pytest.raises(DutyRefused, match="另一名管理员批准"), transaction.atomic():
            shadow.groups.add(group("reviewer"))
    department = factories.DepartmentFactory()
    clerk = factories.clerk_of(department)
    item = factories.item_in_state(
        "approved", department=department, creator=clerk, reviewer=factories.reviewer()
    )
    assert not permissions.can_publish(shadow, item)
    assert not shadow.groups.exists()


def test_only_a_superuser_asks_for_or_approves_superuser_rights(anquan, anquan2):
    clerk = factories.UserFactory()
    with pytest.raises(DutyRefused, match="只有超级管理员可以申请"):
        duties.request_grant(by=anquan, user=clerk, kind=Kind.SUPERUSER)
    root, root2 = superuser("root"), superuser("root2")
    grant = duties.request_grant(by=root, user=clerk, kind=Kind.SUPERUSER)
    with pytest.raises(DutyRefused, match="只有超级管理员可以批准"):
        duties.approve_grant(grant=grant, by=anquan2)
    with pytest.raises(DutyRefused, match="不能批准自己提交的申请"):
        duties.approve_grant(grant=grant, by=root)
    duties.approve_grant(grant=grant, by=root2)
    clerk.refresh_from_db()
    assert clerk.is_superuser and clerk.is_staff


def test_the_requester_may_withdraw_and_another_may_reject(anquan, anquan2):
    clerk = factories.UserFactory()
    grant = duties.request_grant(
        by=anquan, user=clerk, kind=Kind.GROUP, group=group("reviewer")
    )
    duties.reject_grant(grant=grant, by=anquan)
    grant.refresh_from_db()
    assert grant.state == RoleGrant.State.REJECTED
    grant = duties.request_grant(
        by=anquan, user=clerk, kind=Kind.GROUP, group=group("reviewer")
    )
    with pytest.raises(DutyRefused, match="已有待批准的申请"):
        duties.request_grant(
            by=anquan2, user=clerk, kind=Kind.GROUP, group=group("reviewer")
        )
    duties.reject_grant(grant=grant, by=anquan2, note="无任命文件")
    grant.refresh_from_db()
    assert grant.decision_note == "无任命文件"
    assert not clerk.groups.exists()


def test_only_security_administrators_ask_and_decide(anquan):
    system_admin = administrator("system_admin", "xitong")
    clerk = factories.UserFactory()
    with pytest.raises(DutyRefused, match="没有提交授权申请的权限"):
        duties.request_grant(
            by=system_admin, user=clerk, kind=Kind.GROUP, group=group("reviewer")
        )
    grant = duties.request_grant(
        by=anquan, user=clerk, kind=Kind.GROUP, group=group("reviewer")
    )
    with pytest.raises(DutyRefused, match="没有批准或驳回授权申请的权限"):
        duties.approve_grant(grant=grant, by=system_admin)


# --- the three administrators stay apart ---------------------------------------------------


@pytest.mark.parametrize(
    ("held", "asked", "message"),
    [
        ("security_admin", "auditor", "三员分立：该账号已是安全管理员"),
        ("auditor", "system_admin", "三员分立：该账号已是审计管理员"),
        ("system_admin", "reviewer", "管理员不得兼任业务角色：该账号是系统管理员"),
        ("reviewer", "security_admin", "管理员不得兼任业务角色：该账号已有审核员"),
    ],
)
def test_administrators_hold_no_other_role(anquan, held, asked, message):
    holder = factories.in_group(held, "holder")
    with pytest.raises(DutyRefused, match=message):
        duties.request_grant(
            by=anquan, user=holder, kind=Kind.GROUP, group=group(asked)
        )


def test_an_administrator_is_no_clerk(anquan):
    auditor = factories.in_group("auditor", "shenji")
    with pytest.raises(DutyRefused, match="管理员不得兼任业务角色"):
        duties.request_grant(
            by=anquan,
            user=auditor,
            kind=Kind.MEMBERSHIP,
            department=factories.DepartmentFactory(),
            membership_role="clerk",
        )


def test_an_approved_administrator_role_opens_the_admin(anquan, anquan2):
    newcomer = factories.UserFactory(username="xinren")
    grant = duties.request_grant(
        by=anquan, user=newcomer, kind=Kind.GROUP, group=group("auditor")
    )
    duties.approve_grant(grant=grant, by=anquan2)
    newcomer.refresh_from_db()
    assert newcomer.is_staff
    assert newcomer.has_perm("portal.view_accountauditentry")


# --- revoking ----------------------------------------------------------------------------------


def test_one_administrator_takes_a_role_away_but_not_their_own(anquan):
    reviewer = factories.reviewer("chenshen")
    duties.revoke_group(by=anquan, user=reviewer, group=group("reviewer"))
    assert not reviewer.groups.exists()
    with pytest.raises(DutyRefused, match="不能更改自己的角色"):
        duties.revoke_group(by=anquan, user=anquan, group=group("security_admin"))
    assert anquan.groups.filter(name="security_admin").exists()

    membership = Membership.objects.create(
        user=reviewer, department=factories.DepartmentFactory()
    )
    duties.revoke_membership(by=anquan, membership=membership)
    assert not Membership.objects.filter(user=reviewer).exists()


# --- the model guard: what bypasses the service ----------------------------------------------


def test_the_guard_refuses_grants_that_bypass_the_requests(anquan):
    clerk = factories.UserFactory(username="wangxin")
    department = factories.DepartmentFactory()
    change_user = Permission.objects.get(codename="change_user")
    attempts = [
        (
            "须先提交授权申请",
            lambda: Membership.objects.create(user=clerk, department=department),
        ),
        ("须先提交授权申请", lambda: group("reviewer").user_set.add(clerk)),
        ("单项权限不能直接授予", lambda: clerk.user_permissions.add(change_user)),
        ("角色的权限由系统定义", lambda: group("auditor").permissions.add(change_user)),
    ]
    with audit.acting_as(anquan):
        for message, attempt in attempts:
            with pytest.raises(DutyRefused, match=message), transaction.atomic():
                attempt()
        clerk.is_superuser = True
        with pytest.raises(DutyRefused, match="须先提交授权申请"), transaction.atomic():
            clerk.save()
    clerk.refresh_from_db()
    assert not clerk.is_superuser
    assert not clerk.groups.exists()
    assert not clerk.user_permissions.exists()
    assert not group("auditor").permissions.filter(codename="change_user").exists()


def test_the_command_line_is_the_operator(anquan):
    """Outside a request and a service (createsuperuser, seed_demo, the
    shell) the operator at the server acts: allowed, and in the trail with no
    actor."""
    clerk = factories.UserFactory(username="wangxin")
    clerk.groups.add(group("reviewer"))
    entry = AccountAuditEntry.objects.filter(
        subject_id=clerk.pk, action=AccountAuditEntry.Action.GROUP_ADD
    ).get()
    assert entry.actor is None
    assert entry.detail == "审核员"


def test_the_first_administrators_are_set_up_from_the_command_line():
    from django.core.management import CommandError, call_command

    anquan = factories.UserFactory(username="anquan")
    call_command("grant_role", "anquan", "security_admin", stdout=io.StringIO())
    anquan.refresh_from_db()
    assert anquan.is_staff and anquan.groups.filter(name="security_admin").exists()
    entry = AccountAuditEntry.objects.get(
        subject_id=anquan.pk, action=AccountAuditEntry.Action.GROUP_ADD
    )
    assert (entry.actor, entry.detail) == (None, "安全管理员")
    with pytest.raises(CommandError, match="三员分立"):
        call_command("grant_role", "anquan", "auditor", stdout=io.StringIO())
    department = factories.DepartmentFactory(code="czj")
    factories.UserFactory(username="wangxin")
    call_command(
        "grant_role", "wangxin", "clerk", "--department", "czj", stdout=io.StringIO()
    )
    assert Membership.objects.filter(
        user__username="wangxin", department=department
    ).exists()
