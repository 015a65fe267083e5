"""The table of contents of a public item page (an office setting,
``SiteSettings.shows_element_toc``, off by default): the content elements of
the item's catalog entry (国办发〔2019〕54号) that the checklist answers with
a section of the body, in the entry's order, each linking to its section, so
that a citizen finds 办理时限 at once. Only sections present in the public
text are listed; the body gets an ``id`` on each of those headings."""

from __future__ import annotations

import re
from dataclasses import dataclass

from catalog.element_models import ContentElement

from .elements import section_starts
from .models import ElementAnswer

_TAG_NAME = re.compile(r"<[a-zA-Z0-9]+")


@dataclass(frozen=True)
class TocEntry:
    name: str
    section: str
    anchor: str


def element_toc(entry_id: int | None, item_id: int, body: str):
    """``(body with anchors, entries)``; no entries: the body unchanged."""
    if entry_id is None:
        return body, []
    answers = dict(
        ElementAnswer.objects.filter(
            item_id=item_id, kind=ElementAnswer.Kind.SECTION
        ).values_list("element_name", "section")
    )
    if not answers:
        return body, []
    starts = section_starts(body)
    anchors = {section: f"element-{n}" for n, section in enumerate(starts, 1)}
    entries = [
        TocEntry(name, answers[name], anchors[answers[name]])
        for name in ContentElement.objects.filter(entry_id=entry_id).values_list(
            "name", flat=True
        )
        if answers.get(name) in starts
    ]
    used = sorted({e.section for e in entries}, key=starts.get, reverse=True)
    for section in used:  # from the end, so earlier offsets stay valid
        offset = starts[section]
        match = _TAG_NAME.match(body, offset)
        if match is None:
            continue
        body = f'{body[: match.end()]} id="{anchors[section]}"{body[match.end() :]}'
    return body, entries
