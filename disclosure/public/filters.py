"""The public filters of /items/, shared by its feeds, the CSV download and the
JSON API (one query string everywhere).

``RecordFilter.qs`` applies every filter but the search (``q``): the search is
applied by ``results.ranked``, which ranks its matches in tiers, with
``RecordFilter.search_query``."""

from __future__ import annotations

import datetime

import django_filters
from django import forms
from django.http import QueryDict
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from catalog.models import CatalogEntry, Department, DocumentType, TopicCategory
from disclosure import search
from disclosure.models import PublicRecord
from disclosure.reference import reference
from disclosure.validity import Standing, standing_q
from portal.data_lang import DATA_LANG

from .widgets import QuickSelect

MIN_YEAR = 1949
MAX_YEAR = 2100

#: The query parameters of a listing, in display order.
FILTER_PARAMS = (
    "q",
    "department",
    "topic",
    "entry",
    "type",
    "validity",
    "year",
    "date_from",
    "date_to",
)


class SearchField(forms.CharField):
    """Free text, normalised for search (disclosure.search.clean_query):
    never invalid, whatever was typed."""

    def to_python(self, value):
        return search.clean_query(super().to_python(value))


class SearchFilter(django_filters.CharFilter):
    field_class = SearchField


class YearField(forms.IntegerField):
    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", MIN_YEAR)
        kwargs.setdefault("max_value", MAX_YEAR)
        kwargs.setdefault(
            "error_messages",
            {
                "invalid": _("年份应为四位数字，如 2026。"),
                "min_value": _("年份不能早于%(limit_value)s年。"),
                "max_value": _("年份不能晚于%(limit_value)s年。"),
            },
        )
        super().__init__(**kwargs)


class YearFilter(django_filters.NumberFilter):
    field_class = YearField


class BoundedDateField(forms.DateField):
    """A date between :data:`MIN_YEAR` and :data:`MAX_YEAR` (the ends of the
    range become datetimes; year 1 or 9999 would overflow)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", ["%Y-%m-%d"])
        kwargs.setdefault(
            "error_messages", {"invalid": _("日期格式应为 YYYY-MM-DD，如 2026-03-02。")}
        )
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}))
        super().__init__(**kwargs)

    def validate(self, value):
        super().validate(value)
        if value and not MIN_YEAR <= value.year <= MAX_YEAR:
            raise forms.ValidationError(
                _("日期应在%(min)s年至%(max)s年之间。"),
                code="out_of_range",
                params={"min": MIN_YEAR, "max": MAX_YEAR},
            )


class DateFilter(django_filters.DateFilter):
    field_class = BoundedDateField


def _start_of_day(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(
        day, datetime.time.min, tzinfo=timezone.get_current_timezone()
    )


class RecordFilter(django_filters.FilterSet):
    q = SearchFilter(
        label=_("关键词"),
        method="filter_q",
        widget=forms.TextInput(
            attrs={"type": "search", "maxlength": 200, "autocomplete": "off"}
        ),
    )
    department = django_filters.ModelChoiceFilter(
        label=_("发布机构"),
        widget=QuickSelect(option_lang=DATA_LANG),
        queryset=Department.objects.all(),
        to_field_name="code",
        method="filter_department",
        empty_label=_("全部机构"),
    )
    topic = django_filters.ModelChoiceFilter(
        label=_("主题分类"),
        widget=QuickSelect,
        queryset=TopicCategory.objects.select_related("parent").order_by("code"),
        to_field_name="code",
        method="filter_topic",
        empty_label=_("全部主题"),
    )
    entry = django_filters.ModelChoiceFilter(
        label=_("公开事项"),
        queryset=CatalogEntry.objects.all(),
        field_name="catalog_entry",
        widget=forms.HiddenInput,
    )
    type = django_filters.ModelChoiceFilter(
        label=_("体裁"),
        widget=QuickSelect,
        queryset=DocumentType.objects.all(),
        to_field_name="code",
        field_name="document_type",
        empty_label=_("全部体裁"),
    )
    validity = django_filters.ChoiceFilter(
        label=_("有效性"),
        choices=[
            (Standing.IN_FORCE, _("现行有效")),
            (Standing.PENDING, Standing.PENDING.label),
            (Standing.EXPIRED, Standing.EXPIRED.label),
            (Standing.REPEALED, Standing.REPEALED.label),
        ],
        empty_label=_("全部"),
        widget=QuickSelect,
        method="filter_validity",
    )
    year = YearFilter(
        label=_("发布年份"),
        method="filter_year",
        widget=forms.NumberInput(attrs={"min": MIN_YEAR, "max": MAX_YEAR}),
    )
    date_from = DateFilter(label=_("发布日期自"), method="filter_date_from")
    date_to = DateFilter(label=_("发布日期至"), method="filter_date_to")

    class Meta:
        model = PublicRecord
        fields = []

    @property
    def form(self):
        """The form, its long choice lists from :func:`reference` (no query)
        instead of each field's queryset (which still validates a value)."""
        if hasattr(self, "_form"):
            return self._form
        form = super().form
        ref = reference()
        for name, choices in (
            ("department", ref.department_choices),
            ("topic", ref.topic_choices),
            ("type", ref.document_type_choices),
        ):
            field = form.fields[name]
            field.widget.choices = [("", field.empty_label), *choices]
        return form

    def filter_q(self, queryset, name, value):
        # The search is applied by ``results.ranked`` (and ``matching``),
        # which ranks its matches in tiers: ``qs`` holds the other filters.
        return queryset

    def filter_department(self, queryset, name, department):
        # A department's items include those of its offices (内设机构), as a
        # list of ids: an index on the department serves the rows and counts.
        return queryset.filter(
            department_id__in=reference().department_ids(department.pk)
        )

    def filter_topic(self, queryset, name, topic):
        # A top-level topic includes its children.
        return queryset.filter(topic_id__in=reference().topic_ids(topic.pk))

    def filter_validity(self, queryset, name, value):
        # 有效性 as of today, as the pages show it: a document past its
        # 有效期至 is 失效 whatever is stored (disclosure/validity.py).
        return queryset.filter(standing_q(value, timezone.localdate()))

    def filter_year(self, queryset, name, year):
        return queryset.filter(
            published_at__gte=_start_of_day(datetime.date(year, 1, 1)),
            published_at__lt=_start_of_day(datetime.date(year + 1, 1, 1)),
        )

    def filter_date_from(self, queryset, name, day):
        return queryset.filter(published_at__gte=_start_of_day(day))

    def filter_date_to(self, queryset, name, day):
        return queryset.filter(
            published_at__lt=_start_of_day(day + datetime.timedelta(days=1))
        )

    @cached_property
    def cleaned(self) -> dict:
        """The valid filter values (invalid ones are ignored and reported)."""
        if not self.is_bound:
            return {}
        self.errors  # noqa: B018 - runs the form's validation
        return {
            name: value
            for name, value in self.form.cleaned_data.items()
            if value not in (None, "")
        }

    @cached_property
    def search_query(self) -> search.SearchQuery:
        return search.parse(self.cleaned.get("q", ""))

    @cached_property
    def params(self) -> QueryDict:
        """The query string of the valid filters in use (for the links to
        pages, feeds, the CSV file and the API)."""
        params = QueryDict(mutable=True)
        for name in FILTER_PARAMS:
            if name == "q" and self.search_query:
                params[name] = self.search_query.text
            elif name != "q" and name in self.cleaned:
                params[name] = self.data.get(name, "").strip()
        return params

    def active_filters(self) -> list[dict]:
        """The filters in use, for display, each with the query string that
        removes it."""
        active = []
        for name in FILTER_PARAMS:
            value = self.cleaned.get(name)
            if value is None or (name == "q" and not self.search_query):
                continue
            if name == "q":
                value = self.search_query.text
            remaining = self.params.copy()
            remaining.pop(name, None)
            active.append(
                {
                    "name": name,
                    "label": self.filters[name].label,
                    "value": _display(name, value),
                    # what was typed or entered: Chinese data (lang="zh-Hans")
                    "is_data": name in {"q", "department"},
                    "remove_query": remaining.urlencode(),
                }
            )
        return active


def _display(name: str, value) -> str:
    if name == "department":
        return value.name
    if name == "topic":
        return str(value)
    if name == "type":
        return value.label
    if name == "validity":
        return str(
            _("现行有效") if value == Standing.IN_FORCE else Standing(value).label
        )
    if name == "year":
        return str(_("%(year)s年") % {"year": value})
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)
