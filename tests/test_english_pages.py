"""English pages are English throughout (issue 15): on every kind of page, the
public's and the staff's, the site's own text is translated, and the data
entered in Chinese is marked ``lang="zh-Hans"`` (WCAG 3.1.2). The pages are
rendered on the demo district (``seed_demo``: Chinese organ names, titles,
bodies, people, requests, complaints, consultations, annual reports)."""

import io
import time

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from catalog.models import CatalogEntry, Department
from disclosure import workflow
from disclosure.models import (
    Complaint,
    Consultation,
    InformationRequest,
    Item,
    PublicRecord,
)
from disclosure.oversight.models import AnnualReportRevision, SelfInspectionReport
from disclosure.requests.views.citizen import ACCESS_KEY
from tests.english_scan import untranslated

pytestmark = pytest.mark.django_db

#: Chinese that English help texts quote on purpose: what to type.
EXAMPLES = ("国办发〔2020〕26号", "国办发〔2020〕6号", "〔〕", "补贴 公示")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def english_client(user=None) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    if user is not None:
        client.force_login(user)
    return client


def scan(client, urls) -> dict[str, list[str]]:
    """The untranslated text of each page (which must answer 200)."""
    found = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        assert response["Content-Language"] == "en", url
        findings = untranslated(response.content.decode(), examples=EXAMPLES)
        if findings:
            found[url] = [str(finding) for finding in findings]
    return found


def report(found: dict[str, list[str]]) -> str:
    lines = []
    for url, findings in found.items():
        lines.append(url)
        lines.extend(f"    {finding}" for finding in findings)
    return "\n".join(lines)


def public_urls() -> list[str]:
    record = (
        PublicRecord.objects.filter(item__attachments__isnull=False)
        .order_by("pk")
        .first()
    )
    entry = CatalogEntry.objects.order_by("pk").first()
    department = Department.objects.filter(kind=Department.Kind.DEPARTMENT).first()
    consultation = Consultation.objects.exclude(published_at=None).order_by("pk")
    revision = AnnualReportRevision.objects.order_by("pk").first()
    report_ = revision.report
    complaint = Complaint.objects.order_by("pk").first()
    return [
        "/",
        "/items/",
        "/items/?q=补贴",
        "/items/summary/?q=补贴",
        "/items/?q=没有这样的文件",
        f"/items/{record.pk}/",
        "/system/",
        "/api/",
        "/catalog/",
        f"/catalog/{entry.pk}/",
        "/guide/",
        "/tools/deadline/",
        "/tools/deadline/?start=2026-09-30&working_days=20",
        f"/departments/{department.code}/",
        "/reports/annual/",
        f"/reports/annual/{report_.year}/",
        f"/reports/annual/{report_.year}/{report_.organ.code}/",
        "/requests/",
        "/requests/new/",
        "/requests/track/",
        "/consultations/",
        *[f"/consultations/{c.pk}/" for c in consultation[:3]],
        f"/consultations/{consultation.first().pk}/comment/",
        "/subscriptions/",
        "/complaints/",
        f"/complaints/status/{complaint.access_key}/",
        "/accounts/login/",
        "/accounts/password_reset/",
    ]


def staff_urls() -> list[str]:
    item = Item.objects.filter(state=Item.State.PUBLISHED).order_by("pk").first()
    draft = Item.objects.filter(state=Item.State.DRAFT).order_by("pk").first() or item
    submitted = Item.objects.filter(state=Item.State.SUBMITTED).first() or item
    request = InformationRequest.objects.order_by("pk").first()
    consultation = Consultation.objects.order_by("pk").first()
    complaint = Complaint.objects.order_by("pk").first()
    revision = AnnualReportRevision.objects.order_by("pk").first()
    report_ = revision.report
    inspection = SelfInspectionReport.objects.order_by("pk").first()
    urls = [
        "/workspace/",
        "/workspace/items/",
        "/workspace/items/new/",
        f"/workspace/items/{item.pk}/",
        f"/workspace/items/{draft.pk}/",
        f"/workspace/items/{draft.pk}/edit/",
        f"/workspace/items/{submitted.pk}/review/",
        "/workspace/review/",
        "/workspace/audit/",
        "/workspace/interpretations/",
        "/workspace/consultations/",
        "/workspace/consultations/new/",
        f"/workspace/consultations/{consultation.pk}/",
        "/workspace/comments/",
        "/workspace/complaints/",
        f"/workspace/complaints/{complaint.pk}/",
        "/workspace/requests/",
        "/workspace/requests/new/",
        "/workspace/requests/tables/",
        "/workspace/requests/appeals/",
        "/workspace/requests/appeals/new/",
        f"/workspace/requests/{request.pk}/",
        "/workspace/oversight/",
        "/workspace/oversight/items/",
        "/workspace/oversight/statistics/",
        "/workspace/oversight/completeness/",
        "/workspace/oversight/assessment/",
        "/workspace/oversight/bulletin/",
        "/workspace/oversight/register/",
        "/workspace/oversight/annual/",
        f"/workspace/oversight/annual/{report_.year}/",
        f"/workspace/oversight/annual/{report_.year}/{report_.organ.code}/",
        "/workspace/oversight/self-inspection/",
        "/accounts/security/",
        "/accounts/password_change/",
    ]
    if inspection is not None:
        urls.append(f"/workspace/oversight/self-inspection/{inspection.pk}/")
    return urls


@pytest.fixture
def demo():
    call_command("seed_demo", stdout=io.StringIO(), stderr=io.StringIO())


def scan_status(client, url, status) -> list[str]:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    page = response.content.decode()
    return [str(finding) for finding in untranslated(page, examples=EXAMPLES)]


def test_public_pages_are_english(demo):
    client = english_client()
    found = scan(client, public_urls())
    errors = {
        "/items/999999/": 404,
        "/no-such-page/": 404,
    }
    admin = get_user_model().objects.get(username="admin")
    removed, withdrawn = PublicRecord.objects.filter(
        item__state=Item.State.PUBLISHED
    ).order_by("-pk")[:2]
    workflow.remove(item=removed.item, by=admin, reason="错发")
    workflow.withdraw(item=withdrawn.item, by=admin, reason="政策已调整")
    errors[f"/items/{removed.pk}/"] = 410
    found.update(scan(client, [f"/items/{withdrawn.pk}/"]))
    for url, status in errors.items():
        if findings := scan_status(client, url, status):
            found[url] = findings
    tracked = InformationRequest.objects.order_by("pk").first()
    session = client.session
    session[ACCESS_KEY] = {"id": tracked.pk, "until": time.time() + 3600}
    session.save()
    found.update(scan(client, ["/requests/track/status/"]))
    assert not found, "Chinese on English pages:\n" + report(found)


def test_staff_pages_are_english(demo):
    admin = get_user_model().objects.get(username="admin")
    found = scan(english_client(admin), staff_urls())
    assert not found, "Chinese on English pages:\n" + report(found)
