"""Demo items answer the content elements of their entries: a section of
the body per element, marked by the clerk (now and then one left out)."""

from catalog.models import CatalogEntry
from disclosure import elements
from disclosure.models import Item


def element_sections(entry: CatalogEntry) -> str:
    """A section of the body per content element of the entry (closing the
    paragraph before it)."""
    names = [element.name for element in entry.elements.all()]
    if not names:
        return ""
    return (
        "</p>"
        + "".join(
            f"<h3>（{number}）{name}</h3><p>{name}的具体内容详见本信息。</p>"
            for number, name in enumerate(names, 1)
        )
        + "<p>"
    )


def answer_elements(item: Item, clerk, *, leave_out_last: bool) -> None:
    """The demo clerk marks the sections of the body; now and then one
    required element is left unmarked (for the completeness figures)."""
    rows = elements.checklist(item)
    required = [row.element.name for row in rows if row.element.required]
    if leave_out_last and required:
        required = required[:-1]
    resolved, _problems = elements.resolve(
        {name: elements.Answer("section", name) for name in required},
        body=item.body,
        attachments=[],
    )
    elements.save_answers(item, resolved, by=clerk)
