"""The content elements (公开内容（要素）) of a catalog entry, read from and
written as the text of the catalogue's column.

The standard catalogues (国办发〔2019〕54号 and the 26 areas' catalogues) list in
their 公开内容（要素）column what an item of the entry must contain, e.g. for a
办事指南: 事项名称、设定依据、申请条件、申请材料、办理流程、收费标准、办理时限、
咨询投诉电话. The text stays what the catalogue says (it is exported as it was
imported); the elements are read from it with this syntax:

- elements are separated by “、”, “；”, “;” or a line break (not inside
  brackets);
- an element is required, unless its bracket says “可选” (or “选填”);
- a bracket at the end of an element is its hint: ``办理流程（受理、审查、决定）``;
  an optional element's hint follows “可选：”: ``总投资（可选：万元）``;
- a trailing ``*`` (required, as on forms) is accepted and ignored.

Pure functions: no ORM (the model and its update are in
``catalog/element_models.py``)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

NAME_MAX_LENGTH = 60
HINT_MAX_LENGTH = 200
MAX_ELEMENTS = 50
SEPARATORS = "、；;\n\r"
OPENING = "（("
CLOSING = "）)"
OPTIONAL_WORDS = ("可选", "选填")


@dataclass(frozen=True)
class ElementSpec:
    name: str
    required: bool = True
    hint: str = ""


class ElementSyntaxError(ValueError):
    """The text is not a list of elements; ``messages`` says why."""

    def __init__(self, messages: list[str]):
        self.messages = messages
        super().__init__("；".join(messages))


def _pieces(text: str) -> list[str] | None:
    """The text cut at the separators outside brackets; ``None`` when the
    brackets do not pair up."""
    pieces, current, depth = [], [], 0
    for char in text:
        if char in OPENING:
            depth += 1
        elif char in CLOSING:
            depth -= 1
            if depth < 0:
                return None
        if char in SEPARATORS and depth == 0:
            pieces.append("".join(current))
            current = []
        else:
            current.append(char)
    if depth != 0:
        return None
    pieces.append("".join(current))
    return [piece.strip() for piece in pieces if piece.strip()]


def _trailing_bracket(piece: str) -> tuple[str, str] | None:
    """``(name, bracket text)`` when the piece ends with a bracket that opens
    after some name."""
    if not piece or piece[-1] not in CLOSING:
        return None
    depth = 0
    for index in range(len(piece) - 1, -1, -1):
        char = piece[index]
        if char in CLOSING:
            depth += 1
        elif char in OPENING:
            depth -= 1
            if depth == 0:
                name = piece[:index].strip()
                return (name, piece[index + 1 : -1].strip()) if name else None
    return None


def _element(piece: str) -> ElementSpec:
    piece = piece.rstrip("*＊ ").strip()
    bracket = _trailing_bracket(piece)
    if bracket is None:
        return ElementSpec(piece)
    name, inside = bracket
    for word in OPTIONAL_WORDS:
        if inside.startswith(word):
            hint = inside[len(word) :].lstrip("：:，, ").strip()
            return ElementSpec(name, required=False, hint=hint)
    return ElementSpec(name, hint=inside)


def parse_elements(text: str) -> list[ElementSpec]:
    """The elements written in ``text`` (empty text: none).

    >>> parse_elements("事项名称、办理流程（受理、审查、决定）、总投资（可选：万元）")
    ... # doctest: +NORMALIZE_WHITESPACE
    [ElementSpec(name='事项名称', required=True, hint=''),
     ElementSpec(name='办理流程', required=True, hint='受理、审查、决定'),
     ElementSpec(name='总投资', required=False, hint='万元')]
    """
    pieces = _pieces(text or "")
    if pieces is None:
        raise ElementSyntaxError([_("括号不成对。")])
    elements, seen, problems = [], set(), []
    for piece in pieces:
        element = _element(piece)
        if not element.name:
            continue
        if len(element.name) > NAME_MAX_LENGTH:
            problems.append(
                _(
                    "要素“%(name)s…”超过%(max)d个字；"
                    "要素之间请用“、”或“；”分隔，说明写在括号里。"
                )
                % {"name": element.name[:10], "max": NAME_MAX_LENGTH}
            )
            continue
        if len(element.hint) > HINT_MAX_LENGTH:
            problems.append(
                _("要素“%(name)s”的说明超过%(max)d个字。")
                % {"name": element.name, "max": HINT_MAX_LENGTH}
            )
            continue
        if element.name in seen:
            problems.append(_("要素“%(name)s”重复。") % {"name": element.name})
            continue
        seen.add(element.name)
        elements.append(element)
    if len(elements) > MAX_ELEMENTS:
        problems.append(_("要素最多%(max)d个。") % {"max": MAX_ELEMENTS})
    if problems:
        raise ElementSyntaxError(problems)
    return elements


def format_element(element: ElementSpec) -> str:
    if not element.required:
        return (
            f"{element.name}（可选：{element.hint}）"
            if element.hint
            else f"{element.name}（可选）"
        )
    return f"{element.name}（{element.hint}）" if element.hint else element.name


def format_elements(elements) -> str:
    """The text of a list of elements (read back by :func:`parse_elements`
    into the same list)."""
    return "、".join(format_element(element) for element in elements)
