"""What the workflow keeps besides an item: its revisions, who touched the
revision under review, the review stages per department, the index-number
serials, the append-only audit trail and the publication generation."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog.models import Department
from portal.append_only import AuditTrail, action_field, actor_field, at_field

from .items import Item


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


class Contribution(models.Model):
    """Who touched the content of an item's revision under review, and how:
    written by the workflow (``disclosure/workflow/``) in the same transaction
    as the touch. The revision under review is everything since the item's
    last publication (or since its creation): the rows whose ``round`` is the
    item's ``publication_count``. Whoever has a row there may neither sign
    off, approve nor publish that revision (``disclosure.permissions``)."""

    class Kind(models.TextChoices):
        CREATE = "create", _("创建")
        EDIT = "edit", _("修改内容")
        ATTACH = "attach", _("上传附件")
        DETACH = "detach", _("删除附件")
        SUBMIT = "submit", _("提交审核")

    item = models.ForeignKey(
        Item,
        verbose_name=_("公开信息"),
        on_delete=models.PROTECT,
        related_name="contributions",
    )
    round = models.PositiveIntegerField(
        _("发布轮次"), help_text=_("修改时该信息已发布的次数。")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("修改人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("修改方式"), max_length=20, choices=Kind.choices)
    at = models.DateTimeField(_("首次时间"), default=timezone.now)

    class Meta:
        verbose_name = _("送审内容修改人")
        verbose_name_plural = _("送审内容修改人")
        ordering = ["item", "round", "at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "round", "user", "kind"],
                name="unique_contribution",
            )
        ]

    def __str__(self):
        return f"{self.item_id}#{self.round} {self.user_id} {self.kind}"


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


class AuditEntry(AuditTrail):
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
        REPEAL = "repeal", _("废止或失效")
        DISCARD = "discard", _("删除草稿")
        RECALL = "recall", _("撤回审核")

    item = models.ForeignKey(
        Item,
        verbose_name=_("公开信息"),
        on_delete=models.PROTECT,
        related_name="audit_entries",
    )
    actor = actor_field()
    at = at_field()
    action = action_field(Action.choices)
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

    class Meta(AuditTrail.Meta):
        verbose_name = _("操作记录")
        verbose_name_plural = _("操作记录")


class PublicationGeneration(models.Model):
    """One row: a number bumped in every transaction that changes what the
    public sees (``disclosure/publication.py``). Every server process reads it
    at most once a second and keys its cached public pages by it, so a
    withdrawal shows in every process, with or without a shared cache. Not
    data of the portal: the archive leaves it out."""

    value = models.BigIntegerField(_("代数"))
    bumped_at = models.DateTimeField(_("最近变更时间"))

    class Meta:
        verbose_name = _("公开内容代数")
        verbose_name_plural = _("公开内容代数")

    def __str__(self):
        return str(self.value)
