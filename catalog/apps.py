from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "catalog"
    verbose_name = _("公开目录")

    def ready(self):
        from . import element_models, signals  # noqa: F401
