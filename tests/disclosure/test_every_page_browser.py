"""Every kind of page, public and staff, in Chromium (issue 15: usable by every
citizen and clerk): in both languages and in each display mode (standard,
大字版, 高对比度), each page fits a 360 px screen with no sideways scrolling
and axe finds nothing serious or critical there and at 1280 px. The language
and the modes are chosen with the header's links, as a visitor would; the
data are the demo's (``seed_demo``), so the pages carry real-length content."""

import io
import re
import time

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from catalog.models import CatalogEntry
from disclosure.models import (
    Complaint,
    Consultation,
    InformationRequest,
    Item,
    PublicRecord,
)
from disclosure.oversight.models import AnnualReport
from tests import factories
from tests.disclosure.test_accessibility import serious_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

FITS = "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
# What sticks out on the right: the innermost elements past the screen's edge.
STICKING_OUT = """() => {
  const edge = document.documentElement.clientWidth;
  const clipped = (element) => {
    for (let box = element.parentElement; box; box = box.parentElement) {
      if (getComputedStyle(box).overflowX !== "visible") return true;
    }
    return false;
  };
  const out = [...document.querySelectorAll("body *")].filter(
    (element) => element.getBoundingClientRect().right > edge + 0.5 && !clipped(element)
  );
  return out
    .filter((element) => !out.some((other) => other !== element && element.contains(other)))
    .slice(0, 3)
    .map((element) => `${element.tagName.toLowerCase()}.${[...element.classList].join(".")}`
      + ` "${element.textContent.trim().slice(0, 30)}"`);
}"""
MODES = {
    "standard": (),
    "large": ("大字版",),
    "high-contrast": ("高对比度",),
}
LANGUAGES = {"zh-hans": (), "en": ("English",)}
# After the switch to English the mode links are in English.
MODE_LINKS_EN = {"大字版": "Large text", "高对比度": "High contrast"}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PORTAL_2FA_REQUIRED = False


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=io.StringIO(), stderr=io.StringIO())
    admin = get_user_model().objects.get(username="admin")
    admin.set_password(factories.PASSWORD)
    admin.save()
    return admin


def public_pages() -> list[str]:
    record = (
        PublicRecord.objects.filter(
            status=PublicRecord.Status.LIVE,
            catalog_entry__isnull=False,
            published_at__lte=timezone.now(),
        )
        .order_by("-pk")
        .filter(body__contains="<table")
        .first()
        or PublicRecord.objects.filter(
            status=PublicRecord.Status.LIVE,
            catalog_entry__isnull=False,
            published_at__lte=timezone.now(),
        ).first()
    )
    entry = CatalogEntry.objects.get(pk=record.catalog_entry_id)
    report = AnnualReport.objects.filter(state=AnnualReport.State.PUBLISHED).first()
    consultation = Consultation.objects.filter(
        state=Consultation.State.PUBLISHED
    ).first()
    complaint = Complaint.objects.first()
    return [
        "/",
        "/items/",
        "/items/?q=补贴",
        "/items/summary/?q=补贴",
        f"/items/{record.item_id}/",
        f"/items/{record.item_id}/print/",
        "/catalog/",
        f"/catalog/{entry.pk}/",
        "/guide/",
        "/tools/deadline/",
        "/system/",
        "/api/",
        "/reports/annual/",
        f"/reports/annual/{report.year}/",
        report.get_absolute_url(),
        "/requests/",
        "/requests/new/",
        "/requests/track/",
        "/consultations/",
        consultation.get_absolute_url(),
        f"/consultations/{consultation.pk}/comment/",
        "/subscriptions/",
        "/complaints/",
        complaint.get_status_url(),
        f"/departments/{report.organ.code}/",
        "/accounts/login/",
        "/no-such-page/",
    ]


def staff_pages() -> list[str]:
    draft = Item.objects.filter(state=Item.State.DRAFT).first()
    submitted = Item.objects.filter(state=Item.State.SUBMITTED).first()
    request = InformationRequest.objects.first()
    consultation = Consultation.objects.first()
    complaint = Complaint.objects.first()
    report = AnnualReport.objects.first()
    year = timezone.localdate().year
    return [
        "/workspace/",
        "/workspace/items/",
        "/workspace/items/new/",
        f"/workspace/items/{draft.pk}/",
        f"/workspace/items/{draft.pk}/edit/",
        "/workspace/review/",
        f"/workspace/items/{submitted.pk}/review/",
        "/workspace/audit/",
        "/workspace/oversight/",
        "/workspace/oversight/items/",
        "/workspace/oversight/statistics/",
        "/workspace/oversight/completeness/",
        "/workspace/oversight/assessment/",
        f"/workspace/oversight/bulletin/?year={year}&quarter=1",
        "/workspace/oversight/register/",
        "/workspace/oversight/annual/",
        f"/workspace/oversight/annual/{report.year}/{report.organ.code}/",
        "/workspace/oversight/self-inspection/",
        "/workspace/requests/",
        request.get_absolute_url(),
        "/workspace/requests/tables/",
        "/workspace/requests/appeals/",
        "/workspace/consultations/",
        consultation.get_staff_url(),
        "/workspace/comments/",
        "/workspace/complaints/",
        complaint.get_staff_url(),
        "/workspace/interpretations/",
        "/accounts/security/",
    ]


def _switch(page, names, language):
    for name in names:
        if language == "en":
            name = MODE_LINKS_EN.get(name, name)
        page.locator(".lang-switch").get_by_role("link", name=name).click()
        page.wait_for_load_state()


def _check(page, path, problems):
    page.set_viewport_size({"width": 360, "height": 740})
    response = page.goto(path)
    expected = 404 if path == "/no-such-page/" else 200
    assert response.status == expected, (path, response.status)
    found = []
    if not page.evaluate(FITS):
        width = page.evaluate("document.documentElement.scrollWidth")
        found.append(f"{width} px wide at 360 px: {page.evaluate(STICKING_OUT)}")
    found += serious_violations(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    found += [f"1280: {problem}" for problem in serious_violations(page)]
    if found:
        problems[path] = found


def _visit_all(chromium, live_server, admin, pages, language, mode) -> dict:
    """One browser context: choose the language and the mode with the header's
    links, then visit every public page, sign in and visit every staff page."""
    public, staff = pages
    context = chromium.new_context(base_url=live_server.url, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    problems = {}
    try:
        page.goto("/")
        _switch(page, LANGUAGES[language], "zh-hans")
        _switch(page, MODES[mode], language)
        assert page.locator("html").get_attribute("lang") == (
            "en" if language == "en" else "zh-CN"
        )
        body_class = page.locator("body").get_attribute("class").split()
        assert ("large-text" in body_class) == (mode == "large")
        assert ("high-contrast" in body_class) == (mode == "high-contrast")
        for path in public:
            _check(page, path, problems)
        page.goto("/accounts/login/")
        page.fill("#id_username", admin.username)
        page.fill("#id_password", factories.PASSWORD)
        page.click("main button[type=submit]")
        page.wait_for_url(re.compile(r"/workspace/"))
        for path in staff:
            _check(page, path, problems)
    finally:
        context.close()
    return problems


@pytest.mark.timeout(900)
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_fits_a_phone_and_passes_axe(chromium, live_server, demo, language):
    """The demo is seeded once per language (the two languages run in
    parallel under xdist); each mode is a browser context of its own."""
    pages = public_pages(), staff_pages()
    problems = {}
    for mode in MODES:
        started = time.monotonic()
        found = _visit_all(chromium, live_server, demo, pages, language, mode)
        for path, messages in found.items():
            problems[f"{language} {mode} {path}"] = messages
        print(f"{language}/{mode}: {time.monotonic() - started:.0f} s")
    assert not problems
