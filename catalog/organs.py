"""Organs (行政机关): the government and its departments, each answerable
for its own disclosure (annual report, Regulations Art. 49; register of
normative documents). An office (内设机构) acts under its department's name.

The government is a :class:`~catalog.models.Department` of kind
``GOVERNMENT`` rather than a flag on a department: it has everything a
department has (name, publisher code, contact data, its own items, a report);
what differs follows from the kind: its report is due by 31 March instead of
31 January (Art. 49). Rule-making power (立法法 Art. 93) is the flag
``Department.may_make_rules`` (a district government and its departments have
none)."""

from __future__ import annotations

from django.db.models import Case, IntegerField, QuerySet, Value, When

from .models import Department

ORGAN_KINDS = (Department.Kind.GOVERNMENT, Department.Kind.DEPARTMENT)


def organ_of(department: Department) -> Department:
    """The organ a department acts for: itself, or for an office the nearest
    government or department above it."""
    while department.kind == Department.Kind.OFFICE and department.parent_id:
        department = department.parent
    return department


def is_own_government(organ: Department) -> bool:
    """本级政府: a government at the top of the tree (a township government
    under it reports like a department)."""
    return organ.kind == Department.Kind.GOVERNMENT and organ.parent_id is None


def reporting_organs() -> QuerySet:
    """Active organs, the government at the top of the tree first, then in
    the directory's order."""
    return (
        Department.objects.filter(is_active=True, kind__in=ORGAN_KINDS)
        .annotate(
            own_government=Case(
                When(kind=Department.Kind.GOVERNMENT, parent__isnull=True, then=0),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("own_government", "order", "code")
    )


def organ_members(organs) -> dict[int, int]:
    """department id → organ id for every department (offices under their
    organ), for the organs given, in one query per level of offices."""
    members = {organ.pk: organ.pk for organ in organs}
    frontier = set(members)
    while frontier:
        children = Department.objects.filter(
            parent_id__in=frontier, kind=Department.Kind.OFFICE
        ).values_list("pk", "parent_id")
        frontier = set()
        for pk, parent in children:
            if pk not in members:
                members[pk] = members[parent]
                frontier.add(pk)
    return members
