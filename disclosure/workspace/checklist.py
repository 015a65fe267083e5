"""The checklist of content elements beside the body in the editor: one row
per element of the item's catalog entry, where the clerk says where the item
answers it (rules in ``disclosure/elements.py``)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from disclosure import elements
from disclosure.models import ElementAnswer
from disclosure.sanitize import clean_html
from portal.data_lang import with_data

Kind = ElementAnswer.Kind


def _initial(answer: ElementAnswer | None) -> tuple[str, str]:
    if answer is None:
        return "", ""
    if answer.kind == Kind.SECTION:
        return answer.kind, answer.section
    if answer.kind == Kind.ATTACHMENT:
        return answer.kind, answer.attachment.original_name
    return answer.kind, answer.reason


class ChecklistForm(forms.Form):
    """Two fields per element: where (正文章节, 附件, 不适用 or not marked) and
    the heading, the file name or the reason."""

    def __init__(self, data=None, *, rows: list[elements.ChecklistRow]):
        super().__init__(data, prefix="element")
        self.rows = rows
        for index, row in enumerate(rows):
            kind, where = _initial(row.answer)
            self.fields[f"{index}-kind"] = forms.ChoiceField(
                label=with_data(_("%(name)s：体现位置"), name=row.element.name),
                choices=[("", _("未标注"))] + list(Kind.choices),
                required=False,
                initial=kind,
            )
            self.fields[f"{index}-where"] = forms.CharField(
                label=with_data(
                    _("%(name)s：章节标题、附件名或不适用的理由"), name=row.element.name
                ),
                max_length=200,
                required=False,
                initial=where,
                widget=forms.TextInput(attrs={"list": "element-places"}),
            )

    def entries(self):
        """(row, kind field, where field) for the template."""
        return [
            (row, self[f"{index}-kind"], self[f"{index}-where"])
            for index, row in enumerate(self.rows)
        ]

    def answers(self) -> dict[str, elements.Answer]:
        return {
            row.element.name: elements.Answer(
                self.cleaned_data.get(f"{index}-kind") or "",
                self.cleaned_data.get(f"{index}-where") or "",
            )
            for index, row in enumerate(self.rows)
        }

    def resolve(self, *, body: str, attachments) -> dict | None:
        """The answers checked against the body and the attachments; ``None``
        (with the problems on the form) when one does not hold."""
        resolved, problems = elements.resolve(
            self.answers(), body=clean_html(body or ""), attachments=attachments
        )
        names = {row.element.name: index for index, row in enumerate(self.rows)}
        for name, message in problems.items():
            self.add_error(f"{names[name]}-where", message)
        return None if problems else resolved


def places(body: str, attachments) -> list[str]:
    """Suggestions for the “where” fields: the body's sections and the
    working copy's files."""
    return elements.body_sections(clean_html(body or "")) + [
        attachment.original_name for attachment in attachments if attachment.in_draft
    ]
