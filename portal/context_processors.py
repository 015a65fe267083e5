from django.conf import settings
from django.utils.translation import gettext as _

from disclosure.identity import identity


def site(request):
    """The site's name and identity (``SiteSettings``, set by the office in
    the admin) for every page: header, footer and the login page.

    Named ``portal_site…``: Django's own views put ``site`` and ``site_name``
    in their context (the login view: the request's host name), which would
    otherwise replace these and show the server's address."""
    found = identity()
    entered = found.site_name or settings.PORTAL_SITE_NAME
    return {
        "portal_site_name": entered or _("政府信息公开专栏"),
        # An entered name is data in Chinese: marked lang="zh-Hans" on
        # English pages (WCAG 3.1.2); the default name is translated.
        "portal_site_name_lang": "zh-Hans" if entered else "",
        "portal_site": found,
    }
