"""Disclosure items, their public record, attachments, revisions and audit trail.

An :class:`Item` is the working copy that clerks edit and reviewers review, with
its workflow state (``disclosure/workflow.py``). What citizens see is the
item's :class:`PublicRecord`, written by the workflow when a revision is
published; changing a published item edits the working copy while the public
keeps seeing the record, until the new revision is published in turn.
"""

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
        "body",
    )

    class Meta:
        abstract = True

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


class PublicRecord(ItemContent):
    """What the public sees of an item: the last published revision."""

    class Status(models.TextChoices):
        LIVE = "live", _("公开")
        WITHDRAWN = "withdrawn", _("已撤销")
        REMOVED = "removed", _("已删除")

    item = models.OneToOneField(
        Item,
        verbose_name=_("公开信息"),
        on_delete=models.PROTECT,
        primary_key=True,
        related_name="public_record",
    )
    index_number = models.CharField(_("索引号"), max_length=80, unique=True)
    published_at = models.DateTimeField(
        _("发布日期"), help_text=_("首次发布时间；定时发布时为预定时间。")
    )
    updated_at = models.DateTimeField(_("更新时间"))
    status = models.CharField(
        _("公开状态"), max_length=20, choices=Status.choices, default=Status.LIVE
    )
    status_changed_at = models.DateTimeField(_("状态变更时间"), null=True, blank=True)
    status_reason = models.TextField(_("撤销或删除理由"), blank=True)
    revision_number = models.PositiveIntegerField(_("公开版本号"), default=1)
    # Derived search tokens (disclosure/search.py), kept up to date by save();
    # indexed by PostgreSQL GIN indexes or an SQLite FTS5 table (migration 0003).
    title_tokens = models.TextField(
        _("标题检索词"), blank=True, default="", editable=False
    )
    search_tokens = models.TextField(
        _("全文检索词"), blank=True, default="", editable=False
    )

    #: Fields the search tokens are made from.
    SEARCHED_FIELDS = frozenset(
        {"title", "doc_number", "keywords", "body", "index_number"}
    )

    class Meta:
        verbose_name = _("公开记录")
        verbose_name_plural = _("公开记录")
        ordering = ["-published_at", "-item_id"]
        indexes = [
            models.Index(
                fields=["-published_at", "-item"], name="record_published_desc"
            ),
            # The public listings (live records only, newest first), each
            # with the primary key last and the facet columns included: a
            # page's keys, its capped count and its facet sample are
            # index-only scans (the included columns: PostgreSQL only).
            models.Index(
                fields=["-published_at", "-item"],
                name="record_live_published",
                condition=models.Q(status="live"),
                include=["department", "topic", "document_type"],
            ),
            models.Index(
                fields=["department", "-published_at", "-item"],
                name="record_live_dept",
                condition=models.Q(status="live"),
                include=["topic", "document_type"],
            ),
            models.Index(
                fields=["topic", "-published_at", "-item"],
                name="record_live_topic",
                condition=models.Q(status="live"),
                include=["department", "document_type"],
            ),
            models.Index(
                fields=["catalog_entry", "-published_at", "-item"],
                name="record_live_entry",
                condition=models.Q(status="live"),
                include=["department", "topic", "document_type"],
            ),
        ]

    def __str__(self):
        return f"{self.index_number} {self.title}"

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is None:
            self.refresh_search_tokens()
        elif self.SEARCHED_FIELDS.intersection(update_fields):
            self.refresh_search_tokens()
            kwargs["update_fields"] = {
                *update_fields,
                "title_tokens",
                "search_tokens",
            }
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("disclosure:item", args=[self.item_id])

    def refresh_search_tokens(self) -> None:
        """Recompute the search tokens (call before ``bulk_create``, which
        bypasses ``save()``)."""
        from disclosure.search import record_tokens

        self.title_tokens, self.search_tokens = record_tokens(self)

    @property
    def is_visible(self) -> bool:
        return (
            self.status != self.Status.REMOVED and self.published_at <= timezone.now()
        )


class ChangeNote(models.Model):
    """更新说明: a public note on a major change to a published item."""

    record = models.ForeignKey(
        PublicRecord,
        verbose_name=_("公开记录"),
        on_delete=models.PROTECT,
        related_name="change_notes",
    )
    changed_at = models.DateTimeField(_("更新时间"))
    note = models.TextField(_("更新说明"))

    class Meta:
        verbose_name = _("更新说明")
        verbose_name_plural = _("更新说明")
        ordering = ["changed_at", "pk"]

    def __str__(self):
        return f"{self.changed_at:%Y-%m-%d} {self.note[:30]}"


def attachment_path(instance, filename):
    # The stored name is never the uploaded one: a random token and the
    # extension of the detected type.
    return f"attachments/{instance.item_id}/{instance.token}.{instance.extension}"


def public_attachment_path(instance, filename):
    return (
        f"attachments/{instance.item_id}/{instance.token}.public.{instance.extension}"
    )


class Attachment(models.Model):
    """A file attached to an item. ``in_draft``: part of the working copy;
    ``is_published``: part of the public record."""

    item = models.ForeignKey(
        Item,
        verbose_name=_("公开信息"),
        on_delete=models.PROTECT,
        related_name="attachments",
    )
    token = models.CharField(_("存储标识"), max_length=32, unique=True, editable=False)
    file = models.FileField(_("文件"), upload_to=attachment_path, max_length=200)
    public_file = models.FileField(
        _("公开副本"),
        upload_to=public_attachment_path,
        max_length=200,
        blank=True,
        help_text=_("去除作者、单位、修订记录等文档属性后的副本，公众下载的是它。"),
    )
    public_sha256 = models.CharField(_("公开副本 SHA-256"), max_length=64, blank=True)
    original_name = models.CharField(_("原文件名"), max_length=200)
    extension = models.CharField(_("文件类型"), max_length=10)
    content_type = models.CharField(_("MIME 类型"), max_length=100)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    order = models.PositiveIntegerField(_("排序"), default=0)
    in_draft = models.BooleanField(_("在工作稿中"), default=True)
    is_published = models.BooleanField(_("已公开"), default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["order", "pk"]

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse("disclosure:attachment", args=[self.item_id, self.token])

    @property
    def public_copy(self):
        """The file the public downloads: the copy without document metadata
        when one was made, else the original (nothing to remove)."""
        return self.public_file or self.file

    @property
    def public_etag_hash(self) -> str:
        return self.public_sha256 or self.sha256


class Revision(models.Model):
    """A snapshot of the working copy, written on every save."""

    item = models.ForeignKey(
        Item,
        verbose_name=_("公开信息"),
        on_delete=models.PROTECT,
        related_name="revisions",
    )
    number = models.PositiveIntegerField(_("版本号"))
    content = models.JSONField(_("内容"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("修改人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("修订版本")
        verbose_name_plural = _("修订版本")
        ordering = ["item", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "number"], name="unique_revision_number"
            )
        ]

    def __str__(self):
        return f"{self.item_id} v{self.number}"


class ReviewConfig(models.Model):
    """Review stages of a department's items: the disclosure office review
    always; a department head sign-off before it when required."""

    department = models.OneToOneField(
        Department,
        verbose_name=_("机构"),
        on_delete=models.CASCADE,
        related_name="review_config",
    )
    head_signoff = models.BooleanField(
        _("须部门负责人签批"),
        default=False,
        help_text=_("勾选后，信息先经本部门负责人签批，再由政务公开办公室审核。"),
    )

    class Meta:
        verbose_name = _("审核流程设置")
        verbose_name_plural = _("审核流程设置")

    def __str__(self):
        return str(self.department)


class IndexSerial(models.Model):
    """The last serial number given per publisher code and year."""

    publisher_code = models.CharField(_("发布机构代码"), max_length=40)
    year = models.PositiveSmallIntegerField(_("年份"))
    last_serial = models.PositiveIntegerField(_("已用流水号"), default=0)

    class Meta:
        verbose_name = _("索引号流水")
        verbose_name_plural = _("索引号流水")
        constraints = [
            models.UniqueConstraint(
                fields=["publisher_code", "year"], name="unique_serial_per_year"
            )
        ]

    def __str__(self):
        return f"{self.publisher_code}/{self.year}: {self.last_serial}"


class AppendOnlyError(Exception):
    pass


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("audit entries are never changed")

    def delete(self):
        raise AppendOnlyError("audit entries are never deleted")


class AuditEntry(models.Model):
    """One transition or edit. Append-only: never updated or deleted (the
    model refuses, the admin is read-only, and on PostgreSQL a trigger
    rejects UPDATE and DELETE)."""

    class Action(models.TextChoices):
        CREATE = "create", _("创建")
        EDIT = "edit", _("修改")
        ATTACH = "attach", _("上传附件")
        DETACH = "detach", _("删除附件")
        SUBMIT = "submit", _("提交审核")
        APPROVE = "approve", _("审核通过")
        RETURN = "return", _("退回修改")
        PUBLISH = "publish", _("发布")
        SCHEDULE = "schedule", _("定时发布")
        UNSCHEDULE = "unschedule", _("取消定时发布")
        WITHDRAW = "withdraw", _("撤销")
        REMOVE = "remove", _("删除（错发）")

    item = models.ForeignKey(
        Item,
        verbose_name=_("公开信息"),
        on_delete=models.PROTECT,
        related_name="audit_entries",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    action = models.CharField(_("操作"), max_length=20, choices=Action.choices)
    from_state = models.CharField(
        _("原状态"), max_length=20, choices=Item.State.choices, blank=True
    )
    to_state = models.CharField(
        _("新状态"), max_length=20, choices=Item.State.choices, blank=True
    )
    stage = models.CharField(_("审核环节"), max_length=20, blank=True)
    comment = models.TextField(_("意见或说明"), blank=True)
    revision = models.ForeignKey(
        Revision,
        verbose_name=_("版本"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("操作记录")
        verbose_name_plural = _("操作记录")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None or not self._state.adding:
            raise AppendOnlyError("audit entries are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit entries are never deleted")
