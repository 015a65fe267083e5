"""What the staff pages of this package share: who may open them and the
workspace navigation (the same flags as the workspace's own pages)."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from disclosure import permissions

from .. import rules


def staff_page(allowed, message):
    """Anonymous visitors go to the login page; signed-in users for whom
    ``allowed(user)`` is false get 403 with ``message``."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not allowed(request.user):
                return render_staff(
                    request,
                    "disclosure/workspace/forbidden.html",
                    {"message": message},
                    status=403,
                )
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


consultation_staff = staff_page(
    rules.can_use_consultations,
    _("意见征集页面仅供信息员和政务公开办公室工作人员使用。"),
)
office_staff = staff_page(
    rules.is_office, _("只有政务公开办公室工作人员可以打开这个页面。")
)
reviewers = staff_page(
    lambda user: permissions.roles(user).is_reviewer,
    _("只有审核员可以打开这个页面。"),
)


def render_staff(request, template, context, *, nav="", status=200):
    user = request.user
    user_roles = permissions.roles(user)
    flags = {
        "nav_can_create": permissions.can_create(user),
        "nav_can_review": user_roles.is_reviewer or bool(user_roles.head_of),
        "nav_can_export": permissions.can_export_audit(user),
        "nav_can_oversee": user_roles.is_office_staff,
        "nav_can_consult": rules.can_use_consultations(user),
    }
    return render(request, template, {**flags, "nav": nav, **context}, status=status)
