"""The register of 行政规范性文件 and 规章 (国办发〔2018〕37号: 统一登记、统一
编号、统一印发), with their validity: the published documents the clerks
marked as such, each with its 登记编号, 施行日期, 有效期至 and its 有效性 on
the day asked about (``disclosure/validity.py``). The annual report's table
二 counts from the same marks (``annual/measurement.py``)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from catalog.models import Department
from catalog.organs import organ_members
from disclosure.models import DocumentClass, PublicRecord
from disclosure.validity import Standing, standing_q


@dataclass(frozen=True)
class RegisterFilter:
    as_of: datetime.date
    organ: Department | None = None
    standing: str = ""
    document_class: str = ""
    year: int | None = None
    query: str = ""


def register_records(criteria: RegisterFilter, *, now: datetime.datetime | None = None):
    """The register's rows (records not removed as 错发, published by now),
    newest 成文日期 first, with their organ."""
    records = (
        PublicRecord.objects.exclude(status=PublicRecord.Status.REMOVED)
        .filter(
            published_at__lte=now or timezone.now(),
            document_class__in=[DocumentClass.NORMATIVE, DocumentClass.RULES],
        )
        .select_related("department")
        .defer("body", "title_tokens", "search_tokens")
        .order_by("-formed_on", "-item_id")
    )
    if criteria.organ is not None:
        records = records.filter(
            department_id__in=list(organ_members([criteria.organ]))
        )
    if criteria.document_class:
        records = records.filter(document_class=criteria.document_class)
    if criteria.standing:
        records = records.filter(standing_q(criteria.standing, criteria.as_of))
    if criteria.year:
        records = records.filter(formed_on__year=criteria.year)
    if criteria.query:
        records = records.filter(
            Q(title__icontains=criteria.query)
            | Q(registration_number__icontains=criteria.query)
            | Q(doc_number__icontains=criteria.query)
        )
    return records


HEADER = [
    "登记编号",
    "文件类别",
    "标题",
    "发文字号",
    "制发机关",
    "成文日期",
    "施行日期",
    "有效期至",
    "有效性",
    "公开状态",
    "索引号",
]


def register_rows(records, as_of: datetime.date):
    """The register as rows for CSV and XLSX (a header first)."""
    yield HEADER
    for record in records:
        yield [
            record.registration_number,
            str(record.get_document_class_display()),
            record.title,
            record.doc_number,
            record.department.name,
            record.formed_on.isoformat(),
            record.effective_on.isoformat() if record.effective_on else "",
            record.expires_on.isoformat() if record.expires_on else "",
            str(Standing(record.standing_on(as_of)).label),
            str(record.get_status_display()),
            record.index_number,
        ]
