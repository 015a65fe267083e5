"""The admin of role requests (授权申请): asked for here or from a user's page,
approved or rejected with the buttons on the request's page or the list's
actions, by another administrator (``portal.accounts.duties``)."""

from django import forms
from django.contrib import admin, messages
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalog.models import Department

from ..models import RoleGrant
from . import duties
from .duties import DutyRefused
from .user_admin import requested_message

Kind = RoleGrant.Kind

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
            refusal = duties.request_refusal(
                by=self.acting_user, user=user, kind=kind, **role
            )
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
        self.message_user(request, requested_message(grant), messages.SUCCESS)
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
        grant = get_object_or_404(
            RoleGrant.objects.select_related("user"), pk=object_id
        )
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
