from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from . import accounts, views

# Users in the admin: department roles inline, no self-promotion.
accounts.register_user_admin(admin.site)

urlpatterns = [
    path("", include("catalog.urls")),
    path("", include("disclosure.public.urls")),
    # Consultations, subscriptions, complaints, departments' columns, and
    # their staff pages under /workspace/.
    path("", include("disclosure.participation.urls")),
    path("workspace/oversight/", include("disclosure.oversight.urls")),
    path("workspace/", include("disclosure.workspace.urls")),
    path("reports/", include("disclosure.oversight.public_urls")),
    # Before django.contrib.auth.urls: the login with a second factor.
    path("accounts/login/", accounts.LoginView.as_view(), name="login"),
    path("accounts/two-factor/", accounts.otp_login, name="otp_login"),
    path("accounts/two-factor/setup/", accounts.otp_setup, name="otp_setup"),
    path("accounts/security/", accounts.account_security, name="account_security"),
    path(
        "accounts/security/two-factor/disable/",
        accounts.otp_disable,
        name="otp_disable",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("language/", views.switch_language, name="switch_language"),
    path("admin/", admin.site.urls),
]

# Error pages in the site's style that say nothing technical.
handler400 = "portal.views.bad_request"
handler403 = "portal.views.permission_denied"
handler404 = "portal.views.page_not_found"
handler500 = "portal.views.server_error"
