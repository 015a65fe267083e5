"""The password step of the login, and what answers a refused one.

1. ``LoginView``: username and password. django-axes locks one username from
   one address after ``PORTAL_LOGIN_FAILURE_LIMIT`` failures
   (``lockout_response``); ``portal.accounts.throttle`` slows down guessing at
   one account from any number of addresses.
2. Then on to the second factor where one is due (``two_factor``).

The admin has no login page of its own: ``/admin/login/`` sends to this one,
so that every login goes through the same limits and the second factor.
"""

import math
import time
from datetime import UTC, datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from ..views import safe_next
from . import throttle
from .two_factor import NO_DEVICE_SESSION_KEY, second_factor_url


class LoginView(auth_views.LoginView):
    """The password step; then on to the second factor where one is due."""

    def form_valid(self, form):
        user = form.get_user()
        auth_login(self.request, user)
        self.request.session.pop(NO_DEVICE_SESSION_KEY, None)  # look again
        next_url = self.get_success_url()
        step = second_factor_url(user, next_url)
        if step is None:
            # Offered to every account at each login until it is on.
            messages.info(
                self.request,
                _(
                    "您的账号尚未启用双因素认证。建议在页面底部的“账户安全”中启用："
                    "即使密码泄露，他人也无法登录。"
                ),
            )
        response = HttpResponseRedirect(step or next_url)
        throttle.remember_device(self.request, response, user.get_username())
        return response

    def form_invalid(self, form):
        until = getattr(self.request, "portal_login_retry_at", None)
        if until is None:
            return super().form_invalid(form)
        # Refused before the password was checked: say when to try again.
        fresh = self.get_form_class()(
            self.request, initial={"username": form.data.get("username", "")}
        )
        moment = timezone.localtime(datetime.fromtimestamp(until, tz=UTC))
        response = self.render_to_response(
            self.get_context_data(
                form=fresh,
                throttle_message=_(
                    "该账号近期登录失败次数过多。为保护账号，暂停接受新的登录尝试，"
                    "请于 %(time)s 以后再试（约 %(minutes)d 分钟后）。"
                    "在您曾经成功登录过的浏览器上不受此限制。"
                )
                % {
                    "time": moment.strftime("%H:%M"),
                    "minutes": throttle.retry_minutes(until),
                },
            ),
            status=429,
        )
        response["Retry-After"] = str(max(1, math.ceil(until - time.time())))
        return response


def admin_login(request):
    """The admin's login: this portal's login page, then back to the admin."""
    next_url = safe_next(request)
    if next_url == "/":
        next_url = reverse("admin:index")
    return HttpResponseRedirect(f"{reverse('login')}?{urlencode({'next': next_url})}")


def lockout_response(request, original_response=None, credentials=None):
    """django-axes' lockout page: in the site's style, saying when to retry."""
    minutes = math.ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60)
    response = render(
        request,
        "registration/locked_out.html",
        {"minutes": minutes, "failure_limit": settings.AXES_FAILURE_LIMIT},
        status=429,
    )
    response["Cache-Control"] = "no-store"
    return response
