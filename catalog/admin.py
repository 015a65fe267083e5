from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import catalog_io
from .element_models import ContentElement, sync_elements
from .elements import ElementSyntaxError, parse_elements
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
    """The department's members, read-only: department roles are requested
    and approved on the users' pages (portal.accounts.duties)."""

    model = Membership
    extra = 0
    fields = ["user", "role"]
    readonly_fields = ["user", "role"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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
    # Government sites are served over HTTPS; also what Django 6 will assume.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
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
                    "may_make_rules",
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


EXPORT_CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def catalog_file_response(fmt: str, entries=None) -> HttpResponse:
    """The catalog as a download, named e.g. 公开目录-20260310.xlsx."""
    response = HttpResponse(
        catalog_io.export_catalog(fmt, entries), content_type=EXPORT_CONTENT_TYPES[fmt]
    )
    filename = f"{gettext('公开目录')}-{timezone.localdate():%Y%m%d}.{fmt}"
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


class CatalogImportForm(forms.Form):
    file = forms.FileField(
        label=_("目录文件"),
        help_text=_(
            "CSV 或 XLSX 文件，最大 10 MB；格式按文件名和内容自动识别。"
            "CSV 可用 UTF-8 或 GB18030（GBK）编码。"
        ),
        error_messages={
            "required": _("请选择要导入的文件。"),
            "empty": _("文件是空的。"),
        },
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > catalog_io.MAX_IMPORT_BYTES:
            raise forms.ValidationError(
                _("文件太大：最大 %(size)d MB。"),
                params={"size": catalog_io.MAX_IMPORT_BYTES // 2**20},
            )
        data = upload.read()
        try:
            self.cleaned_data["format"] = catalog_io.detect_format(upload.name, data)
        except catalog_io.CatalogImportError as error:
            raise forms.ValidationError([str(row) for row in error.errors]) from error
        self.cleaned_data["data"] = data
        return upload


class CatalogEntryForm(forms.ModelForm):
    """The entry, its 公开内容（要素）read as a list of elements
    (``catalog/elements.py``)."""

    class Meta:
        model = CatalogEntry
        fields = "__all__"  # noqa: DJ007 - the admin's fieldsets choose
        help_texts = {
            "content": _(
                "要素之间用“、”或“；”分隔；括号里写提示，如“办理流程（受理、审查、决定）”；"
                "非必备的要素在括号里注明“可选”，如“总投资（可选：万元）”。"
            )
        }

    def clean_content(self):
        text = self.cleaned_data["content"]
        try:
            parse_elements(text)
        except ElementSyntaxError as error:
            raise forms.ValidationError(error.messages) from error
        return text


class ContentElementInline(admin.TabularInline):
    """The elements read from the text, shown (edited through the text)."""

    model = ContentElement
    extra = 0
    fields = ["order", "name", "required", "hint"]
    readonly_fields = fields
    verbose_name_plural = _("公开要素（由“公开内容（要素）”生成）")

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("catalog.view_catalogentry")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CatalogEntry)
class CatalogEntryAdmin(admin.ModelAdmin):
    form = CatalogEntryForm
    inlines = [ContentElementInline]
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
                    "counted_from",
                    ("fixed_month", "fixed_day"),
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

    actions = ["export_selected_xlsx", "export_selected_csv"]

    @admin.display(description=_("公开时限"))
    def time_limit_display(self, obj):
        return obj.time_limit_display

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        sync_elements(obj)

    # Import and export (catalog.catalog_io) ----------------------------------

    def has_import_permission(self, request) -> bool:
        """Importing creates and changes entries: both permissions needed."""
        return self.has_add_permission(request) and self.has_change_permission(request)

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="{}_{}_import".format(*info),
            ),
            path(
                "export/<str:fmt>/",
                self.admin_site.admin_view(self.export_view),
                name="{}_{}_export".format(*info),
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            "can_import_catalog": self.has_import_permission(request),
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra_context)

    @admin.action(description=_("导出所选事项（XLSX）"), permissions=["view"])
    def export_selected_xlsx(self, request, queryset):
        return catalog_file_response("xlsx", queryset)

    @admin.action(description=_("导出所选事项（CSV）"), permissions=["view"])
    def export_selected_csv(self, request, queryset):
        return catalog_file_response("csv", queryset)

    def export_view(self, request, fmt):
        if not self.has_view_permission(request):
            raise PermissionDenied
        if fmt not in catalog_io.FORMATS:
            raise Http404
        return catalog_file_response(fmt)

    def import_view(self, request):
        if not self.has_import_permission(request):
            raise PermissionDenied
        errors = []
        if request.method == "POST":
            form = CatalogImportForm(request.POST, request.FILES)
            if form.is_valid():
                try:
                    result = catalog_io.import_catalog(
                        form.cleaned_data["data"], form.cleaned_data["format"]
                    )
                except catalog_io.CatalogImportError as error:
                    errors = error.errors
                else:
                    self.message_user(
                        request,
                        gettext("导入完成：新增 %(created)d 条，更新 %(updated)d 条。")
                        % {"created": result.created, "updated": result.updated},
                        messages.SUCCESS,
                    )
                    return redirect(reverse("admin:catalog_catalogentry_changelist"))
        else:
            form = CatalogImportForm()
        context = {
            **self.admin_site.each_context(request),
            "title": _("导入公开目录"),
            "opts": self.opts,
            "form": form,
            "errors": errors,
            "headers": catalog_io.STANDARD_HEADERS,
            "machine_headers": catalog_io.MACHINE_HEADERS,
            "required_headers": catalog_io.REQUIRED_HEADERS,
            "media": self.media + form.media,
        }
        return TemplateResponse(
            request, "admin/catalog/catalogentry/import_form.html", context
        )


WEEKDAYS = [_("周一"), _("周二"), _("周三"), _("周四"), _("周五"), _("周六"), _("周日")]


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "weekday", "kind", "name"]
    list_filter = ["kind", "name"]
    date_hierarchy = "date"
    search_fields = ["name"]

    @admin.display(description=_("星期"))
    def weekday(self, obj):
        return WEEKDAYS[obj.date.weekday()]


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ["year", "is_complete", "source"]
    list_filter = ["is_complete"]
