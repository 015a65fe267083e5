"""The baseline of the benchmark: the least a Django view can do in this
project (the whole middleware stack runs; no database, no template)."""

from django.http import HttpResponse
from django.views.decorators.http import require_GET


@require_GET
def baseline(request):
    return HttpResponse(b"ok", content_type="text/plain")
