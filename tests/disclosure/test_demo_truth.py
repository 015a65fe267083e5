"""The demo tells the truth (issue 12 §5): no law named twice in a sentence,
no period's result published before the period ended, one budget and one
final account a year per organ, each department the 公开主体 of its own
budget (calendar days from approval), periodic items on time when published
on time, and sub-units with contact data under their bureau."""

import collections
import datetime
import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from catalog.models import CatalogEntry, Department
from disclosure.deadlines import reporting_period_end
from disclosure.models import Item, PublicRecord

pytestmark = pytest.mark.django_db

LAW_RE = re.compile(r"《[^》]+》")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def demo():
    call_command("seed_demo", stdout=io.StringIO(), stderr=io.StringIO())


def published_items():
    return Item.objects.filter(first_published_at__isnull=False).select_related(
        "catalog_entry", "department"
    )


def test_no_law_is_named_twice_in_a_sentence(demo):
    sentences = 0
    for body in PublicRecord.objects.values_list("body", flat=True):
        for sentence in re.split(r"[。！？]", re.sub(r"<[^>]+>", "", body)):
            names = LAW_RE.findall(sentence)
            assert len(names) == len(set(names)), sentence
            sentences += 1
    assert sentences > 100
    assert not PublicRecord.objects.filter(
        body__contains="《中华人民共和国政府信息公开条例》和《中华人民共和国政府信息公开条例》"
    ).exists()


def test_no_periodic_result_is_formed_or_published_before_its_period_ended(demo):
    periodic = [
        item
        for item in Item.objects.select_related("catalog_entry")
        if item.catalog_entry and item.catalog_entry.time_limit_kind == "periodic"
    ]
    assert len(periodic) > 15
    for item in periodic:
        entry = item.catalog_entry
        assert item.report_year, item.title
        end = reporting_period_end(entry.period, item.report_year, item.report_period)
        assert item.formed_on > end, item.title
        if item.first_published_at:
            assert timezone.localtime(item.first_published_at).date() > end
    # A 第四季度 result only after 31 December of its year.
    for item in periodic:
        match = re.match(r"(\d{4})年第四季度", item.title)
        if match:
            assert item.formed_on > datetime.date(int(match[1]), 12, 31), item.title
    today = timezone.localdate()
    assert not Item.objects.filter(title__startswith=f"{today.year}年第四季度").exists()
    # Published within the limit counted from the period reported on: on time.
    on_time = late = 0
    for item in published_items():
        entry = item.catalog_entry
        if not entry or entry.time_limit_kind != "periodic":
            continue
        published_on = timezone.localtime(item.first_published_at).date()
        if published_on <= item.due_on:
            assert item.late_working_days == 0, item.title
            on_time += 1
        else:
            late += 1
    assert on_time > late


def test_one_budget_and_one_final_account_a_year_per_organ(demo):
    titles = collections.Counter(
        item.title
        for item in published_items()
        if item.catalog_entry and "预决算" in item.catalog_entry.level1
    )
    assert titles, "the demo publishes budgets"
    assert max(titles.values()) == 1, titles.most_common(3)
    per_organ_year = collections.Counter()
    for item in published_items().filter(catalog_entry__level1="部门预决算"):
        kind = item.catalog_entry.level2.split("（")[0]
        year = re.search(r"(\d{4})年", item.title)[1]
        per_organ_year[(item.department.code, kind, year)] += 1
        # each department publishes its own budget
        assert item.catalog_entry.responsible_department == item.department
        assert item.department.name in item.title
    assert per_organ_year and max(per_organ_year.values()) == 1
    # 公开主体: each department; 20 days (calendar) from the 批复.
    entries = CatalogEntry.objects.filter(
        level1="部门预决算", is_active=True
    ).select_related("responsible_department")
    assert entries.count() >= 8
    for entry in entries:
        assert entry.time_limit_kind == "calendar_days"
        assert entry.time_limit_days == 20
        assert entry.counted_from == "approved"
        assert entry.responsible_department.code != "czj" or "区财政局" in entry.level2
        assert entry.responsible_department.name in entry.level2
    assert "批准或者批复之日起20日内" in entries.first().time_limit_display
    for item in published_items().filter(catalog_entry__level1__contains="预决算"):
        assert item.event_on is not None
        assert item.due_on == item.event_on + datetime.timedelta(days=20)
        assert item.late_working_days == 0


def test_sub_units_have_contact_data_and_show_under_their_bureau(demo, client):
    offices = list(Department.objects.filter(kind=Department.Kind.OFFICE))
    assert {office.name for office in offices} >= {"预算科", "计划财务科（补贴发放）"}
    for office in offices:
        assert office.phone and office.address and office.email, office.name
    guide = client.get("/guide/").content.decode()
    guide = guide[guide.index('id="guide-contacts"') :]
    for office in offices:
        bureau = office.parent
        assert guide.index(bureau.name) < guide.index(office.name)
        assert office.phone in guide
        assert f'<span lang="zh-Hans">{bureau.name}</span>内设机构' in guide
        # the next department on the page comes after the office
        following = Department.objects.filter(
            kind=Department.Kind.DEPARTMENT, order=bureau.order + 1
        ).first()
        if following:
            assert guide.index(office.name) < guide.index(following.name)
    listing = client.get(reverse("disclosure:items")).content.decode()
    select = listing[listing.index('name="department"') :]
    select = select[: select.index("</select>")]
    for office in offices:
        bureau_at = select.index(f"{office.parent.name}</option>")
        office_at = select.index(office.name)
        assert bureau_at < office_at
        between = select[bureau_at:office_at]
        assert between.count("<option") == 1, between
