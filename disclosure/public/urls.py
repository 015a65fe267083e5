"""Public URLs of the disclosure column. They are cited in official letters and
subscribed to: never change them."""

from django.contrib.sitemaps import views as sitemap_views
from django.urls import path, re_path

from portal import converters  # noqa: F401 - registers the "id" converter

from . import api, cache, feeds, views
from .sitemaps import SITEMAPS

app_name = "disclosure"


def _page(template_name):
    return views.StaticPageView.as_view(template_name=template_name)


urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("items/", views.RecordListView.as_view(), name="items"),
    path("items/summary/", views.RecordSummaryView.as_view(), name="items-summary"),
    path("items.csv", api.items_csv, name="items-csv"),
    path("items/on-request/", views.OnRequestListView.as_view(), name="on-request"),
    path("items/<id:pk>/", views.RecordDetailView.as_view(), name="item"),
    path("items/<id:pk>/print/", views.RecordPrintView.as_view(), name="item-print"),
    path(
        "items/<id:pk>/files/<str:token>/",
        views.attachment_download,
        name="attachment",
    ),
    path("system/", _page("disclosure/public/system.html"), name="system"),
    # Feeds: the same query string as /items/ filters and searches them.
    path("feeds/items.rss", feeds.rss_feed, name="feed-rss"),
    path("feeds/items.atom", feeds.atom_feed, name="feed-atom"),
    re_path(
        r"^feeds/(?P<scope>department|topic|entry)/(?P<key>[-\w]+)\.rss$",
        feeds.rss_feed,
        name="scoped-feed-rss",
    ),
    re_path(
        r"^feeds/(?P<scope>department|topic|entry)/(?P<key>[-\w]+)\.atom$",
        feeds.atom_feed,
        name="scoped-feed-atom",
    ),
    # Open data.
    path("api/", _page("disclosure/public/api_docs.html"), name="api-docs"),
    path("api/v1/items", api.items, name="api-items"),
    path("api/v1/items/<id:pk>", api.item, name="api-item"),
    # For search engines.
    path(
        "sitemap.xml",
        cache.public_page(sitemap_views.index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "disclosure:sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        cache.public_page(sitemap_views.sitemap, params=("p",)),
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
    path("robots.txt", views.RobotsView.as_view(), name="robots"),
    path("display/text-size/", views.text_size, name="text-size"),
    path("display/contrast/", views.contrast, name="contrast"),
]
