"""Admin of the site's settings (one row: the identity shown in every page's
header and footer, and the document types that need a 政策解读) and, read
only, the participation records: the trail, complaints, subscriptions."""

from django import forms
from django.contrib import admin
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Complaint, ParticipationEntry, SiteSettings, Subscription
from .site_emblem import MAX_BYTES, check_emblem, remove_emblem, store_emblem


class SiteSettingsForm(forms.ModelForm):
    emblem_upload = forms.FileField(
        label=_("上传标志"),
        required=False,
        help_text=_("PNG 或 JPG 图片，不超过 %(kb)s KB；页头显示在网站名称左侧。")
        % {"kb": MAX_BYTES // 1024},
    )
    emblem_remove = forms.BooleanField(label=_("删除现有标志"), required=False)

    class Meta:
        model = SiteSettings
        fields = [
            "lists_on_request",
            "shows_element_toc",
            "government_name",
            "site_name",
            "sponsor",
            "organiser",
            "contact_phone",
            "contact_email",
            "contact_address",
            "website_code",
            "icp_number",
            "public_security_number",
            "interpretation_types",
        ]

    def clean_emblem_upload(self):
        uploaded = self.cleaned_data.get("emblem_upload")
        if uploaded:
            check_emblem(uploaded)  # raises ValidationError with the reason
        return uploaded

    def save(self, commit=True):
        row = super().save(commit=False)
        uploaded = self.cleaned_data.get("emblem_upload")
        if self.cleaned_data.get("emblem_remove") and not uploaded:
            remove_emblem(row)
        if uploaded:
            store_emblem(row, uploaded)  # checked in clean_emblem_upload
        if commit:
            row.save()
            self.save_m2m()
        return row


@admin.register(SiteSettings)
class SiteSettingsAdmin(admin.ModelAdmin):
    form = SiteSettingsForm
    filter_horizontal = ["interpretation_types"]
    readonly_fields = ["emblem_preview", "updated_at"]
    fieldsets = [
        (
            _("页头"),
            {
                "fields": [
                    "government_name",
                    "site_name",
                    "emblem_preview",
                    "emblem_upload",
                    "emblem_remove",
                ]
            },
        ),
        (
            _("页脚"),
            {
                "fields": [
                    "sponsor",
                    "organiser",
                    "contact_phone",
                    "contact_email",
                    "contact_address",
                    "website_code",
                    "icp_number",
                    "public_security_number",
                ]
            },
        ),
        (_("政策解读"), {"fields": ["interpretation_types"]}),
        (_("依申请公开"), {"fields": ["lists_on_request"]}),
        (_("公开要素目录"), {"fields": ["shows_element_toc"]}),
        (None, {"fields": ["updated_at"]}),
    ]

    @admin.display(description=_("现有标志"))
    def emblem_preview(self, obj):
        return obj.emblem_extension.upper() if obj and obj.emblem else _("（无）")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        """The one row's form, straight away (created on first visit)."""
        row = SiteSettings.load()
        return redirect(reverse("admin:disclosure_sitesettings_change", args=[row.pk]))

    def save_model(self, request, obj, form, change):
        obj.updated_at = timezone.now()
        super().save_model(request, obj, form, change)


class ReadOnly:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ParticipationEntry)
class ParticipationEntryAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["at", "actor", "action", "consultation", "complaint", "note"]
    list_filter = ["action"]
    list_select_related = ["actor", "consultation", "complaint"]
    date_hierarchy = "at"


@admin.register(Complaint)
class ComplaintAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["number", "received_at", "kind", "department", "state", "outcome"]
    list_filter = ["state", "kind", "outcome"]
    search_fields = ["number", "subject"]
    exclude = ["access_key"]
    list_select_related = ["department"]


@admin.register(Subscription)
class SubscriptionAdmin(ReadOnly, admin.ModelAdmin):
    list_display = [
        "email",
        "label",
        "frequency",
        "confirmed_at",
        "unsubscribed_at",
        "last_sent_at",
    ]
    list_filter = ["frequency"]
    search_fields = ["email"]
    exclude = ["key"]
