from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from . import selectors, workdays
from .forms import DeadlineForm


@require_GET
def catalog_index(request):
    return render(
        request, "catalog/catalog_index.html", {"tree": selectors.active_catalog_tree()}
    )


@require_GET
def entry_detail(request, pk):
    entry = get_object_or_404(
        selectors.catalog_entries().filter(is_active=True).prefetch_related("elements"),
        pk=pk,
    )
    return render(request, "catalog/entry_detail.html", {"entry": entry})


@require_GET
def guide(request):
    return render(
        request,
        "catalog/guide.html",
        {
            "departments": selectors.guide_departments(),
            "tree": selectors.active_catalog_tree(),
        },
    )


def _deadline(form: DeadlineForm) -> workdays.Deadline:
    return workdays.add_working_days(
        form.cleaned_data["start"],
        form.cleaned_data["working_days"],
        selectors.work_calendar(),
    )


@require_GET
def deadline_tool(request):
    deadline = None
    if request.GET:
        form = DeadlineForm(request.GET)
        if form.is_valid():
            deadline = _deadline(form)
    else:
        form = DeadlineForm()
    return render(
        request, "catalog/deadline.html", {"form": form, "deadline": deadline}
    )


@require_GET
def deadline_api(request):
    form = DeadlineForm(request.GET)
    if not form.is_valid():
        return JsonResponse(
            {
                "error": "invalid parameters",
                "fields": {
                    name: [str(message) for message in messages]
                    for name, messages in form.errors.items()
                },
            },
            status=400,
            json_dumps_params={"ensure_ascii": False},
        )
    return JsonResponse(
        _deadline(form).as_dict(), json_dumps_params={"ensure_ascii": False}
    )
