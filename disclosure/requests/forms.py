"""The citizens' forms: the application (Art. 29), tracking, the corrected
application and the answer to a fee notice. Every field is bounded; the
honeypot field must stay empty."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from catalog.models import Department
from disclosure.models import (
    ApplicantKind,
    DeliveryForm,
    DeliveryMethod,
    IdType,
    InformationRequest,
)
from disclosure.workflow.requests.intake import APPLICANT_FIELDS
from portal.widgets import data_options

MAX_DESCRIPTION = 3000
PHONE = re.compile(r"^[0-9+\-() ]{5,30}$")
RESIDENT_ID = re.compile(r"^\d{17}[\dX]$")
CREDIT_CODE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def resident_id_is_valid(number: str) -> bool:
    """GB 11643: 17 digits and a check character."""
    if not RESIDENT_ID.match(number):
        return False
    total = sum(int(d) * w for d, w in zip(number[:17], _ID_WEIGHTS, strict=True))
    return "10X98765432"[total % 11] == number[17]


def organs():
    """The organs that take applications: the government and its
    departments (not their internal offices)."""
    return Department.objects.filter(
        is_active=True,
        kind__in=[Department.Kind.GOVERNMENT, Department.Kind.DEPARTMENT],
    ).order_by("order", "code")


class ApplicationForm(forms.ModelForm):
    website = forms.CharField(
        label=_("请勿填写此项"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
        help_text=_("此项用于拦截自动程序，请留空。"),
    )

    class Meta:
        model = InformationRequest
        fields = APPLICANT_FIELDS
        widgets = {
            "applicant_kind": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 6}),
            "delivery_form": forms.RadioSelect,
            "delivery_method": forms.RadioSelect,
        }
        help_texts = {
            "description": _(
                "写明所需政府信息的名称、文号或者便于行政机关查询的其他特征性描述"
                "（条例第二十九条）。"
            ),
            "id_number": _(
                "自然人填写身份证件号码；法人或其他组织填写统一社会信用代码。"
            ),
            "representative": _("法人或者其他组织申请时填写。"),
        }

    def __init__(self, *args, require_email=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organ"].queryset = organs()
        self.fields["organ"].label = _("向哪个机关申请")
        self.fields["organ"].empty_label = _("请选择机关")
        data_options(self.fields["organ"])
        self.fields["applicant_kind"].choices = ApplicantKind.choices
        self.fields["delivery_form"].choices = DeliveryForm.choices
        self.fields["delivery_method"].choices = DeliveryMethod.choices
        self.fields["id_type"].choices = [("", _("请选择证件类型")), *IdType.choices]
        self.fields["id_number"].required = True
        self.fields["email"].required = require_email
        self.fields["description"].max_length = MAX_DESCRIPTION
        self.fields["description"].widget.attrs["maxlength"] = MAX_DESCRIPTION
        autocomplete = {
            "applicant_name": "name",
            "phone": "tel",
            "email": "email",
            "address": "street-address",
            "postcode": "postal-code",
        }
        for name, value in autocomplete.items():
            self.fields[name].widget.attrs["autocomplete"] = value

    APPLICANT_GROUP = (
        "applicant_kind",
        "applicant_name",
        "id_type",
        "id_number",
        "representative",
        "contact_person",
        "phone",
        "email",
        "address",
        "postcode",
    )
    REQUEST_GROUP = (
        "description",
        "document_number",
        "delivery_form",
        "delivery_method",
    )

    def applicant_group(self):
        return [self[name] for name in self.APPLICANT_GROUP]

    def request_group(self):
        return [self[name] for name in self.REQUEST_GROUP]

    def clean_id_number(self):
        return self.cleaned_data["id_number"].strip().upper().replace(" ", "")

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if not PHONE.match(phone):
            raise forms.ValidationError(_("请填写有效的联系电话。"))
        return phone

    def clean_postcode(self):
        postcode = self.cleaned_data.get("postcode", "").strip()
        if postcode and not re.fullmatch(r"\d{6}", postcode):
            raise forms.ValidationError(_("邮政编码应为6位数字。"))
        return postcode

    def clean_description(self):
        text = self.cleaned_data["description"].strip()
        if len(text) < 5:
            raise forms.ValidationError(_("请具体描述所需的政府信息。"))
        return text

    def clean(self):
        data = super().clean()
        if data.get("website"):
            raise forms.ValidationError(
                _("“请勿填写此项”一栏应当留空，请清空后重新提交。")
            )
        kind, id_type = data.get("applicant_kind"), data.get("id_type")
        number = data.get("id_number", "")
        if kind == ApplicantKind.NATURAL and id_type == IdType.CREDIT_CODE:
            self.add_error("id_type", _("自然人请选择个人身份证件。"))
        if kind and kind != ApplicantKind.NATURAL:
            if id_type != IdType.CREDIT_CODE and id_type != IdType.OTHER:
                self.add_error(
                    "id_type", _("法人或其他组织请选择统一社会信用代码证书或其他证件。")
                )
            if not data.get("representative", "").strip():
                self.add_error(
                    "representative", _("法人或其他组织请填写法定代表人或负责人。")
                )
        if (
            number
            and id_type == IdType.RESIDENT_ID
            and not resident_id_is_valid(number)
        ):
            self.add_error("id_number", _("居民身份证号码有误，请核对。"))
        if number and id_type == IdType.CREDIT_CODE and not CREDIT_CODE.match(number):
            self.add_error("id_number", _("统一社会信用代码应为18位，请核对。"))
        return data

    def applicant_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in APPLICANT_FIELDS}


class TrackForm(forms.Form):
    number = forms.CharField(
        label=_("申请编号"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    code = forms.CharField(
        label=_("查询码"),
        max_length=40,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
        help_text=_("提交申请时显示并发送到您电子邮箱的16位查询码，短横线可省略。"),
    )

    def clean_number(self):
        return self.cleaned_data["number"].strip().upper()


class CorrectionForm(forms.Form):
    description = forms.CharField(
        label=_("补正后的申请内容"),
        max_length=MAX_DESCRIPTION,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": MAX_DESCRIPTION}),
        help_text=_("按补正告知书的要求，完整写明所需政府信息的名称、文号或其他特征。"),
    )


class FeeResponseForm(forms.Form):
    ANSWERS = (("pay", _("我已缴费")), ("decline", _("我不缴纳信息处理费")))
    answer = forms.ChoiceField(
        label=_("对收费通知的回复"), choices=ANSWERS, widget=forms.RadioSelect
    )
    reference = forms.CharField(
        label=_("缴费凭证号"),
        max_length=60,
        required=False,
        help_text=_("已缴费的，请填写缴费凭证号，工作人员核对后继续办理。"),
    )

    def clean(self):
        data = super().clean()
        if data.get("answer") == "pay" and not data.get("reference", "").strip():
            self.add_error("reference", _("请填写缴费凭证号。"))
        return data
