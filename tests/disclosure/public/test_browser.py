"""A citizen's journey in Chromium, under the site's Content Security Policy:
home page, a two-character search, a department filter, the item, its
attachment, its feed; then the English version from the header's button."""

import xml.etree.ElementTree as ET

import pytest

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


def test_a_citizen_finds_reads_downloads_and_subscribes(browser_page, live_server):
    ensure_reference_data()
    world = build_world()
    bulk_records(world, 30)
    publish(
        world,
        title="区财政局关于2026年农业补贴资金的通知",
        department=world.other_department,
    )
    record = publish(
        world,
        title="关于2026年耕地地力保护补贴发放的公示",
        attachment="补贴发放名单.pdf",
    )
    page = browser_page
    problems = []
    page.on(
        "console",
        lambda message: (
            message.type == "error"
            and not message.text.startswith("Failed to load resource")
            and problems.append(message.text)
        ),
    )
    page.on("pageerror", lambda error: problems.append(str(error)))

    # The home page, in Chinese by default.
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert page.get_by_role("link", name="政府信息公开指南").first.is_visible()

    # Search two characters.
    page.get_by_label("搜索公开信息").fill("补贴")
    page.get_by_role("button", name="搜索").click()
    page.wait_for_url("**/items/?q=*")
    results = page.locator(".record-title")
    assert results.count() == 2
    assert page.locator(".record-title mark").first.inner_text() == "补贴"
    # The facets follow on their own request (static/js/result-summary.js).
    facets = page.locator("aside#facets")
    facets.locator("section.facet").first.wait_for()
    assert facets.get_by_role("link", name="区财政局").is_visible()
    assert page.locator("#result-count").inner_text() == "（共 2 条）"

    # Filter by department.
    page.get_by_role("combobox", name="发布机构").select_option("nyj")
    page.get_by_role("button", name="筛选").click()
    page.wait_for_url("**department=nyj*")
    assert results.count() == 1
    assert page.get_by_text("发布机构：区农业农村局", exact=True).is_visible()
    assert page.get_by_role("link", name="移除条件 发布机构：区农业农村局").is_visible()

    # Open the item.
    page.get_by_role("link", name=record.title).click()
    page.wait_for_url(f"**/items/{record.pk}/")
    assert page.get_by_role("heading", level=1).inner_text() == record.title
    assert page.locator("th", has_text="索引号").is_visible()

    # Download its attachment, shown by its display title (the file name
    # without extension); the file keeps its name.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="补贴发放名单", exact=True).click()
    download = download_info.value
    assert download.suggested_filename == "补贴发放名单.pdf"
    with open(download.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"

    # Find its feed and fetch it.
    feed_link = page.locator('link[rel="alternate"][type="application/atom+xml"]')
    href = feed_link.get_attribute("href")
    assert href == "/feeds/department/nyj.atom"
    feed = page.request.get(live_server.url + href)
    assert feed.ok
    titles = [
        entry.findtext("{http://www.w3.org/2005/Atom}title")
        for entry in ET.fromstring(feed.body()).iter(  # noqa: S314 - our own feed
            "{http://www.w3.org/2005/Atom}entry"
        )
    ]
    assert titles[0] == record.title

    # The English version, from the header's language button.
    page.locator('.lang-switch a[hreflang="en"]').click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.url.endswith(f"/items/{record.pk}/")
    assert problems == []
