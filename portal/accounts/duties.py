"""Separation of duties for accounts (三员分立, 双人授权): one place to read.

- Nobody gives a role, a department membership or superuser to their own
  account, superusers included.
- Every grant takes two administrators: one requests it (``request_grant``),
  another approves it (``approve_grant``); only then does it take effect. The
  approver is neither the requester, nor the account holder, nor whoever
  created the account. So one administrator can never create an account and
  make it a reviewer, a department head or another administrator on their
  own. Taking a role away (``revoke_*``) needs one administrator: it only
  ever lowers what an account can do.
- The three administrator roles (系统管理员, 安全管理员, 审计管理员) are held
  by different people, and none of them also holds a business role (审核员,
  公开办管理员, a department membership): whoever administers the system does
  not also publish in it, and the auditor audits others.
- Only a superuser may request or approve superuser rights.

Each function re-reads the rows under a lock, checks again, writes in one
transaction and leaves the account trail (``portal.accounts.audit``) to
record what changed. A refusal is recorded in the trail too.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import Membership

from ..models import AccountAuditEntry, RoleGrant
from . import audit, notify
from .audit import DutyRefused
from .roles import GROUP_LABELS, role_label

User = get_user_model()
Action = AccountAuditEntry.Action
Kind = RoleGrant.Kind

__all__ = [
    "ADMINISTRATOR_GROUPS",
    "BUSINESS_GROUPS",
    "DutyRefused",
    "approve_grant",
    "decision_refusal",
    "record_refusal",
    "reject_grant",
    "request_grant",
    "request_refusal",
    "revoke_group",
    "revoke_refusal",
    "revoke_membership",
]

ADMINISTRATOR_GROUPS = frozenset({"system_admin", "security_admin", "auditor"})
BUSINESS_GROUPS = frozenset({"reviewer", "office_admin"})


def account_creator_id(user) -> int | None:
    """Who created the account, from the trail (None: the command line)."""
    return (
        AccountAuditEntry.objects.filter(subject_id=user.pk, action=Action.CREATE)
        .order_by("pk")
        .values_list("actor_id", flat=True)
        .first()
    )


def holds(user, *, kind, group=None, department=None, membership_role="") -> bool:
    if kind == Kind.GROUP:
        return user.groups.filter(pk=group.pk).exists()
    if kind == Kind.MEMBERSHIP:
        return Membership.objects.filter(
            user=user, department=department, role=membership_role
        ).exists()
    return user.is_superuser


def conflict(user, *, kind, group=None, **role) -> str:
    """Why ``user`` may not hold the role as well as the roles they hold ('' if
    they may)."""
    if kind == Kind.SUPERUSER:
        return ""
    held = set(user.groups.values_list("name", flat=True))
    label = role_label(kind=kind, group=group, **role)
    held_admin = sorted(held & ADMINISTRATOR_GROUPS)
    if kind == Kind.GROUP and group.name in ADMINISTRATOR_GROUPS:
        others = [name for name in held_admin if name != group.name]
        if others:
            return _("三员分立：该账号已是%(held)s，不能再兼任%(role)s。") % {
                "held": str(GROUP_LABELS[others[0]]),
                "role": label,
            }
        business = sorted(held & BUSINESS_GROUPS)
        if business or Membership.objects.filter(user=user).exists():
            held_label = str(GROUP_LABELS[business[0]]) if business else _("机构角色")
            return _(
                "管理员不得兼任业务角色：该账号已有%(held)s，不能再授予%(role)s。"
            ) % {"held": held_label, "role": label}
        return ""
    if held_admin:
        return _("管理员不得兼任业务角色：该账号是%(held)s，不能再授予%(role)s。") % {
            "held": str(GROUP_LABELS[held_admin[0]]),
            "role": label,
        }
    return ""


# --- who may do what -------------------------------------------------------------------


def can_request(user) -> bool:
    return user.is_active and user.has_perm("portal.add_rolegrant")


def can_decide(user) -> bool:
    return user.is_active and user.has_perm("portal.approve_rolegrant")


def request_refusal(*, by, user, kind, group=None, department=None, membership_role=""):
    """Why ``by`` may not ask for this role for ``user`` ('' if they may)."""
    role = {
        "group": group,
        "department": department,
        "membership_role": membership_role,
    }
    if by.pk == user.pk:
        return _("不能为自己申请角色或权限：授权须由其他管理员办理。")
    if not can_request(by):
        return _("您没有提交授权申请的权限。")
    if kind == Kind.SUPERUSER and not by.is_superuser:
        return _("只有超级管理员可以申请授予超级管理员权限。")
    if not user.is_active:
        return _("该账号已停用，不能授予角色。")
    if holds(user, kind=kind, **role):
        return _("该账号已有“%(role)s”。") % {"role": role_label(kind=kind, **role)}
    if RoleGrant.objects.filter(
        user=user, kind=kind, state=RoleGrant.State.PENDING, **role
    ).exists():
        return _("“%(role)s”已有待批准的申请。") % {
            "role": role_label(kind=kind, **role)
        }
    return conflict(user, kind=kind, **role)


def decision_refusal(*, by, grant, approve: bool) -> str:
    """Why ``by`` may not approve (or reject) ``grant`` ('' if they may). The
    requester may withdraw their own request (a rejection)."""
    if grant.state != RoleGrant.State.PENDING:
        return _("该申请已经处理过了。")
    if not approve and by.pk == grant.requested_by_id:
        return ""
    if approve:
        if by.pk == grant.user_id:
            return _("不能批准授予自己的角色。")
        if by.pk == grant.requested_by_id:
            return _("不能批准自己提交的申请：授权须由另一名管理员批准。")
        if by.pk == account_creator_id(grant.user):
            return _("该账号是您创建的：授予它角色须由另一名管理员批准。")
    if not can_decide(by):
        return _("您没有批准或驳回授权申请的权限。")
    if not approve:
        return ""
    if grant.kind == Kind.SUPERUSER and not by.is_superuser:
        return _("只有超级管理员可以批准授予超级管理员权限。")
    if not grant.user.is_active:
        return _("该账号已停用，不能授予角色。")
    role = {
        "group": grant.group,
        "department": grant.department,
        "membership_role": grant.membership_role,
    }
    return conflict(grant.user, kind=grant.kind, **role)


def record_refusal(message: str, *, by, user) -> None:
    """A refused change of roles, in the trail (committed with the caller's
    transaction, which a refusal does not roll back)."""
    with audit.acting_as(by):
        audit.record(
            Action.REFUSED,
            subject=user,
            detail=message,
        )


def _refused(message: str, *, by, user):
    record_refusal(message, by=by, user=user)
    raise DutyRefused(message)


# --- services -------------------------------------------------------------------------


def request_grant(
    *, by, user, kind, group=None, department=None, membership_role="", basis=""
) -> RoleGrant:
    """Ask for a role for ``user``; it takes effect when another
    administrator approves it."""
    role = {
        "group": group,
        "department": department,
        "membership_role": membership_role,
    }
    refusal = request_refusal(by=by, user=user, kind=kind, **role)
    if refusal:
        _refused(refusal, by=by, user=user)
    with transaction.atomic(), audit.acting_as(by):
        user = User.objects.select_for_update().get(pk=user.pk)
        refusal = request_refusal(by=by, user=user, kind=kind, **role)
        if refusal:
            raise DutyRefused(refusal)
        grant = RoleGrant.objects.create(
            user=user, kind=kind, basis=basis, requested_by=by, **role
        )
        audit.record(
            Action.GRANT_REQUEST,
            subject=user,
            detail=audit.in_records_language(_grant_text, grant),
        )
    return grant


def _grant_text(grant) -> str:
    return _("申请编号 %(number)d：%(role)s；依据：%(basis)s；申请人：%(by)s") % {
        "number": grant.pk,
        "role": grant.role_label,
        "basis": grant.basis or "—",
        "by": grant.requested_by.get_username(),
    }


def _locked(grant) -> RoleGrant:
    return (
        RoleGrant.objects.select_for_update(of=("self",))
        .select_related("user", "group", "department", "requested_by")
        .get(pk=grant.pk)
    )


def approve_grant(*, grant, by) -> RoleGrant:
    refusal = decision_refusal(by=by, grant=grant, approve=True)
    if refusal:
        _refused(refusal, by=by, user=grant.user)
    with transaction.atomic(), audit.acting_as(by):
        grant = _locked(grant)
        grant.user = User.objects.select_for_update().get(pk=grant.user_id)
        refusal = decision_refusal(by=by, grant=grant, approve=True)
        if refusal:
            raise DutyRefused(refusal)
        with audit.applying(grant):
            _apply(grant)
        grant.state = RoleGrant.State.APPROVED
        grant.decided_by = by
        grant.decided_at = timezone.now()
        grant.save(update_fields=["state", "decided_by", "decided_at"])
        audit.record(
            Action.GRANT_APPROVE,
            subject=grant.user,
            detail=audit.in_records_language(_grant_text, grant),
        )
        notify.role_granted(grant)
    return grant


def _apply(grant) -> None:
    user = grant.user
    if grant.kind == Kind.GROUP:
        user.groups.add(grant.group)
        if grant.group.name in ADMINISTRATOR_GROUPS and not user.is_staff:
            user.is_staff = True  # the administrators work in the admin
            user.save(update_fields=["is_staff"])
    elif grant.kind == Kind.MEMBERSHIP:
        Membership.objects.get_or_create(
            user=user, department=grant.department, role=grant.membership_role
        )
    else:
        user.is_superuser = user.is_staff = True
        user.save(update_fields=["is_superuser", "is_staff"])


def reject_grant(*, grant, by, note: str = "") -> RoleGrant:
    refusal = decision_refusal(by=by, grant=grant, approve=False)
    if refusal:
        _refused(refusal, by=by, user=grant.user)
    with transaction.atomic(), audit.acting_as(by):
        grant = _locked(grant)
        refusal = decision_refusal(by=by, grant=grant, approve=False)
        if refusal:
            raise DutyRefused(refusal)
        grant.state = RoleGrant.State.REJECTED
        grant.decided_by = by
        grant.decided_at = timezone.now()
        grant.decision_note = note
        grant.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
        audit.record(
            Action.GRANT_REJECT,
            subject=grant.user,
            detail=audit.in_records_language(_grant_text, grant)
            + (f"；意见：{note}" if note else ""),
        )
    return grant


def revoke_refusal(*, by, user) -> str:
    """Why ``by`` may not take a role away from ``user`` ('' if they may)."""
    if by.pk == user.pk:
        return _("不能更改自己的角色：请由其他管理员办理。")
    if not (by.is_active and by.has_perm("auth.change_user")):
        return _("您没有管理账号的权限。")
    if user.is_superuser and not by.is_superuser:
        return _("只有超级管理员可以更改超级管理员的账号。")
    return ""


def revoke_group(*, by, user, group: Group) -> None:
    refusal = revoke_refusal(by=by, user=user)
    if refusal:
        _refused(refusal, by=by, user=user)
    with transaction.atomic(), audit.acting_as(by):
        user.groups.remove(group)


def revoke_membership(*, by, membership: Membership) -> None:
    refusal = revoke_refusal(by=by, user=membership.user)
    if refusal:
        _refused(refusal, by=by, user=membership.user)
    with transaction.atomic(), audit.acting_as(by):
        existing = Membership.objects.filter(pk=membership.pk).first()
        if existing is not None:
            existing.delete()
