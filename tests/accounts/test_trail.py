"""The account trail: every change of accounts, roles and memberships,
append-only (model, admin and, on PostgreSQL, a trigger), read by the
auditor in the admin and as CSV next to the items' trail."""

import csv
import io

import pytest
from django.contrib.auth.models import Group
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from catalog.models import Membership
from portal.accounts import audit
from portal.models import AccountAuditEntry, AppendOnlyError
from tests import factories

pytestmark = pytest.mark.django_db

Action = AccountAuditEntry.Action


def administrator(group_name, username):
    user = factories.in_group(group_name, username)
    user.is_staff = True
    user.save()
    return user


@pytest.fixture
def entry():
    factories.UserFactory(username="wangxin")
    return AccountAuditEntry.objects.get(subject_username="wangxin")


def test_every_kind_of_change_is_recorded():
    anquan = administrator("security_admin", "anquan")
    with audit.acting_as(anquan, address="10.1.2.3"):
        clerk = factories.UserFactory(username="wangxin", email="wx@example.gov.cn")
        clerk.email = "wangxin@example.gov.cn"
        clerk.is_active = False
        clerk.save()
        clerk.set_password("Gongkai-2026-new")
        clerk.save()
    department = factories.DepartmentFactory(name="区财政局")
    Membership.objects.create(user=clerk, department=department, role="clerk")
    clerk.groups.add(Group.objects.get(name="reviewer"))
    device = TOTPDevice.objects.create(user=clerk, name="手机", confirmed=True)
    with audit.acting_as(anquan):
        device.delete()
        Membership.objects.filter(user=clerk).get().delete()
        clerk.groups.clear()
        clerk.delete()
    rows = list(
        AccountAuditEntry.objects.filter(subject_username="wangxin")
        .order_by("pk")
        .values_list("action", "detail", "actor__username", "actor_address")
    )
    assert rows == [
        (Action.CREATE, "电子邮箱：wx@example.gov.cn", "anquan", "10.1.2.3"),
        (
            Action.CHANGE,
            "电子邮箱：wx@example.gov.cn → wangxin@example.gov.cn；停用账号",
            "anquan",
            "10.1.2.3",
        ),
        (Action.PASSWORD, "管理员设置了新密码", "anquan", "10.1.2.3"),
        (Action.MEMBERSHIP_ADD, "区财政局 · 信息员", None, None),
        (Action.GROUP_ADD, "审核员", None, None),
        (Action.DEVICE_ADD, "手机", None, None),
        (Action.DEVICE_REMOVE, "手机", "anquan", None),
        (Action.MEMBERSHIP_REMOVE, "区财政局 · 信息员", "anquan", None),
        (Action.GROUP_REMOVE, "审核员", "anquan", None),
        (Action.DELETE, "", "anquan", None),
    ]


def test_logins_are_not_account_changes(client):
    factories.UserFactory(username="wangxin")
    before = AccountAuditEntry.objects.count()
    response = client.post(
        "/accounts/login/",
        {"username": "wangxin", "password": factories.PASSWORD},
    )
    assert response.status_code == 302
    assert AccountAuditEntry.objects.count() == before


# --- append-only -----------------------------------------------------------------------------


def test_entries_are_never_changed_or_deleted(entry):
    entry.detail = "改写历史"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AccountAuditEntry.objects.filter(pk=entry.pk).update(detail="改")
    with pytest.raises(AppendOnlyError):
        AccountAuditEntry.objects.all().delete()
    assert AccountAuditEntry.objects.get(pk=entry.pk).detail != "改写历史"


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("sql", "operation"),
    [
        (
            "UPDATE portal_accountauditentry SET detail = 'forged' WHERE id = %s",
            "UPDATE",
        ),
        ("DELETE FROM portal_accountauditentry WHERE id = %s", "DELETE"),
    ],
)
def test_postgres_trigger_refuses_raw_update_and_delete(entry, sql, operation):
    with pytest.raises(DatabaseError) as refused:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [entry.pk])
    assert f"account audit entries are append-only ({operation} refused)" in str(
        refused.value
    )
    assert AccountAuditEntry.objects.filter(pk=entry.pk).exists()


def test_the_admin_shows_the_trail_read_only_to_the_auditor(client, entry):
    client.force_login(administrator("auditor", "shenji"))
    response = client.get("/admin/portal/accountauditentry/")
    assert response.status_code == 200
    assert "wangxin" in response.content.decode()
    response = client.post(
        f"/admin/portal/accountauditentry/{entry.pk}/change/", {"detail": "改"}
    )
    assert response.status_code == 403
    response = client.post(
        f"/admin/portal/accountauditentry/{entry.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 403
    assert client.get("/admin/portal/rolegrant/").status_code == 200


def test_those_it_records_do_not_read_it(client):
    for group_name in ("security_admin", "system_admin"):
        client.force_login(administrator(group_name, f"{group_name}-user"))
        assert client.get("/admin/portal/accountauditentry/").status_code == 403
        response = client.get(
            "/workspace/audit/accounts.csv?start=2000-01-01&end=2100-12-31"
        )
        assert response.status_code == 403
    client.force_login(factories.office_admin("gongkaiban"))
    response = client.get(
        "/workspace/audit/accounts.csv?start=2000-01-01&end=2100-12-31"
    )
    assert response.status_code == 403
    # Nor does the workspace audit page offer it to them.
    page = client.get("/workspace/audit/").content.decode()
    assert "accounts.csv" not in page


def test_the_auditor_downloads_the_trail_as_csv(client, django_assert_max_num_queries):
    anquan = administrator("security_admin", "anquan")
    with audit.acting_as(anquan, address="10.1.2.3"):
        for number in range(30):
            factories.UserFactory(username=f"=cmd{number}")
    client.force_login(administrator("auditor", "shenji"))
    page = client.get("/workspace/audit/").content.decode()
    assert "/workspace/audit/accounts.csv" in page
    today = timezone.localdate().isoformat()
    with django_assert_max_num_queries(6):
        response = client.get(
            f"/workspace/audit/accounts.csv?start={today}&end={today}"
        )
        body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "%E8%B4%A6%E5%8F%B7" in response["Content-Disposition"]  # 账号…
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0] == ["时间", "操作人", "来源地址", "账号ID", "账号", "操作", "内容"]
    created = [row for row in rows[1:] if row[5] == "创建账号" and row[1] == "anquan"]
    assert len(created) == 30
    assert created[0][2] == "10.1.2.3"
    assert created[0][4].startswith("'=cmd")  # no formula for the spreadsheet
    response = client.get("/workspace/audit/accounts.csv?start=2026-13-01&end=x")
    assert response.status_code == 400
    assert "开始日期格式应为 YYYY-MM-DD" in response.content.decode()
