"""The issue's attacks through the admin, and the admin of roles: whoever
administers accounts cannot give themselves a role or a department, nor make
a reviewer on their own; superusers included. Every step is in the trail."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from catalog.models import Membership
from disclosure import permissions
from portal.models import AccountAuditEntry, RoleGrant
from tests import factories

pytestmark = pytest.mark.django_db

Action = AccountAuditEntry.Action
User = get_user_model()


def text(response) -> str:
    return response.content.decode()


def administrator(group_name, username):
    user = factories.in_group(group_name, username)
    user.is_staff = True
    user.save()
    return user


def change_form(user, **fields) -> dict:
    """What the user's admin page posts, with ``fields`` changed."""
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        "groups": [group.pk for group in user.groups.all()],
        # Editable for superusers only.
        "date_joined_0": timezone.localtime(user.date_joined).strftime("%Y-%m-%d"),
        "date_joined_1": timezone.localtime(user.date_joined).strftime("%H:%M:%S"),
    }
    data.update(fields)
    return data


def trail(user, action=None):
    entries = AccountAuditEntry.objects.filter(subject_id=user.pk)
    return entries.filter(action=action) if action else entries


# --- the attacks -----------------------------------------------------------------------


def test_a_security_admin_cannot_give_himself_a_department(client):
    anquan = administrator("security_admin", "anquan")
    department = factories.DepartmentFactory(name="区财政局")
    client.force_login(anquan)
    response = client.post(
        f"/admin/auth/user/{anquan.pk}/change/",
        change_form(
            anquan,
            **{
                "memberships-TOTAL_FORMS": "1",
                "memberships-0-department": department.pk,
                "memberships-0-role": "clerk",
            },
        ),
    )
    assert response.status_code == 200  # the page again, with the reason
    assert "不能为自己申请角色或权限：授权须由其他管理员办理。" in text(response)
    assert not Membership.objects.filter(user=anquan).exists()
    assert not RoleGrant.objects.exists()
    refused = trail(anquan, Action.REFUSED).get()
    assert refused.actor == anquan
    assert "不能为自己申请" in refused.detail

    # Nor a role: one's own roles are not even a field.
    assert 'name="groups"' not in text(
        client.get(f"/admin/auth/user/{anquan.pk}/change/")
    )
    reviewer_group = Group.objects.get(name="reviewer")
    client.post(
        f"/admin/auth/user/{anquan.pk}/change/",
        change_form(anquan, groups=[reviewer_group.pk]),
    )
    assert not anquan.groups.filter(name="reviewer").exists()
    assert anquan.groups.filter(name="security_admin").exists()


def test_a_security_admin_cannot_make_a_reviewer_and_publish_alone(client):
    anquan = administrator("security_admin", "anquan")
    client.force_login(anquan)
    response = client.post(
        "/admin/auth/user/add/",
        {
            "username": "shadow",
            "usable_password": "true",
            "password1": "Gongkai-2026-xin",
            "password2": "Gongkai-2026-xin",
        },
    )
    assert response.status_code == 302, text(response)
    shadow = User.objects.get(username="shadow")
    assert trail(shadow, Action.CREATE).get().actor == anquan

    reviewer_group = Group.objects.get(name="reviewer")
    response = client.post(
        f"/admin/auth/user/{shadow.pk}/change/",
        change_form(shadow, groups=[reviewer_group.pk]),
        follow=True,
    )
    assert response.status_code == 200
    assert (
        "已提交授权申请：shadow · 审核员。须由另一名管理员在“授权申请”中批准后生效。"
        in text(response)
    )
    shadow.refresh_from_db()
    assert not shadow.groups.exists()  # not a reviewer

    grant = RoleGrant.objects.get(user=shadow)
    response = client.post(f"/admin/portal/rolegrant/{grant.pk}/approve/", follow=True)
    assert "不能批准自己提交的申请：授权须由另一名管理员批准。" in text(response)
    assert not shadow.groups.exists()
    item = factories.item_in_state(
        "approved",
        department=(department := factories.DepartmentFactory()),
        creator=factories.clerk_of(department),
        reviewer=factories.reviewer(),
    )
    assert not permissions.can_publish(shadow, item)

    # A second security administrator approves: now shadow is a reviewer.
    client.force_login(administrator("security_admin", "anquan2"))
    page = text(client.get(f"/admin/portal/rolegrant/{grant.pk}/change/"))
    assert "批准" in page and "驳回" in page
    response = client.post(f"/admin/portal/rolegrant/{grant.pk}/approve/", follow=True)
    assert "已批准：shadow · 审核员。" in text(response)
    assert shadow.groups.filter(name="reviewer").exists()
    actions = list(trail(shadow).values_list("action", flat=True))
    assert actions == [
        Action.CREATE,
        Action.GRANT_REQUEST,
        Action.REFUSED,
        Action.GROUP_ADD,
        Action.GRANT_APPROVE,
    ]


def test_superusers_are_bound_too(client):
    root = factories.UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(root)
    reviewer_group = Group.objects.get(name="reviewer")
    page = text(client.get(f"/admin/auth/user/{root.pk}/change/"))
    assert 'name="groups"' not in page
    assert 'name="is_superuser"' not in page
    client.post(
        f"/admin/auth/user/{root.pk}/change/",
        change_form(root, groups=[reviewer_group.pk]),
    )
    assert not root.groups.exists()
    department = factories.DepartmentFactory()
    response = client.post(
        f"/admin/auth/user/{root.pk}/change/",
        change_form(
            root,
            **{
                "memberships-TOTAL_FORMS": "1",
                "memberships-0-department": department.pk,
                "memberships-0-role": "head",
            },
        ),
    )
    assert "不能为自己申请角色或权限" in text(response)
    assert not Membership.objects.filter(user=root).exists()

    # Making another superuser is a request, for another superuser to approve.
    clerk = factories.UserFactory(username="wangxin")
    response = client.post(
        f"/admin/auth/user/{clerk.pk}/change/",
        change_form(clerk, is_superuser="on", is_staff="on"),
        follow=True,
    )
    assert "已提交授权申请：wangxin · 超级管理员" in text(response)
    clerk.refresh_from_db()
    assert not clerk.is_superuser
    assert clerk.is_staff  # admin access alone is no right: one administrator
    grant = RoleGrant.objects.get(user=clerk, kind=RoleGrant.Kind.SUPERUSER)
    client.force_login(
        factories.UserFactory(username="root2", is_superuser=True, is_staff=True)
    )
    client.post(f"/admin/portal/rolegrant/{grant.pk}/approve/")
    clerk.refresh_from_db()
    assert clerk.is_superuser


# --- the requests' admin ------------------------------------------------------------------------


def test_requests_are_made_and_decided_in_their_admin(client):
    anquan = administrator("security_admin", "anquan")
    client.force_login(anquan)
    clerk = factories.UserFactory(username="wangxin")
    department = factories.DepartmentFactory(name="区财政局")
    response = client.post(
        "/admin/portal/rolegrant/add/",
        {
            "user": anquan.pk,
            "kind": "membership",
            "department": department.pk,
            "membership_role": "clerk",
            "basis": "",
        },
    )
    assert response.status_code == 200
    assert "不能为自己申请角色或权限" in text(response)
    response = client.post(
        "/admin/portal/rolegrant/add/",
        {
            "user": clerk.pk,
            "kind": "membership",
            "department": department.pk,
            "membership_role": "clerk",
            "basis": "区财政局函〔2026〕5号",
        },
        follow=True,
    )
    assert "已提交授权申请：wangxin · 区财政局 · 信息员" in text(response)
    grant = RoleGrant.objects.get()
    assert (grant.requested_by, grant.basis) == (anquan, "区财政局函〔2026〕5号")
    # A superuser is no kind a security administrator may ask for.
    assert 'value="superuser"' not in text(client.get("/admin/portal/rolegrant/add/"))

    client.force_login(administrator("security_admin", "anquan2"))
    response = client.post(
        "/admin/portal/rolegrant/",
        {"action": "approve_selected", "_selected_action": [grant.pk]},
        follow=True,
    )
    assert "已批准：wangxin · 区财政局 · 信息员" in text(response)
    assert Membership.objects.filter(user=clerk, department=department).exists()


def test_removing_a_role_takes_one_administrator_and_is_recorded(client):
    anquan = administrator("security_admin", "anquan")
    reviewer = factories.reviewer("chenshen")
    membership = Membership.objects.create(
        user=reviewer, department=factories.DepartmentFactory()
    )
    client.force_login(anquan)
    response = client.post(
        f"/admin/auth/user/{reviewer.pk}/change/",
        change_form(
            reviewer,
            groups=[],
            **{
                "memberships-TOTAL_FORMS": "1",
                "memberships-INITIAL_FORMS": "1",
                "memberships-0-id": membership.pk,
                "memberships-0-user": reviewer.pk,
                "memberships-0-DELETE": "on",
            },
        ),
    )
    assert response.status_code == 302, text(response)
    assert not reviewer.groups.exists()
    assert not Membership.objects.filter(user=reviewer).exists()
    removed = trail(reviewer).filter(
        action__in=[Action.GROUP_REMOVE, Action.MEMBERSHIP_REMOVE]
    )
    assert {entry.actor for entry in removed} == {anquan}
    assert removed.count() == 2


# --- administrators' accounts, devices, role definitions ---------------------------------------


def test_only_a_superuser_changes_another_administrators_account(
    client, django_capture_on_commit_callbacks
):
    anquan = administrator("security_admin", "anquan")
    peer = administrator("security_admin", "anquan2")
    peer_device = TOTPDevice.objects.create(user=peer, name="手机", confirmed=True)
    client.force_login(anquan)
    assert 'name="_save"' not in text(client.get(f"/admin/auth/user/{peer.pk}/change/"))
    response = client.post(
        f"/admin/auth/user/{peer.pk}/password/",
        {"password1": "Gongkai-2026-xin", "password2": "Gongkai-2026-xin"},
    )
    assert response.status_code == 403
    response = client.post(
        f"/admin/otp_totp/totpdevice/{peer_device.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 403
    assert TOTPDevice.objects.filter(pk=peer_device.pk).exists()

    # A clerk's lost authenticator is reset; the clerk is told, the trail has it.
    clerk = factories.clerk_of(factories.DepartmentFactory(), "wangxin")
    device = TOTPDevice.objects.create(user=clerk, name="手机", confirmed=True)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/admin/otp_totp/totpdevice/{device.pk}/delete/", {"post": "yes"}
        )
    assert response.status_code == 302
    assert trail(clerk, Action.DEVICE_REMOVE).get().actor == anquan
    assert mail.outbox[-1].to == ["wangxin@example.gov.cn"]
    assert "删除了您账号 wangxin 的身份验证器" in mail.outbox[-1].body.replace("\n", "")
    # Nobody adds an authenticator to someone else's account.
    assert client.get("/admin/otp_totp/totpdevice/add/").status_code == 403


def test_a_password_set_by_an_administrator_is_told_to_the_holder(
    client, django_capture_on_commit_callbacks
):
    anquan = administrator("security_admin", "anquan")
    clerk = factories.clerk_of(factories.DepartmentFactory(), "wangxin")
    client.force_login(anquan)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/admin/auth/user/{clerk.pk}/password/",
            {
                "usable_password": "true",
                "password1": "Gongkai-2026-xin",
                "password2": "Gongkai-2026-xin",
            },
        )
    assert response.status_code == 302, text(response)
    entry = trail(clerk, Action.PASSWORD).get()
    assert (entry.actor, entry.detail) == (anquan, "管理员设置了新密码")
    assert "Gongkai" not in entry.detail
    assert mail.outbox[-1].subject == "【政务公开门户】管理员重设了您的密码"


def test_role_definitions_are_read_only_even_for_superusers(client):
    client.force_login(
        factories.UserFactory(username="root", is_superuser=True, is_staff=True)
    )
    reviewer_group = Group.objects.get(name="reviewer")
    assert client.get("/admin/auth/group/").status_code == 200
    response = client.post(
        f"/admin/auth/group/{reviewer_group.pk}/change/",
        {"name": "reviewer", "permissions": []},
    )
    assert response.status_code == 403
    assert client.get("/admin/auth/group/add/").status_code == 403


def test_the_admin_login_is_the_portal_login(client):
    response = client.get("/admin/login/?next=/admin/auth/user/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2Fauth%2Fuser%2F"
    assert (
        client.get("/admin/login/")["Location"] == "/accounts/login/?next=%2Fadmin%2F"
    )
    evil = client.get("/admin/login/?next=https://evil.example/")
    assert evil["Location"] == "/accounts/login/?next=%2Fadmin%2F"


def test_a_departments_members_are_read_only_on_its_page(client):
    department = factories.DepartmentFactory()
    factories.clerk_of(department, "wangxin")
    client.force_login(
        factories.UserFactory(username="root", is_superuser=True, is_staff=True)
    )
    page = text(client.get(f"/admin/catalog/department/{department.pk}/change/"))
    assert "wangxin" in page
    assert 'name="memberships-0-user"' not in page
    assert 'name="memberships-__prefix__-user"' not in page
