"""Forms of the staff workspace. They parse and check input; the workflow
(``disclosure/workflow/``) decides what may happen."""

import datetime
import html

from django import forms
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from disclosure.deadlines import complete_deadline_facts
from disclosure.models import Ending, InterpretationForm, Item, ItemKind
from disclosure.models.deadline_facts import DEADLINE_FIELDS
from disclosure.sanitize import clean_html
from disclosure.validators import normalize_doc_number, validate_doc_number
from disclosure.workflow import CONTENT_INPUT_FIELDS
from portal.widgets import data_options

from .checks import own_department_ids
from .choices import department_choices, entry_choices
from .selectors import (
    catalog_entries_by_area,
    interpretable_items,
    topics_with_parents,
)

DATE_INPUT_FORMATS = ["%Y-%m-%d"]
DATETIME_INPUT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


def _check_year(value: datetime.date | None) -> None:
    if value and not 1949 <= value.year <= 2200:
        raise forms.ValidationError(_("日期的年份应在1949至2200之间。"))


def grouped_entry_choices(entries) -> list:
    """Catalog entries as <optgroup>s, one per area."""
    groups: dict[str, list] = {}
    for entry in entries:
        groups.setdefault(entry.area.name, []).append((entry.pk, str(entry)))
    return [("", _("（不属于公开目录中的事项）")), *groups.items()]


def grouped_topic_choices(topics) -> list:
    """Two-level topics: the children under their top-level topic; a top-level
    topic without children is a choice itself."""
    tops: dict[int, object] = {}
    children: dict[int, list] = {}
    for topic in topics:
        if topic.parent_id is None:
            tops[topic.pk] = topic
        else:
            children.setdefault(topic.parent_id, []).append(topic)
    choices: list = [("", _("请选择主题分类"))]
    single: list = []
    for pk, top in tops.items():
        if children.get(pk):
            choices.append(
                (top.label, [(child.pk, child.label) for child in children[pk]])
            )
        else:
            single.append((top.pk, top.label))
    if single:
        choices.append((_("其他一级分类"), single))
    return choices


def plain_text_to_html(text: str) -> str:
    """The body typed into the plain text area (no JavaScript): each paragraph
    becomes a <p>."""
    paragraphs = [line.strip() for line in text.splitlines()]
    return "".join(f"<p>{html.escape(line)}</p>" for line in paragraphs if line)


def _https_urls(field, **kwargs):
    """Addresses typed without a scheme are taken as https:// (Django 6's
    default, and the only scheme a video link may have)."""
    if isinstance(field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return field.formfield(**kwargs)


class ItemForm(forms.ModelForm):
    """The clerk's editor over the content fields of an item."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Item
        formfield_callback = _https_urls
        fields = [*Item.CONTENT_FIELDS, "change_note", "is_major_change"]
        widgets = {
            "formed_on": DateInput(),
            "event_on": DateInput(),
            "validity_changed_on": DateInput(),
            "effective_on": DateInput(),
            "expires_on": DateInput(),
            "body": forms.Textarea(
                attrs={
                    "rows": 16,
                    "class": "rich-editor-source",
                    "data-rich-editor": "",
                }
            ),
            "change_note": forms.Textarea(attrs={"rows": 3}),
            "non_disclosure_reason": forms.TextInput(),
        }
        help_texts = {
            "title": _("信息的正式标题，一般与文件标题一致。"),
            "interprets": _(
                "政策解读须选择它解读的政策文件（本部门的信息）；政策与解读审核通过后可同步发布。"
            ),
            "doc_number": _(
                "如：国办发〔2020〕26号。方括号、圆括号会自动改为六角括号〔〕；没有发文字号的不填。"
            ),
            "department": _("以哪个机构的名义发布。只能选择您担任信息员的机构。"),
            "catalog_entry": _(
                "这条信息对应公开目录中的哪个公开事项。系统按该事项的公开时限计算应公开日期。"
            ),
            "formed_on": _(
                "文件签发或信息形成、变更的日期。应公开日期从这一天起算（当日不计入）。"
            ),
            "topic": _("按国务院公开目录的主题分类选择二级分类。"),
            "keywords": _("多个主题词用空格分隔，如：补贴 公示。"),
            "validity_changed_on": _("有效性为“失效”或“废止”时填写变更日期。"),
            "document_class": _(
                "行政规范性文件须填写登记编号和施行日期；规章只能由有规章制定权的机关制定"
                "（区县政府及其部门没有）。年度报告表二按这里的标注统计。"
            ),
            "effective_on": _("文件开始施行的日期；晚于今天的显示为“尚未施行”。"),
            "non_disclosure_reason": _(
                "公开方式为“不予公开”时必填，如：属于国家秘密（条例第十四条）。"
            ),
            "body": _(
                "可以直接从 Word、WPS 复制粘贴：段落、标题、列表、表格会保留，字体、颜色等格式会去掉。"
            ),
        }

    def __init__(self, *args, user, departments, has_public_record=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.has_public_record = has_public_record
        if not has_public_record:
            del self.fields["change_note"]
            del self.fields["is_major_change"]
        department = self.fields["department"]
        department.queryset = departments
        department.empty_label = _("请选择发布机构")
        department.choices = department_choices(departments, department.empty_label)
        data_options(department)
        if self.instance.pk is None and not self.is_bound:
            only = list(departments[:2])
            if len(only) == 1:
                self.initial.setdefault("department", only[0].pk)
        entry = self.fields["catalog_entry"]
        entries = list(
            catalog_entries_by_area().select_related("responsible_department")
        )
        entry.queryset = catalog_entries_by_area()
        publisher = self.instance.department_id or self.initial.get("department")
        publishers = [publisher] if publisher else [d.pk for d in departments]
        entry.choices = entry_choices(entries, own_department_ids(publishers))
        data_options(entry)
        topic = self.fields["topic"]
        topic.queryset = topics_with_parents()
        topic.choices = grouped_topic_choices(topics_with_parents())
        self.fields["document_type"].empty_label = _("（不适用）")
        self.fields["kind"].required = False  # unset: an ordinary item
        interprets = self.fields["interprets"]
        interprets.queryset = interpretable_items(
            user, exclude=self.instance.pk, keep=self.instance.interprets_id
        )
        interprets.empty_label = _("（不是政策解读时不选）")
        data_options(interprets)
        self.fields["interpretation_form"].choices = [
            ("", _("（不是政策解读时不选）")),
            *InterpretationForm.choices,
        ]
        self.fields["version"].initial = self.instance.version
        self.fields["formed_on"].input_formats = DATE_INPUT_FORMATS
        for name in ("validity_changed_on", "effective_on", "expires_on", "event_on"):
            self.fields[name].input_formats = DATE_INPUT_FORMATS
        for field in self.fields.values():
            field.error_messages["required"] = _("请填写“%(label)s”。") % {
                "label": field.label
            }
        self.fields["formed_on"].error_messages["invalid"] = _(
            "日期格式应为 YYYY-MM-DD，如 2026-03-02。"
        )
        for name in ("validity_changed_on", "effective_on", "expires_on", "event_on"):
            self.fields[name].error_messages["invalid"] = _(
                "日期格式应为 YYYY-MM-DD，如 2026-03-02。"
            )
        for name in (
            "department",
            "catalog_entry",
            "topic",
            "document_type",
            "interprets",
        ):
            self.fields[name].error_messages["invalid_choice"] = _(
                "请从列表中选择一项。"
            )

    def clean_doc_number(self):
        value = normalize_doc_number(self.cleaned_data.get("doc_number") or "")
        validate_doc_number(value)
        return value

    def clean_formed_on(self):
        value = self.cleaned_data.get("formed_on")
        _check_year(value)
        if value and value > timezone.localdate() + datetime.timedelta(days=366):
            raise forms.ValidationError(_("成文日期不能晚于一年以后。"))
        return value

    def clean_validity_changed_on(self):
        value = self.cleaned_data.get("validity_changed_on")
        _check_year(value)
        return value

    def clean_effective_on(self):
        value = self.cleaned_data.get("effective_on")
        _check_year(value)
        return value

    def clean_expires_on(self):
        value = self.cleaned_data.get("expires_on")
        _check_year(value)
        return value

    def clean_registration_number(self):
        return " ".join((self.cleaned_data.get("registration_number") or "").split())

    def clean_body(self):
        value = self.cleaned_data.get("body") or ""
        if value.strip() and "<" not in value:
            value = plain_text_to_html(value)
        return clean_html(value)

    def clean_kind(self):
        return self.cleaned_data.get("kind") or ItemKind.ORDINARY

    def clean_title(self):
        return " ".join((self.cleaned_data.get("title") or "").split())

    def clean(self):
        cleaned = super().clean()
        if (
            self.has_public_record
            and cleaned.get("is_major_change")
            and not (cleaned.get("change_note") or "").strip()
        ):
            self.add_error(
                "change_note",
                _("勾选了“实质性修改”，请填写更新说明；它会在信息页面上公开显示。"),
            )
        facts, errors = complete_deadline_facts(
            cleaned.get("catalog_entry"),
            timezone.localdate(),
            **{name: cleaned.get(name) for name in DEADLINE_FIELDS},
        )
        cleaned.update(facts)
        for name, message in errors.items():
            self.add_error(name, message)
        return cleaned

    def content_data(self) -> dict:
        """The cleaned content, as the workflow takes it."""
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name in CONTENT_INPUT_FIELDS
        }


class ReviewForm(forms.Form):
    comment = forms.CharField(
        label=_("审核意见"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("审核通过时可不填；退回时必填，请写明需要修改的内容。"),
    )
    confidentiality_checked = forms.BooleanField(
        label=_(
            "已完成保密审查：信息不涉及国家秘密、工作秘密、商业秘密和个人隐私等不应公开的内容"
        ),
        required=False,
    )

    def __init__(self, *args, office_stage=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not office_stage:
            del self.fields["confidentiality_checked"]

    @property
    def confirms_confidentiality(self) -> bool:
        return bool(self.cleaned_data.get("confidentiality_checked"))


class PublishForm(forms.Form):
    NOW, LATER = "now", "later"

    when = forms.ChoiceField(
        label=_("发布方式"),
        choices=[(NOW, _("立即发布")), (LATER, _("定时发布"))],
        initial=NOW,
        widget=forms.RadioSelect,
    )
    publish_at = forms.DateTimeField(
        label=_("定时发布时间（北京时间）"),
        required=False,
        input_formats=DATETIME_INPUT_FORMATS,
        widget=DateTimeLocalInput(),
        help_text=_("选择“定时发布”时填写；到时信息自动公开。"),
        error_messages={"invalid": _("时间格式应为 YYYY-MM-DD HH:MM。")},
    )

    def __init__(self, *args, allow_schedule=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.allow_schedule = allow_schedule
        if not allow_schedule:
            self.fields["when"].choices = [(self.NOW, _("立即发布"))]
            del self.fields["publish_at"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("when") != self.LATER:
            cleaned["publish_at"] = None
            return cleaned
        at = cleaned.get("publish_at")
        if at is None:
            if "publish_at" not in self.errors:
                self.add_error("publish_at", _("定时发布请填写发布时间。"))
            return cleaned
        if at <= timezone.now():
            self.add_error("publish_at", _("定时发布的时间必须晚于现在。"))
        return cleaned


class ReasonForm(forms.Form):
    """The reason for withdrawing (``prefix="withdraw"``: shown on the public
    page) or removing (``prefix="remove"``: kept in the audit trail only)."""

    reason = forms.CharField(
        label=_("理由"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请写明理由。")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].help_text = (
            _("理由与操作记录一起保存，并与撤销日期一起显示在公开页面上。")
            if self.prefix == "withdraw"
            else _(
                "理由只保存在操作记录中，不对公众显示；公开页面只说明该信息已删除及删除日期。"
            )
        )


class WithdrawForm(ReasonForm):
    """撤回 (off the site) or 废止/失效 (the document stops having effect, its
    page stays), and whether its files can still be downloaded."""

    ending = forms.ChoiceField(
        label=_("撤回还是废止"),
        choices=Ending.choices,
        initial=Ending.TAKEN_DOWN,
        required=False,
        help_text=_(
            "撤回：信息不再公开（如误发），页面只显示撤回说明。废止或失效：文件停止"
            "执行，页面继续公开，有效性显示为废止或失效及其日期。"
        ),
        error_messages={
            "required": _("请选择撤回、废止或失效。"),
            "invalid_choice": _("请选择撤回、废止或失效。"),
        },
    )
    ended_on = forms.DateField(
        label=_("废止或失效日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("仅废止或失效时填写；不填为今天。"),
        error_messages={"invalid": _("请输入有效的日期，如 2026-01-31。")},
    )
    keep_attachments = forms.BooleanField(label=_("附件继续提供下载"), required=False)

    field_order = ["ending", "ended_on", "reason", "keep_attachments"]

    def clean_ending(self):
        return self.cleaned_data.get("ending") or Ending.TAKEN_DOWN


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        candidates = data if isinstance(data, list | tuple) else [data]
        files = [one for one in candidates if one]
        if not files:
            return [super().clean(None, initial)]
        single = super().clean
        return [single(one, initial) for one in files]


class AttachmentForm(forms.Form):
    files = MultipleFileField(
        label=_("选择文件"),
        help_text=_(
            "可一次选择多个文件。支持 PDF、OFD、Word（DOC/DOCX）、Excel（XLS/XLSX）、WPS、JPG、PNG。"
        ),
        error_messages={"required": _("请选择要上传的文件。")},
    )
    title = forms.CharField(
        label=_("显示名称（可选）"),
        max_length=200,
        required=False,
        help_text=_(
            "公众看到的附件名称；不填则用去掉扩展名的文件名。一次上传多个文件时不填。"
        ),
    )
