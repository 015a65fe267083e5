"""Rows of the item lists, rendered once and reused.

A row of a list (``includes/record_item.html``: title, badges, publisher,
date, 发文字号, 索引号) is the same on every list that shows the record: the
newest items on /items/, any filter or page of it, a catalog entry's items.
When the page cache misses (a filter combination nobody asked for yet, the
deep pages, the first request after a publication), the page's SQL still
runs, but each row's HTML comes from this process's memory, keyed by

- the publication generation (``disclosure/publication.py``): any change to a
  public record, its attachments or notes, a department, a topic, a document
  type or a catalog entry bumps it, so a row never outlives what it shows
  (a renamed department, a withdrawn item: the next request of every process
  renders afresh, within the second the generation is re-read);
- the day (the row's 有效性 badge is computed for the day it is shown);
- the language, and the record's primary key.

A search result's row differs by the query's words highlighted in its title
and 发文字号 and by the excerpt of its body: what is kept is the row rendered
once with empty slots in their place (:class:`Skeleton`), and each search
fills the slots (``disclosure/search_highlight.py``) around the kept HTML.

The rows live in this process (no round trip, no unpickling): at most
``PORTAL_ROW_FRAGMENTS`` rows (default 5,000, about 5 MB; 0 turns this off),
least recently used first out. Nothing here decides what is visible: the
rows shown are those the page's own query returned.
"""

from __future__ import annotations

from django.conf import settings
from django.template.loader import get_template
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from disclosure import search_highlight
from disclosure.publication import generation
from disclosure.sanitize import html_to_text

from .cache import today
from .recent import Recent

ROW_TEMPLATE = "disclosure/public/includes/record_item.html"


def row_limit() -> int:
    return int(getattr(settings, "PORTAL_ROW_FRAGMENTS", 5000))


_rows = Recent()


def forget_rows() -> None:
    """Drop this process's rows (tests empty the caches between tests)."""
    _rows.clear()


#: Marks a slot in a skeleton's HTML (never in a template's own output:
#: the template escapes data and holds no control characters).
_SLOT = "\x00"


class Skeleton:
    """Given to the row template as its ``query`` while a search row is
    rendered once: the ``highlight`` and ``search_excerpt`` filters
    (``disclosure_tags``) then leave a numbered slot instead of their
    output and note what goes there."""

    def __init__(self):
        self.slots: list[tuple[str, str]] = []

    def __bool__(self) -> bool:  # the template's {% if query %} branches
        return True

    def slot(self, kind: str, text: str = "") -> SafeString:
        self.slots.append((kind, text))
        return mark_safe(f"{_SLOT}{len(self.slots) - 1}{_SLOT}")  # noqa: S308 - no data


def _skeleton(template, record) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    """The row's HTML around its slots, and what fills each slot."""
    marker = Skeleton()
    pieces = template.render({"record": record, "query": marker}).split(_SLOT)
    return tuple(pieces[0::2]), tuple(marker.slots)


def _filled(skeleton, record, query) -> str:
    literals, slots = skeleton
    out = [literals[0]]
    for (kind, text), literal in zip(slots, literals[1:], strict=True):
        if kind == "excerpt":
            out.append(search_highlight.excerpt(html_to_text(record.body or ""), query))
        else:
            out.append(search_highlight.highlight(text, query))
        out.append(literal)
    return "".join(out)


def record_rows(records, query=None) -> SafeString:
    """The ``<li>`` rows of ``records`` in order, as one HTML string."""
    template = get_template(ROW_TEMPLATE)
    limit = row_limit()
    if not limit:
        return mark_safe(  # noqa: S308 - rendered by the (autoescaping) template
            "".join(template.render({"record": r, "query": query}) for r in records)
        )
    prefix = (generation(), today(), translation.get_language())
    parts = []
    for record in records:
        key = (*prefix, record.pk, bool(query))
        kept = _rows.get(key)
        if kept is None:
            if query:
                kept = _skeleton(template, record)
            else:
                kept = template.render({"record": record, "query": None})
            _rows.put(key, kept, limit)
        parts.append(_filled(kept, record, query) if query else kept)
    # The template's own output, and slots filled by search_highlight,
    # which escapes everything it is given.
    return mark_safe("".join(parts))  # noqa: S308
