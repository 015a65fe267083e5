from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import (
    CalendarDay,
    CalendarYear,
    CatalogArea,
    CatalogEntry,
    Channel,
    Department,
    DocumentType,
    Membership,
    TopicCategory,
)

admin.site.site_header = _("政务公开门户管理")
admin.site.site_title = _("政务公开门户管理")
admin.site.index_title = _("系统管理")


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "code",
        "kind",
        "parent",
        "effective_publisher_code",
        "phone",
        "is_disclosure_office",
        "is_active",
        "order",
    ]
    list_filter = ["kind", "is_active", "is_disclosure_office"]
    list_editable = ["order"]
    search_fields = ["name", "short_name", "code", "publisher_code"]
    autocomplete_fields = ["parent"]
    inlines = [MembershipInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "parent",
                    "kind",
                    "code",
                    "name",
                    "short_name",
                    "publisher_code",
                    "is_disclosure_office",
                    "order",
                    "is_active",
                ]
            },
        ),
        (
            _("联系方式（公开指南显示）"),
            {
                "fields": [
                    "address",
                    "office_hours",
                    "phone",
                    "fax",
                    "email",
                    "postcode",
                    "website",
                ]
            },
        ),
    ]

    @admin.display(description=_("发布机构代码（生效）"))
    def effective_publisher_code(self, obj):
        return obj.effective_publisher_code


@admin.register(TopicCategory)
class TopicCategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "parent", "order", "is_active"]
    list_filter = ["is_active", ("parent", admin.RelatedOnlyFieldListFilter)]
    list_editable = ["order", "is_active"]
    search_fields = ["name", "code"]
    list_select_related = ["parent"]


@admin.register(DocumentType)
class DocumentTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "order"]
    list_editable = ["order"]
    search_fields = ["name", "code"]


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "order"]
    list_editable = ["order"]
    search_fields = ["name", "code"]


@admin.register(CatalogArea)
class CatalogAreaAdmin(admin.ModelAdmin):
    list_display = ["name", "order"]
    list_editable = ["order"]
    search_fields = ["name"]


@admin.register(CatalogEntry)
class CatalogEntryAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "area",
        "order",
        "time_limit_display",
        "responsible_department",
        "mode",
        "audience",
        "is_active",
    ]
    list_filter = [
        "area",
        "time_limit_kind",
        "mode",
        "audience",
        "is_active",
        ("responsible_department", admin.RelatedOnlyFieldListFilter),
        "channels",
    ]
    search_fields = ["level1", "level2", "content", "basis", "area__name"]
    list_select_related = ["area", "responsible_department"]
    autocomplete_fields = ["responsible_department", "area"]
    filter_horizontal = ["channels"]
    fieldsets = [
        (None, {"fields": ["area", "order", "level1", "level2", "is_active"]}),
        (_("公开内容"), {"fields": ["content", "basis"]}),
        (
            _("公开时限"),
            {
                "fields": [
                    "time_limit_kind",
                    "time_limit_days",
                    "period",
                    "time_limit_text",
                ]
            },
        ),
        (
            _("公开主体、渠道与方式"),
            {
                "fields": [
                    "responsible_department",
                    "channels",
                    "audience",
                    "mode",
                    "level",
                ]
            },
        ),
    ]

    @admin.display(description=_("公开时限"))
    def time_limit_display(self, obj):
        return obj.time_limit_display


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "weekday", "kind", "name"]
    list_filter = ["kind", "name"]
    date_hierarchy = "date"
    search_fields = ["name"]

    @admin.display(description=_("星期"))
    def weekday(self, obj):
        return obj.date.strftime("%a")


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ["year", "is_complete", "source"]
    list_filter = ["is_complete"]
