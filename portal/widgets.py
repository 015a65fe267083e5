"""Form widgets shared by the apps."""

from django import forms

from .data_lang import DATA_LANG


class DataSelect(forms.Select):
    """A ``<select>`` whose choices are data entered in Chinese (organs,
    items, catalog entries): every option but the empty one is marked
    ``lang="zh-Hans"``, so that an English page reads them as Chinese."""

    def create_option(self, name, value, label, selected, index, **kwargs):
        option = super().create_option(name, value, label, selected, index, **kwargs)
        if value not in ("", None):
            option["attrs"]["lang"] = DATA_LANG
        return option


def data_options(field) -> None:
    """Render ``field``'s choices with :class:`DataSelect`."""
    widget = DataSelect(attrs=field.widget.attrs)
    widget.is_required = field.widget.is_required
    widget.choices = field.widget.choices
    field.widget = widget
