from django.conf import settings
from django.utils.translation import gettext as _

from disclosure.identity import identity


def site(request):
    """The site's name and identity (``SiteSettings``, set by the office in
    the admin) for every page: header, footer and the login page."""
    found = identity()
    return {
        "site_name": found.site_name
        or settings.PORTAL_SITE_NAME
        or _("政府信息公开专栏"),
        "site": found,
    }
