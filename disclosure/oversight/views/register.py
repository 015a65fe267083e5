"""The register of 行政规范性文件 and 规章 with their validity
(/workspace/oversight/register/): filterable, as CSV and XLSX."""

from __future__ import annotations

from django import forms
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from catalog.models import Department
from catalog.organs import ORGAN_KINDS
from disclosure.models import DocumentClass
from disclosure.validity import Standing
from portal.widgets import DataSelect

from ..register import RegisterFilter, register_records, register_rows
from .base import _clock, _csv_response, _xlsx_response, office_only


class RegisterForm(forms.Form):
    organ = forms.ModelChoiceField(
        label=gettext_lazy("制发机关"),
        queryset=Department.objects.filter(kind__in=ORGAN_KINDS),
        to_field_name="code",
        required=False,
        empty_label=gettext_lazy("全部机关"),
        widget=DataSelect,
    )
    document_class = forms.ChoiceField(
        label=gettext_lazy("文件类别"),
        choices=[("", gettext_lazy("全部"))]
        + [(c.value, c.label) for c in DocumentClass if c.value],
        required=False,
    )
    standing = forms.ChoiceField(
        label=gettext_lazy("有效性"),
        choices=[("", gettext_lazy("全部")), *Standing.choices],
        required=False,
    )
    year = forms.IntegerField(
        label=gettext_lazy("成文年份"), min_value=1949, max_value=2100, required=False
    )
    as_of = forms.DateField(
        label=gettext_lazy("有效性截至"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        input_formats=["%Y-%m-%d"],
    )
    q = forms.CharField(
        label=gettext_lazy("标题或编号"), required=False, max_length=100
    )


@require_GET
@office_only
def register(request):
    today, now = _clock()
    form = RegisterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    as_of = data.get("as_of") or today
    criteria = RegisterFilter(
        as_of=as_of,
        organ=data.get("organ"),
        standing=data.get("standing") or "",
        document_class=data.get("document_class") or "",
        year=data.get("year"),
        query=(data.get("q") or "").strip(),
    )
    records = register_records(criteria, now=now)
    download = request.GET.get("download")
    if download in ("csv", "xlsx"):
        rows = register_rows(records.iterator(chunk_size=500), as_of)
        name = f"normative-register-{as_of:%Y%m%d}.{download}"
        if download == "csv":
            return _csv_response(rows, name)
        return _xlsx_response(rows, name, "规范性文件登记")
    page = Paginator(records, 50).get_page(request.GET.get("page"))
    for record in page.object_list:
        record.standing_shown = Standing(record.standing_on(as_of))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("download", None)
    return render(
        request,
        "disclosure/oversight/register.html",
        {
            "nav": "register",
            "form": form,
            "as_of": as_of,
            "page": page,
            "query": query.urlencode(),
        },
    )
