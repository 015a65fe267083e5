"""Completeness (要素齐全率): the share of items that answer every required
content element of their catalog entry (checklist rules in
``disclosure/elements.py``), per department and per catalog entry.

Definitions (the tests recompute them from the records):

- *In scope*: an item first published in the period (``timeliness``'s
  definition) whose catalog entry has at least one required element.
- *Complete*: every required element of the entry has an answer on the item
  that holds (a section, “不适用” with a reason, or an attachment still in
  the working copy).
- The rate is complete / in scope, per department (the item's 发布机构) and
  per catalog entry.

A fixed number of queries whatever the number of items."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from catalog.element_models import ContentElement
from catalog.models import CatalogEntry, Department
from disclosure.models import ElementAnswer

from .periods import Period, percent
from .timeliness import PublishedRow, published_rows

METRICS = ("elements_scope", "elements_complete", "elements_incomplete")


@dataclass
class CompletenessFigures:
    subject: object  # a Department, a CatalogEntry or None for the total
    in_scope: list[int] = field(default_factory=list)
    complete: list[int] = field(default_factory=list)

    @property
    def incomplete(self) -> list[int]:
        done = set(self.complete)
        return [pk for pk in self.in_scope if pk not in done]

    @property
    def rate(self) -> str:
        return percent(len(self.complete), len(self.in_scope))


@dataclass
class Completeness:
    departments: list[CompletenessFigures]
    entries: list[CompletenessFigures]
    total: CompletenessFigures
    missing: dict[int, list[str]]


def missing_for(pairs: list[tuple[int, int | None]]) -> dict[int, list[str]]:
    """For each ``(item id, entry id)`` in scope, the names of the entry's
    required elements the item does not answer (empty: complete); pairs out
    of scope are left out. Two queries."""
    entry_ids = {entry_id for _item_id, entry_id in pairs} - {None}
    required: dict[int, list[str]] = defaultdict(list)
    for entry_id, name in ContentElement.objects.filter(
        entry_id__in=entry_ids, required=True
    ).values_list("entry_id", "name"):
        required[entry_id].append(name)
    in_scope = [(item_id, e) for item_id, e in pairs if required.get(e)]
    answered: dict[int, set[str]] = defaultdict(set)
    for item_id, name, kind, in_draft in ElementAnswer.objects.filter(
        item_id__in=[item_id for item_id, _e in in_scope]
    ).values_list("item_id", "element_name", "kind", "attachment__in_draft"):
        if kind != ElementAnswer.Kind.ATTACHMENT or in_draft:
            answered[item_id].add(name)
    return {
        item_id: [name for name in required[e] if name not in answered[item_id]]
        for item_id, e in in_scope
    }


def missing_elements(rows: list[PublishedRow]) -> dict[int, list[str]]:
    return missing_for([(row.item_id, row.catalog_entry_id) for row in rows])


def completeness(period: Period, *, now: datetime.datetime) -> Completeness:
    rows = published_rows(period, now=now)
    missing = missing_elements(rows)
    by_department: dict[int, CompletenessFigures] = {}
    by_entry: dict[int, CompletenessFigures] = {}
    total = CompletenessFigures(None)
    for row in rows:
        if row.item_id not in missing:
            continue
        for figures in (
            by_department.setdefault(
                row.department_id, CompletenessFigures(row.department_id)
            ),
            by_entry.setdefault(
                row.catalog_entry_id, CompletenessFigures(row.catalog_entry_id)
            ),
            total,
        ):
            figures.in_scope.append(row.item_id)
            if not missing[row.item_id]:
                figures.complete.append(row.item_id)
    departments = Department.objects.in_bulk(list(by_department))
    entries = CatalogEntry.objects.select_related("area").in_bulk(list(by_entry))
    for figures in by_department.values():
        figures.subject = departments[figures.subject]
    for figures in by_entry.values():
        figures.subject = entries[figures.subject]
    return Completeness(
        departments=sorted(
            by_department.values(),
            key=lambda f: (f.subject.order, f.subject.code),
        ),
        entries=sorted(
            by_entry.values(),
            key=lambda f: (f.subject.area.order, f.subject.order, f.subject.pk),
        ),
        total=total,
        missing=missing,
    )


def element_ids(metric: str, rows: list[PublishedRow]) -> list[int]:
    """The items behind a completeness figure, among ``rows``."""
    missing = missing_elements(rows)
    wanted = {
        "elements_scope": lambda names: True,
        "elements_complete": lambda names: not names,
        "elements_incomplete": lambda names: bool(names),
    }[metric]
    return [
        row.item_id
        for row in rows
        if row.item_id in missing and wanted(missing[row.item_id])
    ]
