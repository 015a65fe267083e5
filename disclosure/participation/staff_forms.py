"""Forms of the staff pages: consultations, moderation, feedback, complaints
and the joint publication of a policy with its interpretations. They parse
input; the steps (``consultations``, ``feedback``, ``complaints``, the core
workflow) decide what may happen."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from disclosure.models import Complaint, Consultation, ConsultationComment
from portal.widgets import data_options

from .consultations import FIELDS
from .feedback import FEEDBACK_FIELDS

DATE_FORMATS = ["%Y-%m-%d"]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class ConsultationForm(forms.ModelForm):
    class Meta:
        model = Consultation
        fields = list(FIELDS)
        widgets = {
            "opens_on": DateInput(),
            "closes_on": DateInput(),
            "draft_text": forms.Textarea(attrs={"rows": 14}),
            "explanation": forms.Textarea(attrs={"rows": 6}),
            "short_period_reason": forms.Textarea(attrs={"rows": 3}),
            "offline_contact": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "draft_text": _(
                "可从 Word、WPS 粘贴；也可只写要点，并把征求意见稿作为附件上传。"
            ),
            "opens_on": _("从这一天起公众可以提交意见；发布时不能早于发布当天。"),
            "closes_on": _("这一天结束后不再接收意见。"),
        }

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments
        data_options(self.fields["department"])
        self.fields["department"].empty_label = _("请选择征集单位")
        for name in ("opens_on", "closes_on"):
            self.fields[name].input_formats = DATE_FORMATS
            self.fields[name].error_messages["invalid"] = _(
                "日期格式应为 YYYY-MM-DD，如 2026-03-02。"
            )
        for field in self.fields.values():
            field.error_messages["required"] = _("请填写“%(label)s”。") % {
                "label": field.label
            }

    def clean(self):
        cleaned = super().clean()
        for name in ("opens_on", "closes_on"):
            value = cleaned.get(name)
            if value and not 2000 <= value.year <= 2200:
                self.add_error(name, _("日期的年份应在2000至2200之间。"))
        return cleaned

    def data_for_step(self) -> dict:
        return {name: self.cleaned_data[name] for name in FIELDS}


class ReasonForm(forms.Form):
    comment = forms.CharField(
        label=_("意见"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": _("请写明需要修改的内容。")},
    )


class ModerationForm(forms.Form):
    state = forms.ChoiceField(
        label=_("审核结果"),
        choices=[
            (ConsultationComment.State.PUBLISHED, _("公开")),
            (ConsultationComment.State.HIDDEN, _("不公开，计入意见数（如含个人信息）")),
            (ConsultationComment.State.SPAM, _("无效，不计入（广告、与征集无关）")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择审核结果。")},
    )
    note = forms.CharField(
        label=_("审核说明（不公开）"), max_length=300, required=False
    )
    reply = forms.CharField(
        label=_("答复（随意见公开，选填）"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class FeedbackForm(forms.ModelForm):
    class Meta:
        model = Consultation
        fields = list(FEEDBACK_FIELDS)
        widgets = {
            "feedback_summary": forms.Textarea(attrs={"rows": 4}),
            "feedback_adopted": forms.Textarea(attrs={"rows": 6}),
            "feedback_not_adopted": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {
            "offline_comment_count": _("通过信函、电子邮件、座谈会等收到的意见条数。"),
            "feedback_summary": _("如：共收到意见建议X条，主要集中在……"),
            "feedback_adopted": _("采纳了哪些意见，作了哪些修改。"),
            "feedback_not_adopted": _("未采纳的意见及其理由。"),
        }


class LinkPolicyForm(forms.Form):
    index_number = forms.CharField(
        label=_("正式文件的索引号"),
        max_length=80,
        help_text=_("正式文件发布后填写，其公开页面将链接本次征集的反馈。"),
        error_messages={"required": _("请填写索引号。")},
    )


class AcceptComplaintForm(forms.Form):
    note = forms.CharField(label=_("说明（选填）"), max_length=500, required=False)


class ConcludeComplaintForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("办理结果"),
        choices=Complaint.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择办理结果。")},
    )
    outcome_text = forms.CharField(
        label=_("办理情况（告知投诉人）"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        error_messages={"required": _("请写明核查经过和处理情况。")},
    )


class PublishTogetherForm(forms.Form):
    interpretations = forms.ModelMultipleChoiceField(
        label=_("同步发布的解读"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("请至少选择一份解读。")},
    )
    publish_at = forms.DateTimeField(
        label=_("定时发布时间（选填，北京时间）"),
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(
            attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
        ),
        help_text=_("不填则立即发布；填写则政策和解读在同一时间自动公开。"),
        error_messages={"invalid": _("时间格式应为 YYYY-MM-DD HH:MM。")},
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["interpretations"].queryset = choices

    def clean_publish_at(self):
        value = self.cleaned_data.get("publish_at")
        if value is not None and value <= timezone.now():
            raise forms.ValidationError(_("定时发布的时间必须晚于现在。"))
        if value is not None and value > timezone.now() + datetime.timedelta(days=366):
            raise forms.ValidationError(_("定时发布的时间不能晚于一年以后。"))
        return value
