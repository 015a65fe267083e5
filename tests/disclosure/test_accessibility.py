"""Accessibility of the public pages in Chromium: axe finds nothing serious or
critical; a 360 px wide screen needs no horizontal scrolling; the keyboard
reaches the skip link first and then the search box; the larger-text mode."""

import pytest

from catalog import demo
from catalog.models import CatalogEntry
from tests.disclosure.public_fixtures import (
    build_world,
    bulk_records,
    ensure_reference_data,
    publish,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def site(db):
    ensure_reference_data()
    demo.seed_catalog()
    world = build_world()
    entry = CatalogEntry.objects.filter(area__name="涉农补贴").first() or world.entry
    bulk_records(world, 25, catalog_entry=entry)
    record = publish(
        world,
        title="关于2026年耕地地力保护补贴发放结果的公示（第一批）——示例区农业农村局11330110002492154C",
        body=(
            "<p>根据有关规定，现将补贴发放结果公示如下。</p>"
            "<table><tr><th>姓名</th><th>金额（元）</th></tr>"
            "<tr><td>张三</td><td>1200</td></tr></table>"
            "<p>https://www.example.gov.cn/a/very/long/address/that/should/wrap/on/small/screens</p>"
        ),
        catalog_entry=entry,
        attachment="补贴发放名单（第一批，共120户）.pdf",
    )
    return {"record": record, "entry": entry}


def serious_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    violations = Axe().run(page).response["violations"]
    return [
        f"{violation['id']} ({violation['impact']}): "
        + ", ".join(str(node["target"]) for node in violation["nodes"][:3])
        for violation in violations
        if violation["impact"] in ("serious", "critical")
    ]


def test_public_pages_pass_axe_and_fit_a_small_screen(browser_page, live_server, site):
    page = browser_page
    record, entry = site["record"], site["entry"]
    paths = [
        "/",
        "/items/",
        "/items/?q=补贴",
        "/items/?department=nyj&topic=06",
        f"/items/{record.pk}/",
        "/catalog/",
        f"/catalog/{entry.pk}/",
        "/guide/",
        "/tools/deadline/",
        "/system/",
        "/api/",
    ]
    problems = {}
    for path in paths:
        page.set_viewport_size({"width": 1280, "height": 900})
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        found = serious_violations(page)
        page.set_viewport_size({"width": 360, "height": 740})
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 360:
            found.append(f"{width} px wide at a 360 px viewport")
        if found:
            problems[path] = found
    assert not problems


def test_keyboard_reaches_the_skip_link_first_then_the_search_box(
    browser_page, live_server, site
):
    page = browser_page
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    for _ in range(15):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "home-q":
            break
    else:
        pytest.fail("the search box is not reachable with Tab")
    page.keyboard.type("补贴")
    page.keyboard.press("Enter")
    page.wait_for_url("**/items/?q=*")
    assert page.locator("mark").first.inner_text() == "补贴"


def test_larger_text_mode(browser_page, live_server, site):
    page = browser_page
    page.goto(live_server.url + "/items/")
    normal = page.evaluate("getComputedStyle(document.documentElement).fontSize")
    page.get_by_role("link", name="大字版").click()
    page.wait_for_url("**/items/")
    large = page.evaluate("getComputedStyle(document.documentElement).fontSize")
    assert float(large.removesuffix("px")) >= 1.2 * float(normal.removesuffix("px"))
    page.set_viewport_size({"width": 360, "height": 740})
    for path in ("/", "/items/", f"/items/{site['record'].pk}/"):
        page.goto(live_server.url + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, path
        assert not serious_violations(page), path
    page.get_by_role("link", name="标准字号").click()
    page.wait_for_url(f"**/items/{site['record'].pk}/")
    assert (
        page.evaluate("getComputedStyle(document.documentElement).fontSize") == normal
    )
