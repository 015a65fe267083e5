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
        from .oversight import assessment_models, models  # noqa: F401

        # Tables 三 and 四 and the 信息处理费 of each organ's annual report come
        # from the register of requests (Art. 50; 国办公开办函〔2021〕30号).
        from .oversight.annual import sources

        # The PDF letters' font (a warning from manage.py check when missing).
        from .requests import checks  # noqa: F401

        sources.register(_register_figures)


def _register_figures(organ, year):
    from .oversight.annual.sources import RequestFigures
    from .request_tables import organ_tables

    tables = organ_tables(organ, year)
    return RequestFigures(
        table3=tables.table3, table4=tables.table4, fees_charged=tables.fees
    )
