"""What the public sees of an item: its public record, change notes and
attachments (of the working copy and of the record)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import Ending
from .items import Item, ItemContent


class PublicRecord(ItemContent):
    """What the public sees of an item: the last published revision."""

    class Status(models.TextChoices):
        LIVE = "live", _("公开")
        WITHDRAWN = "withdrawn", _("已撤销")
        REMOVED = "removed", _("已删除")
        #: 依申请公开: only the metadata line of the on-request list.
        ON_REQUEST = "on_request", _("依申请公开（仅目录）")
        #: 不予公开 or 面向申请人: on no public surface at all.
        WITHHELD = "withheld", _("不公开")

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
    ending = models.CharField(
        _("撤回或废止"), max_length=20, choices=Ending.choices, blank=True
    )
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
        constraints = [
            # Fail closed (条例 Arts. 14-16): a record of an item that is not
            # 主动公开 to the public is never live; a 依申请公开 record is a
            # metadata line only, a withheld one keeps no text.
            models.CheckConstraint(
                condition=Q(status__in=["removed", "withheld"], body="")
                | Q(status="removed", disclosure_mode="proactive", scope="public")
                | Q(
                    status__in=["live", "withdrawn"],
                    disclosure_mode="proactive",
                    scope="public",
                )
                | Q(
                    status="on_request",
                    disclosure_mode="on_request",
                    scope="public",
                    body="",
                ),
                name="record_public_only_when_proactive",
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


def default_attachment_title(file_name: str) -> str:
    """A file's name without its folder and extension."""
    name = (file_name or "").replace("\\", "/").rsplit("/", 1)[-1]
    stem, dot, _extension = name.rpartition(".")
    return (stem if dot and stem else name)[:200]


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
    title = models.CharField(
        _("显示名称"),
        max_length=200,
        blank=True,
        help_text=_("公众看到的附件名称，默认为去掉扩展名的文件名。"),
    )
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
    def display_title(self) -> str:
        """What the public sees: the title, else the file's name without its
        extension (r3.docx → r3)."""
        return self.title or default_attachment_title(self.original_name)

    @property
    def has_public_copy(self) -> bool:
        """Whether a copy without document metadata was made (or the check
        found nothing to remove): without one, there is no public download."""
        return bool(self.public_file) or self.public_sha256 == self.sha256

    @property
    def public_copy(self):
        """The file the public downloads: the copy without document metadata
        when one was made, the original when the check found nothing to remove
        (``public_sha256`` is then its hash), else the empty ``public_file``,
        which cannot be opened. Never the original by default."""
        if self.public_file or not self.has_public_copy:
            return self.public_file
        return self.file

    @property
    def public_etag_hash(self) -> str:
        return self.public_sha256
