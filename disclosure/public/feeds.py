"""Atom and RSS feeds of published items: all items, per department, per topic,
per catalog entry, and any search or filter of /items/ (the same query
string). Withdrawn, removed and not-yet-published items are never in a feed.
"""

from dataclasses import dataclass

from django.contrib.syndication.views import Feed
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from catalog.models import CatalogEntry, Department, TopicCategory

from . import results, selectors
from .cache import public_page
from .filters import RecordFilter

FEED_LENGTH = 50


@dataclass
class FeedSource:
    filterset: RecordFilter
    scope: str
    query_string: str
    path: str


class RecordFeed(Feed):
    """Each entry's id is its permanent page URL (the default guid: the link)."""

    feed_type = Rss201rev2Feed
    item_guid_is_permalink = True

    def get_object(self, request, scope=None, key=None):
        params = QueryDict(mutable=True)
        params.update(request.GET)
        label = ""
        if scope == "department":
            department = get_object_or_404(Department, code=key)
            params["department"], label = department.code, department.name
        elif scope == "topic":
            topic = get_object_or_404(
                TopicCategory.objects.select_related("parent"), code=key
            )
            params["topic"], label = topic.code, str(topic)
        elif scope == "entry":
            if not key.isdigit():
                raise Http404
            entry = get_object_or_404(CatalogEntry, pk=key)
            params["entry"], label = str(entry.pk), str(entry)
        filterset = RecordFilter(
            params or None, queryset=selectors.listing_records(), request=request
        )
        if not label:
            label = "，".join(
                f"{item['label']}：{item['value']}"
                for item in filterset.active_filters()
            )
        return FeedSource(
            filterset, label, filterset.params.urlencode(), request.get_full_path()
        )

    def title(self, obj):
        name = _("政府信息公开")
        return f"{name} · {obj.scope}" if obj.scope else name

    def subtitle(self, obj):
        return _("最新公开的政府信息")

    def description(self, obj):
        return self.subtitle(obj)

    def link(self, obj):
        url = reverse("disclosure:items")
        return f"{url}?{obj.query_string}" if obj.query_string else url

    def feed_url(self, obj):
        return obj.path

    def items(self, obj):
        filterset = obj.filterset
        ranked = results.ranked(
            selectors.with_body(filterset.qs), filterset.search_query
        )
        return list(ranked[:FEED_LENGTH])

    def item_title(self, record):
        return record.title

    def item_description(self, record):
        header = format_html(
            "<p>{}：{}　{}：{}{}</p>",
            _("发布机构"),
            record.department.name,
            _("索引号"),
            record.index_number,
            format_html("　{}：{}", _("发文字号"), record.doc_number)
            if record.doc_number
            else "",
        )
        # The body is stored sanitised (disclosure.sanitize); the feed
        # writer escapes the whole description as XML text.
        return header + mark_safe(record.body)  # noqa: S308

    def item_link(self, record):
        return record.get_absolute_url()

    def item_pubdate(self, record):
        return record.published_at

    def item_updateddate(self, record):
        return record.updated_at

    def item_author_name(self, record):
        return record.department.name

    def item_categories(self, record):
        return [record.topic.name] + (
            [record.document_type.name] if record.document_type else []
        )


class AtomRecordFeed(RecordFeed):
    feed_type = Atom1Feed


rss_feed = public_page(RecordFeed())
atom_feed = public_page(AtomRecordFeed())
