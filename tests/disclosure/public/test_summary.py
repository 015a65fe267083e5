"""A search's count and facets on their own request (/items/summary/), so
that its results page does not wait for them: the page links to it (and a
script fetches it, tests/disclosure/public/test_browser.py)."""

import pytest

from disclosure.public.results import TieredResults
from tests.disclosure.public_fixtures import build_world, bulk_records


@pytest.fixture
def world(db):
    return build_world()


def test_a_search_page_shows_its_results_without_counting_them(
    client, world, settings, monkeypatch
):
    settings.PORTAL_SEARCH_COUNT_CAP = 40  # two numbered pages
    bulk_records(world, 30, title="补贴通知{n}")

    def not_on_this_page(self):
        raise AssertionError("the results page counted its matches")

    monkeypatch.setattr(TieredResults, "sample", property(not_on_this_page))
    response = client.get("/items/", {"q": "补贴"})
    html = response.content.decode()
    assert len(response.context["page_obj"].object_list) == 20
    assert response.context["facets"] is None
    assert 'id="result-count"></span>' in html
    assert "第 1 页" in html and "共 2 页" not in html
    assert (
        '<a href="/items/summary/?q=%E8%A1%A5%E8%B4%B4">查看结果数和分类统计</a>'
        in html
    )
    assert 'data-summary-url="/items/summary/?q=%E8%A1%A5%E8%B4%B4"' in html
    assert "js/result-summary" in html
    # Page 2 neither.
    response = client.get("/items/", {"q": "补贴", "page": 2})
    assert len(response.context["page_obj"].object_list) == 10


def test_the_summary_gives_the_count_and_the_facets_linking_to_the_results(
    client, world
):
    bulk_records(world, 3, title="补贴通知{n}")
    bulk_records(world, 2, title="补贴公告{n}", department=world.other_department)
    bulk_records(world, 4, title="其他{n}")
    response = client.get("/items/summary/", {"q": "补贴", "page": "3"})
    html = response.content.decode()
    assert response.status_code == 200
    assert '<span id="summary-count">（共 5 条）</span>' in html
    departments = {v.label: v.count for v in response.context["facets"].departments}
    assert departments == {"区农业农村局": 3, "区财政局": 2}
    assert 'href="/items/?q=%E8%A1%A5%E8%B4%B4&amp;department=czj"' in html
    assert '<a href="/items/?q=%E8%A1%A5%E8%B4%B4">返回结果列表</a>' in html
    assert '<meta name="robots" content="noindex, follow">' in html


def test_a_listing_keeps_its_facets_on_the_page(client, world):
    bulk_records(world, 3)
    response = client.get("/items/")
    assert response.context["facets"].departments[0].count == 3
    assert "data-summary-url" not in response.content.decode()


def test_the_summary_is_one_cached_page_per_search(client, world, settings):
    settings.PORTAL_PAGE_CACHE_SECONDS = 600
    bulk_records(world, 3, title="补贴通知{n}")
    first = client.get("/items/summary/", {"q": "补贴", "page": "2"})
    bulk_records(world, 3, title="补贴通知{n}")  # no bump: the cached copy
    again = client.get("/items/summary/", {"q": "补贴", "x": "1"})
    assert again.content == first.content
    assert "（共 3 条）" in again.content.decode()


def test_the_summary_in_english(client, world, settings):
    bulk_records(world, 3, title="补贴通知{n}")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get("/items/summary/", {"q": "补贴"}).content.decode()
    assert "<h1>Result counts</h1>" in html
    assert "Back to the results" in html
    html = client.get("/items/", {"q": "补贴"}).content.decode()
    assert "Number of results and counts by category</a>" in html
