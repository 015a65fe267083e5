"""Each department's own column (/departments/<code>/): what a bureau's
政府信息公开 column shows on its own site, built from the portal's data."""

from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from catalog.models import Department

from .. import selectors
from ..http import cache_headers


@require_GET
@cache_headers
def department_column(request, code):
    department = get_object_or_404(
        Department.objects.select_related("parent"), code=code, is_active=True
    )
    return render(
        request,
        "disclosure/participation/department.html",
        {
            "department": department,
            **selectors.department_column(department, now=timezone.now()),
        },
    )
