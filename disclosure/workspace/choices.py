"""Choice lists of the item editor: publishers as a tree, and the catalog
entries with the publisher's own first."""

from django.utils.translation import gettext as _

from disclosure.department_tree import tree_choices


def department_choices(departments, empty_label) -> list:
    return [("", empty_label), *tree_choices(departments)]


def entry_choices(entries, own_ids: set[int]) -> list:
    """The publisher's own entries (``own_ids``: their departments) first,
    by area; then the other departments' entries, by area, each naming the
    department it belongs to."""
    own: dict[str, list] = {}
    others: dict[str, list] = {}
    for entry in entries:
        if entry.responsible_department_id in own_ids:
            own.setdefault(entry.area.name, []).append((entry.pk, str(entry)))
        else:
            label = _("%(entry)s（%(owner)s）") % {
                "entry": entry,
                "owner": entry.responsible_department.name,
            }
            group = _("其他机构的事项：%(area)s") % {"area": entry.area.name}
            others.setdefault(group, []).append((entry.pk, label))
    return [("", _("（不属于公开目录中的事项）")), *own.items(), *others.items()]
