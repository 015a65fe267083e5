"""What a reviewer compares: the submitted working copy against the last
published record, field by field, the body as text (character level, which
suits Chinese) and the attachments.

Pure functions over model instances already loaded (no queries of their own
beyond the related objects the caller selected).
"""

import difflib
import re
from dataclasses import dataclass, field

from .models import Item
from .sanitize import html_to_text

# Sentence ends in Chinese and Western text; the body is compared sentence by
# sentence first, then character by character inside changed sentences, which
# keeps the result readable and the work bounded on long documents.
_SENTENCE_END = re.compile(r"(?<=[。！？；!?;])")

#: Fields shown in the metadata table of the diff, in this order.
METADATA_FIELDS = [name for name in Item.CONTENT_FIELDS if name != "body"]


@dataclass(frozen=True)
class Segment:
    kind: str  # "equal", "insert" or "delete"
    text: str


@dataclass
class FieldChange:
    name: str
    label: str
    old: str
    new: str
    #: The values are text entered in Chinese (marked lang="zh-Hans" on an
    #: English page), not choice labels, dates or translated reference names.
    is_data: bool = False

    @property
    def changed(self) -> bool:
        return self.old != self.new


@dataclass
class ContentDiff:
    is_new: bool
    fields: list[FieldChange] = field(default_factory=list)
    body: list[Segment] = field(default_factory=list)

    @property
    def changed_fields(self) -> list[FieldChange]:
        return [change for change in self.fields if change.changed]

    @property
    def body_changed(self) -> bool:
        return any(segment.kind != "equal" for segment in self.body)

    @property
    def has_changes(self) -> bool:
        return self.is_new or bool(self.changed_fields) or self.body_changed


def display_value(instance, name: str) -> str:
    """A field's value as a clerk reads it (choice labels, names of related
    objects, dates as YYYY-MM-DD)."""
    if instance is None:
        return ""
    model_field = instance._meta.get_field(name)
    if model_field.choices:
        value = getattr(instance, name)
        return str(dict(model_field.flatchoices).get(value, value or ""))
    value = getattr(instance, name)
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


# Where one block of the body ends: paragraphs, headings, list items, table
# rows and line breaks become separate lines of the text that is compared.
_BLOCK_END = re.compile(
    r"(?i)<br\s*/?>|</(?:p|h[1-6]|li|tr|blockquote|pre|caption|table)\s*>"
)


def body_lines(html: str) -> list[str]:
    """The body as lines of plain text, one per paragraph, heading, list item
    or table row (cells separated by a space)."""
    lines = [html_to_text(part) for part in _BLOCK_END.split(html or "")]
    return [line for line in lines if line]


def _sentences(text: str) -> list[str]:
    parts: list[str] = []
    for line in text.split("\n"):
        parts.extend(part for part in _SENTENCE_END.split(line) if part)
        parts.append("\n")
    return parts[:-1]


def _merge(segments: list[Segment]) -> list[Segment]:
    merged: list[Segment] = []
    for segment in segments:
        if not segment.text:
            continue
        if merged and merged[-1].kind == segment.kind:
            merged[-1] = Segment(segment.kind, merged[-1].text + segment.text)
        else:
            merged.append(segment)
    return merged


def text_diff(old: str, new: str) -> list[Segment]:
    """Segments that turn ``old`` into ``new``."""
    old_parts, new_parts = _sentences(old), _sentences(new)
    segments: list[Segment] = []
    outer = difflib.SequenceMatcher(None, old_parts, new_parts, autojunk=False)
    for op, i1, i2, j1, j2 in outer.get_opcodes():
        before, after = "".join(old_parts[i1:i2]), "".join(new_parts[j1:j2])
        if op == "equal":
            segments.append(Segment("equal", before))
        elif op == "delete":
            segments.append(Segment("delete", before))
        elif op == "insert":
            segments.append(Segment("insert", after))
        else:
            inner = difflib.SequenceMatcher(None, before, after, autojunk=False)
            for iop, a1, a2, b1, b2 in inner.get_opcodes():
                if iop == "equal":
                    segments.append(Segment("equal", before[a1:a2]))
                    continue
                if iop in ("delete", "replace"):
                    segments.append(Segment("delete", before[a1:a2]))
                if iop in ("insert", "replace"):
                    segments.append(Segment("insert", after[b1:b2]))
    return _merge(segments)


def _is_data(model_field) -> bool:
    """Whether a field's displayed value is entered text (see
    ``FieldChange.is_data``)."""
    if model_field.choices or model_field.get_internal_type() in _NOT_TEXT:
        return False
    related = model_field.related_model
    return related is None or related.__name__ not in _TRANSLATED_MODELS


_NOT_TEXT = {"DateField", "DateTimeField", "BooleanField", "PositiveIntegerField"}
#: Reference lists whose names are translated (their ``label``).
_TRANSLATED_MODELS = {"TopicCategory", "DocumentType", "Channel"}


def content_diff(item: Item, record=None) -> ContentDiff:
    """The working copy against the published record (or, for an item never
    published, everything as new)."""
    result = ContentDiff(is_new=record is None)
    for name in METADATA_FIELDS:
        model_field = Item._meta.get_field(name)
        result.fields.append(
            FieldChange(
                name=name,
                label=str(model_field.verbose_name),
                old=display_value(record, name),
                new=display_value(item, name),
                is_data=_is_data(model_field),
            )
        )
    old_body = "\n".join(body_lines(record.body)) if record is not None else ""
    result.body = text_diff(old_body, "\n".join(body_lines(item.body)))
    return result


@dataclass
class AttachmentDiff:
    added: list = field(default_factory=list)
    removed: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)

    @property
    def has_changes(self) -> bool:
        return bool(self.added or self.removed)


def attachment_diff(attachments) -> AttachmentDiff:
    """Split an item's attachments: in the working copy only (added), in the
    published record only (removed), in both (unchanged)."""
    result = AttachmentDiff()
    for attachment in attachments:
        if attachment.in_draft and not attachment.is_published:
            result.added.append(attachment)
        elif attachment.is_published and not attachment.in_draft:
            result.removed.append(attachment)
        elif attachment.in_draft:
            result.unchanged.append(attachment)
    return result
