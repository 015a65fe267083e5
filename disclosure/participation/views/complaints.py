"""The public complaint form (条例第四十七条) and the page where a complainant
follows theirs (a secret link, shown once and mailed if they gave an address)."""

from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from disclosure.models import Complaint
from disclosure.workflow import WorkflowError
from portal import ratelimit

from ..complaints import file_complaint
from ..forms import ComplaintForm
from ..http import cache_headers, no_store

LIMIT, WINDOW = 5, 3600


@require_http_methods(["GET", "POST"])
@cache_headers
def complaint_form(request):
    if request.method == "POST":
        refused = ratelimit.limit_for("complaint", request, limit=LIMIT, window=WINDOW)
        if refused is not None:
            return refused
        form = ComplaintForm(request.POST)
        if form.is_spam:
            return render(request, "disclosure/participation/complaint_spam.html")
        if form.is_valid():
            try:
                complaint = file_complaint(data=form.cleaned_data)
            except WorkflowError as error:
                form.add_error(None, error.message)
            else:
                return redirect(complaint.get_status_url() + "?new=1")
    else:
        form = ComplaintForm()
    return render(
        request,
        "disclosure/participation/complaint_form.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@require_GET
@no_store
def complaint_status(request, key):
    complaint = (
        Complaint.objects.select_related("department").filter(access_key=key).first()
    )
    if complaint is None:
        raise Http404
    response = render(
        request,
        "disclosure/participation/complaint_status.html",
        {"complaint": complaint, "new": request.GET.get("new") == "1"},
    )
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response
