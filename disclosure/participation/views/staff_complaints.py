"""Staff pages of complaints (/workspace/complaints/): the register and one
complaint, with the steps accept and conclude."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from disclosure.models import Complaint
from disclosure.workflow import WorkflowError

from .. import selectors
from ..complaints import accept_complaint, conclude_complaint
from ..staff_forms import AcceptComplaintForm, ConcludeComplaintForm
from .staff_base import office_staff, render_staff


@require_GET
@office_staff
def complaint_list(request):
    state = request.GET.get("state", "")
    if state not in Complaint.State.values:
        state = ""
    return render_staff(
        request,
        "disclosure/participation/staff/complaint_list.html",
        {
            "complaints": list(selectors.staff_complaints(state)),
            "state": state,
            "states": Complaint.State.choices,
        },
        nav="complaints",
    )


def _render(request, complaint, status=200, **forms):
    return render_staff(
        request,
        "disclosure/participation/staff/complaint_detail.html",
        {
            "complaint": complaint,
            "trail": list(complaint.trail.select_related("actor")),
            "accept_form": forms.get("accept_form") or AcceptComplaintForm(),
            "conclude_form": forms.get("conclude_form") or ConcludeComplaintForm(),
        },
        nav="complaints",
        status=status,
    )


def _complaint(pk) -> Complaint:
    return get_object_or_404(
        Complaint.objects.select_related("department", "handled_by"), pk=pk
    )


@require_GET
@office_staff
def complaint_detail(request, pk):
    return _render(request, _complaint(pk))


@require_POST
@office_staff
def accept(request, pk):
    complaint = _complaint(pk)
    form = AcceptComplaintForm(request.POST)
    form.is_valid()
    try:
        accept_complaint(
            complaint=complaint, by=request.user, note=form.cleaned_data.get("note", "")
        )
    except WorkflowError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已受理，请核查后录入办理结果。"))
    return redirect(complaint.get_staff_url())


@require_POST
@office_staff
def conclude(request, pk):
    complaint = _complaint(pk)
    form = ConcludeComplaintForm(request.POST)
    if form.is_valid():
        try:
            conclude_complaint(
                complaint=complaint,
                by=request.user,
                outcome=form.cleaned_data["outcome"],
                outcome_text=form.cleaned_data["outcome_text"],
            )
        except WorkflowError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("已办结，办理结果已记录。"))
            return redirect(complaint.get_staff_url())
    return _render(request, complaint, status=400, conclude_form=form)
