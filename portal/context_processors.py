from django.conf import settings
from django.utils.translation import gettext as _


def site(request):
    return {"site_name": settings.PORTAL_SITE_NAME or _("政府信息公开专栏")}
