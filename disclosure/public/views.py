"""The public column (政府信息公开专栏): home, item list and search, item pages,
attachments and the static pages. Views are thin: visibility, ranking and
counts live in ``selectors``, ``results``, ``pagination`` and ``facets``, filters
in ``filters``, caching in ``cache``."""

import re
from urllib.parse import quote

from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.cache import get_conditional_response
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_GET
from django.views.generic import DetailView, ListView, TemplateView
from django_filters.views import FilterView

from disclosure.element_toc import element_toc
from disclosure.identity import identity
from disclosure.models import PublicRecord
from portal.views import safe_next, set_preference_cookie

from . import selectors
from .cache import CONTRAST_COOKIE, TEXT_SIZE_COOKIE, http_cached, public_page
from .continuation import CURSOR_PARAM, Cursor
from .facets import facet_counts
from .filters import FILTER_PARAMS, RecordFilter
from .pagination import CappedPaginator
from .results import ranked


@method_decorator(public_page, name="dispatch")
class HomeView(TemplateView):
    template_name = "home.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            latest=selectors.latest_records(10),
            areas=selectors.home_areas(),
            **kwargs,
        )


@method_decorator(public_page, name="dispatch")
class StaticPageView(TemplateView):
    """The system page, the annual reports placeholder and the API page."""


@method_decorator(
    public_page(params=(*FILTER_PARAMS, "page", CURSOR_PARAM)), name="dispatch"
)
class RecordListView(FilterView):
    """/items/: published items, newest first (or ranked for a search),
    filtered; invalid filter values are ignored and reported. Past the last
    numbered page, "more" pages by cursor (``continuation``); an invalid
    cursor shows the first page and says so."""

    filterset_class = RecordFilter
    strict = False
    paginate_by = 20
    paginator_class = CappedPaginator
    template_name = "disclosure/public/record_list.html"

    cursor_invalid = False

    def get_queryset(self):
        return selectors.listing_records()

    def get_paginator(self, queryset, per_page, **kwargs):
        # A search's page is not kept waiting for its count: that comes with
        # the facets (RecordSummaryView).
        counted = not self.filterset.search_query
        return super().get_paginator(queryset, per_page, counted=counted, **kwargs)

    def paginate_queryset(self, queryset, page_size):
        raw = self.request.GET.get(CURSOR_PARAM)
        if raw is None:
            return super().paginate_queryset(queryset, page_size)
        paginator = self.get_paginator(queryset, page_size)
        cursor = Cursor.parse(raw, tiers=paginator.tier_count)
        if cursor is None:
            self.cursor_invalid = True
            page = paginator.get_page(1)
        else:
            page = paginator.page_after(cursor)
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        filterset = self.filterset
        results = ranked(self.object_list, filterset.search_query)
        kwargs["object_list"] = results
        context = super().get_context_data(**kwargs)
        query = filterset.search_query
        context.update(
            cursor_invalid=self.cursor_invalid,
            query=query,
            params=filterset.params,
            active_filters=filterset.active_filters(),
            # A search's facets (and count) on their own request.
            facets=None if query else facet_counts(results, active=filterset.cleaned),
        )
        return context


@method_decorator(public_page(params=FILTER_PARAMS), name="dispatch")
class RecordSummaryView(FilterView):
    """/items/summary/: the count and facets of a search (or of any listing),
    on a request of their own so that the results do not wait for them: the
    results page fetches this page and takes its count and facets (a script,
    static/js/result-summary.js), or links to it. Cached like the results,
    once per search whatever page is shown."""

    filterset_class = RecordFilter
    strict = False
    template_name = "disclosure/public/record_summary.html"

    def get_queryset(self):
        return selectors.listing_records()

    def get_context_data(self, **kwargs):
        filterset = self.filterset
        results = ranked(self.object_list, filterset.search_query, body=False)
        paginator = CappedPaginator(results, RecordListView.paginate_by)
        return super().get_context_data(
            query=filterset.search_query,
            params=filterset.params,
            count=paginator.count,
            count_capped=paginator.count_capped,  # known once counted
            facets=facet_counts(results, active=filterset.cleaned),
            **kwargs,
        )


@method_decorator(public_page, name="dispatch")
class RecordDetailView(DetailView):
    """/items/<pk>/: 404 until published, 200 with a notice when withdrawn,
    410 when removed."""

    template_name = "disclosure/public/record_detail.html"
    context_object_name = "record"

    def get_object(self, queryset=None):
        record = selectors.record_for_page(self.kwargs["pk"])
        if record is None:
            raise Http404
        return record

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        if self.object.status == PublicRecord.Status.REMOVED:
            return TemplateResponse(
                request,
                "disclosure/public/record_removed.html",
                {"record": self.object},
                status=410,
            )
        return self.render_to_response(self.get_context_data(object=self.object))

    def get_context_data(self, **kwargs):
        selectors.attach_related(self.object)
        record = self.object
        if identity().shows_element_toc and record.status == PublicRecord.Status.LIVE:
            record.body, kwargs["element_toc"] = element_toc(
                record.catalog_entry_id, record.item_id, record.body
            )
        return super().get_context_data(
            canonical_url=self.request.build_absolute_uri(
                self.object.get_absolute_url()
            ),
            withdrawn=self.object.status == PublicRecord.Status.WITHDRAWN,
            **kwargs,
        )


class RecordPrintView(RecordDetailView):
    """/items/<pk>/print/: the item's print view, the document and its
    metadata without the site's navigation (no JavaScript needed)."""

    template_name = "disclosure/public/record_print.html"


@method_decorator(public_page(params=("page",)), name="dispatch")
class OnRequestListView(ListView):
    """/items/on-request/: the 依申请公开 list, a metadata line per item and
    the way to apply (条例 Arts. 27-28), when the office turns it on; 404
    otherwise. Never a body or an attachment (``disclosure/modes.py``)."""

    template_name = "disclosure/public/on_request_list.html"
    paginate_by = 50
    context_object_name = "records"

    def get_queryset(self):
        if not identity().lists_on_request:
            raise Http404
        return selectors.on_request_records()


_UNSAFE_FILENAME = re.compile(r'[\x00-\x1f\x7f"\\/]')


def content_disposition(filename: str, fallback: str | None = None) -> str:
    """``attachment`` with an ASCII ``filename`` for old clients and the real
    name in RFC 5987 ``filename*`` (UTF-8, percent-encoded)."""
    filename = _UNSAFE_FILENAME.sub("_", filename).strip() or "attachment"
    if fallback is None:
        _stem, dot, extension = filename.rpartition(".")
        ascii_name = filename.encode("ascii", "ignore").decode()
        if ascii_name == filename:
            fallback = filename
        else:
            extension = extension.encode("ascii", "ignore").decode()
            fallback = f"attachment{dot}{extension}" if dot else "attachment"
    return "attachment; filename=\"{}\"; filename*=UTF-8''{}".format(
        _UNSAFE_FILENAME.sub("_", fallback), quote(filename, safe="")
    )


@http_cached
@require_GET
def attachment_download(request, pk, token):
    """A published attachment of a visible record, always as a download."""
    attachment = selectors.published_attachment(pk, token)
    if attachment is None or not attachment.has_public_copy:
        raise Http404
    etag = f'"{attachment.public_etag_hash}"'
    conditional = get_conditional_response(request, etag=etag)
    if conditional is not None:
        return conditional
    try:
        handle = attachment.public_copy.open("rb")
    except (FileNotFoundError, ValueError) as error:
        raise Http404 from error
    response = FileResponse(handle, content_type=attachment.content_type)
    response["Content-Disposition"] = content_disposition(attachment.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["ETag"] = etag
    return response


@require_GET
def text_size(request):
    """The larger-text mode (适老化): a cookie, no script. ``?size=large`` or
    ``?size=normal``, then back to ``next``."""
    response = redirect(safe_next(request))
    large = request.GET.get("size") == "large"
    set_preference_cookie(
        request, response, TEXT_SIZE_COOKIE, "large" if large else None
    )
    return response


@require_GET
def contrast(request):
    """The high-contrast mode (适老化, 高对比度): a cookie, no script.
    ``?mode=high`` or ``?mode=normal``, then back to ``next``. It also
    enlarges click targets (static/css/modes.css)."""
    response = redirect(safe_next(request))
    high = request.GET.get("mode") == "high"
    set_preference_cookie(request, response, CONTRAST_COOKIE, "high" if high else None)
    return response


@method_decorator(public_page, name="dispatch")
class RobotsView(TemplateView):
    template_name = "robots.txt"
    content_type = "text/plain; charset=utf-8"
