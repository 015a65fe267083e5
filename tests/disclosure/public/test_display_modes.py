"""适老化 beyond the text size (issue 15): the 高对比度 switch is in the header
of every page, public and staff, works without JavaScript and is remembered
by a cookie (Secure where the session cookie is); cached pages are kept per
mode. The item's print view: the document, its metadata and its address,
without the site's navigation."""

import datetime
import re

import pytest
from django.utils import timezone

from disclosure import workflow
from tests.disclosure.public_fixtures import build_world, publish

pytestmark = pytest.mark.django_db

PUBLIC = [
    "/",
    "/items/",
    "/catalog/",
    "/guide/",
    "/tools/deadline/",
    "/accounts/login/",
]
BODY = (
    "<p>根据有关规定，现将补贴发放结果公示如下。</p>"
    "<ul><li>公示期五个工作日。</li></ul>"
    "<table><tr><th>姓名</th><th>金额（元）</th></tr><tr><td>张三</td><td>1200</td></tr></table>"
)


def _body_class(html: str) -> list[str]:
    return re.search(r'<body class="([^"]*)"', html).group(1).split()


def test_the_contrast_switch_is_on_every_page_and_the_choice_holds(client):
    world = build_world()
    record = publish(world)
    pages = [*PUBLIC, f"/items/{record.pk}/", f"/catalog/{world.entry.pk}/"]
    for path in pages:
        html = client.get(path).content.decode()
        assert "high-contrast" not in _body_class(html), path
        assert 'class="contrast-switch no-print"' in html, path
        assert ">高对比度</a>" in html, path
    response = client.get("/display/contrast/", {"mode": "high", "next": "/guide/"})
    assert response.status_code == 302
    assert response["Location"] == "/guide/"
    for path in pages:
        html = client.get(path).content.decode()
        assert "high-contrast" in _body_class(html), path
        assert ">标准配色</a>" in html, path
        assert f'?mode=normal&amp;next={path.replace("?", "%3F")}"' in html, path
    client.get("/display/contrast/", {"mode": "normal", "next": "/"})
    html = client.get("/items/").content.decode()
    assert "high-contrast" not in _body_class(html)
    assert ">高对比度</a>" in html


def test_staff_pages_carry_the_switch_and_both_modes_combine(client):
    world = build_world()
    client.force_login(world.clerk)
    client.get("/display/contrast/", {"mode": "high", "next": "/workspace/"})
    client.get("/display/text-size/", {"size": "large", "next": "/workspace/"})
    for path in ("/workspace/", "/workspace/items/", "/workspace/items/new/"):
        html = client.get(path).content.decode()
        assert _body_class(html) == ["workspace", "large-text", "high-contrast"], path
        assert ">标准配色</a>" in html and ">标准字号</a>" in html, path


def test_the_switch_is_in_english_for_english_visitors(client):
    build_world()
    client.cookies["django_language"] = "en"
    html = client.get("/items/").content.decode()
    assert ">High contrast</a>" in html
    client.cookies["portal_contrast"] = "high"
    assert ">Standard colours</a>" in client.get("/items/").content.decode()


def test_the_contrast_cookie_is_a_secure_year_long_preference(client, settings):
    settings.SESSION_COOKIE_SECURE = True
    response = client.get("/display/contrast/", {"mode": "high", "next": "/"})
    cookie = response.cookies["portal_contrast"]
    assert cookie.value == "high"
    assert cookie["secure"] and cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert int(cookie["max-age"]) >= 300 * 24 * 3600
    # Anything else is the standard colours: the cookie goes.
    response = client.get("/display/contrast/", {"mode": "<script>", "next": "/"})
    assert response.cookies["portal_contrast"].value == ""
    # Never a redirect off the site.
    response = client.get(
        "/display/contrast/", {"mode": "high", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_the_cached_page_is_kept_per_contrast_mode(client):
    world = build_world()
    publish(world)
    assert "high-contrast" not in _body_class(client.get("/items/").content.decode())
    client.cookies["portal_contrast"] = "high"
    assert "high-contrast" in _body_class(client.get("/items/").content.decode())
    client.cookies["portal_contrast"] = "bogus"
    assert "high-contrast" not in _body_class(client.get("/items/").content.decode())


def test_the_item_page_links_its_print_view(client):
    world = build_world()
    record = publish(world, body=BODY)
    html = client.get(f"/items/{record.pk}/").content.decode()
    assert f'href="/items/{record.pk}/print/">打印</a>' in html
    # Printing the page itself shows its address (print.css shows .print-only).
    assert (
        f'本页地址：<span class="url">http://testserver/items/{record.pk}/</span>'
        in html
    )


def test_the_print_view_has_the_document_and_no_navigation(client):
    world = build_world()
    record = publish(world, title="关于耕地地力保护补贴发放结果的公示", body=BODY)
    response = client.get(f"/items/{record.pk}/print/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<nav" not in html
    assert 'class="site-header' not in html and 'class="site-footer' not in html
    assert "lang-switch" not in html and "filter" not in html
    assert (
        '<h1 id="record-title" lang="zh-Hans">关于耕地地力保护补贴发放结果的公示</h1>'
        in html
    )
    assert f'<td lang="zh-Hans">{record.index_number}</td>' in html
    assert "<p>根据有关规定，现将补贴发放结果公示如下。</p>" in html
    assert (
        f'本页地址：<span class="url">http://testserver/items/{record.pk}/</span>'
        in html
    )
    assert f'<link rel="canonical" href="http://testserver/items/{record.pk}/">' in html
    assert '<meta name="robots" content="noindex">' in html
    assert f'<a href="/items/{record.pk}/">返回正文页</a>' in html
    # The print button needs JavaScript: hidden until print.js shows it.
    assert "data-print hidden>打印本页</button>" in html
    assert '<script src="/static/js/print.js" defer></script>' in html


def test_the_print_view_follows_the_items_state(client):
    world = build_world()
    record = publish(world, body=BODY)
    workflow.withdraw(item=record.item, by=world.admin, reason="政策已调整")
    html = client.get(f"/items/{record.pk}/print/").content.decode()
    assert "本信息已撤销（撤回），不再公开" in html
    assert "政策已调整" in html
    assert "根据有关规定" not in html
    assert client.get("/items/999999/print/").status_code == 404
    scheduled = publish(world, at=timezone.now() + datetime.timedelta(days=1))
    assert client.get(f"/items/{scheduled.pk}/print/").status_code == 404


def test_the_print_view_in_english(client):
    world = build_world()
    record = publish(world, body=BODY)
    client.cookies["django_language"] = "en"
    html = client.get(f"/items/{record.pk}/").content.decode()
    assert ">Print</a>" in html
    html = client.get(f"/items/{record.pk}/print/").content.decode()
    assert "Back to the item</a>" in html and "Address of this page:" in html
