from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisclosureConfig(AppConfig):
    name = "disclosure"
    verbose_name = _("信息发布")

    def ready(self):
        # Page-cache invalidation signals: connected in every process that
        # publishes (web, management commands), not only where URLs load.
        from .oversight import models  # noqa: F401
        from .public import cache  # noqa: F401
