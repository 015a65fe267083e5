"""Open data: the JSON API, its documentation page, and the CSV download."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.utils import timezone

from disclosure import workflow
from disclosure.models import Attachment
from disclosure.reference import reference
from tests.disclosure.public_fixtures import build_world, bulk_records, publish

LIST_FIELDS = {
    "id",
    "index_number",
    "title",
    "doc_number",
    "department",
    "topic",
    "document_type",
    "catalog_entry",
    "formed_on",
    "published_at",
    "updated_at",
    "validity",
    "document_class",
    "registration_number",
    "effective_on",
    "expires_on",
    "keywords",
    "url",
    "attachments",
}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world(db):
    return build_world()


def test_list_fields(client, world):
    record = publish(world, catalog_entry=world.entry, attachment="补贴名单.pdf")
    response = client.get("/api/v1/items")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert data["count"] == 1
    assert data["page"] == 1
    assert data["next"] is None and data["previous"] is None
    (item,) = data["results"]
    assert set(item) == LIST_FIELDS
    attachment = Attachment.objects.get(item_id=record.pk)
    assert item == {
        "id": record.pk,
        "index_number": record.index_number,
        "title": "关于2026年耕地地力保护补贴发放的公示",
        "doc_number": "示农发〔2026〕3号",
        "department": {"code": "nyj", "name": "区农业农村局"},
        "topic": {"code": "0601", "name": "农业"},
        "document_type": "公告",
        "catalog_entry": {"id": world.entry.pk, "name": "补贴政策 / 补贴对象、标准"},
        "formed_on": "2026-03-02",
        "published_at": timezone.localtime(record.published_at).isoformat(),
        "updated_at": timezone.localtime(record.updated_at).isoformat(),
        "validity": "valid",
        "document_class": None,
        "registration_number": None,
        "effective_on": None,
        "expires_on": None,
        "keywords": ["补贴", "公示"],
        "url": f"http://testserver/items/{record.pk}/",
        "attachments": [
            {
                "name": "补贴名单.pdf",
                "title": "补贴名单",
                "type": "PDF",
                "size": attachment.size,
                "url": f"http://testserver/items/{record.pk}/files/{attachment.token}/",
            }
        ],
    }
    assert item["published_at"].endswith("+08:00")


def test_list_pages_and_filters(client, world):
    bulk_records(world, 45)
    bulk_records(world, 5, department=world.other_department, title="财政{n}")
    data = client.get("/api/v1/items", {"page_size": "20", "page": "2"}).json()
    assert data["count"] == 50
    assert data["num_pages"] == 3
    assert len(data["results"]) == 20
    assert data["next"] == "http://testserver/api/v1/items?page=3"
    assert data["previous"] == "http://testserver/api/v1/items?page=1"
    data = client.get("/api/v1/items", {"department": "czj", "page_size": 2}).json()
    assert data["count"] == 5
    assert (
        data["next"]
        == "http://testserver/api/v1/items?department=czj&page=2&page_size=2"
    )
    assert {item["department"]["code"] for item in data["results"]} == {"czj"}
    data = client.get("/api/v1/items", {"q": "财政", "page_size": 100}).json()
    assert data["count"] == 5
    assert len(client.get("/api/v1/items", {"page_size": 100}).json()["results"]) == 50


@pytest.mark.parametrize(
    "params",
    [
        {"page_size": "101"},
        {"page_size": "0"},
        {"page_size": "abc"},
        {"page": "0"},
        {"page": "-1"},
        {"page": "2"},
        {"page": "99999999999999999999"},
        {"department": "nope"},
        {"topic": "99"},
        {"entry": "abc"},
        {"year": "abc"},
        {"date_from": "2026-13-01"},
        {"validity": "x"},
        {"pagesize": "10"},
    ],
)
def test_bad_parameters_are_a_400_json_error(client, world, params):
    publish(world)
    response = client.get("/api/v1/items", params)
    assert response.status_code == 400
    data = response.json()
    assert data["error"]
    assert data["fields"]


def test_detail(client, world):
    record = publish(world, body="<p>正文</p>")
    data = client.get(f"/api/v1/items/{record.pk}").json()
    assert set(data) >= LIST_FIELDS | {"body_html", "status", "change_notes"}
    assert data["body_html"] == "<p>正文</p>"
    assert data["status"] == "live"
    workflow.withdraw(item=record.item, by=world.admin, reason="政策调整")
    data = client.get(f"/api/v1/items/{record.pk}").json()
    assert data["status"] == "withdrawn"
    assert data["withdrawal_reason"] == "政策调整"
    workflow.remove(item=record.item, by=world.admin, reason="错发")
    response = client.get(f"/api/v1/items/{record.pk}")
    assert response.status_code == 410
    assert response.json()["error"] == "removed"
    scheduled = publish(world, at=timezone.now() + datetime.timedelta(days=1))
    assert client.get(f"/api/v1/items/{scheduled.pk}").status_code == 404
    missing = client.get("/api/v1/items/999999")
    assert missing.status_code == 404
    assert missing.json() == {"error": "not found"}


def test_api_query_counts_do_not_grow(client, world, django_assert_max_num_queries):
    record = publish(world, attachment="附件.pdf")
    bulk_records(world, 60)
    reference()  # the catalog's small tables: read once per generation
    with django_assert_max_num_queries(5):
        data = client.get("/api/v1/items", {"page_size": 50}).json()
    assert len(data["results"]) == 50
    # PostgreSQL tries the newest rows first (results.RecentWindow): two more.
    with django_assert_max_num_queries(8 if connection.vendor == "postgresql" else 6):
        client.get("/api/v1/items", {"q": "通知", "department": "nyj", "topic": "06"})
    with django_assert_max_num_queries(4):
        client.get(f"/api/v1/items/{record.pk}")


def test_api_is_documented(client, db):
    page = client.get("/api/").content.decode()
    assert "/api/v1/items" in page
    for field in sorted(LIST_FIELDS | {"page_size", "body_html"}):
        assert field in page, field


# --- CSV -----------------------------------------------------------------------------


def read_csv(response) -> list[list[str]]:
    content = b"".join(response.streaming_content)
    assert content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_csv_download(client, world):
    record = publish(world, title='=HYPERLINK("http://evil")', keywords="+补贴 -公示")
    response = client.get("/items.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="items-')
    assert "filename*=UTF-8''%E6%94%BF%E5%BA%9C" in response["Content-Disposition"]
    header, row = read_csv(response)
    assert header[:3] == ["索引号", "标题", "发文字号"]
    assert header[-1] == "网址"
    assert row[0] == record.index_number
    # Cells a spreadsheet would run as formulas are neutralised.
    assert row[1] == '\'=HYPERLINK("http://evil")'
    assert row[header.index("主题词")] == "'+补贴 -公示"
    assert row[-1] == f"http://testserver/items/{record.pk}/"


def test_csv_of_a_filtered_listing(client, world):
    bulk_records(world, 3, title="农业{n}")
    bulk_records(world, 2, title="财政{n}", department=world.other_department)
    rows = read_csv(client.get("/items.csv", {"department": "czj"}))
    assert len(rows) == 3
    assert all(row[3] == "区财政局" for row in rows[1:])
    rows = read_csv(client.get("/items.csv", {"q": "农业"}))
    assert len(rows) == 4
    rows = read_csv(client.get("/items.csv", {"year": "abc"}))
    assert len(rows) == 6


def test_csv_query_count_does_not_grow(client, world, django_assert_max_num_queries):
    bulk_records(world, 60)
    reference()  # the catalog's small tables: read once per generation
    with django_assert_max_num_queries(3):
        rows = read_csv(client.get("/items.csv"))
    assert len(rows) == 61
