"""The roles' names as people read them (groups made by the migrations, the
department roles of ``catalog.Membership``)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalog.models import Membership

GROUP_LABELS = {
    "reviewer": gettext_lazy("审核员"),
    "office_admin": gettext_lazy("公开办管理员"),
    "system_admin": gettext_lazy("系统管理员"),
    "security_admin": gettext_lazy("安全管理员"),
    "auditor": gettext_lazy("审计管理员"),
}
MEMBERSHIP_ROLE_LABELS = dict(Membership.Role.choices)


def group_label(group) -> str:
    return str(GROUP_LABELS.get(group.name, group.name))


def role_label(*, kind, group=None, department=None, membership_role="") -> str:
    """``kind`` as ``RoleGrant.Kind``: group, membership or superuser."""
    if kind == "group":
        return group_label(group)
    if kind == "membership":
        role = MEMBERSHIP_ROLE_LABELS.get(membership_role, membership_role)
        return f"{department} · {role}"
    return _("超级管理员")
