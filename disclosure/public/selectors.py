"""Reads for the public site. Visibility is decided here, at read time: a
record is listed when it is live and its publication time has come (a
scheduled item appears at its time with no job to run); a withdrawn record
keeps its page but leaves listings and feeds; a removed one answers 410.

These functions own ``select_related`` / ``prefetch_related``: no template
triggers a query per row. Counts are capped (FACTS.md: an exact count of a
common term's matches over a million rows takes seconds)."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from catalog.models import CatalogArea
from disclosure import interpretations
from disclosure.models import Attachment, ChangeNote, PublicRecord
from disclosure.reference import with_reference

Status = PublicRecord.Status


#: The records that have a public page (a 依申请公开 or withheld record has
#: none: ``disclosure/modes.py``).
PAGE_STATUSES = (Status.LIVE, Status.WITHDRAWN, Status.REMOVED)

#: Columns a listing never shows.
LIST_DEFERRED = ("body", "title_tokens", "search_tokens", "status_reason")


def count_cap() -> int:
    """Counts above this are shown as "more than …"."""
    return int(getattr(settings, "PORTAL_LIST_COUNT_CAP", 10_000))


def search_count_cap() -> int:
    """Searches count their matches up to this many (10 pages of 20), and
    count their facets over them: a common phrase's exact count over a large
    archive costs seconds (each candidate row's token vector is rechecked)."""
    return int(getattr(settings, "PORTAL_SEARCH_COUNT_CAP", 200))


def facet_sample_size() -> int:
    """Facet counts are exact up to this many matches; above, they are
    counted over the newest this-many matches and shown as lower bounds."""
    return int(getattr(settings, "PORTAL_FACET_SAMPLE", 2_000))


# --- records ----------------------------------------------------------------------


def visible_records(now: datetime.datetime | None = None) -> QuerySet:
    """Records in listings, feeds, the sitemap and the API list."""
    return PublicRecord.objects.filter(
        status=Status.LIVE, published_at__lte=now or timezone.now()
    )


def listing_records(now: datetime.datetime | None = None) -> QuerySet:
    """Visible records with their catalog rows (department, topic, document
    type, catalog entry) from :func:`reference.reference`, not joined."""
    return with_reference(visible_records(now).defer(*LIST_DEFERRED))


def with_body(queryset: QuerySet) -> QuerySet:
    """A listing that also loads the body (feeds, search excerpts, API)."""
    return queryset.defer(None).defer("title_tokens", "search_tokens")


def latest_records(limit: int = 10) -> list[PublicRecord]:
    return list(listing_records()[:limit])


def entry_records(entry) -> QuerySet:
    return listing_records().filter(catalog_entry=entry)


def record_for_page(pk: int, now: datetime.datetime | None = None):
    """The record for its page, with its published attachments and change
    notes; ``None`` if there is none or it is not published yet. A removed or
    withdrawn record is returned: the page says so."""
    now = now or timezone.now()
    record = (
        with_reference(
            PublicRecord.objects.filter(
                pk=pk, published_at__lte=now, status__in=PAGE_STATUSES
            )
        )
        .defer("title_tokens", "search_tokens")
        .first()
    )
    if record is None or record.status == Status.REMOVED:
        return record
    record.published_attachments = list(
        Attachment.objects.filter(item_id=record.pk, is_published=True)
    )
    record.notes = list(ChangeNote.objects.filter(record_id=record.pk))
    return record


def attach_related(record, now: datetime.datetime | None = None) -> None:
    """Give a record's page its 政策解读 links both ways (国办发〔2016〕80号)
    and the consultation whose feedback led to it: ``interpretations``,
    ``policy``, ``consultations`` (one query)."""
    related = interpretations.related_to_record(record, now or timezone.now())
    record.interpretations = related.interpretations
    record.policy = related.policy
    record.consultations = related.consultations


def attach_attachments(records) -> None:
    """Set ``published_attachments`` on each record, in one query."""
    by_item = defaultdict(list)
    ids = [record.pk for record in records]
    for attachment in Attachment.objects.filter(item_id__in=ids, is_published=True):
        by_item[attachment.item_id].append(attachment)
    for record in records:
        record.published_attachments = by_item.get(record.pk, [])


def published_attachment(pk: int, token: str, now: datetime.datetime | None = None):
    """A published attachment of a record whose page is visible, or None."""
    return (
        Attachment.objects.filter(
            item_id=pk,
            token=token,
            is_published=True,
            item__public_record__status__in=[Status.LIVE, Status.WITHDRAWN],
            item__public_record__published_at__lte=now or timezone.now(),
        )
        .only("pk", "file", "original_name", "content_type", "size", "sha256")
        .first()
    )


def on_request_records(now: datetime.datetime | None = None) -> QuerySet:
    """The 依申请公开 list: metadata only, never the body (which such a
    record does not even keep)."""
    return (
        PublicRecord.objects.filter(
            status=Status.ON_REQUEST, published_at__lte=now or timezone.now()
        )
        .select_related("department")
        .only(
            "item_id",
            "title",
            "index_number",
            "published_at",
            "formed_on",
            "department__name",
        )
    )


def next_scheduled_publication(now: datetime.datetime) -> datetime.datetime | None:
    return (
        PublicRecord.objects.filter(status=Status.LIVE, published_at__gt=now)
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
    )


def sitemap_records() -> QuerySet:
    return visible_records().only("item_id", "updated_at").order_by("-item_id")


# --- counts ----------------------------------------------------------------------------


def capped_count(queryset: QuerySet, cap: int) -> int:
    """``min(count, cap + 1)``: stops counting after ``cap + 1`` rows."""
    return queryset.order_by().values("pk")[: cap + 1].count()


# --- the home page -------------------------------------------------------------------


def home_areas() -> QuerySet:
    """Catalog areas with their number of active entries, for the home page."""
    return CatalogArea.objects.annotate(
        entry_count=Count("entries", filter=Q(entries__is_active=True))
    ).filter(entry_count__gt=0)
