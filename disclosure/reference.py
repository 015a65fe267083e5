"""The catalog's small tables as the public pages read them: departments,
topics, document types, catalog areas and entries, loaded once per process
and publication generation (every change to these rows bumps the generation,
see ``disclosure/publication.py``).

A list page needs them for its filter form, its facets and its department and
topic filters, and every record shows its department, topic, document type
and catalog entry: joining those tables costs PostgreSQL ~7 ms of planning per
query (measured at a million records), reading and building ~150 rows on
every request more than the page's own rows. :class:`WithReference` gives the
records their related rows from here instead.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.db.models.query import ModelIterable
from django.utils.functional import cached_property
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from catalog.models import (
    CatalogArea,
    CatalogEntry,
    Department,
    DocumentType,
    TopicCategory,
)
from disclosure.department_tree import tree_choices
from portal.db_router import primary_reads

from .models import PublicRecord
from .publication import generation


def max_age_seconds() -> float:
    """A snapshot is read again after this long even without a new
    generation: a bump that did not reach this process (each process has its
    own local-memory cache when Redis is not configured; a change made
    outside the portal's signals) shows within that time."""
    return float(getattr(settings, "PORTAL_REFERENCE_SECONDS", 60))


@dataclass(frozen=True)
class Reference:
    generation: int
    #: ``time.monotonic()`` when it was read.
    loaded_at: float
    #: In display order (the models' ordering).
    departments: dict[int, Department]
    topics: dict[int, TopicCategory]
    document_types: dict[int, DocumentType]
    entries: dict[int, CatalogEntry]

    def department_ids(self, department_id: int) -> list[int]:
        """A department and its offices (内设机构): their items count as its."""
        return [department_id] + [
            d.pk
            for d in self.departments.values()
            if d.parent_id == department_id and d.kind == Department.Kind.OFFICE
        ]

    def topic_ids(self, topic_id: int) -> list[int]:
        """A topic and, for a top-level one, its children."""
        return [topic_id] + [
            t.pk for t in self.topics.values() if t.parent_id == topic_id
        ]

    @cached_property
    def _related(self) -> list[tuple]:
        """(foreign key of a public record, the rows it points to)."""
        opts = PublicRecord._meta
        return [
            (opts.get_field("department"), self.departments),
            (opts.get_field("topic"), self.topics),
            (opts.get_field("document_type"), self.document_types),
            (opts.get_field("catalog_entry"), self.entries),
        ]

    def attach(self, record: PublicRecord) -> None:
        """Give ``record`` the rows its ids point to, as ``select_related``
        would. A row newer than this snapshot is left to load on access."""
        for field, rows in self._related:
            value = rows.get(getattr(record, field.attname))
            if value is not None:
                field.set_cached_value(record, value)

    # The filter form's choice lists, built once per snapshot (cached_property
    # writes to the instance's __dict__, which a frozen dataclass allows).

    @cached_property
    def department_choices(self) -> list[tuple[str, str]]:
        """By code, each office indented under its bureau."""
        return tree_choices(self.departments.values(), key=lambda d: d.code)

    @cached_property
    def topic_choices(self) -> list[tuple[str, str]]:
        """By code, each child indented under its parent."""
        ordered = sorted(self.topics.values(), key=lambda t: t.code)
        return [
            (t.code, format_lazy("\u3000{}", _(t.name)) if t.parent_id else _(t.name))
            for t in ordered
        ]

    @cached_property
    def document_type_choices(self) -> list[tuple[str, str]]:
        return [
            (t.code, pgettext_lazy("体裁", t.name))
            for t in self.document_types.values()
        ]


_lock = threading.Lock()
_current: list[Reference | None] = [None]


def reference() -> Reference:
    current = _current[0]
    now = generation()
    if (
        current is not None
        and current.generation == now
        and time.monotonic() - current.loaded_at < max_age_seconds()
    ):
        return current
    # From the primary: a replica that lags the bump would otherwise freeze
    # its old rows into the snapshot for the whole generation.
    with _lock, primary_reads():
        topics = {t.pk: t for t in TopicCategory.objects.all()}
        for topic in topics.values():
            if topic.parent_id in topics:
                TopicCategory.parent.field.set_cached_value(
                    topic, topics[topic.parent_id]
                )
        areas = {a.pk: a for a in CatalogArea.objects.all()}
        entries = {e.pk: e for e in CatalogEntry.objects.all()}
        for entry in entries.values():
            if entry.area_id in areas:
                CatalogEntry.area.field.set_cached_value(entry, areas[entry.area_id])
        current = Reference(
            generation=now,
            loaded_at=time.monotonic(),
            departments={d.pk: d for d in Department.objects.all()},
            topics=topics,
            document_types={t.pk: t for t in DocumentType.objects.all()},
            entries=entries,
        )
        _current[0] = current
    return current


class WithReference(ModelIterable):
    """Model instances with their department, topic, document type and
    catalog entry from :func:`reference` (``queryset._iterable_class``)."""

    def __iter__(self):
        ref = reference()
        for record in super().__iter__():
            ref.attach(record)
            yield record


def with_reference(queryset):
    """``queryset``, its rows given their catalog rows by :class:`WithReference`."""
    queryset = queryset._chain()
    queryset._iterable_class = WithReference
    return queryset


def forget() -> None:
    """Drop the snapshot (tests, whose database is rolled back between them)."""
    _current[0] = None
