"""What the request pages share: private responses, letter downloads and the
staff pages' frame."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from disclosure import permissions
from disclosure import request_permissions as perms

from .. import letters


def private(response):
    """Nothing of an applicant may be cached or indexed."""
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def letter_response(request, letter, fmt: str):
    """The letter as a download, or a page saying why the PDF is missing."""
    if fmt == "pdf":
        try:
            data = letters.build_pdf(letter.content)
        except letters.FontMissing:
            return private(
                render(
                    request,
                    "disclosure/requests/letter_unavailable.html",
                    {"letter": letter},
                    status=503,
                )
            )
        content_type = "application/pdf"
    else:
        data = letters.build_docx(letter.content)
        content_type = (
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        )
    response = HttpResponse(data, content_type=content_type)
    name = f"{letter.request.number}-{letter.get_kind_display()}.{fmt}"
    response["Content-Disposition"] = content_disposition_header(True, name)
    return private(response)


def _forbidden(request, message=""):
    return render(
        request,
        "disclosure/workspace/forbidden.html",
        {
            "message": message
            or _("只有承办人和政务公开办公室可以查看政府信息公开申请。")
        },
        status=403,
    )


def register_required(view):
    """Signed-in clerks and office staff; others are sent to the login page
    or refused."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not perms.can_use_register(request.user):
            return _forbidden(request)
        return private(view(request, *args, **kwargs))

    return wrapper


def render_staff(request, template, context, *, status=200):
    """A page in the workspace frame (its navigation flags as the workspace
    computes them, from the same predicates)."""
    user = request.user
    user_roles = permissions.roles(user)
    context = {
        "nav_can_create": permissions.can_create(user),
        "nav_can_review": user_roles.is_reviewer or bool(user_roles.head_of),
        "nav_can_export": permissions.can_export_audit(user),
        "nav_can_oversee": user_roles.is_office_staff,
        "nav_can_requests": perms.can_use_register(user),
        "can_register": perms.can_register(user),
        "can_see_tables": perms.can_see_tables(user),
        "can_keep_appeals": perms.can_keep_appeals(user),
        "nav": "requests",
        **context,
    }
    return render(request, template, context, status=status)
