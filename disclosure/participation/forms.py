"""Forms the public fills in: a comment on a consultation, a complaint, a
subscription. Each has size limits, and a honeypot field that people never
see (hidden by the stylesheet, skipped by the keyboard); a post that fills it
is treated as sent and stored nowhere. The rate limit per address is the
views' (``portal.ratelimit``)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from catalog.models import Department
from disclosure.models import Complaint, Subscription
from portal.widgets import DataSelect

COMMENT_MAX = 5000
HONEYPOT = "hp_field"


class HoneypotForm(forms.Form):
    hp_field = forms.CharField(
        label=_("此项请留空"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    @property
    def is_spam(self) -> bool:
        return bool((self.data.get(HONEYPOT) or "").strip())

    def visible(self):
        return [field for field in self if field.name != HONEYPOT]


def _required(label):
    return {"required": _("请填写“%(label)s”。") % {"label": label}}


class CommentForm(HoneypotForm):
    body = forms.CharField(
        label=_("意见内容"),
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 10, "maxlength": COMMENT_MAX}),
        help_text=_("请围绕征求意见稿提出意见和建议，最多5000字。意见经审核后公开。"),
        error_messages={
            **_required(_("意见内容")),
            "max_length": _("意见内容最多5000字（现在%(show_value)s字）。"),
        },
    )
    name = forms.CharField(
        label=_("姓名或称呼（选填）"),
        max_length=50,
        required=False,
        help_text=_("公开时显示；不填则显示为“网友”。"),
    )
    contact = forms.CharField(
        label=_("联系方式（选填）"),
        max_length=100,
        required=False,
        help_text=_("电话或电子邮箱，仅用于就您的意见与您联系，不会公开。"),
    )


class ComplaintForm(HoneypotForm):
    kind = forms.ChoiceField(
        label=_("投诉类型"),
        choices=Complaint.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择投诉类型。")},
    )
    department = forms.ModelChoiceField(
        label=_("被投诉机关（选填）"),
        queryset=Department.objects.filter(is_active=True),
        required=False,
        empty_label=_("不清楚或未列出"),
        widget=DataSelect,
        error_messages={"invalid_choice": _("请从列表中选择机关。")},
    )
    subject = forms.CharField(
        label=_("涉及的信息或申请（选填）"),
        max_length=300,
        required=False,
        help_text=_("如信息标题、网址、索引号，或政府信息公开申请的提交日期。"),
    )
    description = forms.CharField(
        label=_("投诉内容"),
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 8, "maxlength": COMMENT_MAX}),
        help_text=_("请写明哪个机关、什么信息、应当如何公开而没有做到。"),
        error_messages={
            **_required(_("投诉内容")),
            "max_length": _("投诉内容最多5000字（现在%(show_value)s字）。"),
        },
    )
    name = forms.CharField(
        label=_("姓名或名称（选填）"), max_length=100, required=False
    )
    contact = forms.CharField(
        label=_("联系电话或地址（选填）"), max_length=200, required=False
    )
    email = forms.EmailField(
        label=_("电子邮箱（选填）"),
        required=False,
        help_text=_("填写后，受理和办结情况会发送到这个邮箱。"),
        error_messages={"invalid": _("请填写有效的电子邮箱地址。")},
    )


class SubscribeForm(HoneypotForm):
    email = forms.EmailField(
        label=_("电子邮箱"),
        max_length=254,
        error_messages={
            **_required(_("电子邮箱")),
            "invalid": _("请填写有效的电子邮箱地址。"),
        },
    )
    frequency = forms.ChoiceField(
        label=_("发送频率"),
        choices=Subscription.Frequency.choices,
        initial=Subscription.Frequency.DAILY,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择发送频率。")},
    )
    # The query being subscribed to (hidden; checked by queries.parse_query).
    q = forms.CharField(required=False, max_length=200, widget=forms.HiddenInput)
    department = forms.CharField(
        required=False, max_length=40, widget=forms.HiddenInput
    )
    topic = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput)
    entry = forms.CharField(required=False, max_length=12, widget=forms.HiddenInput)
    type = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput)


class ManageLinkForm(HoneypotForm):
    email = forms.EmailField(
        label=_("电子邮箱"),
        max_length=254,
        error_messages={
            **_required(_("电子邮箱")),
            "invalid": _("请填写有效的电子邮箱地址。"),
        },
    )


class FrequencyForm(forms.Form):
    key = forms.CharField(max_length=32, widget=forms.HiddenInput)
    frequency = forms.ChoiceField(
        label=_("发送频率"), choices=Subscription.Frequency.choices
    )
