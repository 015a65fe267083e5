"""Wrong passwords for one account from many addresses slow that account's
login down (not locked: the holder's own browser still signs in), and the
holder is told by e-mail."""

import datetime

import pytest
from django.core import mail

from portal.accounts import throttle
from tests import factories

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.PORTAL_RATE_LIMIT_POSTS = 1000


def attempt(client, username, password="wrong-password", address="10.0.0.1"):  # noqa: S107
    return client.post(
        LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address
    )


def addresses(count):
    return [f"10.{number // 250}.{number % 250}.7" for number in range(count)]


def test_guessing_from_many_addresses_slows_the_account_down(
    client, clock, django_capture_on_commit_callbacks
):
    """The issue: 64 wrong passwords for `head` from 16 addresses locked
    nothing (django-axes counts per address)."""
    head = factories.head_of(factories.DepartmentFactory(), "head")
    head.email = "head@example.gov.cn"
    head.save()
    spread = addresses(16)
    with django_capture_on_commit_callbacks(execute=True):
        for number in range(10):
            response = attempt(client, "head", address=spread[number % 16])
            assert response.status_code == 200, number
            assert "请输入一个正确的用户名和密码" in response.content.decode()

    # The tenth failure starts the slowing down: the next try, from yet
    # another address, is refused without the password being checked ...
    response = attempt(client, "head", factories.PASSWORD, address=spread[11])
    assert response.status_code == 429
    page = response.content.decode()
    assert "该账号近期登录失败次数过多" in page
    assert "约 1 分钟后" in page
    assert 0 < int(response["Retry-After"]) <= 60
    assert "_auth_user_id" not in client.session
    # ... and the holder has been told.
    assert len(mail.outbox) == 1
    notice = mail.outbox[0]
    assert notice.to == ["head@example.gov.cn"]
    assert notice.subject == "【政务公开门户】您的账号登录失败次数过多"
    assert "10 次登录因密码错误而失败" in notice.body.replace("\n", "")
    assert "账号没有被锁定" in notice.body

    # After the wait one more try; a failure doubles the wait.
    clock.shift(datetime.timedelta(seconds=61))
    assert attempt(client, "head", address=spread[12]).status_code == 200
    response = attempt(client, "head", address=spread[13])
    assert response.status_code == 429
    assert "约 2 分钟后" in response.content.decode()
    clock.shift(datetime.timedelta(seconds=121))
    assert attempt(client, "head", address=spread[14]).status_code == 200
    assert "约 4 分钟后" in attempt(client, "head").content.decode()
    assert len(mail.outbox) == 1  # told once

    # After the wait the right password signs in, and the count starts over.
    clock.shift(datetime.timedelta(minutes=5))
    response = attempt(client, "head", factories.PASSWORD, address=spread[15])
    assert response.status_code == 302
    assert throttle.retry_at("head") is None


def test_the_holder_is_not_locked_out_by_someone_elses_guessing(client):
    factories.UserFactory(username="wangxin")
    # The holder signed in from this browser before.
    assert attempt(client, "wangxin", factories.PASSWORD).status_code == 302
    assert throttle.DEVICE_COOKIE in client.cookies
    cookie = client.cookies[throttle.DEVICE_COOKIE]
    assert cookie["path"] == LOGIN
    assert cookie["httponly"]
    client.post("/accounts/logout/")

    attacker = type(client)()
    for address in addresses(12):
        attacker.post(
            LOGIN, {"username": "wangxin", "password": "x"}, REMOTE_ADDR=address
        )
    assert (
        attempt(attacker, "wangxin", factories.PASSWORD, "10.9.9.9").status_code == 429
    )

    # The holder's browser signs in all the same (from the usual address).
    assert attempt(client, "wangxin", factories.PASSWORD).status_code == 302


def test_a_device_cookie_is_for_its_own_account_only(client):
    factories.UserFactory(username="wangxin")
    factories.UserFactory(username="lixin")
    assert attempt(client, "wangxin", factories.PASSWORD).status_code == 302
    client.post("/accounts/logout/")
    for address in addresses(10):
        attempt(client, "lixin", address=address)
    assert attempt(client, "lixin", factories.PASSWORD, "10.9.9.9").status_code == 429


def test_a_forged_device_cookie_counts_for_nothing(client):
    factories.UserFactory(username="wangxin")
    client.cookies[throttle.DEVICE_COOKIE] = "forged"
    for address in addresses(10):
        attempt(client, "wangxin", address=address)
    assert attempt(client, "wangxin", factories.PASSWORD, "10.9.9.9").status_code == 429


def test_unknown_usernames_are_slowed_down_alike(client):
    """So that the answer does not tell which accounts exist."""
    for address in addresses(10):
        attempt(client, "nobody", address=address)
    response = attempt(client, "nobody", address="10.9.9.9")
    assert response.status_code == 429
    assert not mail.outbox


def test_the_limits_are_settings(settings):
    settings.PORTAL_ACCOUNT_FAILURE_LIMIT = 3
    settings.PORTAL_ACCOUNT_DELAY_SECONDS = 30
    settings.PORTAL_ACCOUNT_MAX_DELAY_SECONDS = 100
    assert [throttle.delay_after(n) for n in range(1, 8)] == [
        0,
        0,
        30,
        60,
        100,
        100,
        100,
    ]
