"""The checklist of an item against the content elements (公开内容（要素）) of
its catalog entry (国办发〔2019〕54号: the standard catalogues say what an item
of each entry contains).

For each element of the entry the clerk says where the item answers it: a
section of the body (a heading, or a paragraph all in bold), an attachment in
the working copy, or “不适用” with a reason. An element is *answered* when
its answer still holds: the attachment is still in the working copy. An item
is *complete* when every required element is answered. Submitting an item
with required elements unanswered is allowed, with a warning that names them
(and the audit entry of the submission records them)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from html.parser import HTMLParser

from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.element_models import ContentElement
from disclosure.models import Attachment, ElementAnswer, Item
from portal.data_lang import with_data

Kind = ElementAnswer.Kind
HEADING_TAGS = {"h2", "h3", "h4", "h5", "h6"}


# --- the sections of a body ------------------------------------------------------------


class _Sections(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.sections: list[str] = []
        self.stack: list[str] = []
        self.text: list[str] = []
        self.bold: list[str] = []
        self.loose = False  # text of a paragraph outside <strong>

    def handle_starttag(self, tag, attrs):
        if tag in HEADING_TAGS or tag == "p":
            self.stack, self.text, self.bold, self.loose = [tag], [], [], False
        elif self.stack:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack:
            return
        if tag == self.stack[0]:
            heading = "".join(self.text if tag != "p" else self.bold).strip()
            if heading and (tag in HEADING_TAGS or not self.loose):
                self.sections.append(" ".join(heading.split()))
            self.stack = []
        elif tag in self.stack:
            self.stack.remove(tag)

    def handle_data(self, data):
        if not self.stack:
            return
        self.text.append(data)
        if self.stack[0] == "p":
            if "strong" in self.stack or "b" in self.stack:
                self.bold.append(data)
            elif data.strip():
                self.loose = True


def body_sections(html: str) -> list[str]:
    """The headings of a body (h2–h6, and paragraphs all in bold), in order."""
    parser = _Sections()
    parser.feed(html or "")
    parser.close()
    seen, sections = set(), []
    for section in parser.sections:
        if section not in seen:
            seen.add(section)
            sections.append(section)
    return sections


def _norm(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def find_section(wanted: str, sections: list[str]) -> str | None:
    """The section that ``wanted`` names: the same heading, else the first
    heading that contains it (“申请条件” finds “二、申请条件”)."""
    key = _norm(wanted)
    if not key:
        return None
    for section in sections:
        if _norm(section) == key:
            return section
    for section in sections:
        if key in _norm(section):
            return section
    return None


# --- the checklist ---------------------------------------------------------------------------


@dataclass
class ChecklistRow:
    element: ContentElement
    answer: ElementAnswer | None

    @property
    def answered(self) -> bool:
        answer = self.answer
        if answer is None:
            return False
        if answer.kind == Kind.ATTACHMENT:
            return answer.attachment is not None and answer.attachment.in_draft
        return True

    @property
    def missing(self) -> bool:
        return self.element.required and not self.answered

    @property
    def where(self) -> str:
        """Where the element is answered, as the reviewer reads it."""
        answer = self.answer
        if answer is None:
            return ""
        if answer.kind == Kind.SECTION:
            return with_data(_("正文：%(section)s"), section=answer.section)
        if answer.kind == Kind.ATTACHMENT:
            name = answer.attachment.original_name
            if not answer.attachment.in_draft:
                return with_data(_("附件：%(name)s（已从工作稿中移除）"), name=name)
            return with_data(_("附件：%(name)s"), name=name)
        return with_data(_("不适用：%(reason)s"), reason=answer.reason)


def checklist(item: Item) -> list[ChecklistRow]:
    """The elements of the item's catalog entry with the item's answers (two
    queries)."""
    if not item.catalog_entry_id:
        return []
    elements = list(ContentElement.objects.filter(entry_id=item.catalog_entry_id))
    if not elements:
        return []
    answers = {
        answer.element_name: answer
        for answer in ElementAnswer.objects.filter(item=item).select_related(
            "attachment"
        )
    }
    return [ChecklistRow(element, answers.get(element.name)) for element in elements]


def missing_required(rows: list[ChecklistRow]) -> list[str]:
    return [row.element.name for row in rows if row.missing]


def missing_warning(names: list[str]) -> str:
    return _(
        "以下必备的公开要素尚未标注体现位置：%(names)s。"
        "请确认正文或附件已包含这些内容，或注明不适用的理由。"
    ) % {"names": "、".join(names)}


# --- the clerk's answers ------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    """An answer as entered: ``where`` is the section heading, the file name
    or the reason, according to ``kind`` (``""``: not marked)."""

    kind: str
    where: str = ""


def resolve(
    answers: dict[str, Answer], *, body: str, attachments: list[Attachment]
) -> tuple[dict[str, dict], dict[str, str]]:
    """The answers checked against the body and the attachments: the fields
    to store per element, and the problems per element."""
    sections = body_sections(body)
    files = {_norm(a.original_name): a for a in attachments if a.in_draft}
    resolved, problems = {}, {}
    for name, answer in answers.items():
        where = answer.where.strip()
        if not answer.kind:
            resolved[name] = None
        elif answer.kind == Kind.SECTION:
            section = find_section(where, sections)
            if section is None:
                problems[name] = (
                    _("正文中没有标题“%(section)s”。") % {"section": where}
                    if where
                    else _("请写出正文中体现该要素的标题。")
                )
            else:
                resolved[name] = {"kind": Kind.SECTION, "section": section[:200]}
        elif answer.kind == Kind.ATTACHMENT:
            attachment = files.get(_norm(where))
            if attachment is None and len(files) == 1 and not where:
                attachment = next(iter(files.values()))
            if attachment is None:
                problems[name] = (
                    _("没有名为“%(name)s”的附件。") % {"name": where}
                    if where
                    else _("请写出体现该要素的附件文件名。")
                )
            else:
                resolved[name] = {"kind": Kind.ATTACHMENT, "attachment": attachment}
        elif answer.kind == Kind.NOT_APPLICABLE:
            if not where:
                problems[name] = _("请说明不适用的理由。")
            else:
                resolved[name] = {"kind": Kind.NOT_APPLICABLE, "reason": where[:200]}
        else:
            problems[name] = _("请选择体现位置。")
    return resolved, problems


def save_answers(item: Item, resolved: dict[str, dict | None], *, by) -> bool:
    """Store the resolved answers of the item's elements (inside the caller's
    transaction); an element set to “not marked” loses its answer. Returns
    whether anything changed."""
    names = set(
        ContentElement.objects.filter(entry_id=item.catalog_entry_id).values_list(
            "name", flat=True
        )
    )
    current = {a.element_name: a for a in ElementAnswer.objects.filter(item=item)}
    changed = False
    for name, fields in resolved.items():
        if name not in names:
            continue
        answer = current.get(name)
        if fields is None:
            if answer is not None:
                answer.delete()
                changed = True
            continue
        values = {
            "kind": fields["kind"],
            "section": fields.get("section", ""),
            "attachment": fields.get("attachment"),
            "reason": fields.get("reason", ""),
        }
        if answer is not None and all(
            getattr(answer, key) == value for key, value in values.items()
        ):
            continue
        ElementAnswer.objects.update_or_create(
            item=item,
            element_name=name,
            defaults={**values, "answered_by": by, "answered_at": timezone.now()},
        )
        changed = True
    return changed
