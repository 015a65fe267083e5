"""What the clerk is warned of, without being stopped: a catalog entry of
another department (its time limit sets the due date), a title the same
publisher already used. Shown when the item is saved and on its page."""

from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from catalog.models import Department
from disclosure.department_tree import kin_ids
from disclosure.models import Item
from portal.data_lang import as_data


def own_department_ids(department_ids) -> set[int]:
    """The departments whose catalog entries are the publisher's own."""
    return kin_ids(department_ids, Department.objects.only("pk", "parent", "kind"))


def entry_warning(item: Item) -> str:
    entry = item.catalog_entry
    if entry is None or not item.department_id:
        return ""
    if entry.responsible_department_id in own_department_ids([item.department_id]):
        return ""
    pattern = _(
        "所选公开事项“%(entry)s”的公开主体是%(owner)s，不是%(publisher)s；"
        "应公开日期按该事项的时限计算。请确认没有选错。"
    )
    return mark_safe(  # noqa: S308 - the pattern is escaped, the data marked
        conditional_escape(pattern)
        % {
            "entry": as_data(entry),
            "owner": as_data(entry.responsible_department.name),
            "publisher": as_data(item.department.name),
        }
    )


def same_title_warning(item: Item) -> str:
    """The items of the same publisher with the same title, told apart by
    document number, date and state (entered data marked as Chinese)."""
    others = list(
        Item.objects.filter(department_id=item.department_id, title=item.title)
        .exclude(pk=item.pk)
        .exclude(state=Item.State.DISCARDED)
        .order_by("-formed_on", "-pk")[:3]
    )
    if not others:
        return ""

    def described(other) -> str:
        parts = [as_data(other.doc_number)] if other.doc_number else []
        if other.formed_on:
            parts.append(_("成文日期 %(date)s") % {"date": other.formed_on.isoformat()})
        parts.append(other.get_state_display())
        return conditional_escape(_("、")).join(map(conditional_escape, parts))

    pattern = _(
        "%(publisher)s已有标题相同的信息（%(others)s）。如不是同一份文件，"
        "请在标题中写明区别，如年份、批次或事项。"
    )
    listed = conditional_escape(_("；")).join(map(described, others))
    return mark_safe(  # noqa: S308 - the pattern and every part are escaped
        conditional_escape(pattern)
        % {"publisher": as_data(item.department.name), "others": listed}
    )


def warnings(item: Item) -> list[str]:
    """Every warning for the item, in words for the page."""
    return [text for text in (same_title_warning(item), entry_warning(item)) if text]
