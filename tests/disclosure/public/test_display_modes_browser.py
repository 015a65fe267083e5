"""适老化 modes in Chromium (issue 15): the keyboard reaches the 大字版 and
高对比度 switches and shows where it is; 高对比度 is light text on black with
yellow links; in either mode the links and buttons that stand alone are at
least 44 × 44 CSS px; lines are spaced at least 1.5; the 正文's paragraphs
are indented two characters and its lists and tables are not; the print
view prints the document without the site around it."""

import pytest

from tests.disclosure.public_fixtures import build_world, bulk_records, publish

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

BODY = (
    "<p>根据有关规定，现将补贴发放结果公示如下。</p>"
    "<ul><li>公示期五个工作日。</li></ul>"
    "<table><tr><th>姓名</th><th>金额（元）</th></tr><tr><td>张三</td><td>1200</td></tr></table>"
)
# Links and buttons that stand alone (not inside a sentence): the targets
# 44 × 44 CSS px in the 大字版 and 高对比度 modes.
SMALL_TARGETS = """() => {
  const standalone = (element) => {
    const parent = element.parentElement;
    return ![...parent.childNodes].some(
      (node) => node.nodeType === Node.TEXT_NODE && node.textContent.trim()
    );
  };
  return [...document.querySelectorAll("a, button, summary, input[type=submit]")]
    .filter((element) => element.checkVisibility() && standalone(element))
    .filter((element) => !element.closest(".record-body, .site-identity, .skip-link"))
    .map((element) => [element.textContent.trim(), element.getBoundingClientRect()])
    .filter(([, box]) => box.width < 43.5 || box.height < 43.5)
    .map(([text, box]) => `${text}: ${Math.round(box.width)}x${Math.round(box.height)}`);
}"""
LINE_SPACING = """() => [...document.querySelectorAll("main p, main li, main td")]
  .filter((element) => element.checkVisibility() && element.textContent.trim())
  .map((element) => {
    const style = getComputedStyle(element);
    return parseFloat(style.lineHeight) / parseFloat(style.fontSize);
  })
  .reduce((low, ratio) => Math.min(low, ratio), 9)"""


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def record(db):
    world = build_world()
    bulk_records(world, 25)
    return publish(world, title="关于耕地地力保护补贴发放结果的公示", body=BODY)


def _computed(page, selector, prop):
    return page.eval_on_selector(
        selector, f"(element) => getComputedStyle(element).{prop}"
    )


def test_keyboard_reaches_the_switches_with_visible_focus(browser_page, record):
    page = browser_page
    page.goto("/items/")
    reached = {}
    for _ in range(12):
        page.keyboard.press("Tab")
        text = page.evaluate("document.activeElement.textContent.trim()")
        if text in ("大字版", "高对比度"):
            outline = page.evaluate(
                "[getComputedStyle(document.activeElement).outlineStyle,"
                " parseFloat(getComputedStyle(document.activeElement).outlineWidth)]"
            )
            reached[text] = outline
        if len(reached) == 2:
            break
    assert reached == {"大字版": ["solid", 3], "高对比度": ["solid", 3]}
    page.keyboard.press("Enter")  # on 高对比度
    page.wait_for_url("**/items/")
    assert "high-contrast" in page.locator("body").get_attribute("class")
    assert _computed(page, "body", "backgroundColor") == "rgb(0, 0, 0)"
    assert _computed(page, "main p", "color") == "rgb(255, 255, 255)"
    assert _computed(page, ".record-title a", "color") == "rgb(255, 255, 0)"
    # Focus stays visible on black: a cyan ring.
    page.locator(".lang-switch a").first.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    assert (
        page.evaluate("getComputedStyle(document.activeElement).outlineColor")
        == "rgb(0, 255, 255)"
    )


@pytest.mark.parametrize("switch", ["大字版", "高对比度"])
def test_click_targets_and_line_spacing_in_each_mode(browser_page, record, switch):
    page = browser_page
    page.goto("/items/")
    assert page.evaluate(LINE_SPACING) >= 1.5
    page.get_by_role("link", name=switch).click()
    for path in ("/items/", "/", f"/items/{record.pk}/", "/catalog/", "/guide/"):
        for width in (360, 1280):
            page.set_viewport_size({"width": width, "height": 800})
            page.goto(path)
            assert page.evaluate(SMALL_TARGETS) == [], (path, width)
            assert page.evaluate(LINE_SPACING) >= 1.5, (path, width)


def test_the_body_text_is_indented_like_an_official_document(browser_page, record):
    page = browser_page
    page.goto(f"/items/{record.pk}/")
    size = float(_computed(page, ".record-body p", "fontSize").removesuffix("px"))
    indent = float(_computed(page, ".record-body p", "textIndent").removesuffix("px"))
    assert indent == pytest.approx(2 * size)
    assert _computed(page, ".record-body li", "textIndent") == "0px"
    assert _computed(page, ".record-body td", "textIndent") == "0px"
    assert _computed(page, ".record-meta td", "textIndent") == "0px"


def test_the_print_view_prints_the_document_alone(browser_page, record):
    page = browser_page
    page.goto(f"/items/{record.pk}/")
    page.get_by_role("link", name="打印", exact=True).click()
    page.wait_for_url(f"**/items/{record.pk}/print/")
    assert page.locator("nav, .site-header, .site-footer, form").count() == 0
    assert page.locator("h1").inner_text() == "关于耕地地力保护补贴发放结果的公示"
    assert record.index_number in page.locator(".record-meta").inner_text()
    assert "根据有关规定" in page.locator(".record-body").inner_text()
    assert f"/items/{record.pk}/" in page.locator(".page-address").inner_text()
    # With JavaScript the button prints; without, the page is the print view.
    page.evaluate("window.print = () => { window.printed = true; }")
    page.get_by_role("button", name="打印本页").click()
    assert page.evaluate("window.printed") is True
    page.emulate_media(media="print")
    assert not page.get_by_role("button", name="打印本页").is_visible()
    assert not page.get_by_role("link", name="返回正文页").is_visible()
    assert page.locator(".page-address").is_visible()
    # Printing the item page itself: no header, menu or footer; the address shows.
    page.goto(f"/items/{record.pk}/")
    assert not page.locator(".site-header").is_visible()
    assert not page.locator(".site-footer").is_visible()
    assert page.locator(".page-address").is_visible()
    page.emulate_media(media="screen")
    assert not page.locator(".page-address").is_visible()


def test_print_is_black_on_white_in_high_contrast(browser_page, record):
    page = browser_page
    page.goto(f"/items/{record.pk}/print/")
    page.get_by_role("button", name="打印本页").wait_for()
    page.context.add_cookies(
        [{"name": "portal_contrast", "value": "high", "url": page.url}]
    )
    page.reload()
    assert _computed(page, "body", "backgroundColor") == "rgb(0, 0, 0)"
    page.emulate_media(media="print")
    assert _computed(page, ".record-body p", "color") == "rgb(0, 0, 0)"
    assert _computed(page, "body", "backgroundColor") == "rgb(255, 255, 255)"
