"""Staff accounts: login lockout (django-axes), the password rule, session
expiry and logout, two-factor authentication (django-otp TOTP) and the rate
limit on anonymous posts."""

import datetime
import re

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.accounts.passwords import CharacterClassValidator
from tests import factories

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    # Every login checks a password; the production hasher takes a quarter
    # of a second each time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def post_login(client, username, password=factories.PASSWORD, ip="10.1.1.1", **extra):
    return client.post(
        LOGIN,
        {"username": username, "password": password, **extra},
        REMOTE_ADDR=ip,
    )


def code(device, drift=0) -> str:
    """The code the user's authenticator shows (``drift`` steps of 30 s on)."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=drift):06d}"


def text(response) -> str:
    return response.content.decode()


# --- login lockout (django-axes) ----------------------------------------------------


def test_five_failures_lock_the_username_from_that_address(client):
    user = factories.UserFactory(username="wangxin")
    for attempt in range(4):
        response = post_login(client, "wangxin", "wrong-password")
        assert response.status_code == 200, attempt
        assert "请输入一个正确的用户名和密码" in text(response)

    response = post_login(client, "wangxin", "wrong-password")
    assert response.status_code == 429
    assert "账户已暂时锁定" in text(response)
    assert "30 分钟后再试" in text(response)

    # Now even the right password is refused, from that address.
    response = post_login(client, "wangxin")
    assert response.status_code == 429
    assert "账户已暂时锁定" in text(response)
    assert "_auth_user_id" not in client.session

    # Another address, or another user from the same address, may log in.
    assert post_login(client, "wangxin", ip="10.2.2.2").status_code == 302
    client.logout()
    factories.UserFactory(username="lixin")
    assert post_login(client, "lixin").status_code == 302
    # The refused try while locked counts too (and restarts the 30 minutes).
    assert AccessAttempt.objects.get(username=user.username).failures_since_start == 6


def test_lockout_ends_after_thirty_minutes(client):
    factories.UserFactory(username="wangxin")
    for _attempt in range(5):
        post_login(client, "wangxin", "wrong-password")
    assert post_login(client, "wangxin").status_code == 429

    AccessAttempt.objects.update(
        attempt_time=timezone.now() - datetime.timedelta(minutes=31)
    )
    response = post_login(client, "wangxin")
    assert response.status_code == 302
    assert response["Location"] == "/workspace/"


def test_a_successful_login_resets_the_count(client):
    factories.UserFactory(username="wangxin")
    for _attempt in range(4):
        post_login(client, "wangxin", "wrong-password")
    assert post_login(client, "wangxin").status_code == 302
    client.logout()
    for _attempt in range(4):
        assert post_login(client, "wangxin", "wrong-password").status_code == 200
    assert post_login(client, "wangxin").status_code == 302


def test_a_security_admin_unlocks_in_the_admin(client):
    factories.UserFactory(username="wangxin")
    for _attempt in range(5):
        post_login(client, "wangxin", "wrong-password")
    attempt = AccessAttempt.objects.get(username="wangxin")

    security_admin = factories.in_group("security_admin")
    security_admin.is_staff = True
    security_admin.save()
    admin_client = client_class_for(client)
    admin_client.force_login(security_admin)
    response = admin_client.get("/admin/axes/accessattempt/?locked_out=yes")
    assert response.status_code == 200
    assert "wangxin" in text(response)
    response = admin_client.post(
        f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()

    assert post_login(client, "wangxin").status_code == 302


def client_class_for(client):
    return type(client)()


# --- password rules -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "classes"),
    [
        ("abcdefghijk", 1),
        ("abcdefghij12", 2),
        ("ABCDEFGHIJ12", 2),
        ("abcdefghij!?", 2),
        ("Abcdefghij12", 3),
        ("abcdefghij1!", 3),
        ("ABCDEFGHIJ1，", 3),  # a full-width comma is a symbol
        ("Abcdefghi1!", 4),
        ("政务公开门户信息公开1a", 2),  # Chinese characters are no class
    ],
)
def test_character_classes(password, classes):
    validator = CharacterClassValidator(min_classes=3)
    assert validator.classes_in(password) == classes
    if classes >= 3:
        validator.validate(password)
    else:
        with pytest.raises(ValidationError) as caught:
            validator.validate(password)
        assert "至少 3 类" in caught.value.messages[0]


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Ab1!", "密码太短：至少需要 10 个字符"),
        ("Gongkai-2026-xin", None),  # strong enough
        ("1234567890123", "密码只包含数字"),
        ("password12", "至少 3 类"),
        ("abcdefghij", "至少 3 类"),
        ("wangxinxi-2026", "太相似"),
    ],
)
def test_password_rules_speak_chinese(password, message):
    user = factories.UserFactory.build(username="wangxinxi", email="wx@example.gov.cn")
    if message is None:
        validate_password(password, user)
        return
    with translation.override("zh-hans"):
        with pytest.raises(ValidationError) as caught:
            validate_password(password, user)
        messages = [str(text) for text in caught.value.messages]
    assert any(message in text for text in messages), messages


def test_password_change_applies_the_rules(client):
    user = factories.UserFactory()
    client.force_login(user)
    response = client.get("/accounts/password_change/")
    assert response.status_code == 200
    assert "修改密码" in text(response)
    response = client.post(
        "/accounts/password_change/",
        {
            "old_password": factories.PASSWORD,
            "new_password1": "abcdefghijkl",
            "new_password2": "abcdefghijkl",
        },
    )
    assert response.status_code == 200
    assert "至少 3 类" in text(response)
    response = client.post(
        "/accounts/password_change/",
        {
            "old_password": factories.PASSWORD,
            "new_password1": "Gongkai-2026-xin",
            "new_password2": "Gongkai-2026-xin",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Gongkai-2026-xin")


# --- sessions ----------------------------------------------------------------------------


def test_session_settings(settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.PORTAL_SESSION_TOUCH_SECONDS == 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_COOKIE_HTTPONLY is True


def test_activity_renews_the_session_at_most_once_a_minute(client):
    clerk = factories.clerk_of(factories.DepartmentFactory())
    client.force_login(clerk)
    session_key = client.session.session_key
    soon = timezone.now() + datetime.timedelta(minutes=5)

    assert client.get("/workspace/").status_code == 200  # renewed
    Session.objects.filter(session_key=session_key).update(expire_date=soon)
    assert client.get("/workspace/").status_code == 200  # within the minute
    assert Session.objects.get(session_key=session_key).expire_date == soon

    # A minute later, the next request renews it for another 30 minutes.
    session = client.session
    session["_portal_seen"] -= 61
    session.save()
    Session.objects.filter(session_key=session_key).update(expire_date=soon)
    assert client.get("/workspace/").status_code == 200
    renewed = Session.objects.get(session_key=session_key).expire_date
    assert renewed > timezone.now() + datetime.timedelta(minutes=29)


def test_an_idle_session_expires_and_each_request_renews_it(client):
    clerk = factories.clerk_of(factories.DepartmentFactory())
    client.force_login(clerk)
    session_key = client.session.session_key
    Session.objects.filter(session_key=session_key).update(
        expire_date=timezone.now() + datetime.timedelta(minutes=5)
    )
    assert client.get("/workspace/").status_code == 200
    renewed = Session.objects.get(session_key=session_key).expire_date
    assert renewed > timezone.now() + datetime.timedelta(minutes=29)

    # 30 minutes without a request: the session is gone.
    Session.objects.filter(session_key=session_key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    response = client.get("/workspace/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_logout_ends_the_session(client):
    clerk = factories.clerk_of(factories.DepartmentFactory())
    client.force_login(clerk)
    old_key = client.cookies["sessionid"].value
    assert Session.objects.filter(session_key=old_key).exists()

    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert not Session.objects.filter(session_key=old_key).exists()

    # The old cookie, replayed, opens nothing.
    replay = type(client)()
    replay.cookies["sessionid"] = old_key
    response = replay.get("/workspace/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_logout_is_post_only(client):
    clerk = factories.clerk_of(factories.DepartmentFactory())
    client.force_login(clerk)
    assert client.get("/accounts/logout/").status_code == 405
    assert client.get("/workspace/").status_code == 200


# --- two-factor authentication -------------------------------------------------------------


@pytest.fixture
def required(settings):
    settings.PORTAL_2FA_REQUIRED = True
    return settings


def setup_authenticator(client, next_url="/workspace/"):
    """Go through the setup page as the signed-in user; return the device."""
    response = client.get("/accounts/two-factor/setup/", {"next": next_url})
    assert response.status_code == 200
    device = TOTPDevice.objects.get(user_id=client.session["_auth_user_id"])
    assert not device.confirmed
    response = client.post(
        "/accounts/two-factor/setup/", {"token": code(device), "next": next_url}
    )
    assert response.status_code == 302, text(response)
    assert response["Location"] == next_url
    device.refresh_from_db()
    assert device.confirmed
    return device


def test_2fa_is_off_by_default_in_development(settings):
    # pytest-env sets DEBUG=1: the demo works without an authenticator app.
    assert settings.PORTAL_2FA_REQUIRED is False


def test_a_reviewer_must_set_up_an_authenticator(client, required):
    factories.reviewer("chenshen")
    response = post_login(client, "chenshen")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/two-factor/setup/?next=%2Fworkspace%2F"

    # Signed in with the password only: the workspace and the admin send the
    # reviewer to the setup page.
    for path in ("/workspace/", "/workspace/items/", "/admin/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/accounts/two-factor/setup/"), path

    response = client.get("/accounts/two-factor/setup/")
    page = text(response)
    assert "设置双因素认证" in page
    assert 'src="data:image/svg+xml;base64,' in page
    device = TOTPDevice.objects.get(user__username="chenshen")
    secret = re.search(r"<code>([A-Z2-7 ]+)</code>", page).group(1)
    assert secret.replace(" ", "") in device.config_url
    assert device.config_url.startswith("otpauth://totp/")

    response = client.post("/accounts/two-factor/setup/", {"token": "000000"})
    assert response.status_code == 200
    assert "验证码不正确" in text(response) or "秒后再试" in text(response)
    device.refresh_from_db()
    assert not device.confirmed
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()

    setup_authenticator(client)
    assert client.get("/workspace/").status_code == 200


def test_with_an_authenticator_the_login_asks_for_the_code(client, required):
    reviewer = factories.reviewer("chenshen")
    device = TOTPDevice.objects.create(user=reviewer, name="手机", confirmed=True)

    response = post_login(client, "chenshen", next="/workspace/review/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/two-factor/?next=%2Fworkspace%2Freview%2F"
    password_session = client.session.session_key
    for path in ("/workspace/", "/admin/", "/accounts/security/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/two-factor/?next="), path

    response = client.get("/accounts/two-factor/?next=/workspace/review/")
    assert "输入验证码" in text(response)
    response = client.post(
        "/accounts/two-factor/", {"token": "12345", "next": "/workspace/review/"}
    )
    assert "请输入6位数字验证码" in text(response)

    response = client.post(
        "/accounts/two-factor/",
        {"token": code(device), "next": "/workspace/review/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/workspace/review/"
    assert client.session.session_key != password_session  # a new session key
    assert client.get("/workspace/").status_code == 200


def test_the_code_page_refuses_a_wrong_code_and_then_slows_down(client, required):
    reviewer = factories.reviewer("chenshen")
    device = TOTPDevice.objects.create(user=reviewer, name="手机", confirmed=True)
    post_login(client, "chenshen")
    wrong = f"{(int(code(device)) + 500000) % 1000000:06d}"
    response = client.post("/accounts/two-factor/", {"token": wrong})
    assert response.status_code == 200
    assert "验证码不正确或已过期" in text(response)
    # After a failure, even the right code must wait (exponential back-off).
    response = client.post("/accounts/two-factor/", {"token": code(device)})
    assert "秒后再试" in text(response)
    assert client.get("/workspace/").status_code == 302


def test_a_code_is_accepted_once(client, required):
    reviewer = factories.reviewer("chenshen")
    device = TOTPDevice.objects.create(user=reviewer, name="手机", confirmed=True)
    post_login(client, "chenshen")
    token = code(device)
    assert client.post("/accounts/two-factor/", {"token": token}).status_code == 302
    client.post("/accounts/logout/")

    post_login(client, "chenshen")
    response = client.post("/accounts/two-factor/", {"token": token})
    assert response.status_code == 200
    assert "验证码不正确或已过期" in text(response)
    assert client.get("/workspace/").status_code == 302


def test_full_width_digits_and_spaces_in_the_code_are_accepted(client, required):
    reviewer = factories.reviewer("chenshen")
    device = TOTPDevice.objects.create(user=reviewer, name="手机", confirmed=True)
    post_login(client, "chenshen")
    token = code(device)
    full_width = "".join(chr(ord(digit) + 0xFEE0) for digit in token)
    typed = f"{full_width[:3]} {full_width[3:]}"
    assert client.post("/accounts/two-factor/", {"token": typed}).status_code == 302
    assert client.get("/workspace/").status_code == 200


@pytest.mark.parametrize(
    ("role", "page"),
    [
        ("office_admin", "/workspace/"),
        ("superuser", "/admin/"),
        ("system_admin", "/admin/"),
        ("security_admin", "/admin/"),
        ("auditor", "/admin/"),
    ],
)
def test_other_roles_that_need_2fa(client, required, role, page):
    if role == "superuser":
        user = factories.UserFactory(username="root", is_superuser=True, is_staff=True)
    else:
        user = factories.in_group(role, "guanli")
        user.is_staff = page == "/admin/"
        user.save()
    if role == "office_admin":
        factories.Membership.objects.create(
            user=user, department=factories.DepartmentFactory()
        )
    response = post_login(client, user.username)
    assert response["Location"].startswith("/accounts/two-factor/setup/")
    assert client.get(page)["Location"].startswith("/accounts/two-factor/setup/")
    setup_authenticator(client, next_url=page)
    assert client.get(page).status_code == 200


def test_a_clerk_does_not_need_2fa_but_may_enable_it(client, required):
    clerk = factories.clerk_of(factories.DepartmentFactory(), "wangxin")
    response = post_login(client, "wangxin")
    assert response["Location"] == "/workspace/"
    assert client.get("/workspace/").status_code == 200

    response = client.get("/accounts/security/")
    assert "未启用" in text(response)
    device = setup_authenticator(client, next_url="/accounts/security/")
    assert "已启用" in text(client.get("/accounts/security/"))

    # From now on the clerk's login asks for the code.
    client.post("/accounts/logout/")
    response = post_login(client, "wangxin")
    assert response["Location"].startswith("/accounts/two-factor/")
    assert client.get("/workspace/").status_code == 302
    response = client.post("/accounts/two-factor/", {"token": code(device, drift=1)})
    assert response.status_code == 302
    assert client.get("/workspace/").status_code == 200

    # And the clerk may turn it off again.
    response = client.post("/accounts/security/two-factor/disable/")
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=clerk).exists()


def test_a_voluntary_authenticator_is_asked_for_even_when_2fa_is_not_required(
    client, settings
):
    settings.PORTAL_2FA_REQUIRED = False
    clerk = factories.clerk_of(factories.DepartmentFactory(), "wangxin")
    TOTPDevice.objects.create(user=clerk, name="手机", confirmed=True)
    response = post_login(client, "wangxin")
    assert response["Location"].startswith("/accounts/two-factor/")
    assert client.get("/workspace/").status_code == 302


def test_who_must_use_2fa_cannot_disable_it(client, required):
    reviewer = factories.reviewer("chenshen")
    post_login(client, "chenshen")
    setup_authenticator(client)
    response = client.post("/accounts/security/two-factor/disable/", follow=True)
    assert "不能停用" in text(response)
    assert TOTPDevice.objects.filter(user=reviewer, confirmed=True).exists()


def test_an_unverified_user_cannot_disable_the_authenticator(client, required):
    clerk = factories.clerk_of(factories.DepartmentFactory(), "wangxin")
    TOTPDevice.objects.create(user=clerk, name="手机", confirmed=True)
    post_login(client, "wangxin")
    response = client.post("/accounts/security/two-factor/disable/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/two-factor/")
    assert TOTPDevice.objects.filter(user=clerk).exists()


def test_an_unverified_user_cannot_set_up_a_second_authenticator(client, required):
    reviewer = factories.reviewer("chenshen")
    TOTPDevice.objects.create(user=reviewer, name="手机", confirmed=True)
    post_login(client, "chenshen")
    response = client.get("/accounts/two-factor/setup/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/two-factor/?next=")
    assert TOTPDevice.objects.filter(user=reviewer).count() == 1


def test_the_code_pages_need_a_password_login_first(client):
    for path in ("/accounts/two-factor/", "/accounts/two-factor/setup/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_the_next_parameter_cannot_leave_the_site(client, required):
    reviewer = factories.reviewer("chenshen")
    device = TOTPDevice.objects.create(user=reviewer, name="手机", confirmed=True)
    post_login(client, "chenshen")
    response = client.post(
        "/accounts/two-factor/",
        {"token": code(device), "next": "https://evil.example/steal"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/workspace/"


def test_the_demo_reviewer_logs_in_without_a_code_in_development(client):
    departments = __import__("catalog.demo", fromlist=["seed_catalog"])
    seeded = departments.seed_catalog()
    departments.seed_accounts(seeded, password="Demo-portal-2026")
    response = post_login(client, "reviewer", "Demo-portal-2026")
    assert response["Location"] == "/workspace/"
    assert client.get("/workspace/").status_code == 200


# --- rate limits ---------------------------------------------------------------------------


@pytest.fixture
def three_per_minute(settings):
    settings.PORTAL_RATE_LIMIT_POSTS = 3
    settings.PORTAL_RATE_LIMIT_WINDOW = 60
    return settings


def test_login_posts_are_rate_limited_per_address(client, three_per_minute):
    for number in range(3):
        response = post_login(client, f"nobody{number}", "wrong-password")
        assert response.status_code == 200
    response = post_login(client, "nobody9", "wrong-password")
    assert response.status_code == 429
    assert "请求过于频繁" in text(response)
    assert int(response["Retry-After"]) <= 60
    # Another address is not affected.
    assert post_login(client, "nobody9", "wrong", ip="10.9.9.9").status_code == 200


def test_the_language_switch_is_rate_limited(client, three_per_minute):
    for _number in range(3):
        response = client.post(
            "/i18n/setlang/", {"language": "en", "next": "/"}, REMOTE_ADDR="10.3.3.3"
        )
        assert response.status_code == 302
    response = client.post(
        "/i18n/setlang/", {"language": "en", "next": "/"}, REMOTE_ADDR="10.3.3.3"
    )
    assert response.status_code == 429
    # Pages are still served; the login form has its own count.
    assert client.get("/", REMOTE_ADDR="10.3.3.3").status_code == 200
    assert post_login(client, "x", "y", ip="10.3.3.3").status_code == 200


def test_signed_in_staff_are_not_rate_limited(client, three_per_minute):
    clerk = factories.clerk_of(factories.DepartmentFactory())
    client.force_login(clerk)
    for _number in range(5):
        response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
        assert response.status_code == 302


def test_the_code_page_is_rate_limited(client, three_per_minute, required):
    reviewer = factories.reviewer("chenshen")
    TOTPDevice.objects.create(user=reviewer, name="手机", confirmed=True)
    post_login(client, "chenshen")
    for _number in range(3):
        assert client.post("/accounts/two-factor/", {"token": "1"}).status_code == 200
    assert client.post("/accounts/two-factor/", {"token": "1"}).status_code == 429


def test_the_proxy_header_is_used_only_when_configured(rf, settings):
    from portal.ratelimit import client_ip

    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_REAL_IP="203.0.113.7")
    assert client_ip(request) == "10.0.0.1"
    settings.PORTAL_CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    assert client_ip(request) == "203.0.113.7"
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_REAL_IP="not an address")
    assert client_ip(request) == "10.0.0.1"
    request = rf.get("/", REMOTE_ADDR="")
    assert client_ip(request) is None  # as django-axes expects


# --- two factors offered to every staff account --------------------------------------------


@pytest.mark.parametrize(
    "role", ["clerk", "head", "reviewer", "office_admin", "auditor"]
)
def test_every_staff_account_can_set_up_an_authenticator(client, role):
    department = factories.DepartmentFactory()
    if role in ("clerk", "head"):
        user = factories.clerk_of(department, "renyuan", role=role)
    else:
        user = factories.in_group(role, "renyuan")
    response = post_login(client, "renyuan")
    page = text(client.get(response["Location"]))
    assert "您的账号尚未启用双因素认证" in page  # offered at login
    security = text(client.get("/accounts/security/"))
    assert "启用双因素认证" in security
    device = setup_authenticator(client, next_url="/accounts/security/")
    assert device.user == user
    assert "已启用" in text(client.get("/accounts/security/"))
    # With it on, the login no longer offers it: it asks for the code.
    client.post("/accounts/logout/")
    response = post_login(client, "renyuan")
    assert response["Location"].startswith("/accounts/two-factor/")


def test_department_heads_must_use_two_factors(client, required):
    """A head signs items off: an approval, as a reviewer's."""
    factories.head_of(factories.DepartmentFactory(), "fuzeren")
    response = post_login(client, "fuzeren")
    assert response["Location"].startswith("/accounts/two-factor/setup/")
    assert client.get("/workspace/")["Location"].startswith(
        "/accounts/two-factor/setup/"
    )
