"""The admin of accounts, kept to the separation of duties
(``portal.accounts.duties``):

- Users: a role ticked in the groups list, a department role added in the
  memberships, or superuser checked, becomes a request that another
  administrator approves (授权申请); removing a role takes effect at once.
  Nobody changes their own roles, flags or single permissions (superusers
  included); single permissions are never given (roles only); only a
  superuser touches a superuser's or another administrator's account.
- Requests (授权申请): asked for here or from the user page, approved or
  rejected with the buttons on the request's page or the list's actions.
- The roles' permissions (groups) are defined by the migrations: read-only.
- Authenticators are set up by their holders; an administrator may only
  delete one (a reset), never add or change one.
- The account trail (账号与权限变更记录): read-only, for the auditor.
"""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin
from django.contrib.auth.models import Group
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from ..models import AccountAuditEntry, RoleGrant
from .grant_admin import RoleGrantAdmin
from .user_admin import PortalUserAdmin, administers_others


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RoleDefinitionAdmin(ReadOnlyAdmin, GroupAdmin):
    """The roles and their permissions, as the migrations define them."""


class DeviceAdmin(TOTPDeviceAdmin):
    """Authenticators: a security administrator resets (deletes) a lost one;
    nobody adds or changes another person's."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        if obj is not None and administers_others(request, obj.user):
            return False
        return super().has_delete_permission(request, obj)


class AccountAuditEntryAdmin(ReadOnlyAdmin):
    list_display = [
        "at",
        "actor",
        "actor_address",
        "subject_username",
        "action",
        "detail",
    ]
    list_filter = ["action"]
    search_fields = ["subject_username", "actor__username", "detail"]
    list_select_related = ["actor"]
    date_hierarchy = "at"

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


def register(site=admin.site) -> None:
    """Put these in place of Django's and django-otp's (idempotent)."""
    replacements = {
        get_user_model(): PortalUserAdmin,
        Group: RoleDefinitionAdmin,
        TOTPDevice: DeviceAdmin,
        RoleGrant: RoleGrantAdmin,
        AccountAuditEntry: AccountAuditEntryAdmin,
    }
    for model, model_admin in replacements.items():
        current = site._registry.get(model)
        if type(current) is model_admin:
            continue
        if current is not None:
            site.unregister(model)
        site.register(model, model_admin)
