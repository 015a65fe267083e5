"""The filters of the workspace item list (django-filter)."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from disclosure.models import Item
from portal.widgets import DataSelect

from .choices import department_choices
from .forms import DATE_INPUT_FORMATS, DateInput, grouped_entry_choices
from .selectors import catalog_entries_by_area, visible_departments


class ItemFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("关键词"),
        method="filter_keyword",
        widget=forms.TextInput(attrs={"type": "search"}),
        help_text=_("标题、发文字号、主题词或索引号"),
    )
    state = django_filters.ChoiceFilter(
        label=_("状态"), choices=Item.State.choices, empty_label=_("全部状态")
    )
    department = django_filters.ModelChoiceFilter(
        label=_("发布机构"),
        queryset=None,
        empty_label=_("全部机构"),
        widget=DataSelect,
    )
    catalog_entry = django_filters.ModelChoiceFilter(
        label=_("公开事项"),
        queryset=None,
        empty_label=_("全部事项"),
        widget=DataSelect,
    )
    formed_from = django_filters.DateFilter(
        label=_("成文日期从"),
        field_name="formed_on",
        lookup_expr="gte",
        widget=DateInput(),
        input_formats=DATE_INPUT_FORMATS,
    )
    formed_to = django_filters.DateFilter(
        label=_("成文日期至"),
        field_name="formed_on",
        lookup_expr="lte",
        widget=DateInput(),
        input_formats=DATE_INPUT_FORMATS,
    )

    class Meta:
        model = Item
        fields = []

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        departments = visible_departments(user)
        self.filters["department"].queryset = departments
        entries = catalog_entries_by_area()
        self.filters["catalog_entry"].queryset = entries
        self.form.fields["department"].widget.choices = department_choices(
            departments, _("全部机构")
        )
        # Rendered as <optgroup>s per area; validated against the queryset.
        self.form.fields["catalog_entry"].widget.choices = [
            ("", _("全部事项")),
            *grouped_entry_choices(entries)[1:],
        ]

    def filter_keyword(self, queryset, name, value):
        words = value.split()
        for word in words[:5]:
            queryset = queryset.filter(
                Q(title__icontains=word)
                | Q(doc_number__icontains=word)
                | Q(keywords__icontains=word)
                | Q(index_number__icontains=word)
            )
        return queryset
