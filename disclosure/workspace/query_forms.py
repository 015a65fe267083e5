"""Forms that query rather than edit: the audit export's period and the
editor's live due-date preview."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .forms import DATE_INPUT_FORMATS, DateInput, _check_year
from .selectors import catalog_entries_by_area


class AuditExportForm(forms.Form):
    start = forms.DateField(
        label=_("开始日期"),
        input_formats=DATE_INPUT_FORMATS,
        widget=DateInput(),
        error_messages={
            "required": _("请填写开始日期。"),
            "invalid": _("开始日期格式应为 YYYY-MM-DD，如 2026-01-01。"),
        },
    )
    end = forms.DateField(
        label=_("结束日期"),
        input_formats=DATE_INPUT_FORMATS,
        widget=DateInput(),
        help_text=_("包含结束日期当天。"),
        error_messages={
            "required": _("请填写结束日期。"),
            "invalid": _("结束日期格式应为 YYYY-MM-DD，如 2026-12-31。"),
        },
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        for name in ("start", "end"):
            try:
                _check_year(cleaned.get(name))
            except forms.ValidationError as error:
                self.add_error(name, error)
        if start and end and end < start:
            raise forms.ValidationError(_("结束日期不能早于开始日期。"))
        return cleaned


class DueDateForm(forms.Form):
    entry = forms.ModelChoiceField(queryset=None, required=False)
    formed_on = forms.DateField(required=False, input_formats=DATE_INPUT_FORMATS)
    report_year = forms.IntegerField(required=False, min_value=2000, max_value=2100)
    report_period = forms.IntegerField(required=False, min_value=1, max_value=12)
    event_on = forms.DateField(required=False, input_formats=DATE_INPUT_FORMATS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entry"].queryset = catalog_entries_by_area()

    def clean_formed_on(self):
        value = self.cleaned_data.get("formed_on")
        _check_year(value)
        return value
