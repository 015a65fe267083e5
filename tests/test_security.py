"""Separated administrator duties (system, security, audit) and the error
pages: in Chinese, in the site's style, saying nothing technical."""

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.test import Client
from django.urls import path

from catalog.models import CatalogEntry
from disclosure import workflow
from disclosure.models import AuditEntry
from portal import urls as portal_urls
from portal import views as portal_views
from portal.models import RoleGrant
from tests import factories

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode()


# --- the roles ------------------------------------------------------------------------


def perms_of(group_name):
    group = Group.objects.get(name=group_name)
    return {
        f"{app}.{codename}"
        for app, codename in group.permissions.values_list(
            "content_type__app_label", "codename"
        )
    }


def test_the_three_administrator_roles_exist_with_separate_permissions():
    system = perms_of("system_admin")
    security = perms_of("security_admin")
    auditor = perms_of("auditor")

    assert "catalog.change_catalogentry" in system
    assert "catalog.change_department" in system
    assert "catalog.change_calendarday" in system
    assert "disclosure.change_reviewconfig" in system
    assert "disclosure.change_sitesettings" in system  # the site's identity
    assert not any(perm.startswith(("auth.", "axes.", "otp_totp.")) for perm in system)
    assert "catalog.change_membership" not in system

    assert {"auth.add_user", "auth.change_user", "auth.delete_user"} <= security
    assert "axes.delete_accessattempt" in security
    assert "otp_totp.delete_totpdevice" in security
    # Roles are given to users, not redefined: groups are view-only.
    assert "auth.change_group" not in security
    assert {perm.split(".")[0] for perm in security} <= {
        "auth",
        "axes",
        "otp_totp",
        "catalog",
        "portal",
    }
    # Roles are requested and approved (by another administrator).
    assert {perm for perm in security if perm.startswith("portal.")} == {
        "portal.add_rolegrant",
        "portal.view_rolegrant",
        "portal.approve_rolegrant",
    }
    assert {perm for perm in security if perm.startswith("catalog.")} == {
        "catalog.add_membership",
        "catalog.change_membership",
        "catalog.delete_membership",
        "catalog.view_membership",
    }

    # The audit trails: the items', the accounts' and public participation's.
    assert auditor == {
        "disclosure.view_auditentry",
        "disclosure.view_participationentry",
        "portal.view_accountauditentry",
        "portal.view_rolegrant",
    }
    assert not system & security
    assert not system & auditor
    # Both see the role requests: one decides them, the other audits them.
    assert security & auditor == {"portal.view_rolegrant"}


def admin_user(group_name, username=None):
    user = factories.in_group(group_name, username)
    user.is_staff = True
    user.save()
    return user


@pytest.fixture
def audit_entry():
    department = factories.DepartmentFactory()
    clerk = factories.clerk_of(department)
    item = factories.draft_item(clerk, department)
    workflow.submit(item=item, by=clerk)
    return AuditEntry.objects.filter(item=item).first()


def test_a_security_admin_cannot_edit_the_catalog(client):
    client.force_login(admin_user("security_admin"))
    entry = factories.CatalogEntryFactory()
    for url in (
        "/admin/catalog/catalogentry/",
        "/admin/catalog/catalogentry/add/",
        f"/admin/catalog/catalogentry/{entry.pk}/change/",
        "/admin/catalog/department/",
        "/admin/catalog/calendarday/",
        "/admin/disclosure/auditentry/",
    ):
        assert client.get(url).status_code == 403, url
    response = client.post(
        f"/admin/catalog/catalogentry/{entry.pk}/change/", {"level1": "改"}
    )
    assert response.status_code == 403
    entry.refresh_from_db()
    assert entry.level1 != "改"
    # What a security admin does: users and their roles.
    assert client.get("/admin/auth/user/").status_code == 200
    assert client.get("/admin/auth/user/add/").status_code == 200
    assert client.get("/admin/axes/accessattempt/").status_code == 200


def test_a_system_admin_cannot_edit_users(client):
    system_admin = admin_user("system_admin")
    client.force_login(system_admin)
    clerk = factories.UserFactory()
    for url in (
        "/admin/auth/user/",
        "/admin/auth/user/add/",
        f"/admin/auth/user/{clerk.pk}/change/",
        "/admin/auth/group/",
        "/admin/axes/accessattempt/",
        "/admin/disclosure/auditentry/",
    ):
        assert client.get(url).status_code == 403, url
    response = client.post(
        f"/admin/auth/user/{clerk.pk}/change/",
        {"username": clerk.username, "is_superuser": "on"},
    )
    assert response.status_code == 403
    clerk.refresh_from_db()
    assert not clerk.is_superuser
    # What a system admin does: the catalog.
    assert client.get("/admin/catalog/catalogentry/").status_code == 200
    response = client.post(
        "/admin/catalog/catalogarea/add/", {"name": "新增领域", "order": 9}
    )
    assert response.status_code == 302


def test_an_auditor_views_but_does_not_change_audit_entries(client, audit_entry):
    client.force_login(admin_user("auditor"))
    response = client.get("/admin/disclosure/auditentry/")
    assert response.status_code == 200
    response = client.get(f"/admin/disclosure/auditentry/{audit_entry.pk}/change/")
    assert response.status_code == 200  # the read-only view
    assert 'name="_save"' not in text(response)
    response = client.post(
        f"/admin/disclosure/auditentry/{audit_entry.pk}/change/", {"comment": "改"}
    )
    assert response.status_code == 403
    response = client.post(
        f"/admin/disclosure/auditentry/{audit_entry.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 403
    assert AuditEntry.objects.filter(pk=audit_entry.pk).exists()
    for url in (
        "/admin/catalog/catalogentry/",
        "/admin/auth/user/",
        "/admin/axes/accessattempt/",
    ):
        assert client.get(url).status_code == 403, url


def test_an_auditor_exports_the_audit_csv(client, audit_entry):
    client.force_login(admin_user("auditor"))
    response = client.get("/workspace/audit.csv?start=2000-01-01&end=2100-12-31")
    assert response.status_code == 200
    assert (
        "操作记录" in response["Content-Disposition"]
        or "filename" in (response["Content-Disposition"])
    )


def test_a_security_admin_cannot_promote_anyone_or_touch_superusers(client):
    security_admin = admin_user("security_admin", "anquan")
    client.force_login(security_admin)
    clerk = factories.UserFactory(username="wangxin")
    root = factories.UserFactory(username="root", is_superuser=True, is_staff=True)

    response = client.get(f"/admin/auth/user/{clerk.pk}/change/")
    assert response.status_code == 200
    assert 'name="is_superuser"' not in text(response)
    assert 'name="user_permissions"' not in text(response)
    response = client.post(
        f"/admin/auth/user/{clerk.pk}/change/",
        {
            "username": "wangxin",
            "is_active": "on",
            "is_superuser": "on",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, text(response)
    clerk.refresh_from_db()
    assert not clerk.is_superuser

    # A superuser's account is read-only to a security admin.
    response = client.post(
        f"/admin/auth/user/{root.pk}/change/",
        {"username": "root", "is_active": ""},
    )
    assert response.status_code == 403
    root.refresh_from_db()
    assert root.is_active

    # Nor may the security admin change their own roles.
    response = client.get(f"/admin/auth/user/{security_admin.pk}/change/")
    assert 'name="groups"' not in text(response)


def test_a_security_admin_asks_for_department_roles_and_another_approves(client):
    requester = admin_user("security_admin", "anquan")
    client.force_login(requester)
    clerk = factories.UserFactory(username="wangxin")
    department = factories.DepartmentFactory()
    response = client.post(
        f"/admin/auth/user/{clerk.pk}/change/",
        {
            "username": "wangxin",
            "is_active": "on",
            "memberships-TOTAL_FORMS": "1",
            "memberships-INITIAL_FORMS": "0",
            "memberships-0-department": department.pk,
            "memberships-0-role": "clerk",
        },
        follow=True,
    )
    assert response.status_code == 200, text(response)
    assert "须由另一名管理员" in text(response)
    assert not clerk.memberships.exists()  # asked for, not given
    assert CatalogEntry.objects.count() == 0

    approver = admin_user("security_admin", "anquan2")
    client.force_login(approver)
    grant = RoleGrant.objects.get(user=clerk)
    response = client.post(f"/admin/portal/rolegrant/{grant.pk}/approve/", follow=True)
    assert "已批准" in text(response)
    assert clerk.memberships.get().department == department


# --- error pages ----------------------------------------------------------------------


def _boom(request):
    raise RuntimeError(f"secret detail {django_settings.BASE_DIR} SECRET_KEY")


def _denied(request):
    raise PermissionDenied("internal reason: group office_admin missing")


def _suspicious(request):
    raise SuspiciousOperation("internal detail: bad signature")


urlpatterns = [
    path("test-errors/boom/", _boom),
    path("test-errors/denied/", _denied),
    path("test-errors/suspicious/", _suspicious),
    path("test-errors/gone/", portal_views.gone),
    *portal_urls.urlpatterns,
]
handler400 = portal_urls.handler400
handler403 = portal_urls.handler403
handler404 = portal_urls.handler404
handler500 = portal_urls.handler500

LEAKS = (
    "Traceback",
    "RuntimeError",
    "PermissionDenied",
    "SuspiciousOperation",
    "secret detail",
    "internal",
    "SECRET_KEY",
    "settings.py",
    "site-packages",
    "Django",
    "DEBUG",
    "URLconf",
)


@pytest.fixture
def error_client(settings):
    assert settings.DEBUG is False  # pytest-django runs tests with DEBUG off
    settings.ROOT_URLCONF = __name__
    return Client(raise_request_exception=False)


def assert_no_leak(response):
    page = text(response)
    for leak in (*LEAKS, str(django_settings.BASE_DIR)):
        assert leak not in page, leak
    assert "Content-Security-Policy" in response.headers


@pytest.mark.parametrize(
    ("url", "status", "heading"),
    [
        ("/test-errors/boom/", 500, "系统暂时无法处理您的请求"),
        ("/test-errors/denied/", 403, "没有权限"),
        ("/test-errors/suspicious/", 400, "请求有误"),
        ("/test-errors/gone/", 410, "页面已删除"),
        ("/no-such-page/", 404, "页面不存在"),
        ("/items/999999999/", 404, "页面不存在"),
        ("/catalog/999999999/", 404, "页面不存在"),
        ("/items/<script>alert(1)</script>/", 404, "页面不存在"),
        ("/sitemap-nosuchsection.xml", 404, "页面不存在"),
    ],
)
def test_error_pages(error_client, url, status, heading):
    response = error_client.get(url)
    assert response.status_code == status
    assert heading in text(response)
    assert "<script>alert(1)" not in text(response)
    assert_no_leak(response)


def test_a_bad_host_gets_the_400_page(error_client):
    response = error_client.get("/", HTTP_HOST="evil.example.com")
    assert response.status_code == 400
    assert "请求有误" in text(response)
    assert "evil.example.com" not in text(response)
    assert_no_leak(response)


def test_a_forgotten_csrf_token_gets_the_expired_page(settings):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "a", "password": "b"})
    assert response.status_code == 403
    assert "页面已过期" in text(response)
    assert_no_leak(response)


def test_a_removed_record_answers_410_in_chinese(client):
    department = factories.DepartmentFactory()
    clerk = factories.clerk_of(department)
    item = factories.item_in_state(
        "removed",
        department=department,
        creator=clerk,
        reviewer=factories.reviewer(),
        admin=factories.office_admin(),
    )
    response = client.get(f"/items/{item.pk}/")
    assert response.status_code == 410
    assert "该信息已删除" in text(response)
    assert_no_leak(response)


def test_the_500_page_stands_alone(error_client, settings):
    # Even when the context processors would fail, the 500 page renders.
    settings.TEMPLATES = [
        {
            **settings.TEMPLATES[0],
            "OPTIONS": {
                **settings.TEMPLATES[0]["OPTIONS"],
                "context_processors": ["tests.test_security.broken_processor"],
            },
        }
    ]
    response = error_client.get("/test-errors/boom/")
    assert response.status_code == 500
    assert "系统暂时无法处理您的请求" in text(response)
    assert_no_leak(response)


def broken_processor(request):
    raise RuntimeError("the database is down")
