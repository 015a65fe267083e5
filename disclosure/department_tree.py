"""Departments as a tree for choice lists: each bureau followed by its
offices (内设机构), indented, instead of one flat list where a sub-unit may
come before its bureau; and the departments an item's publisher is one with
(itself, the units above it and those under it), whose catalog entries it
files under."""

from __future__ import annotations

from collections.abc import Iterable

from catalog.selectors import in_tree_order

#: Indentation per level (an ideographic space, visible in a <select>).
INDENT = "\u3000"


def tree_order(departments: Iterable) -> list[tuple[object, int]]:
    """``(department, depth)`` in tree order (catalog's ``in_tree_order``:
    a department, then its children); a department whose parent is not among
    ``departments`` is a root."""
    ordered = in_tree_order(departments)
    depth: dict[int, int] = {}
    result = []
    for department in ordered:
        depth[department.pk] = depth.get(department.parent_id, -1) + 1
        result.append((department, depth[department.pk]))
    return result


def tree_choices(departments: Iterable, *, key=lambda d: d.pk) -> list[tuple]:
    """Choices for a <select>: sub-units indented under their bureau."""
    return [
        (key(department), INDENT * depth + department.name)
        for department, depth in tree_order(departments)
    ]


def kin_ids(department_ids: Iterable[int], all_departments: Iterable) -> set[int]:
    """The departments ``department_ids`` are one with: themselves, the
    bureau an office (内设机构) belongs to, and the units under them."""
    by_pk = {d.pk: d for d in all_departments}
    given = {pk for pk in department_ids if pk in by_pk}
    kin = set(given)
    for pk in given:
        current = by_pk[pk]
        seen = 0
        while current.kind == "office" and current.parent_id in by_pk and seen < 20:
            current = by_pk[current.parent_id]
            kin.add(current.pk)
            seen += 1
    below = set(given)
    while below:  # down the tree from the given departments
        below = {d.pk for d in by_pk.values() if d.parent_id in below} - kin
        kin |= below
    return kin
