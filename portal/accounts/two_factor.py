"""The second factor (TOTP, django-otp): who must use one, the code page,
setting up an authenticator, and the account page where every staff user may
turn one on.

Who has a confirmed authenticator gives its 6-digit code after the password
(``otp_login``); who has none but must have one (``two_factor_required``) sets
it up first (``otp_setup``). Until then ``portal.middleware.TwoFactorMiddleware``
keeps them out of the workspace and the admin.
"""

import base64
import logging
import math
import re
import unicodedata

import django_otp
import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from disclosure import permissions

from ..ratelimit import rate_limited

security_log = logging.getLogger("portal.security")

# --- who needs a second factor --------------------------------------------------------


def two_factor_required(user) -> bool:
    """Whoever approves or administers must use two factors, when the portal
    asks for it (``PORTAL_2FA_REQUIRED``): reviewers, office and
    system/security/audit administrators, department heads (who sign items
    off), admin users and superusers. Every other account may."""
    if not settings.PORTAL_2FA_REQUIRED or not user.is_authenticated:
        return False
    if user.is_superuser or user.is_staff:
        return True
    # The roles as the workspace reads them (cached on the user per request).
    user_roles = permissions.roles(user)
    if settings.PORTAL_2FA_REQUIRED_FOR_HEADS and user_roles.head_of:
        return True
    return bool(user_roles.groups & set(settings.PORTAL_2FA_REQUIRED_GROUPS))


def confirmed_device(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


#: Session key: this session's user had no authenticator when last looked.
NO_DEVICE_SESSION_KEY = "portal_2fa_no_device"


def second_factor_gate(request) -> str | None:
    """For ``TwoFactorMiddleware``: where a signed-in, unverified user must go
    before a staff page, or ``None``. That the user has no authenticator is
    remembered in the session (a device is only ever added by verifying it in
    a session), so that a clerk's pages do not each ask the database."""
    user = request.user
    next_url = request.get_full_path()
    if two_factor_required(user):
        return second_factor_url(user, next_url)
    if request.session.get(NO_DEVICE_SESSION_KEY) == user.pk:
        return None
    step = second_factor_url(user, next_url)
    if step is None:
        request.session[NO_DEVICE_SESSION_KEY] = user.pk
    return step


def second_factor_url(user, next_url: str) -> str | None:
    """Where a user who has given the password, not yet the code, goes next:
    the code page if they have an authenticator, its setup if they need one,
    else nowhere (``None``)."""
    if confirmed_device(user) is not None:
        name = "otp_login"
    elif two_factor_required(user):
        name = "otp_setup"
    else:
        return None
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


def _next_url(request, default=None) -> str:
    """Where to go on: a path on this site, else ``default``."""
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if (
        next_url.startswith("/")
        and next_url.isprintable()
        and url_has_allowed_host_and_scheme(
            next_url,
            allowed_hosts={request.get_host()},
            require_https=request.is_secure(),
        )
    ):
        return next_url
    return default or settings.LOGIN_REDIRECT_URL


def _verified(request, device) -> None:
    """Mark the session as verified by ``device``, under a new session key."""
    django_otp.login(request, device)
    request.session.cycle_key()
    security_log.info("two-factor verification for user %s", request.user.pk)


# --- views ------------------------------------------------------------------------


class TokenForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("验证码"),
        max_length=32,
        help_text=gettext_lazy("手机上的身份验证器当前显示的6位数字。"),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autofocus": True,
                "size": 8,
            }
        ),
    )

    def clean_token(self):
        token = unicodedata.normalize("NFKC", self.cleaned_data["token"])
        token = re.sub(r"[\s-]+", "", token)
        if not re.fullmatch(r"[0-9]{6}", token):
            raise ValidationError(_("请输入6位数字验证码。"))
        return token


def _throttled_message(device) -> str:
    allowed, details = device.verify_is_allowed()
    if allowed:
        return ""
    locked_until = (details or {}).get("locked_until")
    if locked_until is not None:
        seconds = max(1, math.ceil((locked_until - timezone.now()).total_seconds()))
        return _("验证码错误次数过多，请 %(seconds)d 秒后再试。") % {"seconds": seconds}
    return _("验证码错误次数过多，请稍后再试。")


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@rate_limited("otp-login")
def otp_login(request):
    """The second step: the code from the user's authenticator."""
    user = request.user
    next_url = _next_url(request)
    if user.is_verified():
        return HttpResponseRedirect(next_url)
    device = confirmed_device(user)
    if device is None:
        return HttpResponseRedirect(second_factor_url(user, next_url) or next_url)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        throttled = _throttled_message(device)
        if throttled:
            form.add_error("token", throttled)
        elif django_otp.verify_token(
            user, device.persistent_id, form.cleaned_data["token"]
        ):
            _verified(request, device)
            return HttpResponseRedirect(next_url)
        else:
            security_log.warning("wrong one-time code for user %s", user.pk)
            form.add_error(
                "token", _("验证码不正确或已过期，请输入身份验证器当前显示的验证码。")
            )
    return render(
        request, "registration/otp_login.html", {"form": form, "next": next_url}
    )


def qr_data_uri(text: str) -> str:
    """``text`` as a QR code, an SVG image in a ``data:`` URI (the CSP allows
    images from ``data:``; the SVG carries no style attribute)."""
    image = qrcode.make(
        text,
        image_factory=qrcode.image.svg.SvgPathFillImage,
        box_size=10,
        border=2,
    )
    svg = image.to_string(encoding="unicode")
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def grouped_secret(device) -> str:
    secret = base64.b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@rate_limited("otp-setup")
def otp_setup(request):
    """Set up an authenticator: scan the QR code (or type the key), then
    confirm with a code."""
    user = request.user
    next_url = _next_url(request, default=reverse("account_security"))
    if confirmed_device(user) is not None:
        if user.is_verified():
            messages.info(request, _("您已启用双因素认证。"))
            return redirect("account_security")
        return HttpResponseRedirect(second_factor_url(user, next_url))
    device = (
        TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    )
    if device is None:
        device = TOTPDevice.objects.create(
            user=user, name=_("身份验证器"), confirmed=False
        )
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        throttled = _throttled_message(device)
        if throttled:
            form.add_error("token", throttled)
        elif device.verify_token(form.cleaned_data["token"]):
            with transaction.atomic():
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                TOTPDevice.objects.filter(user=user, confirmed=False).delete()
            _verified(request, device)
            security_log.info("two-factor authenticator set up by user %s", user.pk)
            messages.success(
                request,
                _("双因素认证已启用。以后登录时，请输入身份验证器显示的验证码。"),
            )
            return HttpResponseRedirect(next_url)
        else:
            form.add_error(
                "token", _("验证码不正确。请确认手机时间准确，并输入当前显示的验证码。")
            )
    return render(
        request,
        "accounts/otp_setup.html",
        {
            "form": form,
            "next": next_url,
            "required": two_factor_required(user),
            "qr_code": qr_data_uri(device.config_url),
            "secret": grouped_secret(device),
        },
    )


@never_cache
@login_required
@require_GET
def account_security(request):
    """The account page: two-factor status, password change."""
    user = request.user
    device = confirmed_device(user)
    required = two_factor_required(user)
    return render(
        request,
        "accounts/security.html",
        {
            "device": device,
            "required": required,
            "can_disable": device is not None and not required,
        },
    )


@login_required
@require_POST
def otp_disable(request):
    """Turn off a voluntary second factor (who must have one cannot)."""
    user = request.user
    if two_factor_required(user):
        messages.error(request, _("您的角色必须使用双因素认证，不能停用。"))
        return redirect("account_security")
    TOTPDevice.objects.filter(user=user).delete()
    request.session.pop(django_otp.DEVICE_ID_SESSION_KEY, None)
    security_log.info("two-factor authenticator removed by user %s", user.pk)
    messages.success(request, _("已停用双因素认证。"))
    return redirect("account_security")
