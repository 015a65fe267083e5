"""Builders for the request tests: a small organisation with every role, and
requests taken through the workflow to a given point."""

import datetime

from django.utils import timezone

from catalog.models import Department
from disclosure.models import ApplicantKind, InformationRequest
from disclosure.workflow import requests as steps
from tests import factories

RESIDENT_ID = "11010519491231002X"  # a valid GB 11643 check digit


def world():
    government = factories.DepartmentFactory(
        code="gov", name="示例区人民政府", kind=Department.Kind.GOVERNMENT
    )
    organ = factories.DepartmentFactory(
        code="czj",
        name="区财政局",
        parent=government,
        address="示例区人民大道4号",
        postcode="310000",
        phone="0571-88880003",
    )
    office = factories.DepartmentFactory(
        code="czj-ys", name="预算科", parent=organ, kind=Department.Kind.OFFICE
    )
    other = factories.DepartmentFactory(
        code="nyj", name="区农业农村局", parent=government
    )
    return {
        "government": government,
        "organ": organ,
        "office": office,
        "other": other,
        "clerk": factories.clerk_of(organ, "clerk"),
        "office_clerk": factories.clerk_of(office, "office_clerk"),
        "other_clerk": factories.clerk_of(other, "other_clerk"),
        "head": factories.head_of(organ, "head"),
        "reviewer": factories.reviewer("reviewer"),
        "reviewer2": factories.reviewer("reviewer2"),
        "admin": factories.office_admin("officehead"),
        "auditor": factories.in_group("auditor", "auditor"),
        "stranger": factories.UserFactory(username="stranger"),
    }


def applicant_data(organ, **overrides):
    data = {
        "organ": organ,
        "applicant_kind": ApplicantKind.NATURAL,
        "applicant_name": "张三",
        "id_type": "resident_id",
        "id_number": RESIDENT_ID,
        "representative": "",
        "contact_person": "",
        "phone": "13800000000",
        "email": "zhangsan@example.com",
        "address": "示例区幸福路1号",
        "postcode": "310000",
        "description": "2025年区级财政专项资金分配结果（示财〔2025〕12号）",
        "document_number": "示财〔2025〕12号",
        "delivery_form": "electronic",
        "delivery_method": "email",
    }
    data.update(overrides)
    return data


def submitted(w, **overrides) -> tuple[InformationRequest, str]:
    return steps.submit_online(data=applicant_data(w["organ"], **overrides))


def received(w, **overrides) -> InformationRequest:
    request, _code = submitted(w, **overrides)
    return steps.confirm_receipt(request=request, by=w["reviewer"])


def backdate(request, days_ago: int) -> InformationRequest:
    """Pretend the request arrived ``days_ago`` calendar days ago."""
    day = timezone.localdate() - datetime.timedelta(days=days_ago)
    InformationRequest.objects.filter(pk=request.pk).update(
        received_on=day,
        submitted_at=timezone.now() - datetime.timedelta(days=days_ago),
    )
    return InformationRequest.objects.get(pk=request.pk)
