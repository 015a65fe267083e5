"""Admin for disclosure items: a window onto the data, not a second way to
change it. Items, records and attachments change only through the workflow
(the staff workspace), so that every step is checked and audited; the audit
trail is strictly read-only. What administrators do edit here is the review
configuration of each department, and the places where government
information can be read (Art. 25, shown in the guide). Requests for
information are not here at all: their applicants' data are shown only on
the request's page, where every view is logged."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import (
    Attachment,
    AuditEntry,
    ChangeNote,
    IndexSerial,
    Item,
    PublicRecord,
    ReadingPlace,
    ReviewConfig,
)


class ReadOnlyAdminMixin:
    """Viewable by those with the view permission; never added, changed or
    deleted through the admin, superusers included."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


class AttachmentInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Attachment
    extra = 0
    fields = [
        "original_name",
        "extension",
        "size",
        "in_draft",
        "is_published",
        "uploaded_by",
        "uploaded_at",
    ]
    readonly_fields = fields
    show_change_link = True


@admin.register(Item)
class ItemAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "title",
        "state",
        "department",
        "index_number",
        "formed_on",
        "due_on",
        "late_working_days",
        "updated_at",
    ]
    list_filter = [
        "state",
        ("department", admin.RelatedOnlyFieldListFilter),
        "validity",
        "disclosure_mode",
        "review_stage",
    ]
    search_fields = ["title", "doc_number", "keywords", "index_number"]
    list_select_related = ["department"]
    date_hierarchy = "formed_on"
    inlines = [AttachmentInline]
    readonly_fields = [field.name for field in Item._meta.fields]
    fieldsets = [
        (
            _("内容"),
            {"fields": list(Item.CONTENT_FIELDS)},
        ),
        (
            _("流程"),
            {
                "fields": [
                    "state",
                    "review_stage",
                    "return_comment",
                    "change_note",
                    "is_major_change",
                    "version",
                    "due_on",
                    "index_number",
                    "publish_at",
                    "first_published_at",
                    "late_working_days",
                ]
            },
        ),
        (
            _("经手人"),
            {
                "fields": [
                    "created_by",
                    "created_at",
                    "updated_by",
                    "updated_at",
                    "submitted_by",
                    "submitted_at",
                ]
            },
        ),
    ]


class ChangeNoteInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ChangeNote
    extra = 0
    fields = ["changed_at", "note"]
    readonly_fields = fields


@admin.register(PublicRecord)
class PublicRecordAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "index_number",
        "title",
        "department",
        "status",
        "published_at",
        "updated_at",
        "revision_number",
    ]
    list_filter = ["status", ("department", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["index_number", "title", "doc_number"]
    list_select_related = ["department"]
    date_hierarchy = "published_at"
    inlines = [ChangeNoteInline]
    exclude = ["title_tokens", "search_tokens"]

    def get_readonly_fields(self, request, obj=None):
        return [
            field.name
            for field in PublicRecord._meta.fields
            if field.name not in self.exclude
        ]


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "original_name",
        "item",
        "extension",
        "size",
        "in_draft",
        "is_published",
        "uploaded_by",
        "uploaded_at",
    ]
    list_filter = ["extension", "in_draft", "is_published"]
    search_fields = ["original_name", "sha256", "item__title"]
    list_select_related = ["item", "uploaded_by"]
    readonly_fields = [field.name for field in Attachment._meta.fields]


@admin.register(ReviewConfig)
class ReviewConfigAdmin(admin.ModelAdmin):
    list_display = ["department", "head_signoff"]
    list_editable = ["head_signoff"]
    list_filter = ["head_signoff"]
    search_fields = ["department__name", "department__code"]
    list_select_related = ["department"]
    autocomplete_fields = ["department"]


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The audit trail: append-only, so strictly read-only here."""

    list_display = [
        "at",
        "actor",
        "item",
        "action",
        "from_state",
        "to_state",
        "stage",
        "comment",
    ]
    list_filter = ["action", "stage", "to_state"]
    search_fields = ["item__title", "item__index_number", "comment", "actor__username"]
    list_select_related = ["actor", "item"]
    date_hierarchy = "at"
    readonly_fields = [field.name for field in AuditEntry._meta.fields]


@admin.register(IndexSerial)
class IndexSerialAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["publisher_code", "year", "last_serial"]
    list_filter = ["year"]
    search_fields = ["publisher_code"]
    readonly_fields = ["publisher_code", "year", "last_serial"]


@admin.register(ReadingPlace)
class ReadingPlaceAdmin(admin.ModelAdmin):
    list_display = ["name", "address", "office_hours", "order", "is_active"]
    list_editable = ["order", "is_active"]


# The site's settings and the participation records (kept apart for length).
from . import admin_site  # noqa: E402, F401
