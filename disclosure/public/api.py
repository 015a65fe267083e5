"""Open data: the read-only JSON API (/api/v1/items, /api/v1/items/<id>) and the
CSV download of any listing (/items.csv). Same filters as /items/; field names
are stable (documented at /api/)."""

import csv
import itertools
import logging
import re

from django.core.paginator import EmptyPage
from django.db import Error as DatabaseFailure
from django.http import HttpResponse, JsonResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from disclosure.models import PublicRecord
from disclosure.uploads import type_label
from portal.spreadsheets import safe_cell

from . import selectors
from .cache import public_page
from .continuation import CURSOR_PARAM, Cursor
from .filters import FILTER_PARAMS, RecordFilter
from .pagination import CappedPaginator
from .results import ranked
from .views import content_disposition

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
PAGING_PARAMS = ("page", "page_size", CURSOR_PARAM)

_KEYWORD_SEPARATORS = re.compile(r"[\s,，、;；]+")

logger = logging.getLogger(__name__)


def _json(data, status=200):
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})


def _error(message: str, status=400, fields=None):
    data = {"error": message}
    if fields:
        data["fields"] = fields
    return _json(data, status=status)


def _iso(value):
    if value is None:
        return None
    if hasattr(value, "tzinfo"):
        value = timezone.localtime(value)
    return value.isoformat()


def serialize_record(record, request, *, detail=False) -> dict:
    absolute = request.build_absolute_uri
    data = {
        "id": record.pk,
        "index_number": record.index_number,
        "title": record.title,
        "doc_number": record.doc_number,
        "department": {"code": record.department.code, "name": record.department.name},
        "topic": {"code": record.topic.code, "name": record.topic.name},
        "document_type": record.document_type.name if record.document_type else None,
        "catalog_entry": (
            {"id": record.catalog_entry.pk, "name": str(record.catalog_entry)}
            if record.catalog_entry
            else None
        ),
        "formed_on": _iso(record.formed_on),
        "published_at": _iso(record.published_at),
        "updated_at": _iso(record.updated_at),
        # 有效性 today (disclosure/validity.py): "valid" (in force),
        # "pending" (尚未施行), "expired" (also past 有效期至), "repealed".
        "validity": record.standing,
        "document_class": record.document_class or None,
        "registration_number": record.registration_number or None,
        "effective_on": _iso(record.effective_on),
        "expires_on": _iso(record.expires_on),
        "keywords": [
            word for word in _KEYWORD_SEPARATORS.split(record.keywords) if word
        ],
        "url": absolute(record.get_absolute_url()),
        "attachments": [
            {
                "name": attachment.original_name,
                "title": attachment.display_title,
                "type": type_label(attachment.extension),
                "size": attachment.size,
                "url": absolute(attachment.get_absolute_url()),
            }
            for attachment in record.published_attachments
        ],
    }
    if detail:
        withdrawn = record.status == PublicRecord.Status.WITHDRAWN
        data.update(
            {
                "status": record.status,
                "withdrawn_at": _iso(record.status_changed_at) if withdrawn else None,
                "withdrawal_reason": record.status_reason if withdrawn else None,
                "change_notes": [
                    {"changed_at": _iso(note.changed_at), "note": note.note}
                    for note in record.notes
                ],
                # 撤回: the text is no longer public; 废止/失效: it stays.
                "ending": record.ending or None,
                "ended_on": _iso(record.validity_changed_on) if record.ending else None,
                "ending_reason": (
                    record.status_reason if record.ending and not withdrawn else None
                ),
                "body_html": "" if withdrawn else record.body,
            }
        )
    return data


def _page_number(value: str, name: str, errors: dict, default: int) -> int:
    if value in (None, ""):
        return default
    if not value.isdigit() or not 1 <= int(value) <= 10**6:
        errors[name] = ["must be a positive integer"]
        return default
    return int(value)


@public_page(params=FILTER_PARAMS + PAGING_PARAMS, strict=True)
@require_GET
def items(request):
    errors = {}
    unknown = sorted(set(request.GET) - set(FILTER_PARAMS) - set(PAGING_PARAMS))
    for name in unknown:
        errors[name] = [
            "unknown parameter; allowed: " + ", ".join(FILTER_PARAMS + PAGING_PARAMS)
        ]
    page = _page_number(request.GET.get("page"), "page", errors, 1)
    page_size = _page_number(
        request.GET.get("page_size"), "page_size", errors, DEFAULT_PAGE_SIZE
    )
    if page_size > MAX_PAGE_SIZE:
        errors["page_size"] = [f"at most {MAX_PAGE_SIZE}"]
    filter_data = request.GET.copy()
    for name in PAGING_PARAMS:
        filter_data.pop(name, None)
    filterset = RecordFilter(
        filter_data or None, queryset=selectors.listing_records(), request=request
    )
    if filterset.is_bound and not filterset.is_valid():
        for name, messages in filterset.errors.items():
            errors[name] = [str(message) for message in messages]
    if errors:
        return _error("invalid parameters", fields=errors)

    results = ranked(filterset.qs, filterset.search_query)
    paginator = CappedPaginator(results, page_size)
    raw_cursor = request.GET.get(CURSOR_PARAM)
    if raw_cursor is not None:
        return _items_after(request, filterset, paginator, raw_cursor)
    try:
        page_obj = paginator.page(page)
    except EmptyPage:
        more = "at least " if paginator.count_capped else ""
        return _error(
            "page out of range",
            fields={"page": [f"there are {more}{paginator.num_pages} pages"]},
        )
    page_url = _page_url(request, filterset, page_size)
    next_url = None
    if page_obj.has_next():
        next_url = page_url(page=page + 1)
    elif page_obj.next_cursor:
        next_url = page_url(after=page_obj.next_cursor)
    return _items_page(
        request,
        page_obj,
        count=paginator.count,
        count_is_capped=paginator.count_capped,
        page=page,
        num_pages=paginator.num_pages,
        next=next_url,
        previous=page_url(page=page - 1) if page_obj.has_previous() else None,
    )


def _items_after(request, filterset, paginator, raw_cursor):
    """A "more" page (``continuation``): the rows after a cursor, with no
    count and no page number."""
    if "page" in request.GET:
        return _error(
            "invalid parameters", fields={"page": ["give page or after, not both"]}
        )
    cursor = Cursor.parse(raw_cursor, tiers=paginator.tier_count)
    if cursor is None:
        return _error(
            "invalid parameters",
            fields={CURSOR_PARAM: ["not a cursor given in a next link"]},
        )
    page_obj = paginator.page_after(cursor)
    page_url = _page_url(request, filterset, paginator.per_page)
    return _items_page(
        request,
        page_obj,
        count=None,
        count_is_capped=None,
        page=None,
        num_pages=None,
        next=page_url(after=page_obj.next_cursor) if page_obj.next_cursor else None,
        previous=None,
    )


def _page_url(request, filterset, page_size: int):
    def page_url(**position):
        params = filterset.params.copy()
        params.update(position)
        if page_size != DEFAULT_PAGE_SIZE:
            params["page_size"] = page_size
        return request.build_absolute_uri(
            reverse("disclosure:api-items") + "?" + params.urlencode()
        )

    return page_url


def _items_page(request, page_obj, **paging):
    records = list(page_obj.object_list)
    selectors.attach_attachments(records)
    return _json(
        {
            "count": paging.pop("count"),
            "count_is_capped": paging.pop("count_is_capped"),
            "page": paging.pop("page"),
            "page_size": page_obj.paginator.per_page,
            **paging,
            "results": [serialize_record(record, request) for record in records],
        }
    )


@public_page
@require_GET
def item(request, pk):
    record = selectors.record_for_page(pk)
    if record is None:
        return _error("not found", status=404)
    if record.status == PublicRecord.Status.REMOVED:
        return _json(
            {
                "error": "removed",
                "id": record.pk,
                "removed_at": _iso(record.status_changed_at),
            },
            status=410,
        )
    return _json(serialize_record(record, request, detail=True))


# --- CSV -------------------------------------------------------------------------

CSV_COLUMNS = (
    ("索引号", lambda r: r.index_number),
    ("标题", lambda r: r.title),
    ("发文字号", lambda r: r.doc_number),
    ("发布机构", lambda r: r.department.name),
    ("主题分类", lambda r: str(r.topic)),
    ("体裁", lambda r: r.document_type.name if r.document_type else ""),
    ("成文日期", lambda r: r.formed_on.isoformat()),
    (
        "发布日期",
        lambda r: timezone.localtime(r.published_at).strftime("%Y-%m-%d %H:%M"),
    ),
    ("有效性", lambda r: str(r.get_standing_display())),
    ("主题词", lambda r: r.keywords),
    ("公开事项", lambda r: str(r.catalog_entry) if r.catalog_entry else ""),
    # Added at the end, so that older readers of the file keep their columns.
    (
        "文件类别",
        lambda r: str(r.get_document_class_display()) if r.document_class else "",
    ),
    ("登记编号", lambda r: r.registration_number),
    ("施行日期", lambda r: r.effective_on.isoformat() if r.effective_on else ""),
    ("有效期至", lambda r: r.expires_on.isoformat() if r.expires_on else ""),
)


class _Echo:
    def write(self, value):
        return value


class _Export:
    """The lines of an export. The response closes it when it is done with
    it (finished, cut or abandoned): that closes the database cursor at once,
    not whenever the garbage collector gets to it."""

    def __init__(self, lines, rows):
        self._lines, self._rows = lines, rows

    def __iter__(self):
        return self._lines

    def close(self):
        self._lines.close()
        close = getattr(self._rows, "close", None)
        if close is not None:
            close()


def _csv_rows(records, request):
    writer = csv.writer(_Echo())
    yield "\ufeff"  # a BOM, so that Excel reads UTF-8
    yield writer.writerow([name for name, _value in CSV_COLUMNS] + ["网址"])
    written = 0
    try:
        for record in records:
            yield writer.writerow(
                [safe_cell(value(record)) for _name, value in CSV_COLUMNS]
                + [request.build_absolute_uri(record.get_absolute_url())]
            )
            written += 1
    except DatabaseFailure:
        # The status line has gone: the server cuts the connection, so the
        # client sees an incomplete download rather than a shorter file.
        logger.exception("The CSV export failed after %s rows.", written)
        raise


def _export_failed() -> HttpResponse:
    response = HttpResponse(
        _("数据库暂时无法访问，导出未能完成，请稍后再试。"),
        content_type="text/plain; charset=utf-8",
        status=503,
    )
    response["Retry-After"] = "60"
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def items_csv(request):
    """The listing as CSV (UTF-8 with BOM), at most the capped count of rows.

    Streamed, so never kept by a cache (``Cache-Control: no-store``): a file
    cut short by a failure must not be served to anyone later. The first
    rows are read before the answer starts: a database that fails by then
    gives a 503 with a message, never a file with only the header row."""
    try:
        filterset = RecordFilter(
            request.GET or None, queryset=selectors.listing_records(), request=request
        )
        results = ranked(filterset.qs, filterset.search_query, body=False)
        rows = iter(results.iterator(500) if hasattr(results, "iterator") else results)
        first = list(itertools.islice(rows, 1))
    except DatabaseFailure:
        logger.exception("The CSV export could not start.")
        return _export_failed()
    records = itertools.islice(itertools.chain(first, rows), selectors.count_cap())
    response = StreamingHttpResponse(
        _Export(_csv_rows(records, request), rows),
        content_type="text/csv; charset=utf-8",
    )
    stamp = timezone.localtime().strftime("%Y%m%d")
    response["Content-Disposition"] = content_disposition(
        f"政府信息-{stamp}.csv", fallback=f"items-{stamp}.csv"
    )
    response["Cache-Control"] = "no-store"
    return response
