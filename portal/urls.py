from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from . import views
from .accounts import login, two_factor
from .accounts.audit_export import account_audit_csv

urlpatterns = [
    path("", include("catalog.urls")),
    path("", include("disclosure.public.urls")),
    # Consultations, subscriptions, complaints, departments' columns, and
    # their staff pages under /workspace/.
    path("", include("disclosure.participation.urls")),
    path("requests/", include("disclosure.requests.public_urls")),
    path("workspace/requests/", include("disclosure.requests.staff_urls")),
    path("workspace/oversight/", include("disclosure.oversight.urls")),
    # Before the workspace's own: the account trail, for the auditor.
    path(
        "workspace/audit/accounts.csv",
        account_audit_csv,
        name="account-audit-csv",
    ),
    path("workspace/", include("disclosure.workspace.urls")),
    path("reports/", include("disclosure.oversight.public_urls")),
    # Before django.contrib.auth.urls: the login with a second factor.
    path("accounts/login/", login.LoginView.as_view(), name="login"),
    path("accounts/two-factor/", two_factor.otp_login, name="otp_login"),
    path("accounts/two-factor/setup/", two_factor.otp_setup, name="otp_setup"),
    path("accounts/security/", two_factor.account_security, name="account_security"),
    path(
        "accounts/security/two-factor/disable/",
        two_factor.otp_disable,
        name="otp_disable",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("language/", views.switch_language, name="switch_language"),
    # One login page for the workspace and the admin (limits, second factor).
    path("admin/login/", login.admin_login, name="admin-login"),
    path("admin/", admin.site.urls),
]

# Error pages in the site's style that say nothing technical.
handler400 = "portal.views.bad_request"
handler403 = "portal.views.permission_denied"
handler404 = "portal.views.page_not_found"
handler500 = "portal.views.server_error"
