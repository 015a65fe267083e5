from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisclosureConfig(AppConfig):
    name = "disclosure"
    verbose_name = _("信息发布")

    def ready(self):
        # The publication generation's signal receivers (what invalidates the
        # page cache and the catalog snapshot): connected in every process
        # that publishes (web, management commands), not only where URLs load.
        from . import publication  # noqa: F401

        # Django imports only disclosure.models; the packages' own models
        # (app label "disclosure", tables unchanged) are registered here. The
        # core never imports a package, so disclosure.models cannot.
        from .oversight import models  # noqa: F401
