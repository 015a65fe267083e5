"""Phones (issue 15), in Chromium: at 360 px the catalog, the search results
and the review queue fit without sideways scrolling, and the listing's
filters wait behind a button; at 1280 px the filters show at once. The
larger text holds from page to page."""

import pytest

from disclosure import workflow
from tests import factories
from tests.disclosure.public_fixtures import (
    build_world,
    bulk_records,
    ensure_reference_data,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

NO_SIDEWAYS_SCROLL = (
    "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"
)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _page(chromium, live_server, width):
    context = chromium.new_context(
        base_url=live_server.url,
        locale="zh-CN",
        viewport={"width": width, "height": 740},
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    return context, page


def test_pages_fit_a_phone_and_the_filters_wait_behind_a_button(chromium, live_server):
    ensure_reference_data()
    world = build_world()
    for number in range(3):
        factories.CatalogEntryFactory(
            level1="财政预决算",
            level2=f"部门预算和决算第{number}项",
            responsible_department=world.department,
        )
    bulk_records(
        world, 5, title="政务公开自查报告{n}", doc_number="示农发〔2026〕{n}号"
    )
    for _number in range(2):
        item = factories.draft_item(
            world.clerk, world.department, title="政务公开自查报告"
        )
        workflow.submit(item=item, by=world.clerk)
    context, page = _page(chromium, live_server, 360)
    try:
        for path in (
            "/",
            "/catalog/",
            "/items/?q=自查报告",
            "/guide/",
            "/tools/deadline/",
        ):
            page.goto(path)
            assert page.evaluate(NO_SIDEWAYS_SCROLL), path
        # The filters are behind a button; the results come first.
        page.goto("/items/?q=自查报告")
        department = page.get_by_role("combobox", name="发布机构")
        assert not department.is_visible()
        page.locator(".filter-panel > summary").click()
        assert department.is_visible()
        assert page.evaluate(NO_SIDEWAYS_SCROLL)

        # The larger text holds into the catalog and still fits.
        page.get_by_role("link", name="大字版").click()
        page.goto("/catalog/")
        assert "large-text" in page.locator("body").get_attribute("class")
        assert page.evaluate(NO_SIDEWAYS_SCROLL)
        # The 二级事项 cell is as wide as the card, not one character.
        width = page.locator(".stack-table td").first.bounding_box()["width"]
        assert width > 250
    finally:
        context.close()

    client_context, phone = _page(chromium, live_server, 360)
    try:
        phone.goto("/accounts/login/")
        phone.fill("#id_username", world.reviewer.username)
        phone.fill("#id_password", factories.PASSWORD)
        phone.click("main button[type=submit]")
        phone.wait_for_url("**/workspace/")
        phone.goto("/workspace/review/")
        assert phone.get_by_text("政务公开自查报告").count() >= 2
        assert phone.evaluate(NO_SIDEWAYS_SCROLL)
    finally:
        client_context.close()

    context, wide = _page(chromium, live_server, 1280)
    try:
        wide.goto("/items/?q=自查报告")
        assert wide.get_by_role("combobox", name="发布机构").is_visible()
        assert not wide.locator(".filter-panel > summary").is_visible()
    finally:
        context.close()
