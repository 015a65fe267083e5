"""Form widgets of the public pages."""

from django import forms
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe


class QuickSelect(forms.Select):
    """A single ``<select>`` rendered in Python: the same HTML as Django's
    template-rendered ``Select`` (``<option value="…" selected>``), at a
    fraction of the cost for the list page's ~150 options (Django renders
    each option through a template).

    ``option_lang``: the language of the options' labels when they are data
    (organ names: ``zh-Hans``), given to every option but the empty one."""

    def __init__(self, attrs=None, choices=(), option_lang=""):
        super().__init__(attrs, choices)
        self.option_lang = option_lang

    def render(self, name, value, attrs=None, renderer=None):
        attrs = {"name": name, **self.build_attrs(self.attrs, attrs)}
        selected = "" if value is None else str(value)
        options = []
        found = False
        for option_value, label in self.choices:
            option_value = "" if option_value is None else str(option_value)
            mark = ""
            if not found and option_value == selected:
                mark, found = " selected", True
            if self.option_lang and option_value:
                mark += f' lang="{self.option_lang}"'
            options.append(
                f'<option value="{conditional_escape(option_value)}"{mark}>'
                f"{conditional_escape(label)}</option>"
            )
        return mark_safe(  # noqa: S308 - every value above is escaped
            f"<select{_attributes(attrs)}>"
            + "".join(f"\n  {option}\n" for option in options)
            + "\n</select>"
        )


def _attributes(attrs: dict) -> str:
    """As Django's ``attrs.html``: in order, ``True`` as a bare name, ``False``
    and ``None`` left out."""
    parts = []
    for key, value in attrs.items():
        if value is True:
            parts.append(f" {conditional_escape(key)}")
        elif value is not False and value is not None:
            parts.append(f' {conditional_escape(key)}="{conditional_escape(value)}"')
    return "".join(parts)
