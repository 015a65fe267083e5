"""The public column: home, the item list and its filters, item pages,
attachments, the catalog entry's items, static pages, robots.txt, sitemap."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.formats import date_format

from catalog.models import DocumentType, TopicCategory
from disclosure import workflow
from disclosure.identity import identity
from disclosure.models import Attachment, PublicRecord, Validity
from disclosure.public import pagination
from disclosure.reference import reference
from tests import factories
from tests.disclosure.public_fixtures import build_world, bulk_records, publish


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def travel(monkeypatch):
    """Move the clock forward: ``travel(days=2)``."""

    def move(**delta):
        moment = timezone.now() + datetime.timedelta(**delta)
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return move


def titles(response) -> list[str]:
    return [record.title for record in response.context["page_obj"].object_list]


def html(response) -> str:
    return response.content.decode()


# --- home ------------------------------------------------------------------------------


def test_home_has_the_four_sections_latest_items_areas_and_search(client, world):
    old = publish(world, title="较早的通知")
    new = publish(world, title="最新的通知")
    publish(world, title="明天的通知", at=timezone.now() + datetime.timedelta(days=1))
    response = client.get("/")
    page = html(response)
    assert response.status_code == 200
    for label, url in [
        ("政府信息公开指南", "/guide/"),
        ("政府信息公开制度", "/system/"),
        ("法定主动公开内容", "/catalog/"),
        ("政府信息公开工作年度报告", "/reports/annual/"),
    ]:
        assert f'<a href="{url}">{label}</a>' in page
    assert 'href="/items/"' in page
    assert page.index(new.title) < page.index(old.title)
    assert "明天的通知" not in page
    assert 'role="search"' in page and 'name="q"' in page
    assert f'href="/catalog/#area-{world.entry.area_id}"' in page
    assert "application/atom+xml" in page


def test_home_query_count_does_not_grow(client, world, django_assert_max_num_queries):
    bulk_records(world, 45)
    reference()  # the catalog's small tables: read once per generation
    with django_assert_max_num_queries(4):
        assert client.get("/").status_code == 200


def test_system_page_lists_the_rules(client, db):
    page = html(client.get("/system/"))
    assert "《中华人民共和国政府信息公开条例》" in page
    assert "国务院令第711号" in page


# --- the list ------------------------------------------------------------------------


def test_list_shows_live_items_newest_first_at_read_time(client, world, travel):
    first = publish(world, title="第一条")
    second = publish(world, title="第二条")
    publish(world, title="定时发布的", at=timezone.now() + datetime.timedelta(hours=2))
    withdrawn = publish(world, title="撤销的")
    workflow.withdraw(item=withdrawn.item, by=world.admin, reason="政策调整")
    removed = publish(world, title="删除的")
    workflow.remove(item=removed.item, by=world.admin, reason="错发")
    assert titles(client.get("/items/")) == [second.title, first.title]
    # No job runs: the scheduled item is there once its time has come.
    travel(hours=3)
    assert titles(client.get("/items/")) == ["定时发布的", second.title, first.title]


def test_list_pages(client, world):
    bulk_records(world, 45)
    first = client.get("/items/")
    assert len(titles(first)) == 20
    assert 'rel="next"' in html(first)
    third = client.get("/items/", {"page": "3"})
    assert len(titles(third)) == 5
    assert titles(first)[0] != titles(third)[0]
    assert client.get("/items/", {"page": "last"}).status_code == 200
    for bad in ["0", "4", "-1", "abc", "99999999999999999999999", "1.5", "\x00"]:
        assert client.get("/items/", {"page": bad}).status_code == 404, bad


def test_filters(client, world):
    office_item = publish(world, title="科室的公示", department=world.office)
    own = publish(world, title="局本级的公示", catalog_entry=world.entry)
    other = publish(
        world,
        title="财政局的通知",
        department=world.other_department,
        topic=world.other_topic,
        document_type=world.notice,
        validity=Validity.REPEALED,
        validity_changed_on=datetime.date(2026, 3, 1),
    )
    everything = {office_item.title, own.title, other.title}
    cases = {
        "department=nyj": {office_item.title, own.title},
        "department=nyj-bt": {office_item.title},
        "department=czj": {other.title},
        "topic=06": {office_item.title, own.title},  # a parent includes children
        "topic=0601": {office_item.title, own.title},
        "topic=04": {other.title},
        f"entry={world.entry.pk}": {own.title},
        "type=notice": {other.title},
        "type=announcement": {office_item.title, own.title},
        "validity=repealed": {other.title},
        "validity=valid": {office_item.title, own.title},
        f"year={timezone.localdate().year}": everything,
        f"year={timezone.localdate().year - 1}": set(),
        f"date_from={timezone.localdate().isoformat()}": everything,
        f"date_to={(timezone.localdate() - datetime.timedelta(days=1)).isoformat()}": set(),
        "department=czj&validity=valid": set(),
        "q=公示&department=nyj": {office_item.title, own.title},
    }
    for query, expected in cases.items():
        response = client.get(f"/items/?{query}")
        assert response.status_code == 200, query
        assert set(titles(response)) == expected, query


@pytest.mark.parametrize(
    "query",
    [
        "department=nope",
        "topic=99",
        "entry=abc",
        "entry=99999999999999999999999",
        "type=%00",
        "validity=bogus",
        "year=99999",
        "year=abc",
        "year=1e5",
        "date_from=0001-01-01",
        "date_to=9999-12-31",
        "date_from=2026-02-30",
        "page=2&department=",
        "department=czj&department=nope",
        "unknown=1",
    ],
)
def test_invalid_filters_are_ignored_and_reported(client, world, query):
    publish(world)
    response = client.get(f"/items/?{query}")
    assert response.status_code in (200, 404)
    if response.status_code == 200:
        assert len(titles(response)) == 1


def test_an_invalid_filter_is_shown_as_an_error(client, world):
    publish(world)
    page = html(client.get("/items/?year=abc"))
    assert "年份应为四位数字" in page


def test_active_filters_are_shown_and_removable(client, world):
    publish(world)
    page = html(
        client.get("/items/", {"department": "nyj", "topic": "06", "q": "补贴"})
    )
    section = page[page.index("已选条件") :]
    shown = re.sub(r"<[^>]+>", "", section)  # the data sits in lang="zh-Hans" spans
    assert "发布机构：区农业农村局" in shown
    assert "主题分类：农业、林业、水利" in shown
    assert "关键词：补贴" in shown
    assert '发布机构：<span lang="zh-Hans">区农业农村局</span>' in section
    # Each removal link keeps the other filters.
    assert 'href="/items/?q=%E8%A1%A5%E8%B4%B4&amp;topic=06"' in section
    assert 'href="/items/?q=%E8%A1%A5%E8%B4%B4&amp;department=nyj"' in section
    assert 'href="/items/?department=nyj&amp;topic=06"' in section


def test_counts_per_filter_value(client, world):
    bulk_records(world, 3)
    bulk_records(world, 2, department=world.office)
    bulk_records(
        world,
        4,
        department=world.other_department,
        topic=world.other_topic,
        document_type=DocumentType.objects.get(code="announcement"),
    )
    facets = client.get("/items/").context["facets"]
    departments = {value.label: value.count for value in facets.departments}
    assert departments == {
        "区农业农村局": 5,
        "计划财务科（补贴发放）": 2,
        "区财政局": 4,
    }
    assert {v.label: v.count for v in facets.topics} == {
        "农业、林业、水利": 5,
        "财政、金融、审计": 4,
    }
    assert {v.label: v.count for v in facets.document_types} == {"通知": 5, "公告": 4}
    assert sum(value.count for value in facets.years) == 9
    # Inside a top-level topic, its children are counted.
    facets = client.get("/items/", {"topic": "06"}).context["facets"]
    assert {v.label: v.count for v in facets.topics} == {
        "农业、林业、水利": 5,
        "农业": 5,
    }
    page = html(client.get("/items/"))
    assert 'href="/items/?department=czj"' in page


def test_facet_counts_are_capped_on_large_results(client, world, settings):
    settings.PORTAL_FACET_SAMPLE = 10
    bulk_records(world, 25)
    facets = client.get("/items/").context["facets"]
    assert facets.partial
    assert facets.departments[0].count <= 11
    assert "以下为最新部分结果的统计" in html(client.get("/items/?page=1"))


def test_count_is_capped(client, world, settings):
    settings.PORTAL_LIST_COUNT_CAP = 30
    bulk_records(world, 45)
    response = client.get("/items/")
    assert response.context["paginator"].count == 30
    assert "30 条以上" in html(response)


def test_pages_go_on_past_the_count_cap_while_rows_remain(client, world, settings):
    settings.PORTAL_LIST_COUNT_CAP = 30
    settings.PORTAL_LIST_MAX_PAGE = 4
    records = bulk_records(world, 65)  # newest last
    newest_first = [record.title for record in reversed(records)]
    # Page 2 ends at the cap; page 3 is past it, 4 holds the last 5 rows.
    page = client.get("/items/", {"page": 3})
    assert page.status_code == 200
    assert titles(page) == newest_first[40:60]
    text = html(page)
    assert "第 3 页" in text and "第 3 页，共" not in text
    assert 'rel="next"' in text and "最后一页" not in text
    last = client.get("/items/", {"page": 4})
    assert titles(last) == newest_first[60:]
    assert 'rel="next"' not in html(last)
    assert client.get("/items/", {"page": 5}).status_code == 404


def test_the_deepest_allowed_page_links_no_further(client, world, settings):
    settings.PORTAL_LIST_COUNT_CAP = 30
    settings.PORTAL_LIST_MAX_PAGE = 3
    bulk_records(world, 75)  # rows go on past page 3
    page = client.get("/items/", {"page": 3})
    assert page.status_code == 200
    assert len(titles(page)) == 20
    # The next page is a "more" page by cursor (test_continuation.py).
    assert re.search(r'href="\?after=[0-9.]+" rel="next"', html(page))
    assert "?page=4" not in html(page)
    assert client.get("/items/", {"page": 4}).status_code == 404
    api = client.get("/api/v1/items", {"page": 3}).json()
    assert "after=" in api["next"] and "page=" not in api["next"]
    assert client.get("/api/v1/items", {"page": 4}).status_code == 400


def test_a_search_goes_on_past_its_count_cap_by_cursor_not_page_number(
    client, world, settings
):
    settings.PORTAL_SEARCH_COUNT_CAP = 20
    bulk_records(world, 45, title="关于补贴发放的通知{n}")
    page = client.get("/items/", {"q": "补贴"})
    assert page.status_code == 200
    assert len(titles(page)) == 20
    summary = html(client.get("/items/summary/", {"q": "补贴"}))
    assert "（20 条以上）" in summary
    # No numbered page 2: the next page is a "more" page by cursor.
    assert "page=2" not in html(page)
    assert re.search(r'href="\?q=[^"]*&amp;after=[0-9.]+" rel="next"', html(page))


def test_an_entry_page_past_its_rows_shows_the_last_counted_page(
    client, world, settings
):
    settings.PORTAL_LIST_COUNT_CAP = 30  # 2 counted pages of 20; 65 rows
    records = bulk_records(world, 65, catalog_entry=world.entry)
    response = client.get(f"/catalog/{world.entry.pk}/", {"page": 40})
    assert response.status_code == 200
    newest_first = [r.title for r in reversed(records)]
    assert newest_first[20] in html(response)  # page 2, the last counted
    assert newest_first[19] not in html(response)


def test_a_page_past_the_rows_is_not_found_even_below_the_max(client, world, settings):
    settings.PORTAL_LIST_COUNT_CAP = 30
    bulk_records(world, 45)
    assert client.get("/items/", {"page": 3}).status_code == 200
    assert client.get("/items/", {"page": 4}).status_code == 404


def test_deep_pages_read_their_keys_first(client, world, monkeypatch, settings):
    """Past KEYS_FIRST_OFFSET a page is the same rows in the same order, read
    by key."""
    settings.PORTAL_PAGE_CACHE_SECONDS = 0
    records = bulk_records(world, 45)
    shallow = titles(client.get("/items/", {"page": 2}))
    monkeypatch.setattr(pagination, "KEYS_FIRST_OFFSET", 1)
    response = client.get("/items/", {"page": 2})
    assert titles(response) == shallow == [r.title for r in reversed(records)][20:40]
    with CaptureQueriesContext(connection) as queries:
        client.get("/items/", {"page": 3})
    assert any(" IN (" in q["sql"] and "LIMIT" not in q["sql"] for q in queries)


def test_list_links_its_feeds_csv_and_api_with_the_same_filters(client, world):
    publish(world)
    page = html(client.get("/items/", {"department": "nyj", "q": "补贴", "page": "1"}))
    query = "?q=%E8%A1%A5%E8%B4%B4&amp;department=nyj"
    for url in ["/feeds/items.atom", "/feeds/items.rss", "/items.csv", "/api/v1/items"]:
        assert f'href="{url}{query}"' in page, url
    assert '<link rel="alternate" type="application/atom+xml"' in page


def test_list_query_count_does_not_grow_with_rows(
    client, world, django_assert_max_num_queries
):
    bulk_records(world, 45)
    bulk_records(world, 45, department=world.office, topic=world.other_topic)
    with django_assert_max_num_queries(16):
        response = client.get(
            "/items/", {"department": "nyj", "topic": "06", "page": 2}
        )
    assert len(titles(response)) == 20


# --- the item page ------------------------------------------------------------------


def test_item_page_shows_the_metadata_table_body_and_attachments(client, world):
    record = publish(
        world,
        title="关于2026年<耕地>地力保护补贴发放的公示",
        body="<p>现将<strong>补贴</strong>情况公示。</p><script>alert(1)</script>",
        catalog_entry=world.entry,
        attachment="补贴名单（2026）.pdf",
    )
    response = client.get(f"/items/{record.pk}/")
    page = html(response)
    assert response.status_code == 200
    cells = dict(
        re.findall(
            r'<th scope="row">([^<]+)</th><td(?: colspan="3")?(?: lang="zh-Hans")?>'
            r"(.*?)</td>",
            page,
        )
    )
    assert cells["索引号"] == record.index_number
    assert cells["主题分类"] == "农业、林业、水利 / 农业"
    assert cells["发布机构"] == "区农业农村局"
    assert cells["成文日期"] == "2026-03-02"
    assert cells["标题"] == "关于2026年&lt;耕地&gt;地力保护补贴发放的公示"
    assert cells["发文字号"] == "示农发〔2026〕3号"
    assert (
        timezone.localtime(record.published_at).strftime("%Y-%m-%d")
        in cells["发布日期"]
    )
    assert cells["有效性"] == "有效"
    assert cells["体裁"] == "公告"
    assert cells["主题词"] == "补贴 公示"
    assert cells["公开方式"] == "主动公开"
    assert cells["公开范围"] == "面向社会"
    assert f'href="/catalog/{world.entry.pk}/"' in cells["公开事项"]
    # The body is stored sanitised and shown as HTML.
    assert "<p>现将<strong>补贴</strong>情况公示。</p>" in page
    assert "alert(1)" not in page
    attachment = Attachment.objects.get(item_id=record.pk)
    assert f'href="/items/{record.pk}/files/{attachment.token}/"' in page
    # Shown by its display title, the file name without extension by default.
    assert ">补贴名单（2026）</a>" in page
    assert "补贴名单（2026）.pdf" not in page
    assert "（PDF，" in page
    assert f'<link rel="canonical" href="http://testserver/items/{record.pk}/">' in page
    assert 'href="/static/css/print.css" media="print"' in page


def test_item_page_shows_change_notes(client, world):
    record = publish(world)
    item = workflow.update_item(
        item=record.item,
        by=world.clerk,
        data={
            "body": "<p>补贴标准调整。</p>",
            "is_major_change": True,
            "change_note": "调整了补贴标准。",
        },
        expected_version=record.item.version,
    )
    workflow.submit(item=item, by=world.clerk)
    workflow.approve(item=item, by=world.reviewer, confidentiality_checked=True)
    workflow.publish(item=item, by=world.reviewer)
    page = html(client.get(f"/items/{record.pk}/"))
    assert "更新说明" in page
    assert "调整了补贴标准。" in page
    assert "补贴标准调整。" in page


def test_withdrawn_item_keeps_its_page_with_a_notice(client, world):
    record = publish(world)
    workflow.withdraw(item=record.item, by=world.admin, reason="政策已调整")
    response = client.get(f"/items/{record.pk}/")
    assert response.status_code == 200
    page = html(response)
    assert "本信息已撤销" in page
    assert "政策已调整" in page
    assert timezone.localdate().strftime("%Y年").lstrip("0") in page


def test_removed_item_is_gone(client, world):
    record = publish(world, title="错发的信息")
    workflow.remove(item=record.item, by=world.admin, reason="错发")
    response = client.get(f"/items/{record.pk}/")
    assert response.status_code == 410
    assert "该信息已删除" in html(response)
    assert "错发的信息" not in html(response)


def test_unpublished_and_scheduled_items_are_not_found(client, world, travel):
    draft = factories.draft_item(world.clerk, world.department)
    assert client.get(f"/items/{draft.pk}/").status_code == 404
    scheduled = publish(world, at=timezone.now() + datetime.timedelta(days=1))
    assert client.get(f"/items/{scheduled.pk}/").status_code == 404
    assert client.get("/items/999999/").status_code == 404
    travel(days=2)
    assert client.get(f"/items/{scheduled.pk}/").status_code == 200


def test_item_page_query_count(client, world, django_assert_max_num_queries):
    record = publish(world, attachment="附件一.pdf")
    bulk_records(world, 40)
    reference()  # the catalog's small tables: read once per generation
    identity()  # the site's name and footer: read once per generation
    # The record, its attachments, its change notes, the next scheduled
    # publication, and its interpretations, policy and consultation (one).
    with django_assert_max_num_queries(5):
        assert client.get(f"/items/{record.pk}/").status_code == 200


# --- attachments ------------------------------------------------------------------


def test_attachment_download(client, world):
    record = publish(world, attachment='补贴名单 "2026".pdf')
    attachment = Attachment.objects.get(item_id=record.pk)
    response = client.get(attachment.get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="attachment.pdf"; ')
    assert (
        "filename*=UTF-8''%E8%A1%A5%E8%B4%B4%E5%90%8D%E5%8D%95%20_2026_.pdf"
        in disposition
    )
    body = b"".join(response.streaming_content)
    assert body.startswith(b"%PDF-")
    # The public copy: the original without document metadata, when the
    # scrubber removed anything.
    assert response["ETag"] == f'"{attachment.public_etag_hash}"'
    again = client.get(
        attachment.get_absolute_url(), HTTP_IF_NONE_MATCH=response["ETag"]
    )
    assert again.status_code == 304


def test_only_published_attachments_of_visible_records(client, world, travel):
    record = publish(world, attachment="已公开.pdf")
    published = Attachment.objects.get(item_id=record.pk)
    # A file added while the published item is being changed is not public.
    draft_file = factories.attach_pdf(record.item, world.clerk, name="未公开.pdf")
    page = html(client.get(f"/items/{record.pk}/"))
    assert ">已公开</a>" in page
    assert "未公开" not in page
    assert client.get(draft_file.get_absolute_url()).status_code == 404
    assert client.get(f"/items/{record.pk}/files/nope/").status_code == 404
    assert (
        client.get(f"/items/{record.pk + 1}/files/{published.token}/").status_code
        == 404
    )

    scheduled = publish(
        world, attachment="定时.pdf", at=timezone.now() + datetime.timedelta(days=1)
    )
    scheduled_file = Attachment.objects.get(item_id=scheduled.pk)
    assert client.get(scheduled_file.get_absolute_url()).status_code == 404

    workflow.remove(item=record.item, by=world.admin, reason="错发")
    assert client.get(published.get_absolute_url()).status_code == 404
    travel(days=2)
    assert client.get(scheduled_file.get_absolute_url()).status_code == 200


# --- the catalog entry's items ----------------------------------------------------------


def test_catalog_entry_page_lists_its_published_items(
    client, world, django_assert_max_num_queries
):
    bulk_records(world, 25, catalog_entry=world.entry)
    bulk_records(world, 3, title="别的事项{n}")
    url = f"/catalog/{world.entry.pk}/"
    reference()  # the catalog's small tables: read once per generation
    with django_assert_max_num_queries(6):
        response = client.get(url)
    page = html(response)
    assert "本事项公开的信息" in page
    assert page.count('class="record"') == 20
    assert "别的事项" not in page
    assert f'href="/items/?entry={world.entry.pk}"' in page
    assert f'href="/feeds/entry/{world.entry.pk}.atom"' in page
    second = html(client.get(url, {"page": "2"}))
    assert second.count('class="record"') == 5
    # An invalid page shows the first or the last page.
    assert html(client.get(url, {"page": "abc"})).count('class="record"') == 20
    assert html(client.get(url, {"page": "99"})).count('class="record"') == 5


def test_catalog_entry_without_items(client, world):
    page = html(client.get(f"/catalog/{world.entry.pk}/"))
    assert "本事项暂无公开的信息。" in page


# --- robots, sitemap, text size, language, CSP ----------------------------------


def test_robots_txt(client, db):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "User-agent: *\nAllow: /" in text
    for path in ("/workspace/", "/admin/", "/accounts/"):
        assert f"Disallow: {path}" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text


def test_sitemap(client, world):
    live = publish(world)
    withdrawn = publish(world)
    workflow.withdraw(item=withdrawn.item, by=world.admin, reason="调整")
    response = client.get("/sitemap.xml")
    assert "noindex" in response["X-Robots-Tag"]
    assert "noindex" in client.get("/sitemap.xml")["X-Robots-Tag"]  # cached
    index = response.content.decode()
    for section in ("pages", "catalog", "items"):
        assert f"http://testserver/sitemap-{section}.xml" in index
    items = client.get("/sitemap-items.xml").content.decode()
    assert f"<loc>http://testserver/items/{live.pk}/</loc>" in items
    assert f"/items/{withdrawn.pk}/" not in items
    catalog = client.get("/sitemap-catalog.xml").content.decode()
    assert f"<loc>http://testserver/catalog/{world.entry.pk}/</loc>" in catalog
    pages = client.get("/sitemap-pages.xml").content.decode()
    for path in ("/guide/", "/system/", "/catalog/", "/items/", "/reports/annual/"):
        assert f"<loc>http://testserver{path}</loc>" in pages


def test_larger_text_mode_is_a_cookie(client, world):
    response = client.get("/display/text-size/", {"size": "large", "next": "/items/"})
    assert response.status_code == 302
    assert response["Location"] == "/items/"
    assert response.cookies["portal_text_size"].value == "large"
    page = html(client.get("/items/"))
    assert '<body class="public large-text">' in page
    assert "标准字号" in page
    client.get("/display/text-size/", {"size": "normal", "next": "/"})
    assert '<body class="public">' in html(client.get("/items/"))
    evil = client.get(
        "/display/text-size/", {"size": "large", "next": "https://evil.example/"}
    )
    assert evil["Location"] == "/"


def test_pages_default_to_chinese_and_switch_to_english(client, world):
    publish(world)
    response = client.get("/items/")
    assert response["Content-Language"] == "zh-hans"
    assert '<html lang="zh-CN">' in html(response)
    client.post("/i18n/setlang/", {"language": "en", "next": "/items/"})
    response = client.get("/items/")
    assert response["Content-Language"] == "en"
    assert '<html lang="en">' in html(response)


def test_no_inline_script_or_style(client, world):
    record = publish(world, attachment="附件.pdf", catalog_entry=world.entry)
    for url in [
        "/",
        "/items/",
        "/items/?q=补贴",
        f"/items/{record.pk}/",
        "/system/",
        "/api/",
        f"/catalog/{world.entry.pk}/",
    ]:
        page = html(client.get(url))
        assert not re.search(r"<script(?![^>]*\bsrc=)", page), url
        assert " style=" not in page and "<style" not in page, url


def test_topics_in_the_filter_are_in_tree_order(client, world):
    page = html(client.get("/items/"))
    select = page[page.index('name="topic"') :]
    assert (
        select.index('value="06"')
        < select.index('value="0601"')
        < select.index('value="07"')
    )
    assert TopicCategory.objects.get(code="0601").parent.code == "06"


def test_record_is_in_the_list_once_per_revision(client, world):
    record = publish(world, title="第一版")
    item = workflow.update_item(
        item=record.item,
        by=world.clerk,
        data={"title": "第二版"},
        expected_version=record.item.version,
    )
    # While the change is in review, the public keeps the first version.
    assert titles(client.get("/items/")) == ["第一版"]
    workflow.submit(item=item, by=world.clerk)
    workflow.approve(item=item, by=world.reviewer, confidentiality_checked=True)
    workflow.publish(item=item, by=world.reviewer)
    assert titles(client.get("/items/")) == ["第二版"]
    assert PublicRecord.objects.count() == 1


def test_english_pages_give_dates_and_file_sizes_in_english(client, world, settings):
    """Dates follow the page's language (DATE_FORMAT), not a Chinese pattern."""
    record = publish(world)
    workflow.withdraw(item=record.item, by=world.admin, reason="政策已调整")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = html(client.get(f"/items/{record.pk}/"))
    today = timezone.localdate()
    with translation.override("en"):
        expected = date_format(today, "DATE_FORMAT")  # e.g. "Dec. 6, 2026"
    assert f"Taken down on: {expected}</p>" in page
    assert "年" not in page.split("Taken down on:")[1][:20]
    page = html(
        client.get("/tools/deadline/", {"start": "2026-09-30", "working_days": "10"})
    )
    assert "Oct. 20, 2026" in page
    assert "（Tuesday）" not in page and "(Tuesday)" in page
