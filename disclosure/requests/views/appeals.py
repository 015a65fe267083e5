"""The register of 行政复议 and 行政诉讼 cases about disclosure (Art. 51),
kept by the disclosure office; it feeds table 四."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from disclosure import request_permissions as perms
from disclosure.models import AppealCase

from .. import selectors
from ..staff_forms import AppealForm
from .common import _forbidden, register_required, render_staff


@require_GET
@register_required
def appeal_list(request):
    if not perms.can_keep_appeals(request.user):
        return _forbidden(request)
    return render_staff(
        request,
        "disclosure/requests/staff/appeals.html",
        {"appeals": selectors.appeals()[:500]},
    )


@require_http_methods(["GET", "POST"])
@register_required
def appeal_edit(request, pk=None):
    if not perms.can_keep_appeals(request.user):
        return _forbidden(request)
    instance = get_object_or_404(AppealCase, pk=pk) if pk else None
    form = AppealForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        case = form.save(commit=False)
        case.request = form.cleaned_data["request_number"]
        if instance is None:
            case.created_by = request.user
        case.save()
        messages.success(
            request, _("已保存案件 %(number)s。") % {"number": case.case_number}
        )
        return redirect("requests_staff:appeals")
    return render_staff(
        request,
        "disclosure/requests/staff/appeal_form.html",
        {"form": form, "case": instance},
        status=400 if request.method == "POST" else 200,
    )
