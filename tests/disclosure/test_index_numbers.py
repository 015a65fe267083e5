"""索引号: ``<publisher code>/<year>-<5-digit serial>``, counted per publisher and
year, configurable, given once at first publication and never changed."""

import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from disclosure import workflow
from disclosure.index_numbers import allocate_index_number, format_index_number
from disclosure.models import IndexSerial, Item, PublicRecord
from tests import factories

BEIJING = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def w(db):
    dept = factories.DepartmentFactory(publisher_code="000014349")
    other = factories.DepartmentFactory(publisher_code="11330110002494717X")
    return SimpleNamespace(
        dept=dept,
        other=other,
        clerk=factories.clerk_of(dept),
        other_clerk=factories.clerk_of(other),
        reviewer=factories.reviewer(),
        admin=factories.office_admin(),
    )


@pytest.fixture
def clock(monkeypatch):
    real_now = timezone.now
    state = SimpleNamespace(now=None)
    monkeypatch.setattr(timezone, "now", lambda: state.now or real_now())

    def set_time(*args, tzinfo=BEIJING):
        state.now = datetime.datetime(*args, tzinfo=tzinfo)

    return set_time


def publish_new(w, department=None, clerk=None, **overrides):
    department, clerk = department or w.dept, clerk or w.clerk
    item = factories.draft_item(clerk, department, **overrides)
    item = workflow.submit(item=item, by=clerk)
    item = workflow.approve(item=item, by=w.reviewer, confidentiality_checked=True)
    return workflow.publish(item=item, by=w.reviewer)


def test_default_format_and_consecutive_serials(w, clock):
    clock(2026, 3, 10, 9, 0)
    numbers = [publish_new(w).index_number for _ in range(3)]
    assert numbers == [
        "000014349/2026-00001",
        "000014349/2026-00002",
        "000014349/2026-00003",
    ]
    assert sorted(PublicRecord.objects.values_list("index_number", flat=True)) == (
        numbers
    )
    assert (
        IndexSerial.objects.get(publisher_code="000014349", year=2026).last_serial == 3
    )


def test_a_new_year_restarts_at_one(w, clock):
    clock(2026, 12, 31, 16, 0)
    assert publish_new(w).index_number == "000014349/2026-00001"
    assert publish_new(w).index_number == "000014349/2026-00002"
    clock(2027, 1, 4, 9, 0)
    assert publish_new(w).index_number == "000014349/2027-00001"


def test_the_year_is_the_year_in_beijing(w, clock):
    # 2026-12-31 17:00 UTC is already 2027-01-01 01:00 in Beijing.
    clock(2026, 12, 31, 17, 0, tzinfo=datetime.UTC)
    assert publish_new(w).index_number == "000014349/2027-00001"


def test_a_scheduled_item_takes_the_year_of_its_publication(w, clock):
    clock(2026, 12, 30, 9, 0)
    item = factories.draft_item(w.clerk, w.dept)
    item = workflow.submit(item=item, by=w.clerk)
    item = workflow.approve(item=item, by=w.reviewer, confidentiality_checked=True)
    item = workflow.publish(
        item=item,
        by=w.reviewer,
        at=datetime.datetime(2027, 1, 4, 9, 0, tzinfo=BEIJING),
    )
    assert item.index_number == "000014349/2027-00001"


def test_two_publishers_count_separately(w, clock):
    clock(2026, 3, 10, 9, 0)
    assert publish_new(w).index_number == "000014349/2026-00001"
    assert (
        publish_new(w, w.other, w.other_clerk).index_number
        == "11330110002494717X/2026-00001"
    )
    assert publish_new(w).index_number == "000014349/2026-00002"


def test_an_office_without_a_code_uses_its_departments_code_and_series(w, clock):
    clock(2026, 3, 10, 9, 0)
    office = factories.DepartmentFactory(parent=w.dept, publisher_code="")
    section = factories.DepartmentFactory(parent=office, publisher_code="")
    assert office.effective_publisher_code == "000014349"
    assert section.effective_publisher_code == "000014349"
    office_clerk = factories.clerk_of(office)
    assert publish_new(w).index_number == "000014349/2026-00001"
    # The office publishes under its department's code: same series, no
    # duplicate number.
    assert publish_new(w, office, office_clerk).index_number == "000014349/2026-00002"


def test_a_department_with_no_code_anywhere_uses_its_system_code(db):
    department = factories.DepartmentFactory(code="czj", publisher_code="")
    assert department.effective_publisher_code == "czj"


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("{publisher}-{year}-{serial:06d}", "000014349-2026-000001"),
        ("{year}/{publisher}/{serial:04d}", "2026/000014349/0001"),
    ],
)
def test_the_format_is_a_setting(w, clock, settings, template, expected):
    settings.PORTAL_INDEX_NUMBER_FORMAT = template
    clock(2026, 3, 10, 9, 0)
    item = publish_new(w)
    assert item.index_number == expected
    assert PublicRecord.objects.get(item=item).index_number == expected


def test_format_index_number_default():
    assert format_index_number("000014349", 2020, 72) == "000014349/2020-00072"


def test_the_number_never_changes(w, clock):
    clock(2026, 3, 10, 9, 0)
    item = publish_new(w)
    number = item.index_number
    publish_new(w)  # another item takes the next number meanwhile

    clock(2026, 4, 1, 9, 0)
    item = workflow.update_item(
        item=item, by=w.clerk, data={"title": "更正"}, expected_version=item.version
    )
    item = workflow.submit(item=item, by=w.clerk)
    item = workflow.approve(item=item, by=w.reviewer, confidentiality_checked=True)
    item = workflow.publish(item=item, by=w.reviewer)  # re-publication
    assert item.index_number == number
    record = PublicRecord.objects.get(item=item)
    assert (record.index_number, record.revision_number) == (number, 2)

    clock(2027, 2, 1, 9, 0)  # even in another year
    item = workflow.withdraw(item=item, by=w.admin, reason="废止")
    assert Item.objects.get(pk=item.pk).index_number == number
    assert PublicRecord.objects.get(item=item).index_number == number
    assert IndexSerial.objects.filter(year=2027).count() == 0


def test_index_numbers_are_unique_in_the_database(w, clock):
    clock(2026, 3, 10, 9, 0)
    first = publish_new(w)
    second = publish_new(w)
    with pytest.raises(IntegrityError), transaction.atomic():
        Item.objects.filter(pk=second.pk).update(index_number=first.index_number)
    with pytest.raises(IntegrityError), transaction.atomic():
        PublicRecord.objects.filter(item=second).update(index_number=first.index_number)
    with pytest.raises(IntegrityError), transaction.atomic():
        IndexSerial.objects.create(publisher_code="000014349", year=2026)


def test_a_rolled_back_publication_gives_its_number_back(w, clock):
    clock(2026, 3, 10, 9, 0)
    assert publish_new(w).index_number == "000014349/2026-00001"
    item = factories.draft_item(w.clerk, w.dept)
    item = workflow.submit(item=item, by=w.clerk)
    item = workflow.approve(item=item, by=w.reviewer, confidentiality_checked=True)

    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction.atomic():
        workflow.publish(item=item, by=w.reviewer)
        raise Boom
    item.refresh_from_db()
    assert (item.state, item.index_number) == (Item.State.APPROVED, None)
    assert workflow.publish(item=item, by=w.reviewer).index_number == (
        "000014349/2026-00002"
    )


def test_allocate_counts_from_one_per_publisher_and_year(db):
    with transaction.atomic():
        assert allocate_index_number("A1", 2026) == "A1/2026-00001"
        assert allocate_index_number("A1", 2026) == "A1/2026-00002"
        assert allocate_index_number("A1", 2027) == "A1/2027-00001"
        assert allocate_index_number("B2", 2026) == "B2/2026-00001"
