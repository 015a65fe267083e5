"""``manage.py generate_items`` (bulk test data for the benchmarks): the rows
are what publishing would have written, and the public pages serve them."""

import datetime
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from catalog.models import Department
from disclosure import workflow
from disclosure.management.commands import generate_items
from disclosure.models import Attachment, IndexSerial, Item, PublicRecord
from disclosure.sanitize import clean_html
from disclosure.search import record_tokens
from tests import factories

pytestmark = pytest.mark.django_db


def generate(count, **options):
    options = {"seed": 7, "years": 2, "workers": 0, **options}
    out = io.StringIO()
    call_command("generate_items", count, stdout=out, **options)
    return out.getvalue()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_items_are_published_with_their_public_records():
    output = generate(60, attachments=0.5)

    assert "Generated 60 published items" in output
    assert Item.objects.filter(state=Item.State.PUBLISHED).count() == 60
    records = list(PublicRecord.objects.select_related("item"))
    assert len(records) == 60
    now = timezone.now()
    for record in records:
        assert record.status == PublicRecord.Status.LIVE
        assert now - datetime.timedelta(days=2 * 366) <= record.published_at <= now
        assert record.index_number == record.item.index_number
        assert record.item.first_published_at == record.published_at
        assert record.title == record.item.title and record.body == record.item.body
        assert clean_html(record.body) == record.body  # stored as if sanitised
    assert len({r.department_id for r in records}) >= 4
    assert any(r.catalog_entry_id for r in records)
    assert Attachment.objects.filter(is_published=True, in_draft=True).exists()


def test_search_tokens_are_those_save_computes():
    generate(30)

    for record in PublicRecord.objects.all():
        assert (record.title_tokens, record.search_tokens) == record_tokens(record)
        title_tokens, search_tokens = record.title_tokens, record.search_tokens
        record.save()  # recomputes them
        assert (record.title_tokens, record.search_tokens) == (
            title_tokens,
            search_tokens,
        )


def test_the_same_seed_gives_the_same_text():
    generate(10, seed=11)
    first = list(PublicRecord.objects.order_by("pk").values_list("title", "body"))
    PublicRecord.objects.all().delete()
    Attachment.objects.all().delete()
    Item.objects.all().delete()

    generate(10, seed=11)

    assert list(PublicRecord.objects.order_by("pk").values_list("title", "body")) == (
        first
    )


def test_index_numbers_continue_the_counters_and_publishing_continues_them():
    generate(1)  # seeds the catalog
    department = Department.objects.get(code="czj")
    publisher = department.effective_publisher_code
    year = timezone.localdate().year
    IndexSerial.objects.update_or_create(
        publisher_code=publisher, year=year, defaults={"last_serial": 500}
    )

    generate(80, years=1)

    numbers = list(PublicRecord.objects.values_list("index_number", flat=True))
    assert len(numbers) == len(set(numbers))
    mine = sorted(n for n in numbers if n.startswith(f"{publisher}/{year}-"))
    serial = IndexSerial.objects.get(publisher_code=publisher, year=year)
    if mine:
        assert mine[0].endswith("-00501")
        assert mine[-1].endswith(f"-{serial.last_serial:05d}")
    counter = serial.last_serial

    clerk = factories.clerk_of(department)
    item = factories.draft_item(clerk, department)
    workflow.submit(item=item, by=clerk)
    workflow.approve(item=item, by=factories.reviewer(), confidentiality_checked=True)
    item = workflow.publish(item=item, by=factories.reviewer())

    assert item.index_number == f"{publisher}/{year}-{counter + 1:05d}"
    assert item.index_number not in numbers


def test_the_api_finds_them_by_search(client):
    generate(50)
    expected = sum(
        "补贴" in tokens.split()
        for tokens in PublicRecord.objects.values_list("search_tokens", flat=True)
    )
    assert expected

    response = client.get("/api/v1/items", {"q": "补贴", "page_size": 100})

    assert response.status_code == 200
    assert json.loads(response.content)["count"] == expected


def test_listing_and_item_pages_show_them(client):
    generate(30)
    newest = PublicRecord.objects.order_by("-published_at").first()

    listing = client.get("/items/")
    page = client.get(f"/items/{newest.pk}/")

    assert listing.status_code == 200 and newest.title in listing.content.decode()
    assert page.status_code == 200 and newest.index_number in page.content.decode()


def test_generated_attachments_download(client):
    generate(20, attachments=1.0)
    attachment = Attachment.objects.first()

    response = client.get(attachment.get_absolute_url())

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == generate_items.MINIMAL_PDF


def test_bad_arguments_are_refused():
    with pytest.raises(CommandError):
        generate(0)
    with pytest.raises(CommandError):
        generate(5, attachments=2)


# --- PostgreSQL ------------------------------------------------------------------------


@pytest.mark.postgres
def test_postgres_large_loads_rebuild_the_indexes(monkeypatch):
    def index_names():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename IN "
                "('disclosure_item', 'disclosure_publicrecord', "
                "'disclosure_attachment') ORDER BY indexname"
            )
            return cursor.fetchall()

    before = index_names()
    monkeypatch.setattr(generate_items, "DROP_INDEXES_FROM", 10)

    output = generate(20)

    assert "Dropping these indexes" in output
    assert index_names() == before
    assert PublicRecord.objects.count() == 20


def _record_queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return [
        query["sql"]
        for query in captured.captured_queries
        if query["sql"].startswith("SELECT")
        and "disclosure_publicrecord" in query["sql"]
    ]


@pytest.mark.postgres
@pytest.mark.parametrize(
    "url",
    [
        "/items/?q=补贴",
        "/items/?q=实施方案",
        "/items/?q=补贴+街道",
        "/api/v1/items?q=公示",
        "/feeds/items.atom?q=招标",
    ],
)
def test_postgres_search_plans_never_scan_the_records_table(client, url):
    """Every query a search page runs on the records can use an index: with
    sequential scans priced out, none is left in its plan (on a tiny table
    the planner would otherwise scan it, rightly)."""
    generate(40)
    queries = _record_queries(client, url)
    assert queries

    for sql in queries:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {sql}")
            plan = "\n".join(row[0] for row in cursor.fetchall())
        assert "Seq Scan on disclosure_publicrecord" not in plan, (sql, plan)
