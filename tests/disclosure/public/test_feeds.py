"""Atom and RSS feeds: valid XML, unique ids, dates, escaped content; all items,
per department, topic and catalog entry, and any search or filter."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from disclosure import workflow
from disclosure.reference import reference
from tests.disclosure.public_fixtures import build_world, bulk_records, publish

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def world(db):
    return build_world()


def atom(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)  # noqa: S314 - our own response


def rss(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/rss+xml")
    return ET.fromstring(response.content)  # noqa: S314 - our own response


def atom_titles(feed) -> list[str]:
    return [entry.findtext(f"{ATOM}title") for entry in feed.iter(f"{ATOM}entry")]


def rss_titles(feed) -> list[str]:
    return [item.findtext("title") for item in feed.iter("item")]


def test_atom_feed_is_valid(client, world):
    first = publish(
        world, title="第一条 <公示> & 说明", body="<p>正文<strong>加粗</strong></p>"
    )
    second = publish(world, title="第二条")
    feed = atom(client, "/feeds/items.atom")
    assert feed.tag == f"{ATOM}feed"
    assert feed.findtext(f"{ATOM}id")
    assert feed.findtext(f"{ATOM}updated")
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == (
        "http://testserver/feeds/items.atom"
    )
    entries = list(feed.iter(f"{ATOM}entry"))
    assert atom_titles(feed) == [second.title, first.title]
    ids = [entry.findtext(f"{ATOM}id") for entry in entries]
    assert len(set(ids)) == len(ids)
    assert ids[1] == f"http://testserver/items/{first.pk}/"
    for entry in entries:
        assert entry.findtext(f"{ATOM}updated")
        assert entry.findtext(f"{ATOM}published")
        assert (
            entry.find(f"{ATOM}link").get("href").startswith("http://testserver/items/")
        )
    summary = entries[1].find(f"{ATOM}summary")
    assert summary.get("type") == "html"
    # The HTML is escaped text in the XML: a reader gets it back intact.
    assert "<p>正文<strong>加粗</strong></p>" in summary.text
    assert "区农业农村局" in summary.text
    assert entries[1].find(f"{ATOM}category").get("term") == "农业"


def test_rss_feed_is_valid(client, world):
    first = publish(world, title="第一条")
    second = publish(world, title="第二条")
    feed = rss(client, "/feeds/items.rss")
    channel = feed.find("channel")
    assert channel.findtext("title")
    assert channel.findtext("link") == "http://testserver/items/"
    assert channel.findtext("lastBuildDate")
    items = list(channel.iter("item"))
    assert rss_titles(feed) == [second.title, first.title]
    guids = [item.findtext("guid") for item in items]
    assert guids == [
        f"http://testserver/items/{second.pk}/",
        f"http://testserver/items/{first.pk}/",
    ]
    assert all(item.findtext("pubDate") for item in items)


def test_withdrawn_removed_and_scheduled_items_are_out(client, world):
    live = publish(world, title="公开的")
    withdrawn = publish(world, title="撤销的")
    workflow.withdraw(item=withdrawn.item, by=world.admin, reason="调整")
    removed = publish(world, title="删除的")
    workflow.remove(item=removed.item, by=world.admin, reason="错发")
    publish(world, title="定时的", at=timezone.now() + datetime.timedelta(days=1))
    assert atom_titles(atom(client, "/feeds/items.atom")) == [live.title]
    assert rss_titles(rss(client, "/feeds/items.rss")) == [live.title]
    assert atom_titles(atom(client, "/feeds/department/nyj.atom")) == [live.title]


def test_feeds_per_department_topic_and_catalog_entry(client, world):
    own = publish(world, title="农业局的", catalog_entry=world.entry)
    office = publish(world, title="科室的", department=world.office)
    other = publish(
        world,
        title="财政局的",
        department=world.other_department,
        topic=world.other_topic,
    )
    assert atom_titles(atom(client, "/feeds/department/nyj.atom")) == [
        office.title,
        own.title,
    ]
    assert rss_titles(rss(client, "/feeds/department/czj.rss")) == [other.title]
    assert atom_titles(atom(client, "/feeds/topic/06.atom")) == [
        office.title,
        own.title,
    ]
    assert atom_titles(atom(client, "/feeds/topic/0401.atom")) == [other.title]
    assert atom_titles(atom(client, f"/feeds/entry/{world.entry.pk}.atom")) == [
        own.title
    ]
    feed = atom(client, "/feeds/department/nyj.atom")
    assert "区农业农村局" in feed.findtext(f"{ATOM}title")
    for url in [
        "/feeds/department/nope.atom",
        "/feeds/topic/99.rss",
        "/feeds/entry/99999.atom",
        "/feeds/entry/abc.atom",
        "/feeds/entry/99999999999999999999999.atom",
    ]:
        assert client.get(url).status_code == 404, url


def test_feeds_of_a_search_or_filter(client, world):
    subsidy = publish(world, title="关于补贴发放的公示")
    publish(world, title="关于招标的公告", body="<p>招标。</p>", keywords="招标")
    publish(world, title="财政补贴", department=world.other_department)
    feed = atom(client, "/feeds/items.atom", q="补贴", department="nyj")
    assert atom_titles(feed) == [subsidy.title]
    assert "补贴" in feed.findtext(f"{ATOM}title")
    link = feed.find(f"{ATOM}link[@rel='alternate']").get("href")
    assert link == "http://testserver/items/?q=%E8%A1%A5%E8%B4%B4&department=nyj"
    assert rss_titles(rss(client, "/feeds/items.rss", q="补")) == [
        "财政补贴",
        subsidy.title,
    ]
    # Different filters are different feeds, with different ids.
    assert feed.findtext(f"{ATOM}id") != atom(client, "/feeds/items.atom").findtext(
        f"{ATOM}id"
    )


def test_feed_query_count_does_not_grow(client, world, django_assert_max_num_queries):
    bulk_records(world, 60)
    reference()  # the catalog's small tables: read once per generation
    with django_assert_max_num_queries(4):
        feed = atom(client, "/feeds/items.atom")
    assert len(atom_titles(feed)) == 50
    with django_assert_max_num_queries(8):
        rss(client, "/feeds/department/nyj.rss", q="通知", topic="06")
