"""What every workspace page shares: who may open it, the navigation flags,
rendering with them, and the names of the review stages."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render
from django.utils.translation import gettext as _

from disclosure import permissions
from disclosure.permissions import STAGE_LABELS

# --- access -------------------------------------------------------------------


def _forbidden(request, message=""):
    return render(
        request,
        "disclosure/workspace/forbidden.html",
        {
            "message": message
            or _("工作台仅供信息员、部门负责人和政务公开办公室工作人员使用。")
        },
        status=403,
    )


def workspace_required(view):
    """Anonymous users are sent to the login page; signed-in users who are
    not staff members (permissions.can_use_workspace) get 403."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not permissions.can_use_workspace(request.user):
            return _forbidden(request)
        return view(request, *args, **kwargs)

    return wrapper


def nav_context(user) -> dict:
    """Flags for the workspace navigation."""
    user_roles = permissions.roles(user)
    return {
        "nav_can_create": permissions.can_create(user),
        "nav_can_review": user_roles.is_reviewer or bool(user_roles.head_of),
        "nav_can_export": permissions.can_export_audit(user),
        "nav_can_oversee": user_roles.is_office_staff,
        # Consultations (disclosure/participation/): clerks and the office.
        "nav_can_consult": bool(user_roles.clerk_of) or user_roles.is_office_staff,
    }


def render_workspace(request, template, context, *, nav="", status=200):
    context = {**nav_context(request.user), "nav": nav, **context}
    return render(request, template, context, status=status)


def stage_label(stage: str) -> str:
    return _(STAGE_LABELS[stage]) if stage in STAGE_LABELS else stage
