"""Chinese search: the tokenizer, and the same cases on SQLite (FTS5) and
PostgreSQL (GIN on to_tsvector('simple')); on PostgreSQL, the query plans."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from disclosure import search, search_highlight, workflow
from disclosure.models import PublicRecord
from disclosure.public import selectors
from disclosure.public.results import FACET_COLUMNS, ranked
from disclosure.sanitize import html_to_text
from tests.disclosure.public_fixtures import build_world, bulk_records, publish
from tests.english_scan import without_tags

# --- the tokenizer (no database) -----------------------------------------------------


def test_tokens_are_bigrams_plus_the_last_character_of_each_run():
    assert search.tokenize("涉农补贴") == ["涉农", "农补", "补贴", "贴"]
    assert search.tokenize("补") == ["补"]
    assert search.tokenize("2026年补贴，ＰＤＦ文件") == [
        "2026",
        "年补",
        "补贴",
        "贴",
        "pdf",
        "文件",
        "件",
    ]


def test_query_normalisation():
    # Full width → half width, punctuation and symbols → spaces, whitespace
    # collapsed, lower case, capped.
    assert search.clean_query("  ＡＢＣ　补贴！！") == "abc 补贴"
    assert search.clean_query("国办发〔2020〕26号") == "国办发 2020 26号"
    assert search.clean_query("<script>alert(1)</script>") == "script alert 1 script"
    assert search.clean_query("补\x00贴") == "补 贴"
    assert len(search.clean_query("公开" * 500)) == search.MAX_QUERY_LENGTH
    assert search.clean_query("！？。，") == ""
    assert not search.parse("...")


def test_query_tokens():
    one = search.parse("补")
    assert one.tsquery() == "('补':*)"
    assert one.fts5("search_tokens") == '{search_tokens} : ("补" *)'
    assert search.parse("补贴").tsquery() == "('补贴')"
    assert search.parse('"涉农补贴"').tsquery() == "('涉农' <-> '农补' <-> '补贴')"
    assert search.parse("“涉农补贴”").tsquery() == "('涉农' <-> '农补' <-> '补贴')"
    assert search.parse("补贴 公示").tsquery() == "('补贴') & ('公示')"
    # In quotes, a Chinese run followed by digits ends with its last
    # character, as in the text.
    assert search.parse('"补贴2026"').tsquery() == "('补贴' <-> '贴' <-> '2026')"
    assert search.parse('"26号"').tsquery() == "('26' <-> '号':*)"
    # Without quotes, a word's parts may stand apart: every character is
    # covered by one of the word's bigrams, in any order.
    assert search.parse("26号").tsquery() == "('26' & '号':*)"
    loose = search.parse("园林局自查")
    assert loose.tsquery() == "('园林' & '自查' & ('林局' | '局自'))"
    assert loose.fts5("search_tokens") == (
        '{search_tokens} : ("园林" AND "自查" AND ("林局" OR "局自"))'
    )
    assert loose.exact.tsquery() == "('园林' <-> '林局' <-> '局自' <-> '自查')"


def test_quotes_are_kept_in_pairs():
    assert search.clean_query("“自查报告”  园林局") == '"自查报告" 园林局'
    assert search.clean_query('" 自查，报告 "') == '"自查 报告"'
    assert search.clean_query('自查"报告') == "自查 报告"
    assert search.clean_query('""') == ""
    assert not search.parse('""')


def test_highlight_escapes_everything_but_the_marks():
    query = search.parse("补贴")
    html = search_highlight.highlight("<b>涉农补贴</b> & 补　贴 ＢＵ补贴", query)
    assert html == (
        "&lt;b&gt;涉农<mark>补贴</mark>&lt;/b&gt; &amp; 补　贴 ＢＵ<mark>补贴</mark>"
    )
    # Full-width text matches a half-width query, and is shown as written.
    assert (
        search_highlight.highlight("ＰＤＦ文件", search.parse("pdf"))
        == "<mark>ＰＤＦ</mark>文件"
    )
    assert (
        search_highlight.highlight("<i>x</i>", search.parse(""))
        == "&lt;i&gt;x&lt;/i&gt;"
    )


def test_excerpt_is_centred_on_the_first_match():
    text = "甲" * 200 + "补贴发放" + "乙" * 200
    excerpt = search_highlight.excerpt(text, search.parse("补贴"), length=40)
    assert excerpt.startswith("…")
    assert excerpt.endswith("…")
    assert "<mark>补贴</mark>" in excerpt


# --- searching (SQLite and PostgreSQL) ---------------------------------------------

CORPUS = [
    # (title, body, doc_number, keywords)
    (
        "关于2026年涉农补贴发放的公示",
        "<p>现将耕地地力保护补贴发放情况公示。</p>",
        "示农发〔2026〕3号",
        "补贴 公示",
    ),
    ("城西污水处理厂提标改造工程招标公告", "<p>涉及农田的，另行补偿。</p>", "", "招标"),
    (
        "区财政局2026年部门预算公开",
        "<p>依法公开预算，不足部分另行弥补</p>",
        "示财发〔2026〕1号",
        "预算",
    ),
    ("政务公开工作要点", "<p>做好政务公开工作。</p>", "", ""),
    ("农业资金使用说明", "<p>涉农资金和补贴标准见附件。</p>", "", ""),
    ("PDF格式文件说明", "<p>附件为ＰＤＦ格式。</p>", "", "格式"),
    ("养老服务机构名单", "<p>名单如下。</p>", "", "养老"),
]


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def corpus(world):
    start = timezone.now() - datetime.timedelta(days=len(CORPUS))
    records = []
    for number, (title, body, doc_number, keywords) in enumerate(CORPUS):
        (record,) = bulk_records(
            world,
            1,
            title=title,
            body=body,
            doc_number=doc_number,
            keywords=keywords,
            start=start + datetime.timedelta(days=number),
        )
        records.append(record)
    return records


def found(query: str) -> list[str]:
    results = ranked(selectors.listing_records(), search.parse(query))
    return [record.title for record in results[:100]]


def _text(record) -> str:
    return search.normalize(
        " ".join(
            [
                record.title,
                record.doc_number,
                record.keywords,
                html_to_text(record.body),
            ]
        )
    )


@pytest.mark.parametrize(
    "query", ["补", "贴", "公开", "补贴", "公", "开", "农", '"涉农补贴"', "格式"]
)
def test_one_two_and_more_characters_find_every_item_containing_them(corpus, query):
    phrase = query.strip('"')
    expected = {record.title for record in corpus if phrase in _text(record)}
    assert expected, query
    assert set(found(query)) == expected


def test_a_character_at_the_end_of_a_sentence_is_found(corpus):
    # "弥补" ends its run of Chinese characters.
    assert "区财政局2026年部门预算公开" in found("补")


def test_a_phrase_matches_as_a_phrase(corpus):
    assert found('"涉农补贴"') == ["关于2026年涉农补贴发放的公示"]
    assert found('"补贴涉农"') == []
    # Separate words must all appear, anywhere.
    assert set(found("涉农 补贴")) == {
        "关于2026年涉农补贴发放的公示",
        "农业资金使用说明",
    }


def test_words_typed_without_spaces_match_apart_exact_phrase_first(corpus):
    # 涉农补贴 in a row (the exact phrase) comes before 涉农 … 补贴.
    assert found("涉农补贴") == ["关于2026年涉农补贴发放的公示", "农业资金使用说明"]
    assert found("补贴涉农") == ["关于2026年涉农补贴发放的公示", "农业资金使用说明"]
    # 预算公开 is in a title; 公开预算 is in the same record's body only.
    assert found("公开预算") == ["区财政局2026年部门预算公开"]
    # Every character must be covered by a bigram of the word in the text:
    # 涉农 and 补贴 do not make 涉农补助.
    assert found("涉农补助") == []


SELF_INSPECTIONS = [
    # (title, body): the four self-inspection reports of issue 15.
    ("政务公开自查报告", "<p>区园林局对照要点开展自查。</p>"),
    ("政务公开自查报告", "<p>区财政局开展政务公开自查。</p>"),
    ("区园林局2026年政务公开工作自查 报告", "<p>按要求形成报告。</p>"),
    ("关于政务公开工作的自查报告", "<p>区住建局。</p>"),
]


@pytest.fixture
def inspections(world):
    start = timezone.now() - datetime.timedelta(days=10)
    for number, (title, body) in enumerate(SELF_INSPECTIONS):
        bulk_records(
            world,
            1,
            title=title,
            body=body,
            start=start + datetime.timedelta(days=number),
        )


def test_the_self_inspection_reports_as_people_type(inspections):
    # 园林局 and 自查 apart in one record, in a row in none.
    assert found("园林局自查") == [
        "区园林局2026年政务公开工作自查 报告",
        "政务公开自查报告",
    ]
    # All four hold 政务公开, 自查 and 报告; the exact phrase in the title
    # first, then all words in the title.
    assert found("政务公开自查报告") == [
        "政务公开自查报告",
        "政务公开自查报告",
        "关于政务公开工作的自查报告",
        "区园林局2026年政务公开工作自查 报告",
    ]
    assert len(found("自查 报告")) == 4
    assert found('"政务公开自查报告"') == ["政务公开自查报告", "政务公开自查报告"]
    assert found("“园林局自查”") == []


def test_the_results_page_marks_the_parts_found(client, inspections):
    response = client.get("/items/", {"q": "园林局自查"})
    html = response.content.decode()
    assert 'id="result-count">（共 2 条）</span>' in html  # all on page 1
    assert "区<mark>园林局</mark>2026年政务公开工作<mark>自查</mark> 报告" in html


def test_the_count_and_facets_of_a_phrase_search_are_exact(client, world, settings):
    settings.PORTAL_SEARCH_COUNT_CAP = 2
    bulk_records(world, 3, title="通知{n}", body="<p>涉农资金和补贴标准。</p>")
    bulk_records(world, 1, title="通知{n}", body="<p>涉农补贴标准。</p>")
    # On their own request (the results page does not wait for them).
    response = client.get("/items/summary/", {"q": '"涉农补贴"'})
    assert response.context["count"] == 1
    assert [v.count for v in response.context["facets"].departments] == [1]
    response = client.get("/items/summary/", {"q": "涉农 补贴"})
    assert response.context["count"] == 2  # capped: "2 or more"
    assert response.context["count_capped"]
    assert '<span id="summary-count">（2 条以上）</span>' in response.content.decode()


def test_document_numbers_keywords_and_latin_words(corpus):
    assert found("示农发〔2026〕3号") == ["关于2026年涉农补贴发放的公示"]
    assert found("示财发") == ["区财政局2026年部门预算公开"]
    assert found("养老") == ["养老服务机构名单"]
    assert found("pdf") == ["PDF格式文件说明"]
    assert found("ＰＤＦ") == ["PDF格式文件说明"]
    assert found("2026") == [
        "区财政局2026年部门预算公开",
        "关于2026年涉农补贴发放的公示",
    ]


def test_title_matches_come_first_each_tier_newest_first(corpus):
    # Titles with 公开: the budget (newer) and the work points (newest);
    # 公开 only in the body or keywords: none; "补贴" in titles and bodies.
    assert found("公开") == ["政务公开工作要点", "区财政局2026年部门预算公开"]
    assert found("补贴") == ["关于2026年涉农补贴发放的公示", "农业资金使用说明"]
    assert found("农") == [
        "农业资金使用说明",
        "关于2026年涉农补贴发放的公示",
        "城西污水处理厂提标改造工程招标公告",
    ]


def test_paging_across_the_tiers(world):
    in_title = bulk_records(world, 5, title="补贴通知{n}", body="<p>正文</p>")
    in_body = bulk_records(world, 5, title="通知{n}", body="<p>补贴{n}</p>")
    results = ranked(selectors.listing_records(), search.parse("补贴"))
    expected = [r.title for r in reversed(in_title)] + [
        r.title for r in reversed(in_body)
    ]
    assert results.count() == 10
    pages = [[r.title for r in results[start : start + 3]] for start in (0, 3, 6, 9)]
    assert sum(pages, []) == expected


def test_hidden_records_are_not_found(world):
    live = publish(world, title="补贴公示（公开）")
    withdrawn = publish(world, title="补贴公示（撤销）")
    workflow.withdraw(item=withdrawn.item, by=world.admin, reason="调整")
    removed = publish(world, title="补贴公示（删除）")
    workflow.remove(item=removed.item, by=world.admin, reason="错发")
    publish(
        world, title="补贴公示（定时）", at=timezone.now() + datetime.timedelta(days=1)
    )
    assert found("补贴") == [live.title]


def test_republishing_updates_the_search_tokens(world):
    record = publish(world, title="关于养老服务的通知")
    item = workflow.update_item(
        item=record.item,
        by=world.clerk,
        data={"title": "关于救灾物资的通知"},
        expected_version=record.item.version,
    )
    workflow.submit(item=item, by=world.clerk)
    workflow.approve(item=item, by=world.reviewer, confidentiality_checked=True)
    workflow.publish(item=item, by=world.reviewer)
    assert found("救灾") == ["关于救灾物资的通知"]
    assert found("养老") == []


def test_bulk_inserts_and_updates_keep_the_index_in_step(world):
    (record,) = bulk_records(world, 1, title="关于防汛的通知")
    assert found("防汛") == ["关于防汛的通知"]
    record.title = "关于抗旱的通知"
    record.save(update_fields=["title"])
    assert found("抗旱") == ["关于抗旱的通知"]
    assert found("防汛") == []
    PublicRecord.objects.filter(pk=record.pk).update(status=PublicRecord.Status.LIVE)
    assert found("抗旱") == ["关于抗旱的通知"]


# --- the page --------------------------------------------------------------------

ODD_INPUTS = [
    "'; DROP TABLE disclosure_publicrecord; --",
    "<script>alert(1)</script>",
    '" OR 1=1 --',
    "补 OR 贴",
    "NEAR(补 贴)",
    "{title_tokens} : 补",
    "补*",
    "补:*",
    "'补' <-> '贴'",
    "!补 & | ( ) ^ - + \\",
    "%_%",
    "\x00补\x00",
    "\ufeff补\u200b贴",
    "𠀀𠀁补贴",
    "😀",
    "AND",
    "a" * 5000,
    "补" * 5000,
    "１２３４５",
]


@pytest.mark.parametrize("query", ODD_INPUTS)
def test_any_input_is_just_text(client, corpus, query):
    response = client.get("/items/", {"q": query})
    assert response.status_code == 200
    assert client.get("/api/v1/items", {"q": query}).status_code == 200
    assert client.get("/feeds/items.atom", {"q": query}).status_code == 200
    assert client.get("/items.csv", {"q": query}).status_code == 200
    assert PublicRecord.objects.count() == len(CORPUS)


def test_results_page_highlights_and_escapes(client, world):
    bulk_records(world, 1, title="<b>补贴</b>名单", body="<p>按&lt;标准&gt;补贴。</p>")
    response = client.get("/items/", {"q": "补贴"})
    html = response.content.decode()
    assert "&lt;b&gt;<mark>补贴</mark>&lt;/b&gt;名单" in html
    assert "按&lt;标准&gt;<mark>补贴</mark>。" in html
    assert "<b>补贴</b>" not in html


def test_search_box_keeps_the_query_and_lists_it_as_a_removable_filter(client, corpus):
    response = client.get("/items/", {"q": "  ＰＤＦ  "})
    html = response.content.decode()
    assert 'value="  ＰＤＦ  "' in html
    assert "关键词：pdf" in without_tags(html)
    assert 'id="result-count">（共 1 条）</span>' in html


def test_search_query_count_does_not_grow_with_rows(
    client, world, django_assert_max_num_queries
):
    bulk_records(world, 45, title="关于补贴的通知{n}", body="<p>补贴{n}</p>")
    bulk_records(world, 45, title="通知{n}", body="<p>发放补贴{n}</p>")
    with django_assert_max_num_queries(20):
        response = client.get("/items/", {"q": "补贴", "page": "2"})
    assert response.status_code == 200
    assert len(response.context["page_obj"].object_list) == 20


# --- query plans (PostgreSQL) ---------------------------------------------------------


@pytest.mark.postgres
def test_search_uses_the_indexes_not_a_sequential_scan(world, settings):
    settings.PORTAL_SEARCH_RECENT_WINDOW = 500
    towns = ["城关街道", "东湖镇", "西山镇", "南塘乡", "北港镇"]
    projects = [
        "道路提升改造工程",
        "污水处理厂建设",
        "第三中学新建工程",
        "保障性住房项目",
    ]
    start = timezone.now() - datetime.timedelta(days=400)
    for number, town in enumerate(towns):
        for project in projects:
            bulk_records(
                world,
                250,
                title=f"关于{town}{project}的公示{{n}}",
                body=f"<p>{town}{project}第{{n}}期，政府信息公开。</p>",
                start=start + datetime.timedelta(days=number * 20),
                step=datetime.timedelta(minutes=5),
            )
    bulk_records(world, 10, title="东湖生态湿地公园建设{n}", body="<p>湿地保护。</p>")
    assert PublicRecord.objects.count() >= 5000
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE disclosure_publicrecord")

    def plans(query):
        results = ranked(selectors.listing_records(), search.parse(query))
        base = results.base
        tiers = {}
        for name, (full, within) in results.tiers.items():
            tiers[f"{name} tier"] = full[:20].explain()
            tiers[f"{name} tier, newest rows"] = results.window.restrict(within)[
                :20
            ].explain()
        return {
            **tiers,
            "count": selectors.capped_count(results.matches, 1000)
            and (results.matches.order_by().values("pk")[:1001].explain()),
            "facet sample, newest rows": results.window.restrict(results.recent_matches)
            .values_list(*FACET_COLUMNS)[:201]
            .explain(),
            "newest rows": base.order_by("-published_at", "-item_id")
            .values_list("pk")[:500]
            .explain(),
        }

    # The newest rows are walked in date order from the newest, down to the
    # window's edge (found in the same query), stopping at a full page:
    # no sort of the window, whatever the planner guesses of the phrase.
    for query in ("湿地", '"湿地公园"', "生态湿地东湖"):
        results = ranked(selectors.listing_records(), search.parse(query))
        for name, (_full, within) in results.tiers.items():
            plan = results.window.restrict(within)[:20].explain()
            # The edge and the walk: each a scan of a date index.
            walks = re.findall(r"Index (?:Only )?Scan using record_\w*publ", plan)
            assert len(walks) == 2, (query, name, plan)
            assert re.search(r"Index Cond: .*published_at >= ", plan), plan
            assert "Sort" not in plan, (query, name, plan)

    # A word in no record (nor in the statistics, so guessed common): past
    # the window, a count and a read through the GIN index, not a walk of
    # the date index to its end; the page says there are no results.
    results = ranked(selectors.listing_records(), search.parse("鄱阳"))
    with CaptureQueriesContext(connection) as captured:
        assert results.slice(0, 20) == []
    searches = [q["sql"] for q in captured if "@@" in q["sql"]]
    beyond = [sql for sql in searches if "COALESCE(" not in sql]
    assert beyond, captured.captured_queries
    with connection.cursor() as cursor:
        for sql in beyond:
            cursor.execute(f"EXPLAIN {sql}")
            plan = "\n".join(row[0] for row in cursor.fetchall())
            assert "_vector_gin" in plan, plan
            assert not re.search(r"record_\w*publ", plan), plan

    for query in ("湿地", "湿地公园", "东湖生态", "湿", '"湿地公园"', "生态湿地东湖"):
        for name, plan in plans(query).items():
            assert "Seq Scan on disclosure_publicrecord" not in plan, (
                query,
                name,
                plan,
            )
            if query != "湿" and "newest" not in name:
                # A prefix may walk the date index; a rare term uses its index.
                assert "_vector_gin" in plan, (query, name, plan)
    # A term in a fifth of the rows: newest first through an index, still no
    # sequential scan.
    for name, plan in plans("东湖").items():
        if name in ("title tier", "other tier"):
            assert "Seq Scan on disclosure_publicrecord" not in plan, (name, plan)


def test_results_of_the_same_title_show_what_tells_them_apart(client, world):
    for number in ("示农发〔2026〕3号", "示农发〔2026〕9号"):
        bulk_records(world, 1, title="政务公开自查报告", doc_number=number)
    html = client.get("/items/", {"q": "自查报告"}).content.decode()
    assert html.count("政务公开<mark>自查报告</mark>") == 2
    assert "示农发〔2026〕3号" in html and "示农发〔2026〕9号" in html
    assert html.count("<dt>发布机构</dt>") == 2
    assert html.count("<dt>发布日期</dt>") == 2
