"""The receivers that write the account trail (``portal.accounts.audit``) for
every change of an account, its roles, single permissions, department
memberships and authenticator, whichever path made it; and refuse, where a
person acts, what the separation of duties forbids (``audit.guard_addition``)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver
from django.utils import translation
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from catalog.models import Membership

from . import notify
from .audit import (
    Action,
    DutyRefused,
    current_actor,
    guard_addition,
    guard_role_definition,
    in_records_language,
    record,
)
from .roles import group_label

User = get_user_model()

#: Account fields whose changes are recorded (never the password hash).
TRACKED_FIELDS = (
    "username",
    "first_name",
    "last_name",
    "email",
    "is_active",
    "is_staff",
    "is_superuser",
)


def _membership_label(membership) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return f"{membership.department} · {membership.get_role_display()}"


def _group_label(group) -> str:
    return in_records_language(group_label, group)


# --- receivers: accounts ----------------------------------------------------------------


@receiver(pre_save, sender=User, dispatch_uid="portal_account_pre_save")
def _account_before(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw:
        return
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return
    old = None
    if instance.pk is not None:
        old = (
            User.objects.filter(pk=instance.pk)
            .values("password", *TRACKED_FIELDS)
            .first()
        )
    instance._portal_before = old
    was_superuser = bool(old and old["is_superuser"])
    was_staff = bool(old and old["is_staff"])
    if instance.is_superuser and not was_superuser:
        guard_addition(instance.pk, _("超级管理员"))
    if instance.is_staff and not was_staff:
        actor = current_actor()
        if actor.user is not None and actor.user.pk == instance.pk:
            guard_addition(instance.pk, _("登录管理后台"))


FLAG_TEXT = {
    ("is_active", True): "启用账号",
    ("is_active", False): "停用账号",
    ("is_staff", True): "允许登录管理后台",
    ("is_staff", False): "取消登录管理后台",
    ("is_superuser", True): "设为超级管理员",
    ("is_superuser", False): "取消超级管理员",
}
FIELD_TEXT = {
    "username": "用户名",
    "first_name": "名",
    "last_name": "姓",
    "email": "电子邮箱",
}


@receiver(post_save, sender=User, dispatch_uid="portal_account_post_save")
def _account_after(sender, instance, created, raw=False, update_fields=None, **kwargs):
    if raw or not hasattr(instance, "_portal_before"):
        return
    old = instance.__dict__.pop("_portal_before")
    actor = current_actor()
    if created or old is None:
        details = [f"电子邮箱：{instance.email or '—'}"]
        details += [
            FLAG_TEXT[(name, True)]
            for name in ("is_staff", "is_superuser")
            if getattr(instance, name)
        ]
        record(Action.CREATE, subject=instance, detail="；".join(details), actor=actor)
        return
    changes = []
    for name in TRACKED_FIELDS:
        before, after = old[name], getattr(instance, name)
        if before == after:
            continue
        if (name, after) in FLAG_TEXT:
            changes.append(FLAG_TEXT[(name, after)])
        else:
            changes.append(f"{FIELD_TEXT[name]}：{before or '—'} → {after or '—'}")
    if changes:
        record(Action.CHANGE, subject=instance, detail="；".join(changes), actor=actor)
    if old["password"] != instance.password:
        rehash = update_fields is not None and set(update_fields) == {"password"}
        if rehash and actor.user is None:
            return  # the hasher upgraded at login: no new password
        if actor.user is None:
            detail = (
                "通过密码重置邮件链接设置了新密码" if actor.guarded else "设置了新密码"
            )
        elif actor.user.pk == instance.pk:
            detail = "本人修改了密码"
        else:
            detail = "管理员设置了新密码"
            notify.password_set_by_administrator(instance, actor.user)
        record(Action.PASSWORD, subject=instance, detail=detail, actor=actor)


@receiver(post_delete, sender=User, dispatch_uid="portal_account_deleted")
def _account_deleted(sender, instance, **kwargs):
    record(Action.DELETE, subject=instance)


# --- receivers: roles ---------------------------------------------------------------------


def _pairs(instance, model, pk_set, reverse: bool):
    """(user, other) pairs of an m2m change, in either direction."""
    if not pk_set:
        return []
    if reverse:  # group.user_set.add(users): instance is the group
        return [(user, instance) for user in User.objects.filter(pk__in=pk_set)]
    return [(instance, other) for other in model.objects.filter(pk__in=pk_set)]


@receiver(m2m_changed, sender=User.groups.through, dispatch_uid="portal_groups")
def _groups_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if action == "pre_clear":
        instance._portal_cleared = list(
            instance.user_set.all() if reverse else instance.groups.all()
        )
        return
    if action == "post_clear":
        cleared = instance.__dict__.pop("_portal_cleared", [])
        pairs = (
            [(user, instance) for user in cleared]
            if reverse
            else [(instance, group) for group in cleared]
        )
        for user, group in pairs:
            record(Action.GROUP_REMOVE, subject=user, detail=_group_label(group))
        return
    if action not in {"pre_add", "post_add", "post_remove"}:
        return
    pairs = _pairs(instance, model, pk_set, reverse)
    for user, group in pairs:
        if action == "pre_add":
            what = _("角色“%(role)s”") % {"role": group_label(group)}
            guard_addition(user.pk, what)
        elif action == "post_add":
            record(Action.GROUP_ADD, subject=user, detail=_group_label(group))
        else:
            record(Action.GROUP_REMOVE, subject=user, detail=_group_label(group))


@receiver(
    m2m_changed, sender=User.user_permissions.through, dispatch_uid="portal_perms"
)
def _permissions_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if action == "pre_add":
        if current_actor().guarded:
            raise DutyRefused(_("单项权限不能直接授予账号，请通过角色授权。"))
        return
    if action not in {"post_add", "post_remove"}:
        return
    kind = Action.PERMISSION_ADD if action == "post_add" else Action.PERMISSION_REMOVE
    for user, permission in _pairs(instance, model, pk_set, reverse):
        record(
            kind,
            subject=user,
            detail=f"{permission.content_type.app_label}.{permission.codename}",
        )


@receiver(m2m_changed, sender=Group.permissions.through, dispatch_uid="portal_roles")
def _role_definition_changed(
    sender, instance, action, reverse, model, pk_set, **kwargs
):
    if action.startswith("pre_"):
        guard_role_definition()
        return
    if action not in {"post_add", "post_remove"} or not pk_set:
        return
    groups = Group.objects.filter(pk__in=pk_set) if reverse else [instance]
    permissions = [instance] if reverse else Permission.objects.filter(pk__in=pk_set)
    verb = "增加" if action == "post_add" else "去掉"
    for group in groups:
        for permission in permissions:
            record(
                Action.ROLE_DEFINITION,
                detail=f"{_group_label(group)}：{verb} {permission.codename}",
            )


# --- receivers: department memberships ------------------------------------------------------


@receiver(pre_save, sender=Membership, dispatch_uid="portal_membership_pre_save")
def _membership_before(sender, instance, raw=False, **kwargs):
    if raw:
        return
    old = None
    if instance.pk is not None:
        old = (
            Membership.objects.filter(pk=instance.pk)
            .select_related("department")
            .first()
        )
    instance._portal_before = old
    if old is None or (old.department_id, old.role) != (
        instance.department_id,
        instance.role,
    ):
        guard_addition(
            instance.user_id,
            f"{instance.department} · {instance.get_role_display()}",
        )


@receiver(post_save, sender=Membership, dispatch_uid="portal_membership_post_save")
def _membership_after(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    old = instance.__dict__.pop("_portal_before", None)
    if old is not None and (old.department_id, old.role) == (
        instance.department_id,
        instance.role,
    ):
        return
    if old is not None:
        record(
            Action.MEMBERSHIP_REMOVE,
            subject=instance.user,
            detail=_membership_label(old),
        )
    record(
        Action.MEMBERSHIP_ADD, subject=instance.user, detail=_membership_label(instance)
    )


@receiver(post_delete, sender=Membership, dispatch_uid="portal_membership_deleted")
def _membership_deleted(sender, instance, **kwargs):
    user = User.objects.filter(pk=instance.user_id).first()
    record(
        Action.MEMBERSHIP_REMOVE,
        subject=user,
        subject_id=instance.user_id,
        detail=_membership_label(instance),
    )


# --- receivers: authenticators ----------------------------------------------------------------


@receiver(pre_save, sender=TOTPDevice, dispatch_uid="portal_device_pre_save")
def _device_before(sender, instance, raw=False, **kwargs):
    if raw:
        return
    instance._portal_was_confirmed = bool(
        instance.pk
        and TOTPDevice.objects.filter(pk=instance.pk, confirmed=True).exists()
    )


@receiver(post_save, sender=TOTPDevice, dispatch_uid="portal_device_post_save")
def _device_after(sender, instance, raw=False, **kwargs):
    if raw:
        return
    was_confirmed = instance.__dict__.pop("_portal_was_confirmed", False)
    if instance.confirmed and not was_confirmed:
        record(Action.DEVICE_ADD, subject=instance.user, detail=instance.name)


@receiver(post_delete, sender=TOTPDevice, dispatch_uid="portal_device_deleted")
def _device_deleted(sender, instance, **kwargs):
    if not instance.confirmed:
        return
    user = User.objects.filter(pk=instance.user_id).first()
    if user is None:
        return  # deleted with its account: the account's deletion is recorded
    record(Action.DEVICE_REMOVE, subject=user, detail=instance.name)
    actor = current_actor()
    if actor.user is not None and actor.user.pk != user.pk:
        notify.authenticator_removed_by_administrator(user, actor.user)
