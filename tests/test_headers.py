"""Security headers on real responses, the production settings, and
``manage.py check --deploy`` clean with production variables."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client

from tests import factories

pytestmark = pytest.mark.django_db

BASE_DIR = Path(django_settings.BASE_DIR)

PAGES = [
    "/",
    "/items/",
    "/catalog/",
    "/guide/",
    "/tools/deadline/",
    "/api/v1/items",
    "/items.csv",
    "/feeds/items.rss",
    "/sitemap.xml",
    "/robots.txt",
    "/accounts/login/",
    "/accounts/password_reset/",
    "/admin/login/",
    "/no-such-page/",
    "/workspace/",  # a redirect to the login
]


def csp_directives(response) -> dict[str, list[str]]:
    header = response.headers["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


@pytest.mark.parametrize("url", PAGES)
def test_every_page_has_the_security_headers(client, url):
    response = client.get(url)
    assert response.status_code < 500
    directives = csp_directives(response)
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    assert directives["form-action"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    header = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in header
    assert "unsafe-eval" not in header
    assert "*" not in header

    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    policy = response.headers["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()"):
        assert feature in policy


def test_static_files_have_the_headers_too(settings):
    settings.WHITENOISE_USE_FINDERS = True  # no collectstatic in the tests
    response = Client().get("/static/css/site.css")
    assert response.status_code == 200
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "camera=()" in response.headers["Permissions-Policy"]
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_the_workspace_pages_have_them_when_signed_in(client):
    clerk = factories.clerk_of(factories.DepartmentFactory())
    client.force_login(clerk)
    response = client.get("/workspace/")
    assert response.status_code == 200
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "camera=()" in response.headers["Permissions-Policy"]


TEMPLATE_DIRS = [BASE_DIR / "templates", *sorted(BASE_DIR.glob("*/templates"))]
INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "inline <script>"),
    (re.compile(r"<style\b", re.I), "<style> element"),
    (re.compile(r"\sstyle\s*=", re.I), "style attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "event handler attribute"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
]


def test_no_template_has_inline_script_or_style():
    """What the Content Security Policy would block in the browser."""
    problems = []
    for directory in TEMPLATE_DIRS:
        for template in sorted(directory.rglob("*.html")):
            source = template.read_text(encoding="utf-8")
            for pattern, what in INLINE:
                for match in pattern.finditer(source):
                    line = source.count("\n", 0, match.start()) + 1
                    problems.append(f"{template.relative_to(BASE_DIR)}:{line}: {what}")
    assert not problems, "\n".join(problems)


def test_login_cookies_are_httponly(client):
    factories.UserFactory(username="wangxin")
    response = client.get("/accounts/login/")
    assert response.cookies["csrftoken"]["httponly"]
    response = client.post(
        "/accounts/login/",
        {"username": "wangxin", "password": factories.PASSWORD},
    )
    assert response.status_code == 302
    assert response.cookies["sessionid"]["httponly"]
    assert response.cookies["sessionid"]["samesite"] == "Lax"


# --- production -------------------------------------------------------------------------


#: A real-looking mail configuration, as production has (an SMTP relay with
#: TLS and a sender of the portal's domain).
PRODUCTION_MAIL = {
    "EMAIL_HOST": "smtp.example.gov.cn",
    "EMAIL_PORT": "587",
    "EMAIL_USE_TLS": "1",
    "EMAIL_HOST_USER": "gongkai@example.gov.cn",
    "EMAIL_HOST_PASSWORD": "mail-" + "Pw9!x" * 4,
    "DEFAULT_FROM_EMAIL": "政务公开门户 <gongkai@example.gov.cn>",
}


def production_env(tmp_path, mail=True) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(
            ("PYTEST", "DJANGO_", "PORTAL_", "SECURE_", "SESSION_", "EMAIL_")
        )
        and key != "DEFAULT_FROM_EMAIL"
    }
    env.update(
        DEBUG="0",
        SECRET_KEY="prod-" + "k3y-Zq9!x7Lm2#vR8@pW4$tN6%" * 2,
        ALLOWED_HOSTS="portal.example.gov.cn",
        PORTAL_VAR_DIR=str(tmp_path / "var"),
        DJANGO_SETTINGS_MODULE="portal.settings",
    )
    if mail:
        env.update(PRODUCTION_MAIL)
    return env


PRINT_SETTINGS = """
import json
from django.conf import settings
names = [
    "DEBUG", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD", "SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "CSRF_COOKIE_HTTPONLY",
    "SECURE_CONTENT_TYPE_NOSNIFF", "X_FRAME_OPTIONS", "SECURE_REFERRER_POLICY",
    "SESSION_COOKIE_AGE", "PORTAL_SESSION_TOUCH_SECONDS", "PORTAL_2FA_REQUIRED",
    "AXES_FAILURE_LIMIT", "EMAIL_BACKEND", "EMAIL_HOST", "EMAIL_USE_TLS",
    "PORTAL_MAX_REQUEST_BYTES", "FILE_UPLOAD_MAX_MEMORY_SIZE",
    "LANGUAGE_COOKIE_SECURE",
]
print(json.dumps({name: getattr(settings, name) for name in names}))
"""


@pytest.fixture(scope="module")
def production_settings(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("production")
    result = subprocess.run(  # noqa: S603 - our own interpreter and settings
        [sys.executable, "-c", PRINT_SETTINGS],
        cwd=BASE_DIR,
        env=production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_settings(production_settings):
    assert production_settings["DEBUG"] is False
    assert production_settings["SECURE_HSTS_SECONDS"] >= 365 * 24 * 3600
    assert production_settings["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert production_settings["SECURE_SSL_REDIRECT"] is True
    assert production_settings["SESSION_COOKIE_SECURE"] is True
    assert production_settings["CSRF_COOKIE_SECURE"] is True
    assert production_settings["SESSION_COOKIE_HTTPONLY"] is True
    assert production_settings["CSRF_COOKIE_HTTPONLY"] is True
    assert production_settings["SECURE_CONTENT_TYPE_NOSNIFF"] is True
    assert production_settings["X_FRAME_OPTIONS"] == "DENY"
    assert production_settings["SESSION_COOKIE_AGE"] == 30 * 60
    assert production_settings["PORTAL_SESSION_TOUCH_SECONDS"] == 60
    assert production_settings["PORTAL_2FA_REQUIRED"] is True
    assert production_settings["AXES_FAILURE_LIMIT"] == 5
    assert production_settings["EMAIL_BACKEND"].endswith("smtp.EmailBackend")
    assert production_settings["EMAIL_HOST"] == "smtp.example.gov.cn"
    assert production_settings["EMAIL_USE_TLS"] is True
    # Nothing within the general body limit is spooled to disk.
    assert (
        production_settings["FILE_UPLOAD_MAX_MEMORY_SIZE"]
        == production_settings["PORTAL_MAX_REQUEST_BYTES"]
    )


def test_production_headers_on_a_real_response(client, settings, production_settings):
    """The production values, applied here: HSTS on HTTPS, secure cookies."""
    for name in (
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
        "SECURE_SSL_REDIRECT",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
    ):
        setattr(settings, name, production_settings[name])
    response = client.get("/accounts/login/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/accounts/login/"

    factories.UserFactory(username="wangxin")
    response = client.get("/accounts/login/", secure=True)
    assert response.headers["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains; preload"
    )
    assert response.cookies["csrftoken"]["secure"]
    response = client.post(
        "/accounts/login/",
        {"username": "wangxin", "password": factories.PASSWORD},
        secure=True,
    )
    assert response.status_code == 302
    assert response.cookies["sessionid"]["secure"]
    assert response.cookies["sessionid"]["httponly"]


def check_deploy(env):
    result = subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [
            sys.executable,
            "manage.py",
            "check",
            "--deploy",
            "--fail-level",
            "WARNING",
        ],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return result.returncode, result.stdout + result.stderr


def test_check_deploy_is_clean_with_production_variables(tmp_path):
    returncode, output = check_deploy(production_env(tmp_path))
    assert returncode == 0, output
    assert "System check identified no issues" in output, output


def test_check_deploy_fails_without_a_real_mail_configuration(tmp_path):
    """Password-reset links must not land in the server's log."""
    returncode, output = check_deploy(production_env(tmp_path, mail=False))
    assert returncode != 0
    assert "portal.E002" in output  # SMTP, but no EMAIL_HOST
    assert "EMAIL_HOST is not set" in output
    assert "portal.E003" in output  # portal@localhost

    env = production_env(tmp_path)
    env["EMAIL_BACKEND"] = "django.core.mail.backends.console.EmailBackend"
    returncode, output = check_deploy(env)
    assert returncode != 0
    assert "portal.E001" in output
    assert "console backend" in output
    assert "password-reset links" in output


# --- what staff see is never stored -------------------------------------------------------


def assert_no_store(response, url):
    cache_control = response.headers.get("Cache-Control", "")
    assert "no-store" in cache_control, (url, cache_control)
    assert "private" in cache_control, (url, cache_control)
    assert "public" not in cache_control, (url, cache_control)


@pytest.mark.parametrize(
    "url",
    [
        "/workspace/",
        "/workspace/items/",
        "/workspace/audit/",
        "/workspace/audit.csv?start=2026-01-01&end=2026-01-31",
        "/workspace/oversight/",
        "/admin/",
        "/admin/auth/user/",
        "/accounts/security/",
        "/accounts/password_change/",
    ],
)
def test_staff_pages_are_never_stored(client, url):
    office = factories.office_admin("gongkaiban")
    office.is_staff = True
    office.is_superuser = True
    office.save()
    client.force_login(office)
    response = client.get(url)
    assert response.status_code == 200, url
    assert_no_store(response, url)


@pytest.mark.parametrize(
    "url", ["/accounts/login/", "/accounts/password_reset/", "/workspace/", "/admin/"]
)
def test_account_and_staff_urls_are_not_stored_for_visitors_either(client, url):
    assert_no_store(client.get(url), url)


def test_public_pages_for_a_signed_in_user_are_not_stored(client):
    client.force_login(factories.clerk_of(factories.DepartmentFactory()))
    for url in ("/", "/items/", "/items.csv"):
        assert_no_store(client.get(url), url)


def test_public_pages_stay_cacheable_and_cookie_free(client):
    for url in ("/", "/items/", "/items.csv", "/feeds/items.rss"):
        response = client.get(url)
        assert response.status_code == 200, url
        cache_control = response.headers.get("Cache-Control", "")
        assert "public" in cache_control, (url, cache_control)
        assert "no-store" not in cache_control, url
        assert not response.cookies, url


def test_the_preference_cookies_are_secure_where_the_session_cookie_is(
    client, settings
):
    """Behind the TLS proxy the request reaches Django as plain HTTP: the
    cookies must still be Secure."""
    settings.SESSION_COOKIE_SECURE = True
    response = client.get("/language/", {"language": "en", "next": "/"})
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "en"
    assert cookie["secure"]
    assert cookie["httponly"]
    response = client.get("/display/text-size/", {"size": "large", "next": "/"})
    assert response.cookies["portal_text_size"]["secure"]


def test_djangos_language_switch_sets_a_secure_cookie_in_production(
    production_settings,
):
    assert production_settings["LANGUAGE_COOKIE_SECURE"] is True
