"""Reads of the catalog that pages share."""

from django.core.cache import cache
from django.db.models import Prefetch

from . import workdays
from .models import CalendarDay, CalendarYear, CatalogArea, CatalogEntry, Department

_CALENDAR_KEY = "catalog:work-calendar:v1"


def work_calendar() -> workdays.WorkCalendar:
    """The working-day calendar, from the table (cached until it changes)."""
    calendar = cache.get(_CALENDAR_KEY)
    if calendar is None:
        calendar = workdays.build_calendar(
            CalendarDay.objects.values_list("date", "kind", "name"),
            CalendarYear.objects.filter(is_complete=True).values_list(
                "year", flat=True
            ),
        )
        cache.set(_CALENDAR_KEY, calendar, 3600)
    return calendar


def forget_work_calendar() -> None:
    cache.delete(_CALENDAR_KEY)


def catalog_entries():
    return CatalogEntry.objects.select_related(
        "area", "responsible_department"
    ).prefetch_related("channels")


def active_catalog_tree() -> list[dict]:
    """Areas, each with its 一级事项 groups of active entries, for /catalog/."""
    areas = CatalogArea.objects.prefetch_related(
        Prefetch(
            "entries",
            queryset=catalog_entries().filter(is_active=True),
            to_attr="active_entries",
        )
    )
    tree = []
    for area in areas:
        groups: dict[str, list[CatalogEntry]] = {}
        for entry in area.active_entries:
            groups.setdefault(entry.level1, []).append(entry)
        if groups:
            tree.append({"area": area, "groups": list(groups.items())})
    return tree


def in_tree_order(departments) -> list[Department]:
    """``departments`` (sorted by order, code) in tree order: each followed by
    its offices and other children."""
    departments = list(departments)
    children: dict[int | None, list[Department]] = {}
    for department in departments:
        children.setdefault(department.parent_id, []).append(department)
    present = {department.pk for department in departments}
    ordered: list[Department] = []

    def visit(parent_id):
        for department in children.get(parent_id, []):
            ordered.append(department)
            visit(department.pk)

    visit(None)
    # A department whose parent is inactive starts a tree of its own.
    for parent_id in children:
        if parent_id is not None and parent_id not in present:
            visit(parent_id)
    return ordered


def guide_departments() -> list[Department]:
    """Active departments in tree order (each followed by its offices), for the
    disclosure guide."""
    return in_tree_order(
        Department.objects.filter(is_active=True).select_related("parent")
    )
