"""A per-account limit on wrong passwords that does not depend on the client's
address, and that slows an attacker down without locking the holder out.

django-axes locks one username from one address after a few failures; an
attacker with many addresses is not stopped by it. Here every failure for a
username counts, from wherever it comes. After
``PORTAL_ACCOUNT_FAILURE_LIMIT`` failures (within a day), each further
attempt must wait: ``PORTAL_ACCOUNT_DELAY_SECONDS`` after the first, then
twice as long after each new failure, up to ``PORTAL_ACCOUNT_MAX_DELAY_SECONDS``.
An attempt during the wait is refused without the password being checked,
with a page that says when to try again.

The holder is not locked out by someone else's guessing: a browser in which
the account has signed in before carries a signed cookie (a "device cookie",
as OWASP recommends, path ``/accounts/login/``), and attempts from it are not
slowed down (axes still limits them per address). The holder is told by
e-mail when the slowing down starts.

The counts live in Django's cache: with Redis (production) every server
process shares them.
"""

import hashlib
import math
import time
import unicodedata
from datetime import UTC, datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver
from django.urls import reverse

from ..ratelimit import client_ip
from . import notify

DEVICE_COOKIE = "portal_device"
DEVICE_SALT = "portal.accounts.throttle.device"
#: Accounts remembered in one browser's device cookie (a shared office PC).
DEVICE_ACCOUNTS = 5
WINDOW_SECONDS = 24 * 3600


def _key(username: str) -> str:
    normal = unicodedata.normalize("NFKC", username or "").casefold()
    return hashlib.sha256(normal.encode()).hexdigest()[:32]


def _count_key(username: str) -> str:
    return f"login-throttle:count:{_key(username)}"


def _until_key(username: str) -> str:
    return f"login-throttle:until:{_key(username)}"


def retry_at(username: str) -> float | None:
    """When the next attempt for ``username`` is allowed (epoch seconds), or
    None if it is allowed now."""
    until = cache.get(_until_key(username))
    if until is not None and until > time.time():
        return until
    return None


def delay_after(failures: int) -> int:
    """Seconds to wait after the ``failures``-th failure (0: none)."""
    limit = settings.PORTAL_ACCOUNT_FAILURE_LIMIT
    if failures < limit:
        return 0
    delay = settings.PORTAL_ACCOUNT_DELAY_SECONDS * 2 ** min(failures - limit, 20)
    return min(delay, settings.PORTAL_ACCOUNT_MAX_DELAY_SECONDS)


def record_failure(request, username: str) -> None:
    key = _count_key(username)
    cache.add(key, 0, timeout=WINDOW_SECONDS)
    try:
        failures = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, timeout=WINDOW_SECONDS)
        failures = 1
    delay = delay_after(failures)
    if not delay:
        return
    until = time.time() + delay
    cache.set(_until_key(username), until, timeout=delay)
    if failures == settings.PORTAL_ACCOUNT_FAILURE_LIMIT:
        user = (
            get_user_model()
            .objects.filter(username=username, is_active=True)
            .exclude(email="")
            .first()
        )
        if user is not None:
            notify.login_failures(
                user,
                failures=failures,
                address=client_ip(request),
                retry_at=datetime.fromtimestamp(until, tz=UTC),
            )


def clear(username: str) -> None:
    cache.delete_many([_count_key(username), _until_key(username)])


# --- the device cookie -----------------------------------------------------------------


def _device_accounts(request) -> list[str]:
    value = request.COOKIES.get(DEVICE_COOKIE)
    if not value:
        return []
    try:
        accounts = signing.loads(
            value,
            salt=DEVICE_SALT,
            max_age=settings.PORTAL_TRUSTED_DEVICE_DAYS * 24 * 3600,
        )
    except signing.BadSignature:
        return []
    return accounts if isinstance(accounts, list) else []


def trusted_device(request, username: str) -> bool:
    return _key(username) in _device_accounts(request)


def remember_device(request, response, username: str) -> None:
    """After a successful login: this browser is the account's."""
    accounts = [key for key in _device_accounts(request) if key != _key(username)]
    accounts = [_key(username), *accounts][:DEVICE_ACCOUNTS]
    response.set_cookie(
        DEVICE_COOKIE,
        signing.dumps(accounts, salt=DEVICE_SALT),
        max_age=settings.PORTAL_TRUSTED_DEVICE_DAYS * 24 * 3600,
        path=reverse("login"),
        secure=settings.SESSION_COOKIE_SECURE or request.is_secure(),
        httponly=True,
        samesite="Lax",
    )


# --- in the authentication -------------------------------------------------------------


class AccountThrottleBackend:
    """Between django-axes and ``ModelBackend``: refuses an attempt for an
    account that must wait (unless it comes from the account's own browser),
    before the password is checked. Authenticates nobody itself."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if request is None or not username:
            return None
        if trusted_device(request, username):
            return None
        until = retry_at(username)
        if until is not None:
            request.portal_login_retry_at = until
            raise PermissionDenied
        request.portal_login_counted = True
        return None

    # No get_user(): never the backend a session is signed in with.


def retry_minutes(until: float) -> int:
    return max(1, math.ceil((until - time.time()) / 60))


@receiver(user_login_failed, dispatch_uid="portal_login_throttle_failed")
def _failed(sender, credentials, request=None, **kwargs):
    if request is None or not getattr(request, "portal_login_counted", False):
        return  # refused before the password was checked: not a guess
    username = credentials.get(get_user_model().USERNAME_FIELD)
    if username:
        record_failure(request, username)


@receiver(user_logged_in, dispatch_uid="portal_login_throttle_success")
def _succeeded(sender, request, user, **kwargs):
    if request is not None and getattr(request, "portal_login_counted", False):
        # Past the throttle with the right password: the failures were most
        # likely the holder's own.
        clear(user.get_username())
