"""The self-inspection report (自查报告): a draft generated from the
measurements (recomputed here from the Item rows), edited and exported."""

import datetime
import io
import re
from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from docx import Document

from catalog import demo as catalog_demo
from catalog.models import CatalogEntry
from disclosure import demo as disclosure_demo
from disclosure.models import AuditEntry, Item, PublicRecord
from disclosure.oversight.models import SelfInspectionReport
from tests import factories


def text(response) -> str:
    return response.content.decode()


@pytest.fixture
def demo(client):
    departments = catalog_demo.seed_catalog()
    catalog_demo.seed_accounts(departments, password=None)
    disclosure_demo.seed_items()
    client.force_login(get_user_model().objects.get(username="reviewer"))
    return departments


def create(client, start, end, title=""):
    response = client.post(
        "/workspace/oversight/self-inspection/",
        {"title": title, "period_start": start, "period_end": end},
    )
    assert response.status_code == 302
    report = SelfInspectionReport.objects.latest("pk")
    assert response["Location"] == f"/workspace/oversight/self-inspection/{report.pk}/"
    return report, client.get(response["Location"])


def published_in(start, end):
    now = timezone.now()
    items = []
    for item in Item.objects.select_related(
        "public_record", "department", "topic__parent"
    ).order_by("pk"):
        try:
            record = item.public_record
        except PublicRecord.DoesNotExist:
            continue
        if record is None or record.status == "removed" or record.published_at > now:
            continue
        day = timezone.localtime(item.first_published_at).date()
        if start <= day <= end:
            items.append(item)
    return items


def figure(page, label):
    """The linked number after a label in the figures list."""
    match = re.search(
        re.escape(label) + r'：<a href="([^"]+)" class="figure-link">(\d+)</a>', page
    )
    assert match, label
    return match.group(1).replace("&amp;", "&"), int(match.group(2))


@pytest.mark.django_db
def test_the_draft_for_last_year_shows_the_measured_figures_and_is_edited(client, demo):
    year = timezone.localdate().year - 1
    report, response = create(client, f"{year}-01-01", f"{year}-12-31")
    assert response.status_code == 200
    page = text(response)
    assert report.title == f"{year}年1月1日至{year}年12月31日政府信息公开工作自查报告"

    items = published_in(datetime.date(year, 1, 1), datetime.date(year, 12, 31))
    with_deadline = [i for i in items if i.due_on is not None]
    on_time = [i for i in with_deadline if i.late_working_days == 0]
    late = [i for i in with_deadline if i.late_working_days]
    rate = f"{100 * len(on_time) / len(with_deadline):.1f}%"

    # the generated text
    assert f"主动公开政府信息{len(items)}条" in report.work_done
    assert (
        f"其中有法定公开时限的{len(with_deadline)}条，按时公开{len(on_time)}条，按时公开率{rate}"
        in report.work_done
    )
    by_department = Counter(i.department.name for i in items)
    for name, count in by_department.items():
        assert f"{name}{count}条" in report.work_done
    by_topic = Counter((i.topic.parent or i.topic).name for i in items)
    for name, count in by_topic.items():
        assert f"{name}{count}条" in report.work_done
    assert "RSS订阅" in report.work_done and "开放数据接口（API）" in report.work_done
    assert "尚未受理政府信息公开申请" in report.work_done
    worst = max(late, key=lambda i: i.late_working_days)
    assert f"一是逾期公开{len(late)}条信息" in report.problems
    assert f"逾期{worst.late_working_days}个工作日" in report.problems
    assert report.next_steps.startswith("一是")

    # the page: the text in the form and every number linked to its items
    assert report.work_done.splitlines()[0] in page
    url, value = figure(page, "发布信息")
    assert value == len(items)
    listing = text(client.get(url))
    assert f"共 {len(items)} 条" in listing
    for item in items:
        assert f'href="/workspace/items/{item.pk}/"' in listing
    url, value = figure(page, "逾期发布")
    assert value == len(late)
    listing = text(client.get(url))
    for item in late:
        assert f'href="/workspace/items/{item.pk}/"' in listing
    assert figure(page, "按时发布")[1] == len(on_time)
    assert f'<span class="rate">{rate}</span>' in page
    assert f'href="/workspace/items/{worst.pk}/"' in page

    # periodic entries left empty are named
    expected = []
    months = {"quarterly": 3, "yearly": 12, "monthly": 1, "half_yearly": 6}
    for entry in CatalogEntry.objects.filter(
        is_active=True, time_limit_kind="periodic"
    ):
        step = months[entry.period]
        for first_month in range(1, 13, step):
            start = datetime.date(year, first_month, 1)
            end = (
                datetime.date(year, first_month + step, 1) - datetime.timedelta(days=1)
                if first_month + step <= 12
                else datetime.date(year, 12, 31)
            )
            formed = [
                item
                for item in Item.objects.filter(catalog_entry=entry)
                if item.state != "removed" and start <= item.formed_on <= end
            ]
            if not formed:
                expected.append((entry, start, end))
    page = text(response)
    for entry, start, end in expected:
        assert f"{entry}（{start.isoformat()}至{end.isoformat()}）" in report.problems
        assert f"{start.isoformat()}至{end.isoformat()}" in page
    if not expected:
        assert "定期公开事项" not in report.problems


@pytest.mark.django_db
def test_withdrawals_are_reported_and_the_report_edited_and_exported(client, demo):
    today = timezone.localdate()
    report, response = create(
        client, f"{today.year}-01-01", today.isoformat(), title="本年度自查报告"
    )
    entries = [
        entry
        for entry in AuditEntry.objects.filter(action__in=["withdraw", "remove"])
        if timezone.localtime(entry.at).year == today.year
    ]
    assert len(entries) == 2
    page = text(response)
    for entry in entries:
        assert entry.comment in report.problems
        assert entry.comment in page
        assert f'href="/workspace/items/{entry.item_id}/"' in page
    url, value = figure(page, "撤销或删除的信息")
    assert value == 2
    listing = text(client.get(url))
    for entry in entries:
        assert entry.item.title in listing

    # the office edits and exports the report
    response = client.post(
        f"/workspace/oversight/self-inspection/{report.pk}/",
        {
            "title": "本年度政府信息公开工作自查报告",
            "work_done": "一年来，我区坚持以公开为常态。",
            "problems": "一是个别部门公开不及时。",
            "next_steps": "一是落实到期提醒。",
        },
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.work_done == "一年来，我区坚持以公开为常态。"
    page = text(client.get(response["Location"]))
    assert "一年来，我区坚持以公开为常态。" in page
    assert "本年度政府信息公开工作自查报告" in page

    download = client.get(
        f"/workspace/oversight/self-inspection/{report.pk}/report.docx"
    )
    assert download.status_code == 200
    assert "attachment" in download["Content-Disposition"]
    document = Document(io.BytesIO(download.content))
    paragraphs = [p.text for p in document.paragraphs]
    for expected in [
        "本年度政府信息公开工作自查报告",
        "一、工作开展情况",
        "一年来，我区坚持以公开为常态。",
        "二、存在问题",
        "一是个别部门公开不及时。",
        "三、下一步打算",
        "一是落实到期提醒。",
    ]:
        assert expected in paragraphs
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells][:2] == ["部门", "发布"]
    published = published_in(datetime.date(today.year, 1, 1), today)
    assert sum(int(row.cells[1].text) for row in table.rows[1:]) == len(published)


@pytest.mark.django_db
def test_a_period_that_ends_before_it_starts_is_refused(client):
    client.force_login(factories.reviewer())
    response = client.post(
        "/workspace/oversight/self-inspection/",
        {"period_start": "2025-12-31", "period_end": "2025-01-01"},
    )
    assert response.status_code == 200
    assert "截止日期不能早于起始日期。" in text(response)
    assert not SelfInspectionReport.objects.exists()
