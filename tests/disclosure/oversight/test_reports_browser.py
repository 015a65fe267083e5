"""The annual report pages, the register and the bulletin in Chromium: axe
finds nothing serious or critical, a 360 px wide screen needs no horizontal
scrolling of the page (wide tables scroll in their own box), no console
error (a CSP violation is one); a reviewer publishes a report with the
keyboard and mouse as a user would."""

import datetime
import re

import pytest
from django.utils import timezone

from catalog.models import Department
from catalog.selectors import work_calendar
from disclosure import workflow
from disclosure.oversight import schemes
from disclosure.oversight.annual import reports
from tests import factories
from tests.disclosure.public_fixtures import ensure_reference_data

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
PASSWORD = "reports-pass-2026"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def site(db):
    ensure_reference_data()
    government = factories.DepartmentFactory(
        code="gov", name="示例区人民政府", kind=Department.Kind.GOVERNMENT
    )
    bureau = factories.DepartmentFactory(
        code="nyj", name="区农业农村局", parent=government
    )
    clerk = factories.clerk_of(bureau, "clerk")
    author = factories.reviewer("author")
    publisher = factories.reviewer("publisher")
    for user in (clerk, author, publisher):
        user.set_password(PASSWORD)
        user.save()
    year = timezone.localdate().year - 1
    item = factories.draft_item(
        clerk,
        bureau,
        title="关于印发《示例区家庭农场认定管理办法》的通知",
        doc_number=f"示农规〔{year}〕1号",
        formed_on=datetime.date(year, 5, 12),
        document_class="normative",
        registration_number=f"SLQD04-{year}-0001",
        effective_on=datetime.date(year, 6, 1),
        expires_on=datetime.date(year + 5, 5, 31),
    )
    workflow.submit(item=item, by=clerk)
    workflow.approve(item=item, by=author, confidentiality_checked=True)
    workflow.publish(item=item, by=author)
    report = reports.start_report(
        organ=bureau,
        year=year,
        by=author,
        now=timezone.now(),
        calendar=work_calendar(),
    )
    reports.submit(report=report, by=author)
    scheme = schemes.create_scheme(year=year, by=author)
    schemes.save_indicators(
        scheme=scheme,
        by=author,
        computed={"complaints": (10, 5)},
        manual=[{"name": "政务公开培训", "weight": 10, "max_points": 10}],
    )
    return {"year": year, "publisher": publisher}


def _problems(page, found):
    from axe_playwright_python.sync_playwright import Axe

    violations = Axe().run(page).response["violations"]
    found.extend(
        f"{v['id']} ({v['impact']})"
        for v in violations
        if v["impact"] in ("serious", "critical")
    )
    page.set_viewport_size({"width": 360, "height": 740})
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > 360:
        found.append(f"{width} px wide at 360 px")
    page.set_viewport_size({"width": 1280, "height": 900})


def test_report_pages_pass_axe_and_a_reviewer_publishes(
    browser_page, live_server, site
):
    page = browser_page
    console = []
    page.on(
        "console",
        lambda m: console.append(m.text) if m.type == "error" else None,
    )
    year = site["year"]
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_username", "publisher")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r"/workspace/$"))

    problems = {}
    staff = [
        "/workspace/oversight/annual/",
        f"/workspace/oversight/annual/{year}/nyj/",
        "/workspace/oversight/register/",
        f"/workspace/oversight/bulletin/?year={year}&quarter=2",
        f"/workspace/oversight/assessment/?period=year&year={year}",
        f"/workspace/oversight/assessment/scheme/{year}/",
        f"/workspace/oversight/assessment/organ/nyj/?period=year&year={year}",
    ]
    for path in staff:
        page.goto(live_server.url + path)
        found = []
        _problems(page, found)
        if found:
            problems[path] = found

    page.goto(live_server.url + f"/workspace/oversight/annual/{year}/nyj/")
    page.get_by_role("button", name="审核通过并公布").click()
    page.wait_for_url(f"**/annual/{year}/nyj/")
    assert "年度报告已公布。" in page.inner_text(".messages")

    page.context.clear_cookies()
    for path in ("/reports/annual/", f"/reports/annual/{year}/nyj/"):
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        found = []
        _problems(page, found)
        if found:
            problems[path] = found
    assert "区农业农村局" in page.inner_text("h1")
    assert not problems
    assert not console
