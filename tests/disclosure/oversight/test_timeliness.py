"""The oversight pages: timeliness dashboard, drill-down, statistics and the
quarterly bulletin. Figures are recomputed here from the Item rows with plain
loops, not with disclosure.oversight's modules."""

import csv
import datetime
import io
import statistics
from collections import Counter, defaultdict
from html.parser import HTMLParser
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from openpyxl import load_workbook

from catalog import demo as catalog_demo
from catalog import workdays
from catalog.models import CatalogEntry, Department
from catalog.selectors import work_calendar
from disclosure import demo as disclosure_demo
from disclosure import workflow
from disclosure.models import Item, PublicRecord
from tests import factories
from tests.english_scan import without_tags

# --- helpers ----------------------------------------------------------------------------


class _Tables(HTMLParser):
    """Rows of the page's tables: each row's attributes, cell texts and
    links."""

    def __init__(self):
        super().__init__()
        self.rows = []
        self._row = None
        self._cell = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "tr":
            self._row = {"attrs": attrs, "cells": [], "links": []}
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
        elif tag == "a" and self._row is not None:
            self._row["links"].append(attrs.get("href"))

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._row["cells"].append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.rows.append(self._row)
            self._row = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def table_rows(response) -> list[dict]:
    parser = _Tables()
    parser.feed(response.content.decode())
    return parser.rows


def row_for(response, key: str) -> dict:
    return next(
        row
        for row in table_rows(response)
        if row["attrs"].get("data-department") == key
    )


def text(response) -> str:
    return response.content.decode()


def login(client, username):
    user = get_user_model().objects.get(username=username)
    client.force_login(user)
    return user


def seed_demo():
    departments = catalog_demo.seed_catalog()
    catalog_demo.seed_accounts(departments, password=None)
    disclosure_demo.seed_items()
    return departments


def at(day: datetime.date, hour=10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def publish_on(item, clerk, reviewer, day: datetime.date):
    with mock.patch.object(timezone, "now", return_value=at(day)):
        item = workflow.submit(item=item, by=clerk)
        item = workflow.approve(item=item, by=reviewer, confidentiality_checked=True)
        return workflow.publish(item=item, by=reviewer)


def record_of(item):
    try:
        return item.public_record
    except PublicRecord.DoesNotExist:
        return None


def published_items(start, end, now):
    """Items first published in start..end (local dates), not removed as
    published in error, whose time has come: a plain loop."""
    result = []
    for item in Item.objects.select_related("public_record").order_by("pk"):
        record = record_of(item)
        if record is None or record.status == PublicRecord.Status.REMOVED:
            continue
        if item.first_published_at is None or item.first_published_at > now:
            continue
        day = timezone.localtime(item.first_published_at).date()
        if start <= day <= end:
            result.append(item)
    return result


def unpublished_on(item, day):
    return (
        item.first_published_at is None
        or timezone.localtime(item.first_published_at).date() > day
    )


def rate(part, whole):
    return f"{100 * part / whole:.1f}%" if whole else "—"


def expected_department_figures(start, end, today, now):
    calendar = work_calendar()
    limit = workdays.add_working_days(today, 5, calendar).due
    figures = defaultdict(
        lambda: {
            "published": 0,
            "due": 0,
            "on_time": 0,
            "late": 0,
            "days": [],
            "overdue": 0,
            "due_soon": 0,
        }
    )
    for item in published_items(start, end, now):
        record = record_of(item)
        entry = figures[record.department_id]
        entry["published"] += 1
        if item.due_on is not None:
            entry["due"] += 1
            if item.late_working_days == 0:
                entry["on_time"] += 1
            else:
                entry["late"] += 1
        published_on = timezone.localtime(item.first_published_at).date()
        entry["days"].append(
            workdays.working_days_between(record.formed_on, published_on, calendar)
        )
    for item in Item.objects.all():
        if item.due_on is None or not unpublished_on(item, today):
            continue
        if item.due_on < today:
            figures[item.department_id]["overdue"] += 1
        elif item.due_on <= limit:
            figures[item.department_id]["due_soon"] += 1
    return figures


# --- access ------------------------------------------------------------------------------

PAGES = [
    "/workspace/oversight/",
    "/workspace/oversight/items/?metric=published",
    "/workspace/oversight/statistics/",
    "/workspace/oversight/bulletin/",
    "/workspace/oversight/register/",
    "/workspace/oversight/self-inspection/",
]


@pytest.fixture
def people():
    department = factories.DepartmentFactory(code="nyj-test")
    return {
        "clerk": factories.clerk_of(department),
        "head": factories.clerk_of(department, role="head"),
        "reviewer": factories.reviewer(),
        "office_admin": factories.office_admin(),
        "nobody": factories.UserFactory(),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("clerk", 403),
        ("head", 403),
        ("nobody", 403),
        ("reviewer", 200),
        ("office_admin", 200),
    ],
)
def test_only_the_disclosure_office_sees_the_oversight_pages(
    client, people, url, who, status
):
    client.force_login(people[who])
    response = client.get(url)
    assert response.status_code == status
    if status == 403:
        assert "只有政务公开办公室的审核员和管理员可以查看" in text(response)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("clerk", 200),  # for the reports of the organs they are clerks of
        ("head", 403),
        ("nobody", 403),
        ("reviewer", 200),
        ("office_admin", 200),
    ],
)
def test_the_annual_reports_are_open_to_the_office_and_the_organs_clerks(
    client, people, who, status
):
    client.force_login(people[who])
    response = client.get("/workspace/oversight/annual/")
    assert response.status_code == status
    if status == 403:
        assert "只有政务公开办公室和各机关的信息员可以编写年度报告。" in text(response)
    if who == "clerk":
        page = text(response)
        assert 'data-organ="nyj-test"' in page
        assert page.count("data-organ=") == 1
        assert "公开时效监督" not in page  # the office's pages are not offered


@pytest.mark.django_db
@pytest.mark.parametrize("url", [*PAGES, "/workspace/oversight/annual/"])
def test_anonymous_visitors_are_sent_to_the_login_page(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


# --- dashboard on the demo data ----------------------------------------------------------


@pytest.mark.django_db
def test_dashboard_figures_match_the_items_and_drill_down_to_them(client):
    departments = seed_demo()
    year = timezone.localdate().year - 1
    login(client, "reviewer")
    response = client.get(f"/workspace/oversight/?period=year&year={year}")
    assert response.status_code == 200
    page = text(response)
    assert f"各部门公开时效（{year}年）" in page

    today = timezone.localdate()
    expected = expected_department_figures(
        datetime.date(year, 1, 1), datetime.date(year, 12, 31), today, timezone.now()
    )
    assert sum(e["published"] for e in expected.values()) > 50
    assert any(e["late"] for e in expected.values())
    for code in ("fgj", "czj", "nyj", "zjj"):
        department = departments[code]
        figures = expected[department.pk]
        cells = row_for(response, code)["cells"]
        assert cells[0] == department.name
        assert cells[1:] == [
            str(figures["published"]),
            str(figures["due"]),
            str(figures["on_time"]),
            str(figures["late"]),
            rate(figures["on_time"], figures["due"]),
            f"{statistics.median(figures['days']):g}" if figures["days"] else "—",
            str(figures["overdue"]),
            str(figures["due_soon"]),
        ]
    total = row_for(response, "total")["cells"]
    assert total[1] == str(sum(e["published"] for e in expected.values()))
    assert total[7] == str(sum(e["overdue"] for e in expected.values()))

    # without a period: this year
    response = client.get("/workspace/oversight/")
    today = timezone.localdate()
    assert f"各部门公开时效（{today.year}年）" in text(response)
    expected = expected_department_figures(
        datetime.date(today.year, 1, 1),
        datetime.date(today.year, 12, 31),
        today,
        timezone.now(),
    )
    total = row_for(response, "total")["cells"]
    assert total[1] == str(sum(e["published"] for e in expected.values()))
    # The demo has a draft formed 60 days ago and never submitted: overdue.
    assert int(total[7]) == sum(e["overdue"] for e in expected.values()) >= 1

    # numbers drill down to the items behind them
    response = client.get(f"/workspace/oversight/?period=quarter&year={year}&quarter=2")
    row = row_for(response, "czj")
    late_link = row["links"][3]
    assert "metric=late" in late_link
    assert f"department={departments['czj'].pk}" in late_link
    listing = client.get(late_link)
    assert listing.status_code == 200
    expected = [
        item
        for item in published_items(
            datetime.date(year, 4, 1), datetime.date(year, 6, 30), timezone.now()
        )
        if item.department_id == departments["czj"].pk and item.late_working_days
    ]
    page = text(listing)
    assert "逾期发布的信息" in page
    assert f"共 {len(expected)} 条" in page
    for item in expected:
        assert f'href="/workspace/items/{item.pk}/"' in page
    assert row["cells"][4] == str(len(expected))

    overdue_page = text(client.get(row_for(response, "total")["links"][4]))
    today = timezone.localdate()
    overdue = [
        item
        for item in Item.objects.all()
        if item.due_on and item.due_on < today and unpublished_on(item, today)
    ]
    assert overdue
    for item in overdue:
        assert item.title in overdue_page


@pytest.mark.django_db
def test_dashboard_query_count_does_not_grow_with_the_items(
    client, django_assert_max_num_queries
):
    seed_demo()
    year = timezone.localdate().year - 1
    assert Item.objects.count() > 150
    login(client, "reviewer")
    client.get("/workspace/oversight/")  # warm the calendar cache and session
    with django_assert_max_num_queries(20):
        response = client.get(f"/workspace/oversight/?period=year&year={year}")
    assert response.status_code == 200
    with django_assert_max_num_queries(20):
        response = client.get(
            f"/workspace/oversight/items/?metric=published&start={year}-01-01&end={year}-12-31"
        )
    assert response.status_code == 200
    with django_assert_max_num_queries(20):
        response = client.get(
            f"/workspace/oversight/statistics/?period=year&year={year}&dimension=channel"
        )
    assert response.status_code == 200
    with django_assert_max_num_queries(20):
        response = client.get(f"/workspace/oversight/bulletin/?year={year}&quarter=3")
    assert response.status_code == 200


# --- timeliness on small, known data -------------------------------------------------------


@pytest.fixture
def office():
    department = factories.DepartmentFactory(code="test-dept", name="区测试局")
    return {
        "department": department,
        "clerk": factories.clerk_of(department),
        "reviewer": factories.reviewer(),
        "entry": factories.CatalogEntryFactory(
            responsible_department=department,
            time_limit_kind=CatalogEntry.TimeLimitKind.WORKING_DAYS,
            time_limit_days=20,
        ),
    }


@pytest.mark.django_db
def test_late_and_on_time_items_and_removed_ones(client, office):
    clerk, reviewer, entry = office["clerk"], office["reviewer"], office["entry"]
    department = office["department"]
    on_time = factories.draft_item(
        clerk,
        department,
        catalog_entry=entry,
        title="按时发布的信息",
        formed_on=datetime.date(2025, 3, 3),
    )
    publish_on(on_time, clerk, reviewer, datetime.date(2025, 3, 10))
    late = factories.draft_item(
        clerk,
        department,
        catalog_entry=entry,
        title="逾期发布的信息一",
        formed_on=datetime.date(2025, 3, 3),
    )
    late = publish_on(late, clerk, reviewer, datetime.date(2025, 5, 6))
    removed = factories.draft_item(
        clerk,
        department,
        catalog_entry=entry,
        title="错发的信息",
        formed_on=datetime.date(2025, 3, 3),
    )
    removed = publish_on(removed, clerk, reviewer, datetime.date(2025, 3, 5))
    workflow.remove(item=removed, by=factories.office_admin(), reason="重复发布")
    assert late.late_working_days > 0

    client.force_login(reviewer)
    response = client.get("/workspace/oversight/?period=year&year=2025")
    cells = row_for(response, "test-dept")["cells"]
    # removed (错发) is not counted; 1 of 2 on time
    assert cells[1:6] == ["2", "2", "1", "1", "50.0%"]
    calendar = work_calendar()
    days = [
        workdays.working_days_between(
            datetime.date(2025, 3, 3), datetime.date(2025, 3, 10), calendar
        ),
        workdays.working_days_between(
            datetime.date(2025, 3, 3), datetime.date(2025, 5, 6), calendar
        ),
    ]
    assert cells[6] == f"{statistics.median(days):g}"


@pytest.mark.django_db
def test_overdue_and_due_soon_are_counted_for_unpublished_items(client, office):
    clerk, department, entry = office["clerk"], office["department"], office["entry"]
    today = timezone.localdate()
    calendar = work_calendar()
    # formed long ago: overdue
    factories.draft_item(
        clerk,
        department,
        catalog_entry=entry,
        title="早已逾期的信息",
        formed_on=today - datetime.timedelta(days=90),
    )
    # due in about three working days
    formed = today
    while workdays.add_working_days(formed, 20, calendar).due > (
        workdays.add_working_days(today, 3, calendar).due
    ):
        formed -= datetime.timedelta(days=1)
    factories.draft_item(
        clerk,
        department,
        catalog_entry=entry,
        title="即将到期的信息",
        formed_on=formed,
    )
    # due in a month: neither
    factories.draft_item(
        clerk, department, catalog_entry=entry, title="还早的信息", formed_on=today
    )
    client.force_login(office["reviewer"])
    response = client.get("/workspace/oversight/")
    cells = row_for(response, "test-dept")["cells"]
    assert cells[7:] == ["1", "1"]
    row = row_for(response, "test-dept")
    due_soon_page = text(client.get(row["links"][-1]))
    assert "即将到期的信息" in due_soon_page
    assert "早已逾期的信息" not in due_soon_page
    overdue_page = text(client.get(row["links"][-2]))
    assert "早已逾期的信息" in overdue_page


@pytest.mark.django_db
def test_periodic_entries_without_items_are_flagged(client, office):
    department = office["department"]
    quarterly = factories.CatalogEntryFactory(
        responsible_department=department,
        level1="季度补贴发放",
        level2="发放结果",
        time_limit_kind=CatalogEntry.TimeLimitKind.PERIODIC,
        time_limit_days=10,
        period=CatalogEntry.Period.QUARTERLY,
    )
    # Reports on Q1 and Q3, formed after those quarters (报告期 recorded);
    # one formed in Q2 reports on Q1 as well (the last complete quarter).
    factories.draft_item(
        office["clerk"],
        department,
        catalog_entry=quarterly,
        formed_on=datetime.date(2025, 4, 10),
        report_year=2025,
        report_period=1,
    )
    factories.draft_item(
        office["clerk"],
        department,
        catalog_entry=quarterly,
        formed_on=datetime.date(2025, 5, 10),
    )
    factories.draft_item(
        office["clerk"],
        department,
        catalog_entry=quarterly,
        formed_on=datetime.date(2025, 10, 10),
        report_year=2025,
        report_period=3,
    )
    client.force_login(office["reviewer"])
    response = client.get("/workspace/oversight/?period=year&year=2025")
    gaps = [
        row["cells"]
        for row in table_rows(response)
        if row["cells"] and "季度补贴发放" in row["cells"][0]
    ]
    assert [cells[-1] for cells in gaps] == [
        "2025-04-01至2025-06-30",
        "2025-10-01至2025-12-31",
    ]
    page = text(response)
    # the working-days entry had no item in 2025: listed apart, softer
    assert "本期无信息的其他事项" in page
    assert str(office["entry"]) in page


# --- statistics ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_statistics_match_the_items(client):
    departments = seed_demo()
    year = timezone.localdate().year - 1
    login(client, "reviewer")
    response = client.get(
        f"/workspace/oversight/statistics/?period=year&year={year}&dimension=department&bucket=quarter"
    )
    assert response.status_code == 200
    expected = Counter()
    for item in published_items(
        datetime.date(year, 1, 1), datetime.date(year, 12, 31), timezone.now()
    ):
        quarter = (timezone.localtime(item.first_published_at).month - 1) // 3 + 1
        expected[(item.department_id, quarter)] += 1
    rows = {row["cells"][0]: row["cells"] for row in table_rows(response)}
    for code in ("fgj", "czj", "nyj", "zjj"):
        department = departments[code]
        counts = [expected[(department.pk, q)] for q in range(1, 5)]
        cells = rows[department.name]
        assert cells[1] == str(sum(counts))
        assert cells[3:] == [str(c) for c in counts]
    assert rows["合计"][1] == str(sum(expected.values()))
    assert "<svg" in text(response) and 'style="' not in text(response)

    # by channel: each channel of the item's catalog entry counts it
    response = client.get(
        f"/workspace/oversight/statistics/?period=year&year={year}&dimension=channel&bucket=year"
    )
    expected = Counter()
    for item in published_items(
        datetime.date(year, 1, 1), datetime.date(year, 12, 31), timezone.now()
    ):
        record = record_of(item)
        for channel in record.catalog_entry.channels.all():
            expected[channel.name] += 1
    rows = {row["cells"][0]: row["cells"] for row in table_rows(response)}
    assert expected["政府网站"] > 0
    for name, count in expected.items():
        assert rows[name][1] == str(count)


@pytest.mark.django_db
def test_csv_and_xlsx_downloads_are_safe_to_open(client, office):
    department = office["department"]
    department.name = '=HYPERLINK("http://evil")'
    department.save()
    item = factories.draft_item(
        office["clerk"], department, formed_on=datetime.date(2025, 3, 3)
    )
    publish_on(item, office["clerk"], office["reviewer"], datetime.date(2025, 3, 4))
    client.force_login(office["reviewer"])
    base = "/workspace/oversight/statistics/?period=year&year=2025&dimension=department&bucket=month"

    response = client.get(base + "&download=csv")
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    raw = response.content
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][0] == "部门" and rows[0][1] == "2025年1月" and rows[0][-1] == "合计"
    assert rows[1][0] == '\'=HYPERLINK("http://evil")'
    assert rows[1][3] == "1" and rows[1][-1] == "1"

    response = client.get(base + "&download=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A2"].value == '\'=HYPERLINK("http://evil")'
    assert sheet["A2"].data_type == "s"
    assert sheet["D2"].value == 1


# --- quarterly bulletin -------------------------------------------------------------------------


@pytest.mark.django_db
def test_quarterly_bulletin_ranks_departments_by_on_time_rate(client):
    departments = seed_demo()
    year = timezone.localdate().year - 1
    login(client, "reviewer")
    response = client.get(f"/workspace/oversight/bulletin/?year={year}&quarter=3")
    assert response.status_code == 200
    page = text(response)
    assert f"{year}年第3季度政务公开工作情况通报" in page

    start, end = datetime.date(year, 7, 1), datetime.date(year, 9, 30)
    figures = {}
    for code in ("fgj", "czj", "nyj", "zjj"):
        figures[code] = {"published": 0, "due": 0, "on_time": 0}
    by_pk = {departments[code].pk: code for code in figures}
    for item in published_items(start, end, timezone.now()):
        code = by_pk[record_of(item).department_id]
        figures[code]["published"] += 1
        if item.due_on is not None:
            figures[code]["due"] += 1
            figures[code]["on_time"] += item.late_working_days == 0
    for code, values in figures.items():
        cells = row_for(response, code)["cells"]
        assert cells[2] == str(values["published"])
        assert cells[6] == rate(values["on_time"], values["due"])
    rated = [c for c in figures if figures[c]["due"]]
    ratio = {c: figures[c]["on_time"] / figures[c]["due"] for c in rated}
    ranks = {code: int(row_for(response, code)["cells"][0]) for code in figures}
    for a in rated:
        for b in rated:
            if ratio[a] > ratio[b]:
                assert ranks[a] < ranks[b]
    lowest = min(rated, key=lambda c: (ratio[c], -ranks[c]))
    lowest_department = Department.objects.get(code=lowest)
    assert (
        f"按时公开率最低的部门：{lowest_department.name}"
        f"（{rate(figures[lowest]['on_time'], figures[lowest]['due'])}）"
    ) in without_tags(page)
