"""Accounts: the trail of every change of accounts, roles and memberships
(append-only, like the items' audit trail), and the requests for a role that
a second administrator approves (``portal.accounts.duties``)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .accounts.roles import role_label
from .append_only import (
    AppendOnlyError,
    AuditTrail,
    action_field,
    actor_field,
    at_field,
)

__all__ = ["AccountAuditEntry", "AppendOnlyError", "RoleGrant"]


class AccountAuditEntry(AuditTrail):
    """One change of an account, its roles, its department memberships or its
    authenticator, or one step of a role request. Append-only: the model
    refuses changes, the admin is read-only, and on PostgreSQL a trigger
    rejects UPDATE and DELETE (migration 0002). The account is kept by id and
    name, so that its history outlives it."""

    class Action(models.TextChoices):
        CREATE = "create", _("创建账号")
        CHANGE = "change", _("修改账号")
        DELETE = "delete", _("删除账号")
        PASSWORD = "password", _("设置密码")
        GROUP_ADD = "group_add", _("授予角色")
        GROUP_REMOVE = "group_remove", _("撤销角色")
        MEMBERSHIP_ADD = "membership_add", _("授予机构角色")
        MEMBERSHIP_REMOVE = "membership_remove", _("撤销机构角色")
        PERMISSION_ADD = "permission_add", _("授予单项权限")
        PERMISSION_REMOVE = "permission_remove", _("撤销单项权限")
        ROLE_DEFINITION = "role_definition", _("修改角色权限")
        DEVICE_ADD = "device_add", _("启用身份验证器")
        DEVICE_REMOVE = "device_remove", _("删除身份验证器")
        GRANT_REQUEST = "grant_request", _("提交授权申请")
        GRANT_APPROVE = "grant_approve", _("批准授权申请")
        GRANT_REJECT = "grant_reject", _("驳回授权申请")
        REFUSED = "refused", _("拒绝的操作")

    at = at_field()
    actor = actor_field(
        null=True,
        blank=True,
        help_text=_("空：命令行或系统任务（如 createsuperuser）。"),
    )
    actor_address = models.GenericIPAddressField(_("来源地址"), null=True, blank=True)
    subject_id = models.PositiveBigIntegerField(_("账号ID"), null=True, blank=True)
    subject_username = models.CharField(_("账号"), max_length=150, blank=True)
    action = action_field(Action.choices)
    detail = models.TextField(_("内容"), blank=True)

    class Meta(AuditTrail.Meta):
        verbose_name = _("账号与权限变更记录")
        verbose_name_plural = _("账号与权限变更记录")
        indexes = [
            models.Index(fields=["subject_id", "at"], name="account_audit_subject")
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.subject_username} {self.get_action_display()}"


class RoleGrant(models.Model):
    """A request to give an account a role: a group (审核员, 安全管理员 …), a
    department role (信息员, 部门负责人) or superuser. It takes effect only
    when another administrator approves it (``portal.accounts.duties``)."""

    class Kind(models.TextChoices):
        GROUP = "group", _("角色")
        MEMBERSHIP = "membership", _("机构角色")
        SUPERUSER = "superuser", _("超级管理员")

    class State(models.TextChoices):
        PENDING = "pending", _("待批准")
        APPROVED = "approved", _("已批准")
        REJECTED = "rejected", _("已驳回")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("账号"),
        on_delete=models.CASCADE,
        related_name="role_grants",
    )
    kind = models.CharField(_("授权类型"), max_length=20, choices=Kind.choices)
    group = models.ForeignKey(
        "auth.Group",
        verbose_name=_("角色"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    department = models.ForeignKey(
        "catalog.Department",
        verbose_name=_("机构"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    membership_role = models.CharField(
        _("机构角色"),
        max_length=20,
        blank=True,
        choices=[("clerk", _("信息员")), ("head", _("部门负责人"))],
    )
    basis = models.CharField(
        _("授权依据"),
        max_length=200,
        blank=True,
        help_text=_("如任命文件、审批单编号。"),
    )
    state = models.CharField(
        _("状态"), max_length=20, choices=State.choices, default=State.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申请人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("申请时间"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("批准或驳回人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    decision_note = models.CharField(_("处理意见"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("授权申请")
        verbose_name_plural = _("授权申请")
        ordering = ["-requested_at", "-pk"]
        permissions = [("approve_rolegrant", _("可以批准或驳回授权申请"))]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(
                        kind="group",
                        group__isnull=False,
                        department__isnull=True,
                        membership_role="",
                    )
                    | models.Q(
                        kind="membership",
                        group__isnull=True,
                        department__isnull=False,
                        membership_role__in=["clerk", "head"],
                    )
                    | models.Q(
                        kind="superuser",
                        group__isnull=True,
                        department__isnull=True,
                        membership_role="",
                    )
                ),
                name="role_grant_kind_fields",
            ),
            models.CheckConstraint(
                condition=~models.Q(requested_by=models.F("user")),
                name="role_grant_not_for_oneself",
            ),
            # One pending request per account and role.
            models.UniqueConstraint(
                fields=["user", "group"],
                condition=models.Q(state="pending", kind="group"),
                name="one_pending_group_grant",
            ),
            models.UniqueConstraint(
                fields=["user", "department", "membership_role"],
                condition=models.Q(state="pending", kind="membership"),
                name="one_pending_membership_grant",
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(state="pending", kind="superuser"),
                name="one_pending_superuser_grant",
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.role_label}"

    @property
    def role_label(self) -> str:
        return role_label(
            kind=self.kind,
            group=self.group,
            department=self.department,
            membership_role=self.membership_role,
        )
