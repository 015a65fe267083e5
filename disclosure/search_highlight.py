"""Highlighting what a search found: the query's pieces (runs and, for a
word typed without spaces, its bigrams; ``SearchQuery.pieces``) wrapped in
``<mark>`` in a title or an excerpt of the body, matched on the normalised
text (full-width letters, case) and mapped back to the original characters."""

from __future__ import annotations

import html

from django.utils.safestring import SafeString, mark_safe

from .search import SearchQuery, normalize

_ONE_TO_ONE: dict[str, bool] = {}


def _one_to_one(char: str) -> bool:
    """Whether ``char`` normalises to exactly one character (memoised)."""
    known = _ONE_TO_ONE.get(char)
    if known is None:
        known = _ONE_TO_ONE[char] = len(normalize(char)) == 1
    return known


def _normalized_with_map(text: str) -> tuple[str, list[int] | None]:
    """The normalised text and, for each of its characters, the index of the
    original character it came from; ``None`` when that is its own index
    (every character normalises to one, the usual case: an item's body is
    normalised at C speed instead of character by character)."""
    normalized = normalize(text)
    if len(normalized) == len(text) and all(map(_one_to_one, set(text))):
        return normalized, None
    out: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        normalized = normalize(char)
        out.append(normalized)
        origin.extend([index] * len(normalized))
    return "".join(out), origin


def _match_spans(text: str, query: SearchQuery) -> list[tuple[int, int]]:
    pattern = query.pieces_pattern if query else None
    if pattern is None or not text:
        return []
    normalized, origin = _normalized_with_map(text)
    spans: list[tuple[int, int]] = []
    for match in pattern.finditer(normalized):
        start, end = match.start(), match.start() + len(match.group(1))
        if origin is not None:
            start, end = origin[start], origin[end - 1] + 1
        if spans and start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
        else:
            spans.append((start, end))
    return spans


def highlight(text: str, query: SearchQuery) -> SafeString:
    """``text`` escaped, with the query's words wrapped in ``<mark>``."""
    text = text or ""
    out: list[str] = []
    position = 0
    for start, end in _match_spans(text, query):
        out.append(html.escape(text[position:start]))
        out.append("<mark>" + html.escape(text[start:end]) + "</mark>")
        position = end
    out.append(html.escape(text[position:]))
    return mark_safe("".join(out))  # noqa: S308 - every part is escaped above


def excerpt(text: str, query: SearchQuery, length: int = 120) -> SafeString:
    """A highlighted extract of ``text`` around the first match (or its
    beginning), about ``length`` characters long."""
    text = text or ""
    spans = _match_spans(text, query)
    start = max(0, spans[0][0] - length // 4) if spans else 0
    end = min(len(text), start + length)
    start = max(0, min(start, end - length))
    extract = highlight(text[start:end], query)
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    return mark_safe(prefix + extract + suffix)  # noqa: S308 - escaped by highlight
