"""Every match reachable: "more" pages by cursor past the numbered pages of a
listing and of a search (disclosure/public/continuation.py), in the same
order, with no row twice, and the query plans that keep them as fast as a
first page."""

import datetime
import re
from html import unescape

import pytest
from django.db import connection
from django.utils import timezone

from disclosure.public import selectors
from disclosure.public.continuation import Cursor
from disclosure.public.pagination import CappedPaginator
from disclosure.public.results import ranked
from disclosure.search import parse
from tests.disclosure.public_fixtures import build_world, bulk_records

NEXT_LINK = re.compile(r'<a href="([^"]*)" rel="next">([^<]*)</a>')


@pytest.fixture
def world(db):
    return build_world()


def titles(response) -> list[str]:
    return [record.title for record in response.context["page_obj"].object_list]


def follow(client, params: dict) -> tuple[list[str], list]:
    """Every row shown from the first page on, following the "next" links;
    and the responses."""
    response = client.get("/items/", params)
    shown, responses = titles(response), [response]
    while match := NEXT_LINK.search(response.content.decode()):
        assert match.group(2) == "下一页"
        response = client.get("/items/" + unescape(match.group(1)))
        assert response.status_code == 200
        shown += titles(response)
        responses.append(response)
        assert len(responses) < 50
    return shown, responses


def test_a_listing_goes_on_past_its_deepest_page_by_cursor(client, world, settings):
    settings.PORTAL_LIST_COUNT_CAP = 30
    settings.PORTAL_LIST_MAX_PAGE = 2
    records = bulk_records(world, 65)
    # Five rows published at the same instant: the id breaks the tie.
    same = timezone.now() - datetime.timedelta(days=20)
    records = bulk_records(world, 5, start=same, step=datetime.timedelta(0)) + records
    shown, responses = follow(client, {})
    newest_first = sorted(records, key=lambda r: (r.published_at, r.pk), reverse=True)
    assert shown == [r.title for r in newest_first]  # all 70, none twice
    assert [r.context["page_obj"].number for r in responses[:2]] == [1, 2]
    page_two = responses[1].content.decode()
    assert "?after=" in page_two and "?page=3" not in page_two
    more = responses[2]
    html = more.content.decode()
    assert more.context["page_obj"].continued
    assert '<span aria-current="page">更多结果</span>' in html
    assert "接上页，排列顺序不变" in html and "条以上" not in html
    assert 'href="?page=1">第一页</a>' in html
    assert '<meta name="robots" content="noindex, follow">' in html
    last = responses[-1].content.decode()
    assert 'rel="next"' not in last and "第一页" in last


def test_a_filtered_listing_continues_within_its_filters(client, world, settings):
    settings.PORTAL_LIST_COUNT_CAP = 10
    settings.PORTAL_LIST_MAX_PAGE = 1
    bulk_records(world, 30, department=world.other_department)
    mine = bulk_records(world, 30)
    shown, responses = follow(client, {"department": world.department.code})
    assert shown == [r.title for r in reversed(mine)]
    assert all("department=" in r.request["QUERY_STRING"] for r in responses[1:])


def test_a_search_continues_past_its_count_cap_in_ranked_order(client, world, settings):
    settings.PORTAL_SEARCH_COUNT_CAP = 20
    in_title = bulk_records(world, 25, title="补贴发放通知{n}", body="<p>正文</p>")
    in_body = bulk_records(
        world,
        30,
        title="通知{n}",
        body="<p>发放补贴{n}</p>",
        start=timezone.now() - datetime.timedelta(days=5),
    )
    bulk_records(world, 10, title="通知{n}", body="<p>其他</p>")
    shown, responses = follow(client, {"q": "补贴"})
    # Title matches first, then the others, each newest first: the
    # continuation crosses from one tier to the next without a gap.
    assert shown == [r.title for r in reversed(in_title)] + [
        r.title for r in reversed(in_body)
    ]
    assert len(responses) == 3
    first = responses[0].content.decode()
    assert 'id="result-count"></span>' in first  # counted on its own request
    summary = client.get("/items/summary/", {"q": "补贴"}).content.decode()
    assert '<span id="summary-count">（20 条以上）</span>' in summary
    assert "&amp;after=" in first


def test_a_cursor_in_the_last_tier_of_the_page_before(world, settings):
    """The rows after a cursor are what the ranking puts after its row."""
    settings.PORTAL_SEARCH_COUNT_CAP = 7
    bulk_records(world, 4, title="补贴{n}")
    bulk_records(world, 9, title="通知{n}", body="<p>补贴{n}</p>")
    results = ranked(selectors.listing_records(), parse("补贴"))
    everything = results[0:100]
    paginator = CappedPaginator(results, 3)
    for position in range(len(everything)):
        tier = 0 if position < 4 else 1
        cursor = Cursor.of(everything[position], tier)
        page = paginator.page_after(cursor)
        assert list(page.object_list) == everything[position + 1 : position + 4]


@pytest.mark.parametrize(
    "cursor",
    [
        "x",
        "1.2",
        "0.1.2.3",
        "9.1764979200000000.5",  # no tier 9
        "0.-99999999999999999.5",  # before year 1
        "0.999999999999999999999.5",  # too far
        "0.1764979200000000.99999999999999999999",
        "<script>",
        "",
    ],
)
def test_an_invalid_cursor_shows_the_first_page_and_says_so(
    client, world, settings, cursor
):
    settings.PORTAL_LIST_COUNT_CAP = 10
    records = bulk_records(world, 25)
    for params in ({}, {"q": "农业"}):
        response = client.get("/items/", {**params, "after": cursor})
        assert response.status_code == 200
        assert titles(response) == [r.title for r in reversed(records)][:20]
        if cursor:
            assert "翻页链接无效，已显示第一页。" in response.content.decode()


def test_a_cursor_past_every_row_shows_an_empty_page(client, world):
    bulk_records(world, 3)
    response = client.get("/items/", {"after": "0.0.1"})  # 1970
    assert response.status_code == 200
    assert titles(response) == []
    assert "没有找到符合条件的信息" in response.content.decode()


def test_the_cursor_is_part_of_the_page_cache_key(client, world, settings):
    settings.PORTAL_PAGE_CACHE_SECONDS = 600
    settings.PORTAL_LIST_COUNT_CAP = 10
    settings.PORTAL_LIST_MAX_PAGE = 1
    records = list(reversed(bulk_records(world, 50)))
    first = client.get("/items/", {"after": str(Cursor.of(records[19]))})
    second = client.get("/items/", {"after": str(Cursor.of(records[39]))})
    assert first.content != second.content
    assert records[20].title in first.content.decode()
    assert records[40].title in second.content.decode()
    again = client.get("/items/", {"after": str(Cursor.of(records[19]))})
    assert again.content == first.content


def test_more_pages_in_english(client, world, settings):
    settings.PORTAL_LIST_COUNT_CAP = 10
    settings.PORTAL_LIST_MAX_PAGE = 1
    records = list(reversed(bulk_records(world, 45)))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get("/items/").content.decode()
    assert re.search(r'\?after=[^"]*" rel="next">Next page</a>', html)
    html = client.get("/items/", {"after": str(Cursor.of(records[19]))}).content
    html = html.decode()
    assert '<span aria-current="page">More results</span>' in html
    assert "(continued, in the same order)" in html
    html = client.get("/items/", {"after": "junk"}).content.decode()
    assert "not valid; showing the first page." in html


def test_a_more_page_costs_no_more_queries_than_a_first_page(
    client, world, settings, django_assert_max_num_queries
):
    settings.PORTAL_PAGE_CACHE_SECONDS = 0
    settings.PORTAL_SEARCH_COUNT_CAP = 20
    bulk_records(world, 40, title="补贴通知{n}")
    bulk_records(world, 40, title="通知{n}", body="<p>补贴{n}</p>")
    first = client.get("/items/", {"q": "补贴"})
    cursor = first.context["page_obj"].next_cursor
    assert cursor.startswith("0.")
    with django_assert_max_num_queries(20):
        response = client.get("/items/", {"q": "补贴", "after": cursor})
    assert len(titles(response)) == 20
    cursor = response.context["page_obj"].next_cursor
    with django_assert_max_num_queries(20):
        response = client.get("/items/", {"q": "补贴", "after": cursor})
    assert titles(response)[-1].startswith("通知")  # into the second tier


# --- query plans ----------------------------------------------------------------------


def _sqlite_plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return "\n".join(str(row[-1]) for row in cursor.fetchall())


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's plans")
def test_more_pages_are_index_ranges_on_sqlite(world):
    bulk_records(world, 50)
    cursor = Cursor(0, timezone.now() - datetime.timedelta(days=8), 10**6)
    rows = selectors.listing_records().filter(cursor.before())[:21]
    plan = _sqlite_plan(rows)
    assert "record_live_published" in plan and "published_at<?" in plan, plan
    assert "TEMP B-TREE" not in plan, plan  # read in order, no sort
    results = ranked(selectors.listing_records(), parse("农业"))
    for number, (full, _within) in enumerate(results.tiers.values()):
        tier = Cursor(number, cursor.published_at, cursor.pk)
        plan = _sqlite_plan(full.filter(tier.before())[:21])
        # The matches from FTS5, the rows by key (or the date index): as on
        # page 1, never a scan of the table.
        assert "VIRTUAL TABLE INDEX" in plan, plan
        assert not re.search(r"SCAN disclosure_publicrecord(?! USING)", plan), plan


@pytest.mark.postgres
def test_more_pages_use_the_indexes_not_a_sequential_scan(world, settings):
    settings.PORTAL_SEARCH_RECENT_WINDOW = 300
    start = timezone.now() - datetime.timedelta(days=400)
    words = {"补贴": 1500, "预算": 1000, "招标": 1000, "湿地": 10}
    step = datetime.timedelta(minutes=7)
    for word, count in words.items():
        title = f"关于{word}工作的通知{{n}}"
        body = f"<p>{word}第{{n}}期，政府信息公开。</p>"
        bulk_records(world, count, title=title, body=body, start=start, step=step)
        start += count * step
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE disclosure_publicrecord")
    middle = Cursor(0, start - 2000 * step, 10**9)
    listing = selectors.listing_records()
    plans = {
        "listing": listing.filter(middle.before())[:21].explain(),
        "department": listing.filter(department=world.department)
        .filter(middle.before())[:21]
        .explain(),
    }
    # The position is a range of a date index (row comparison included).
    for name in ("listing", "department"):
        assert re.search(r"Index Cond: .*ROW\(published_at, item_id\) <", plans[name])
    for query in ("补贴", "湿地", "工作通知", '"政府信息"'):
        results = ranked(listing, parse(query))
        for number, (full, _within) in enumerate(results.tiers.values()):
            cursor = Cursor(number, middle.published_at, middle.pk)
            plans[f"{query} tier {number}"] = full.filter(cursor.before())[
                :21
            ].explain()
            window = results.base.filter(cursor.before()).order_by(
                "-published_at", "-item_id"
            )
            plans[f"{query} window {number}"] = window.values_list("pk")[:300].explain()
    for name, plan in plans.items():
        assert "Seq Scan on disclosure_publicrecord" not in plan, (name, plan)
        assert "Sort Method: external" not in plan, (name, plan)


# --- the JSON API ---------------------------------------------------------------------


def test_the_api_goes_on_past_its_numbered_pages_by_next_links(client, world, settings):
    settings.PORTAL_SEARCH_COUNT_CAP = 10
    matching = bulk_records(world, 27, title="补贴{n}")
    bulk_records(world, 5, title="通知{n}")
    data = client.get("/api/v1/items", {"q": "补贴", "page_size": 5}).json()
    ids = [row["id"] for row in data["results"]]
    pages = 1
    while data["next"]:
        data = client.get(data["next"]).json()
        ids += [row["id"] for row in data["results"]]
        pages += 1
    assert ids == [r.pk for r in reversed(matching)]
    assert pages == 6
    assert data["count"] is None and data["page"] is None and data["page_size"] == 5


@pytest.mark.parametrize(
    ("params", "field"),
    [({"after": "junk"}, "after"), ({"after": "0.1.1", "page": "2"}, "page")],
)
def test_the_api_refuses_an_invalid_cursor(client, world, params, field):
    response = client.get("/api/v1/items", params)
    assert response.status_code == 400
    assert field in response.json()["fields"]
