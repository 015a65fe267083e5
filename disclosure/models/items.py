"""Disclosure items: the working copy that clerks edit and reviewers review,
with its workflow state (``disclosure/workflow/``), and the content fields it
shares with its public record.

An :class:`Item` is the working copy. What citizens see is the item's
:class:`~disclosure.models.records.PublicRecord`, written by the workflow when
a revision is published; changing a published item edits the working copy
while the public keeps seeing the record, until the new revision is published
in turn."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog.models import CatalogEntry, Department, DocumentType, TopicCategory


class Validity(models.TextChoices):
    VALID = "valid", _("有效")
    EXPIRED = "expired", _("失效")
    REPEALED = "repealed", _("废止")


class ItemKind(models.TextChoices):
    """政策解读 is an item of its own kind, linked to the policy it explains
    (国办发〔2016〕80号); every other item is ordinary."""

    ORDINARY = "ordinary", _("普通信息")
    INTERPRETATION = "interpretation", _("政策解读")


class InterpretationForm(models.TextChoices):
    TEXT = "text", _("文字解读")
    GRAPHIC = "graphic", _("图文解读")
    VIDEO = "video", _("视频解读")
    QA = "qa", _("问答解读")


def validate_https_url(value: str) -> None:
    if value and not value.lower().startswith("https://"):
        raise ValidationError(_("视频地址须以 https:// 开头。"), code="https")


class DisclosureMode(models.TextChoices):
    PROACTIVE = "proactive", _("主动公开")
    ON_REQUEST = "on_request", _("依申请公开")
    NOT_DISCLOSED = "not_disclosed", _("不予公开")


class Scope(models.TextChoices):
    PUBLIC = "public", _("面向社会")
    APPLICANT = "applicant", _("面向申请人")


class ItemContent(models.Model):
    """The metadata and text of an item (DOMAIN.md, "Metadata of a published
    item"), shared by the working copy and the public record."""

    department = models.ForeignKey(
        Department,
        verbose_name=_("发布机构"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    catalog_entry = models.ForeignKey(
        CatalogEntry,
        verbose_name=_("公开事项"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    title = models.CharField(_("标题"), max_length=300)
    body = models.TextField(_("正文"), blank=True)
    doc_number = models.CharField(_("发文字号"), max_length=60, blank=True)
    formed_on = models.DateField(_("成文日期"))
    topic = models.ForeignKey(
        TopicCategory,
        verbose_name=_("主题分类"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    document_type = models.ForeignKey(
        DocumentType,
        verbose_name=_("体裁"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    keywords = models.CharField(_("主题词"), max_length=200, blank=True)
    validity = models.CharField(
        _("有效性"), max_length=20, choices=Validity.choices, default=Validity.VALID
    )
    validity_changed_on = models.DateField(_("有效性变更日期"), null=True, blank=True)
    disclosure_mode = models.CharField(
        _("公开方式"),
        max_length=20,
        choices=DisclosureMode.choices,
        default=DisclosureMode.PROACTIVE,
    )
    non_disclosure_reason = models.CharField(
        _("不予公开理由"), max_length=300, blank=True
    )
    scope = models.CharField(
        _("公开范围"), max_length=20, choices=Scope.choices, default=Scope.PUBLIC
    )
    kind = models.CharField(
        _("信息类别"),
        max_length=20,
        choices=ItemKind.choices,
        default=ItemKind.ORDINARY,
        help_text=_("政策解读须选择所解读的政策，与政策同步起草、审核和发布。"),
    )
    interprets = models.ForeignKey(
        "disclosure.Item",
        verbose_name=_("所解读的政策"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    interpretation_form = models.CharField(
        _("解读形式"), max_length=20, choices=InterpretationForm.choices, blank=True
    )
    video_url = models.URLField(
        _("视频地址"),
        max_length=500,
        blank=True,
        validators=[validate_https_url],
        help_text=_("视频解读的播放页面地址（https://）。"),
    )

    #: Fields copied from the working copy to the public record on publishing,
    #: and compared by the reviewer's diff.
    CONTENT_FIELDS = (
        "title",
        "doc_number",
        "department",
        "catalog_entry",
        "formed_on",
        "topic",
        "document_type",
        "keywords",
        "validity",
        "validity_changed_on",
        "disclosure_mode",
        "non_disclosure_reason",
        "scope",
        "kind",
        "interprets",
        "interpretation_form",
        "video_url",
        "body",
    )

    class Meta:
        abstract = True

    @property
    def is_interpretation(self) -> bool:
        return self.kind == ItemKind.INTERPRETATION

    def content_snapshot(self) -> dict:
        """The content as plain JSON-able values (ids for relations)."""
        snapshot = {}
        for name in self.CONTENT_FIELDS:
            field = self._meta.get_field(name)
            value = getattr(self, field.attname)
            if isinstance(value, datetime.date):
                value = value.isoformat()
            snapshot[name] = value
        return snapshot


class Authored(models.Model):
    """Who created and last changed a record, and when."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("最后修改人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("最后修改时间"), default=timezone.now)

    class Meta:
        abstract = True


class ItemQuerySet(models.QuerySet):
    def for_departments(self, departments):
        return self.filter(department__in=departments)


class Item(ItemContent, Authored):
    """A disclosure item: the working copy and its workflow state."""

    class State(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("审核中")
        RETURNED = "returned", _("已退回")
        APPROVED = "approved", _("审核通过")
        SCHEDULED = "scheduled", _("定时发布")
        PUBLISHED = "published", _("已发布")
        WITHDRAWN = "withdrawn", _("已撤销")
        REMOVED = "removed", _("已删除（错发）")

    state = models.CharField(
        _("状态"), max_length=20, choices=State.choices, default=State.DRAFT
    )
    review_stage = models.CharField(_("当前审核环节"), max_length=20, blank=True)
    change_note = models.TextField(
        _("更新说明"),
        blank=True,
        help_text=_("修改已发布信息的实质内容时必填，将在信息页面公开显示。"),
    )
    is_major_change = models.BooleanField(
        _("实质性修改"),
        default=False,
        help_text=_(
            "修改了已发布信息的实质内容（须填写更新说明）；仅更正错别字等不勾选。"
        ),
    )
    due_on = models.DateField(_("应公开日期"), null=True, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)

    index_number = models.CharField(
        _("索引号"), max_length=80, unique=True, null=True, blank=True, editable=False
    )
    publish_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    first_published_at = models.DateTimeField(_("首次发布时间"), null=True, blank=True)
    late_working_days = models.IntegerField(
        _("逾期工作日数"),
        null=True,
        blank=True,
        help_text=_("首次发布时超过应公开日期的工作日数，0为按时。"),
    )

    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提交人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    return_comment = models.TextField(_("退回意见"), blank=True)

    objects = ItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("公开信息")
        verbose_name_plural = _("公开信息")
        ordering = ["-updated_at", "-pk"]
        indexes = [
            models.Index(fields=["state", "submitted_at"], name="item_state_submitted"),
            models.Index(fields=["department", "state"], name="item_dept_state"),
            models.Index(fields=["due_on"], name="item_due_on"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(disclosure_mode="not_disclosed")
                | ~Q(non_disclosure_reason=""),
                name="item_not_disclosed_needs_reason",
            ),
            models.CheckConstraint(
                condition=Q(kind="ordinary", interprets__isnull=True)
                | Q(kind="interpretation", interprets__isnull=False),
                name="item_interpretation_names_its_policy",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("workspace:item", args=[self.pk])

    def get_public_url(self):
        return reverse("disclosure:item", args=[self.pk])

    def clean(self):
        super().clean()
        errors = {}
        if (
            self.disclosure_mode == DisclosureMode.NOT_DISCLOSED
            and not self.non_disclosure_reason.strip()
        ):
            errors["non_disclosure_reason"] = _("不予公开的信息必须写明理由。")
        if self.validity != Validity.VALID and not self.validity_changed_on:
            errors["validity_changed_on"] = _("失效或废止的信息须填写变更日期。")
        errors.update(self._interpretation_errors())
        if errors:
            raise ValidationError(errors)

    @property
    def effective_state(self) -> str:
        """The state as of now: a scheduled item whose time has come is
        published, without any job having run."""
        if (
            self.state == self.State.SCHEDULED
            and self.publish_at
            and self.publish_at <= timezone.now()
        ):
            return self.State.PUBLISHED
        return self.state

    def get_effective_state_display(self):
        return self.State(self.effective_state).label

    def _interpretation_errors(self) -> dict:
        """A 政策解读 names the policy it explains (not itself, not another
        interpretation) and its form; a video interpretation its address.
        An ordinary item has none of these."""
        if self.kind != ItemKind.INTERPRETATION:
            errors = {}
            if self.interprets_id:
                errors["interprets"] = _("只有政策解读才选择所解读的政策。")
            if self.interpretation_form:
                errors["interpretation_form"] = _("只有政策解读才选择解读形式。")
            if self.video_url:
                errors["video_url"] = _("只有视频解读才填写视频地址。")
            return errors
        errors = {}
        policy = self.interprets
        if policy is None:
            errors["interprets"] = _("政策解读须选择所解读的政策。")
        elif self.pk is not None and policy.pk == self.pk:
            errors["interprets"] = _("政策解读不能解读它自己。")
        elif policy.kind == ItemKind.INTERPRETATION:
            errors["interprets"] = _("所选信息本身是政策解读，请选择被解读的政策文件。")
        if not self.interpretation_form:
            errors["interpretation_form"] = _("请选择解读形式。")
        elif self.interpretation_form == InterpretationForm.VIDEO:
            if not self.video_url:
                errors["video_url"] = _("视频解读须填写视频地址。")
        elif self.video_url:
            errors["video_url"] = _("只有视频解读才填写视频地址。")
        return errors
