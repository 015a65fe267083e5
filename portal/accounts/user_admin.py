"""The admin of users (``PortalUserAdmin``): a role ticked in the groups list,
a department role added in the memberships, or superuser checked, becomes a
request for another administrator to approve; removing one takes effect at
once. Own roles, flags and single permissions are refused with the reason;
single permissions are never given; only a superuser changes a superuser's
or another administrator's account."""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.forms.models import BaseInlineFormSet
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalog.models import Membership

from ..models import RoleGrant
from . import duties
from .duties import DutyRefused

Kind = RoleGrant.Kind


def administers_others(request, obj) -> bool:
    """``obj`` is an account only a superuser may change: a superuser's, or
    another administrator's (so that no administrator takes over a peer who
    approves their requests)."""
    if obj is None or request.user.is_superuser or obj.pk == request.user.pk:
        return False
    return (
        obj.is_superuser
        or obj.groups.filter(name__in=duties.ADMINISTRATOR_GROUPS).exists()
    )


def requested_message(grant) -> str:
    return _(
        "已提交授权申请：%(user)s · %(role)s。须由另一名管理员在“授权申请”中批准后生效。"
    ) % {"user": grant.user.get_username(), "role": grant.role_label}


# --- users --------------------------------------------------------------------------------


class MembershipFormSet(BaseInlineFormSet):
    acting_user = None

    def clean(self):
        super().clean()
        for form in self.forms:
            if getattr(form, "cleaned_data", {}).get("DELETE") and form.instance.pk:
                refusal = duties.revoke_refusal(by=self.acting_user, user=self.instance)
                if refusal:
                    duties.record_refusal(
                        refusal, by=self.acting_user, user=self.instance
                    )
                    form.add_error(None, refusal)
                continue
            if not form.instance._state.adding or not form.has_changed():
                continue
            if not hasattr(form, "cleaned_data") or form.cleaned_data.get("DELETE"):
                continue
            department = form.cleaned_data.get("department")
            role = form.cleaned_data.get("role")
            if department is None or not role:
                continue
            refusal = duties.request_refusal(
                by=self.acting_user,
                user=self.instance,
                kind=Kind.MEMBERSHIP,
                department=department,
                membership_role=role,
            )
            if refusal:
                duties.record_refusal(refusal, by=self.acting_user, user=self.instance)
                form.add_error(None, refusal)


class MembershipInline(admin.TabularInline):
    """Existing rows are read-only; a new row is a request; a deleted row is
    revoked."""

    model = Membership
    formset = MembershipFormSet
    extra = 0
    fields = ["department", "role"]

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        return type(formset.__name__, (formset,), {"acting_user": request.user})

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request, obj):
        # Also on one's own page, where the formset refuses it with the
        # reason (and the trail records the attempt).
        if obj is None:
            return False
        return duties.can_request(request.user) and super().has_add_permission(
            request, obj
        )


class GrantRequestFormMixin:
    """On the user page: roles ticked become requests, checked here first."""

    acting_user = None

    def clean(self):
        cleaned = super().clean()
        user = self.instance
        self.requested_groups, self.revoked_groups = [], []
        if "groups" in self.fields and "groups" in cleaned:
            old = set(user.groups.all())
            new = set(cleaned["groups"])
            self.requested_groups = sorted(new - old, key=lambda group: group.name)
            self.revoked_groups = sorted(old - new, key=lambda group: group.name)
            for group in self.requested_groups:
                self._check(kind=Kind.GROUP, group=group, field="groups")
            if self.revoked_groups:
                refusal = duties.revoke_refusal(by=self.acting_user, user=user)
                if refusal:
                    duties.record_refusal(refusal, by=self.acting_user, user=user)
                    self.add_error("groups", refusal)
        self.superuser_requested = bool(
            "is_superuser" in self.fields
            and cleaned.get("is_superuser")
            and not user.is_superuser
        )
        if self.superuser_requested:
            self._check(kind=Kind.SUPERUSER, field="is_superuser")
        return cleaned

    def _check(self, *, field, **role):
        refusal = duties.request_refusal(
            by=self.acting_user, user=self.instance, **role
        )
        if refusal:
            duties.record_refusal(refusal, by=self.acting_user, user=self.instance)
            self.add_error(field, refusal)


class PortalUserAdmin(UserAdmin):
    inlines = [MembershipInline]

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if obj is None:
            return form
        return type(
            form.__name__, (GrantRequestFormMixin, form), {"acting_user": request.user}
        )

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        return [
            *fieldsets,
            (_("待批准的授权申请"), {"fields": ["pending_grants"]}),
        ]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        fields += ["user_permissions", "pending_grants"]
        if not request.user.is_superuser:
            fields += ["is_superuser", "last_login", "date_joined"]
        if obj is not None and obj.pk == request.user.pk:
            # Own roles and flags: shown, not editable (a department role
            # added below is refused with the reason).
            fields += ["is_staff", "is_active", "is_superuser", "groups"]
        return list(dict.fromkeys(fields))

    @admin.display(description=gettext_lazy("待批准的授权申请"))
    def pending_grants(self, obj):
        grants = RoleGrant.objects.filter(
            user=obj, state=RoleGrant.State.PENDING
        ).select_related("group", "department", "requested_by")
        if not grants:
            return "—"
        return format_html_join(
            "",
            '<p><a href="{}">{}</a>（{}）</p>',
            (
                (
                    reverse("admin:portal_rolegrant_change", args=[grant.pk]),
                    grant.role_label,
                    _("%(user)s 申请") % {"user": grant.requested_by.get_username()},
                )
                for grant in grants
            ),
        )

    def has_change_permission(self, request, obj=None):
        if administers_others(request, obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.pk == request.user.pk:
            return False
        if administers_others(request, obj):
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if getattr(form, "superuser_requested", False):
            obj.is_superuser = False  # asked for; given when approved
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        requested = getattr(form, "requested_groups", [])
        for group in getattr(form, "revoked_groups", []):
            duties.revoke_group(by=request.user, user=form.instance, group=group)
        if "groups" in form.cleaned_data:
            form.cleaned_data["groups"] = list(form.instance.groups.all())
        super().save_related(request, form, formsets, change)
        roles = [{"kind": Kind.GROUP, "group": group} for group in requested]
        if getattr(form, "superuser_requested", False):
            roles.append({"kind": Kind.SUPERUSER})
        for role in roles:
            self._request(request, form.instance, role)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Membership:
            return super().save_formset(request, form, formset, change)
        added = formset.save(commit=False)
        for membership in formset.deleted_objects:
            duties.revoke_membership(by=request.user, membership=membership)
        for membership in added:
            self._request(
                request,
                form.instance,
                {
                    "kind": Kind.MEMBERSHIP,
                    "department": membership.department,
                    "membership_role": membership.role,
                },
            )

    def _request(self, request, user, role):
        try:
            grant = duties.request_grant(by=request.user, user=user, **role)
        except DutyRefused as refusal:
            self.message_user(request, str(refusal), messages.ERROR)
        else:
            self.message_user(request, requested_message(grant), messages.WARNING)
