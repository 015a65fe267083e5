"""The catalog's small tables as the public pages read them: departments,
topics and document types, loaded once per process and publication generation
(every change to these rows bumps the generation, see ``cache``).

A list page needs them for its filter form, its facets and its department and
topic filters; reading and building ~150 rows on every request cost more than
the page's own rows.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from catalog.models import Department, DocumentType, TopicCategory

from .cache import generation


@dataclass(frozen=True)
class Reference:
    generation: int
    #: In display order (the models' ordering).
    departments: dict[int, Department]
    topics: dict[int, TopicCategory]
    document_types: dict[int, DocumentType]

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

    def department_choices(self) -> list[tuple[str, str]]:
        return [(d.code, d.name) for d in self.departments.values()]

    def topic_choices(self) -> list[tuple[str, str]]:
        """By code, each child indented under its parent."""
        ordered = sorted(self.topics.values(), key=lambda t: t.code)
        return [(t.code, f"\u3000{t.name}" if t.parent_id else t.name) for t in ordered]

    def document_type_choices(self) -> list[tuple[str, str]]:
        return [(t.code, t.name) for t in self.document_types.values()]


_lock = threading.Lock()
_current: list[Reference | None] = [None]


def reference() -> Reference:
    current = _current[0]
    now = generation()
    if current is not None and current.generation == now:
        return current
    with _lock:
        topics = {t.pk: t for t in TopicCategory.objects.select_related("parent")}
        current = Reference(
            generation=now,
            departments={d.pk: d for d in Department.objects.all()},
            topics=topics,
            document_types={t.pk: t for t in DocumentType.objects.all()},
        )
        _current[0] = current
    return current


def forget() -> None:
    """Drop the snapshot (tests, whose database is rolled back between them)."""
    _current[0] = None
