"""The register's filters (django-filter)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from disclosure.models import ApplicantKind, Channel, InformationRequest, ReplyType
from portal.widgets import DataSelect

from .forms import organs


class RegisterFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("申请编号或内容"), method="search")
    organ = django_filters.ModelChoiceFilter(
        label=_("受理机关"), queryset=organs(), widget=DataSelect
    )
    state = django_filters.ChoiceFilter(
        label=_("状态"), choices=InformationRequest.State.choices
    )
    result = django_filters.ChoiceFilter(label=_("办理结果"), choices=ReplyType.choices)
    applicant_kind = django_filters.ChoiceFilter(
        label=_("申请人类型"), choices=ApplicantKind.choices
    )
    channel = django_filters.ChoiceFilter(label=_("申请方式"), choices=Channel.choices)
    received_from = django_filters.DateFilter(
        label=_("收到日期从"), field_name="received_on", lookup_expr="gte"
    )
    received_to = django_filters.DateFilter(
        label=_("收到日期至"), field_name="received_on", lookup_expr="lte"
    )

    class Meta:
        model = InformationRequest
        fields = []

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(number__icontains=value) | Q(description__icontains=value)
        )
