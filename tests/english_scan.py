"""Find Chinese on an English page that is not marked as Chinese data.

An English page may show data entered in Chinese (organ names, titles, bodies,
people's names); such data sits in an element marked ``lang="zh-Hans"`` (WCAG
3.1.2, language of parts). Everything else is the site's own text and must be
English: no Han characters, no full-width punctuation.

The scan reads the visible text (not ``<script>``/``<style>``), the
``<title>`` and the attributes a screen reader or a browser shows (``title``,
``aria-label``, ``alt``, ``placeholder``, a button's ``value``). An attribute or
the ``<title>`` cannot mark a part of itself, so Chinese there passes when the
same Chinese is shown as marked data on the page (e.g. an item's title in the
``<title>``, a link's ``aria-label`` naming a file).
"""

import re
from dataclasses import dataclass

import lxml.html

#: Han ideographs (with extensions A and the compatibility block), CJK symbols
#: and punctuation (、。「」…), and the full-width forms (：，（）). Not the
#: ideographic space U+3000: a blank, which indents the options of a tree.
CHINESE = re.compile(
    r"[\u3001-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]+"
)
SHOWN_ATTRIBUTES = ("title", "aria-label", "aria-description", "alt", "placeholder")
BUTTON_TYPES = {"submit", "button", "reset"}
UNSEEN = {"script", "style", "template"}
#: What a visitor typed or the page keeps to be edited: a form's value, like
#: an <input>'s ``value`` (not scanned either).
VALUES = {"textarea"}


@dataclass(frozen=True)
class Finding:
    where: str
    text: str

    def __str__(self):
        return f"{self.where}: {self.text!r}"


def is_chinese(lang: str | None) -> bool:
    return bool(lang) and lang.lower().split("-")[0] == "zh"


def _where(element) -> str:
    names = []
    while element is not None and len(names) < 3:
        label = element.tag if isinstance(element.tag, str) else "?"
        if element.get("id"):
            label += f"#{element.get('id')}"
        elif element.get("class"):
            label += "." + ".".join(element.get("class").split()[:2])
        names.append(label)
        element = element.getparent()
    return " < ".join(names)


def _shown_attributes(element):
    for name in SHOWN_ATTRIBUTES:
        if element.get(name):
            yield name, element.get(name)
    if element.tag in {"input", "button"} and element.get("type") in BUTTON_TYPES:
        if element.get("value"):
            yield "value", element.get("value")


def untranslated(page: str, *, examples: tuple[str, ...] = ()) -> list[Finding]:
    """Every piece of the page's own text that shows Chinese. ``examples``:
    Chinese that an English text quotes on purpose (the form of a document
    number to type, e.g. 国办发〔2020〕26号), allowed anywhere."""
    root = lxml.html.document_fromstring(page)
    marked: list[str] = []  # text of the elements marked as Chinese data
    findings: list[Finding] = []
    unmarked: list[tuple[str, str]] = []  # attributes and <title>: checked last

    def visit(element, chinese: bool):
        if not isinstance(element.tag, str) or element.tag in UNSEEN:
            return
        if element.get("lang") is not None:
            chinese = is_chinese(element.get("lang"))
        if element.tag == "title":
            unmarked.append(("<title>", element.text_content()))
            return
        for name, value in _shown_attributes(element):
            if not chinese:
                unmarked.append((f"{_where(element)} @{name}", value))
        if element.tag in VALUES:
            return
        for text in [element.text] + [child.tail for child in element]:
            if not text:
                continue
            if chinese:
                marked.append(text)
            elif _strays(text, examples):
                findings.append(Finding(_where(element), " ".join(text.split())))
        for child in element:
            visit(child, chinese)
            # a child's tail belongs to this element: handled above

    visit(root, False)
    data = "\n".join(marked)
    for where, value in unmarked:
        if [run for run in _strays(value, examples) if run not in data]:
            findings.append(Finding(where, " ".join(value.split())))
    return findings


def _strays(text: str, examples: tuple[str, ...]) -> list[str]:
    for example in examples:
        text = text.replace(example, " ")
    return CHINESE.findall(text)


def without_tags(page: str) -> str:
    """The page's text with its markup left out, for tests that read a sentence
    whose data is marked (``<span lang="zh-Hans">…</span>``)."""
    return re.sub(r"<[^>]+>", "", page)
