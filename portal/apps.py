from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("账号与权限")

    def ready(self):
        # The account trail and the last guard of the separation of duties
        # (model signals), the deployment checks, the login throttle.
        from . import checks  # noqa: F401
        from .accounts import receivers, throttle  # noqa: F401
