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

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from catalog.models import Department, Membership

from ..models import AccountAuditEntry, RoleGrant
from . import duties
from .duties import DutyRefused

Kind = RoleGrant.Kind


def _administers_others(request, obj) -> bool:
    """``obj`` is an account only a superuser may change: a superuser's, or
    another administrator's (so that no administrator takes over a peer who
    approves their requests)."""
    if obj is None or request.user.is_superuser or obj.pk == request.user.pk:
        return False
    return obj.is_superuser or obj.groups.filter(
        name__in=duties.ADMINISTRATOR_GROUPS
    ).exists()


def _requested_message(grant) -> str:
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
        refusal = duties.request_refusal(by=self.acting_user, user=self.instance, **role)
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
            # Shown and refused with the reason if changed: the roles
            # (groups, memberships) are checked by the duties' rules.
            fields += ["is_staff", "is_active", "is_superuser"]
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
        if _administers_others(request, obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.pk == request.user.pk:
            return False
        if _administers_others(request, obj):
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
            self.message_user(request, _requested_message(grant), messages.WARNING)


# --- requests -------------------------------------------------------------------------------


class RoleGrantForm(forms.ModelForm):
    acting_user = None

    class Meta:
        model = RoleGrant
        fields = ["user", "kind", "group", "department", "membership_role", "basis"]
        widgets = {"kind": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "department" in self.fields:
            self.fields["department"].queryset = Department.objects.filter(
                is_active=True
            )
        if "kind" in self.fields and not self.acting_user.is_superuser:
            self.fields["kind"].choices = [
                choice for choice in Kind.choices if choice[0] != Kind.SUPERUSER
            ]

    def clean(self):
        cleaned = super().clean()
        kind, user = cleaned.get("kind"), cleaned.get("user")
        role = {"group": None, "department": None, "membership_role": ""}
        if kind == Kind.GROUP:
            role["group"] = cleaned.get("group")
            if role["group"] is None:
                self.add_error("group", _("请选择要授予的角色。"))
        elif kind == Kind.MEMBERSHIP:
            role["department"] = cleaned.get("department")
            role["membership_role"] = cleaned.get("membership_role") or ""
            if role["department"] is None:
                self.add_error("department", _("请选择机构。"))
            if not role["membership_role"]:
                self.add_error("membership_role", _("请选择机构角色。"))
        cleaned.update(role)
        if kind and user is not None and not self.errors:
            refusal = duties.request_refusal(by=self.acting_user, user=user, kind=kind, **role)
            if refusal:
                duties.record_refusal(refusal, by=self.acting_user, user=user)
                raise forms.ValidationError(refusal)
        return cleaned


class RoleGrantAdmin(admin.ModelAdmin):
    form = RoleGrantForm
    change_form_template = "admin/portal/rolegrant/change_form.html"
    list_display = [
        "requested_at",
        "user",
        "role",
        "basis",
        "state",
        "requested_by",
        "decided_by",
        "decided_at",
    ]
    list_filter = ["state", "kind"]
    search_fields = ["user__username", "user__last_name", "basis"]
    list_select_related = ["user", "group", "department", "requested_by", "decided_by"]
    autocomplete_fields = ["user"]
    actions = ["approve_selected", "reject_selected"]

    @admin.display(description=gettext_lazy("角色"))
    def role(self, obj):
        return obj.role_label

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return type(form.__name__, (form,), {"acting_user": request.user})

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return [field.name for field in RoleGrant._meta.fields]

    def has_add_permission(self, request):
        return duties.can_request(request.user)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_approve_permission(self, request):
        return duties.can_decide(request.user)

    def save_model(self, request, obj, form, change):
        grant = duties.request_grant(
            by=request.user,
            user=form.cleaned_data["user"],
            kind=form.cleaned_data["kind"],
            group=form.cleaned_data["group"],
            department=form.cleaned_data["department"],
            membership_role=form.cleaned_data["membership_role"],
            basis=form.cleaned_data.get("basis", ""),
        )
        obj.pk, obj.requested_by, obj.requested_at = (
            grant.pk,
            grant.requested_by,
            grant.requested_at,
        )
        obj._state.adding = False

    def save_related(self, request, form, formsets, change):
        pass  # no relations of its own

    def response_add(self, request, obj, post_url_continue=None):
        grant = RoleGrant.objects.get(pk=obj.pk)
        self.message_user(request, _requested_message(grant), messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:portal_rolegrant_changelist"))

    def get_urls(self):
        return [
            path(
                "<path:object_id>/approve/",
                self.admin_site.admin_view(self.decide_view),
                {"approve": True},
                name="portal_rolegrant_approve",
            ),
            path(
                "<path:object_id>/reject/",
                self.admin_site.admin_view(self.decide_view),
                {"approve": False},
                name="portal_rolegrant_reject",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        grant = self.get_object(request, object_id)
        extra_context = {
            **(extra_context or {}),
            "can_decide_grant": grant is not None
            and grant.state == RoleGrant.State.PENDING
            and (
                duties.can_decide(request.user)
                or grant.requested_by_id == request.user.pk
            ),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def decide_view(self, request, object_id, approve):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        grant = get_object_or_404(RoleGrant.objects.select_related("user"), pk=object_id)
        self._decide(request, grant, approve, request.POST.get("decision_note", ""))
        return HttpResponseRedirect(
            reverse("admin:portal_rolegrant_change", args=[grant.pk])
        )

    def _decide(self, request, grant, approve, note="") -> None:
        try:
            if approve:
                duties.approve_grant(grant=grant, by=request.user)
            else:
                duties.reject_grant(grant=grant, by=request.user, note=note[:200])
        except DutyRefused as refusal:
            self.message_user(
                request, f"{grant.user} · {grant.role_label}：{refusal}", messages.ERROR
            )
        else:
            text = _("已批准：%(grant)s。") if approve else _("已驳回：%(grant)s。")
            self.message_user(
                request,
                text % {"grant": f"{grant.user} · {grant.role_label}"},
                messages.SUCCESS,
            )

    @admin.action(description=gettext_lazy("批准所选申请"), permissions=["approve"])
    def approve_selected(self, request, queryset):
        for grant in queryset.select_related("user", "group", "department"):
            self._decide(request, grant, approve=True)

    @admin.action(description=gettext_lazy("驳回所选申请"), permissions=["approve"])
    def reject_selected(self, request, queryset):
        for grant in queryset.select_related("user", "group", "department"):
            self._decide(request, grant, approve=False)


# --- the roles' permissions, authenticators, the trail -------------------------------------


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
        if obj is not None and _administers_others(request, obj.user):
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
