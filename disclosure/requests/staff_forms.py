"""The staff's forms: registering an application received on paper, each
step of handling, the reply, the appeals register. They parse and check
input; the workflow decides what may happen."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog.models import TopicCategory
from disclosure.models import (
    AppealCase,
    Channel,
    FeeMethod,
    InformationRequest,
    ReplyType,
    RequestPause,
)
from disclosure.request_clock import DEFAULT_CORRECTION_PERIOD, MAX_CORRECTION_PERIOD
from portal.widgets import DataSelect, data_options

from .forms import ApplicationForm, organs
from .selectors import assignable_departments


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def date_field(label, required=True, help_text=""):
    return forms.DateField(
        label=label,
        required=required,
        widget=DateInput,
        input_formats=["%Y-%m-%d"],
        help_text=help_text,
    )


class RegisterForm(ApplicationForm):
    """An application received in person, by post or by fax (Art. 31)."""

    channel = forms.ChoiceField(
        label=_("申请方式"),
        choices=[c for c in Channel.choices if c[0] != Channel.ONLINE],
    )
    handed_in_on = date_field(_("当面提交日期"), required=False)
    signed_for_on = date_field(
        _("签收日期"),
        required=False,
        help_text=_("邮寄（挂号、快递）：本机关签收的日期。"),
    )
    confirmed_on = date_field(
        _("确认日期"),
        required=False,
        help_text=_("平常信函或传真：与申请人确认收到申请的日期。"),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("require_email", False)
        super().__init__(*args, **kwargs)
        del self.fields["website"]

    def receipt_dates(self) -> dict:
        return {
            name: self.cleaned_data.get(name)
            for name in ("handed_in_on", "signed_for_on", "confirmed_on")
        }


class ConfirmForm(forms.Form):
    received_on = date_field(
        _("确认收到日期"), required=False, help_text=_("为空时为今天。")
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("原因"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


class AssignForm(forms.Form):
    department = forms.ModelChoiceField(
        label=_("承办部门"), queryset=assignable_departments(), widget=DataSelect
    )


class CorrectionNoticeForm(forms.Form):
    items = forms.CharField(
        label=_("需要补正的事项"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("一次性写明需要补正的全部事项（条例第三十条）。"),
    )
    period = forms.IntegerField(
        label=_("补正期限（工作日）"),
        min_value=1,
        max_value=MAX_CORRECTION_PERIOD,
        initial=DEFAULT_CORRECTION_PERIOD,
    )


class RecordCorrectionForm(forms.Form):
    description = forms.CharField(
        label=_("补正后的申请内容"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    received_on = date_field(_("收到补正日期"))


class ConsultForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("征求意见"),
        choices=[
            (
                RequestPause.Kind.THIRD_PARTY,
                _("征求第三方意见（条例第三十二条，15个工作日）"),
            ),
            (
                RequestPause.Kind.OTHER_ORGAN,
                _("征求其他机关意见（条例第十八条、第三十四条，15个工作日）"),
            ),
        ],
    )
    party = forms.CharField(label=_("征求意见对象"), max_length=100)


class ConsultEndForm(forms.Form):
    pause = forms.IntegerField(widget=forms.HiddenInput)
    answer = forms.CharField(
        label=_("意见"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("逾期未提出意见的，写明“逾期未答复”。"),
    )
    answered_on = date_field(_("收到意见日期"))


class ExtensionForm(forms.Form):
    days = forms.IntegerField(
        label=_("延长工作日数"), min_value=1, max_value=20, initial=20
    )
    reason = forms.CharField(label=_("延期理由"), max_length=500)


class FeeNoticeForm(forms.Form):
    method = forms.ChoiceField(
        label=_("收费方式"), choices=FeeMethod.choices, widget=forms.RadioSelect
    )
    pages = forms.IntegerField(
        label=_("页数"), min_value=0, max_value=100000, required=False
    )


class PaymentForm(forms.Form):
    paid_on = date_field(_("缴费日期"))


class ReplyForm(forms.Form):
    reply_type = forms.ChoiceField(
        label=_("答复类型"), choices=[("", _("请选择"))] + ReplyType.choices
    )
    text = forms.CharField(
        label=_("答复的具体内容"),
        max_length=10000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "予以公开：提供的信息及方式；部分公开：不予公开部分及理由；"
            "本机关不掌握：负责公开的机关及联系方式；公开出版物：获取途径。"
        ),
    )


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("退回意见"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ProactiveForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=300)
    topic = forms.ModelChoiceField(
        label=_("主题分类"),
        queryset=TopicCategory.objects.filter(is_active=True, parent__isnull=False),
    )
    body = forms.CharField(
        label=_("正文"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("只写公开的信息本身，不写申请人的任何信息。"),
    )


class AppealForm(forms.ModelForm):
    request_number = forms.CharField(
        label=_("相关申请编号"), max_length=20, required=False
    )

    class Meta:
        model = AppealCase
        fields = [
            "organ",
            "kind",
            "case_number",
            "filed_on",
            "result",
            "decided_on",
            "summary",
        ]
        widgets = {
            "filed_on": DateInput,
            "decided_on": DateInput,
            "summary": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organ"].queryset = organs()
        data_options(self.fields["organ"])
        if self.instance.request_id:
            self.fields["request_number"].initial = self.instance.request.number

    def clean_request_number(self):
        number = self.cleaned_data["request_number"].strip().upper()
        if not number:
            return None
        found = InformationRequest.objects.filter(number=number).first()
        if found is None:
            raise forms.ValidationError(_("没有这个申请编号。"))
        return found

    def clean(self):
        data = super().clean()
        result, decided = data.get("result"), data.get("decided_on")
        if result == AppealCase.Result.PENDING and decided:
            self.add_error("decided_on", _("尚未审结的案件不填审结日期。"))
        if result and result != AppealCase.Result.PENDING and not decided:
            self.add_error("decided_on", _("已审结的案件请填写审结日期。"))
        if decided and data.get("filed_on") and decided < data["filed_on"]:
            self.add_error("decided_on", _("审结日期不能早于立案日期。"))
        if decided and decided > timezone.localdate():
            self.add_error("decided_on", _("审结日期不能晚于今天。"))
        organ, linked = data.get("organ"), data.get("request_number")
        if linked is not None and organ is not None and linked.organ_id != organ.pk:
            self.add_error("request_number", _("相关申请不是向该机关提出的。"))
        return data
