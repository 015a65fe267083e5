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
from catalog.organs import organ_of
from disclosure import validity as validity_rules

from .choices import (  # the migrations name items.validate_https_url
    DisclosureMode,
    DocumentClass,
    InterpretationForm,
    ItemKind,
    Scope,
    Validity,
    validate_https_url,
)
from .deadline_facts import DEADLINE_FIELDS, DeadlineFacts


class ItemContent(DeadlineFacts):
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
    document_class = models.CharField(
        _("文件类别"),
        max_length=20,
        choices=DocumentClass.choices,
        blank=True,
        default=DocumentClass.OTHER,
    )
    registration_number = models.CharField(
        _("登记编号"),
        max_length=60,
        blank=True,
        help_text=_(
            "行政规范性文件统一登记、统一编号（国办发〔2018〕37号），如 SLQD01-2026-0003。"
        ),
    )
    effective_on = models.DateField(_("施行日期"), null=True, blank=True)
    expires_on = models.DateField(
        _("有效期至"),
        null=True,
        blank=True,
        help_text=_("有效期的最后一天；过了这一天，有效性自动显示为“失效”。"),
    )
    disclosure_mode = models.CharField(
        _("公开方式"),
        max_length=20,
        choices=DisclosureMode.choices,
        default=DisclosureMode.PROACTIVE,
        help_text=_(
            "主动公开：全文公开。依申请公开：公众只能在依申请公开目录中看到标题、"
            "发布机构、索引号和日期（网站设置开启时），正文和附件不公开。不予公开："
            "不出现在任何公开页面，仅作为本机关的记录。公开范围为面向申请人的，"
            "同样不公开。"
        ),
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
        *DEADLINE_FIELDS,
        "topic",
        "document_type",
        "keywords",
        "validity",
        "validity_changed_on",
        "document_class",
        "registration_number",
        "effective_on",
        "expires_on",
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

    def standing_on(self, day: datetime.date) -> str:
        """有效性 on ``day`` (``disclosure/validity.py``)."""
        return validity_rules.standing_on(
            day,
            validity=self.validity,
            changed_on=self.validity_changed_on,
            effective_on=self.effective_on,
            expires_on=self.expires_on,
        )

    @property
    def standing(self) -> str:
        """有效性 today: what every page shows (a document past its 有效期至
        is 失效 whatever is stored)."""
        return self.standing_on(timezone.localdate())

    @property
    def ended_on(self) -> datetime.date | None:
        """The first day no longer in force (repealed, expired or past its
        有效期至), if any."""
        return validity_rules.ended_on(
            validity=self.validity,
            changed_on=self.validity_changed_on,
            expires_on=self.expires_on,
        )

    def get_standing_display(self) -> str:
        return validity_rules.Standing(self.standing).label

    @property
    def is_normative(self) -> bool:
        return self.document_class == DocumentClass.NORMATIVE

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
        DISCARDED = "discarded", _("已删除（草稿）")

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
    publication_count = models.PositiveIntegerField(
        _("发布次数"),
        default=0,
        editable=False,
        help_text=_(
            "每次发布（含定时发布）加一，取消定时发布减一。送审中的版本是自上次"
            "发布以来的修改：它的修改人记录在同一轮次下（Contribution）。"
        ),
    )

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
            models.UniqueConstraint(
                fields=["registration_number"],
                condition=~Q(registration_number=""),
                name="item_unique_registration_number",
                violation_error_message=_("这个登记编号已被另一份文件使用。"),
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
        errors.update(self._document_class_errors())
        errors.update(self._interpretation_errors())
        if errors:
            raise ValidationError(errors)

    def _document_class_errors(self) -> dict:
        """行政规范性文件 are registered with a number and a 施行日期
        (国办发〔2018〕37号); only organs with rule-making power make 规章
        (立法法 Art. 93)."""
        errors = {}
        if self.document_class == DocumentClass.NORMATIVE:
            if not self.registration_number.strip():
                errors["registration_number"] = _(
                    "行政规范性文件须填写登记编号（统一登记、统一编号）。"
                )
            if not self.effective_on:
                errors["effective_on"] = _("行政规范性文件须填写施行日期。")
        elif self.registration_number.strip():
            errors["registration_number"] = _(
                "只有行政规范性文件有登记编号；请把文件类别选为“行政规范性文件”，或清空登记编号。"
            )
        if self.document_class == DocumentClass.RULES and self.department_id:
            organ = organ_of(self.department)
            if not organ.may_make_rules:
                errors["document_class"] = _(
                    "%(organ)s没有规章制定权（《立法法》第九十三条），信息不能标为规章。"
                ) % {"organ": organ.name}
        if (
            self.effective_on
            and self.expires_on
            and self.expires_on < self.effective_on
        ):
            errors["expires_on"] = _("有效期至不能早于施行日期。")
        return errors

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
