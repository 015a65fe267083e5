"""Data entered in Chinese, shown on a page in another language, is marked
``lang="zh-Hans"`` (WCAG 3.1.2, language of parts)."""

from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

DATA_LANG = "zh-Hans"


def as_data(value) -> SafeString:
    """``value`` (escaped) in an element marked as Chinese."""
    return format_html('<span lang="{}">{}</span>', DATA_LANG, value)


def with_data(pattern: str, **values) -> SafeString:
    """A translated ``pattern`` (``%(name)s`` placeholders) with each value
    marked as Chinese data: ``with_data(_("正文：%(section)s"), section=…)``."""
    marked = {name: as_data(value) for name, value in values.items()}
    return mark_safe(conditional_escape(pattern) % marked)  # noqa: S308 - escaped above


def mark_data_in(text: str, *values: str) -> SafeString:
    """``text`` (escaped) with every occurrence of each non-empty value marked
    as Chinese data: for a sentence built elsewhere that quotes data."""
    marked = conditional_escape(text)
    for value in filter(None, values):
        marked = marked.replace(conditional_escape(value), as_data(value))
    return mark_safe(marked)  # noqa: S308 - escaped above
