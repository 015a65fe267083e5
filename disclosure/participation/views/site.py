"""The site's emblem, as uploaded by the office (checked by content and
cleaned of metadata when uploaded: ``disclosure/site_emblem.py``).
Its address carries its hash, so browsers may keep it for a year."""

from django.http import FileResponse, Http404
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from disclosure.models import SiteSettings
from disclosure.site_emblem import CONTENT_TYPES


@require_GET
def emblem(request, digest, extension):
    row = SiteSettings.objects.filter(pk=1).first()
    if (
        row is None
        or not row.emblem
        or not row.emblem_sha256.startswith(digest)
        or row.emblem_extension != extension
    ):
        raise Http404
    try:
        handle = row.emblem.open("rb")
    except (FileNotFoundError, ValueError) as error:
        raise Http404 from error
    response = FileResponse(handle, content_type=CONTENT_TYPES[extension])
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, public=True, max_age=365 * 24 * 3600, immutable=True)
    return response
