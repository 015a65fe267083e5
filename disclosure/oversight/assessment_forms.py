"""Forms of the office's assessment scheme page: the weights of the computed
indicators, the manual indicators, and an organ's points for one of them."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalog.organs import reporting_organs
from disclosure.uploads import check_upload
from portal.widgets import DataSelect

from .assessment_models import Computed


class WeightsForm(forms.Form):
    """One weight and order per computed indicator (0 or empty: not used)."""

    reason = forms.CharField(
        label=gettext_lazy("修改理由"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("方案公布后修改指标或权重时必填，记入操作记录。"),
    )

    def __init__(self, *args, scheme=None, **kwargs):
        super().__init__(*args, **kwargs)
        current = {}
        if scheme is not None:
            current = {row.key: row for row in scheme.indicators.exclude(key="")}
        for key, label in Computed.choices:
            row = current.get(key)
            self.fields[f"weight_{key}"] = forms.IntegerField(
                label=_("%(label)s的权重") % {"label": label},
                min_value=0,
                max_value=100,
                required=False,
                initial=row.weight if row else 0,
            )
            self.fields[f"order_{key}"] = forms.IntegerField(
                label=_("%(label)s的顺序") % {"label": label},
                min_value=0,
                max_value=99,
                required=False,
                initial=row.order if row else 0,
            )
        self.order_fields([*(f for f in self.fields if f != "reason"), "reason"])

    def computed(self) -> dict:
        return {
            key: (
                self.cleaned_data.get(f"weight_{key}") or 0,
                self.cleaned_data.get(f"order_{key}") or 0,
            )
            for key in Computed.values
        }

    def pairs(self):
        return [
            (label, self[f"weight_{key}"], self[f"order_{key}"])
            for key, label in Computed.choices
        ]


class ManualIndicatorForm(forms.Form):
    pk = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(label=gettext_lazy("人工指标名称"), max_length=50)
    weight = forms.IntegerField(label=gettext_lazy("权重"), min_value=1, max_value=100)
    max_points = forms.DecimalField(
        label=gettext_lazy("满分"),
        min_value=Decimal("0.1"),
        max_digits=6,
        decimal_places=1,
    )
    order = forms.IntegerField(
        label=gettext_lazy("顺序"), min_value=0, max_value=99, required=False
    )
    delete = forms.BooleanField(label=gettext_lazy("删除"), required=False)


ManualIndicatorFormSet = forms.formset_factory(ManualIndicatorForm, extra=1)


class ScoreForm(forms.Form):
    indicator = forms.TypedChoiceField(
        label=gettext_lazy("人工指标"), coerce=int, widget=DataSelect
    )
    organ = forms.TypedChoiceField(
        label=gettext_lazy("机关"), coerce=int, widget=DataSelect
    )
    points = forms.DecimalField(
        label=gettext_lazy("得分"),
        min_value=Decimal("0"),
        max_digits=6,
        decimal_places=1,
    )
    note = forms.CharField(
        label=gettext_lazy("评分说明"), max_length=300, required=False
    )
    evidence = forms.FileField(
        label=gettext_lazy("佐证材料"),
        required=False,
        help_text=gettext_lazy(
            "PDF、OFD、Word、Excel、WPS、JPG 或 PNG；仅政务公开办公室和被考核机关可以查看。"
        ),
    )

    def __init__(self, *args, manual=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = [(row.pk, row.name) for row in manual]
        self.fields["organ"].choices = [
            (organ.pk, organ.name) for organ in reporting_organs()
        ]
        self.checked = None

    def clean_evidence(self):
        uploaded = self.cleaned_data.get("evidence")
        if uploaded:
            try:
                self.checked = check_upload(uploaded)
            except ValidationError as error:
                raise ValidationError(error.messages) from error
        return uploaded
