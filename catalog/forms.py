from django import forms
from django.utils.translation import gettext_lazy as _

from .workdays import MAX_WORKING_DAYS


class DeadlineForm(forms.Form):
    start = forms.DateField(
        label=_("起算日期"),
        help_text=_("信息形成或变更、收到申请等事件发生的日期（当日不计入）。"),
        widget=forms.DateInput(attrs={"type": "date"}),
        input_formats=["%Y-%m-%d"],
        error_messages={
            "required": _("请填写起算日期。"),
            "invalid": _("日期格式应为 YYYY-MM-DD，如 2026-02-10。"),
        },
    )
    working_days = forms.IntegerField(
        label=_("工作日数"),
        min_value=1,
        max_value=MAX_WORKING_DAYS,
        initial=20,
        help_text=_("1至366。主动公开和答复申请的法定时限均为20个工作日。"),
        error_messages={
            "required": _("请填写工作日数。"),
            "invalid": _("工作日数应为整数。"),
            "min_value": _("工作日数至少为1。"),
            "max_value": _("工作日数最多为366。"),
        },
    )

    def clean_start(self):
        start = self.cleaned_data["start"]
        if not 1949 <= start.year <= 2200:
            raise forms.ValidationError(_("起算日期的年份应在1949至2200之间。"))
        return start
