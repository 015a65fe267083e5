"""sitemap.xml: published items, catalog entries and the static pages."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from catalog.models import CatalogEntry

from . import selectors


class RecordSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.6
    limit = 10_000

    def items(self):
        return selectors.sitemap_records()

    def lastmod(self, record):
        return record.updated_at

    def get_latest_lastmod(self):
        # One aggregate, not a walk over every item (the default).
        return selectors.visible_records().aggregate(latest=Max("updated_at"))["latest"]


class CatalogEntrySitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.5

    def items(self):
        return (
            CatalogEntry.objects.filter(is_active=True)
            .only("pk", "updated_at")
            .order_by("pk")
        )

    def lastmod(self, entry):
        return entry.updated_at

    def get_latest_lastmod(self):
        return CatalogEntry.objects.filter(is_active=True).aggregate(
            latest=Max("updated_at")
        )["latest"]


class StaticPageSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return [
            "disclosure:home",
            "catalog:guide",
            "disclosure:system",
            "catalog:index",
            "disclosure:items",
            "annual_reports:list",
            "disclosure:api-docs",
        ]

    def location(self, name):
        return reverse(name)


SITEMAPS = {
    "pages": StaticPageSitemap,
    "catalog": CatalogEntrySitemap,
    "items": RecordSitemap,
}
