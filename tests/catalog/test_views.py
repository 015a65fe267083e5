"""Public catalog pages, the disclosure guide, the deadline calculator and its
JSON API, and the admin pages for the catalog models."""

import datetime
import re

import pytest
from django.urls import reverse

from catalog import demo
from catalog.models import (
    CalendarDay,
    CatalogArea,
    CatalogEntry,
    Channel,
    Department,
)

pytestmark = pytest.mark.django_db

API_KEYS = {
    "start",
    "working_days",
    "due",
    "holidays_skipped",
    "adjusted_workdays",
    "calendar_complete",
}


@pytest.fixture
def departments():
    return demo.seed_catalog()


# --- The deadline calculator -------------------------------------------------------


def test_deadline_form_is_empty_at_first(client):
    response = client.get("/tools/deadline/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "工作日计算器" in page
    assert 'name="start"' in page
    assert 'value="20"' in page  # the statutory period as the suggestion
    assert "计算结果" not in page
    assert "提交的内容有误" not in page


def test_deadline_shows_the_due_date_and_the_skipped_holidays(client):
    # Tue 2026-02-10 + 20 working days = Mon 2026-03-16 (see test_workdays.py).
    response = client.get(
        "/tools/deadline/", {"start": "2026-02-10", "working_days": "20"}
    )
    page = response.content.decode()

    assert response.status_code == 200
    assert "截止日期为 <strong>2026年3月16日</strong>" in page
    assert "星期一" in page
    assert "跳过的法定节假日（工作日）" in page
    for day in ["2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19"]:
        assert f"{day} 春节" in page
    assert "2026-02-20 春节" in page
    assert "2026-02-23 春节" in page
    assert "计入的调休上班日（周末）" in page
    assert "2026-02-14 春节" in page
    assert "2026-02-28 春节" in page
    assert "尚未录入" not in page
    # The input stays in the form.
    assert 'value="2026-02-10"' in page
    assert 'value="20"' in page
    assert "/api/v1/deadline?start=2026-02-10&amp;working_days=20" in page


def test_deadline_warns_when_the_year_has_no_schedule(client):
    response = client.get(
        "/tools/deadline/", {"start": "2026-12-18", "working_days": "20"}
    )
    page = response.content.decode()
    assert "2027年1月15日" in page
    assert "2027年的节假日安排尚未录入" in page


@pytest.mark.parametrize(
    ("params", "message", "kept"),
    [
        ({"start": "2026-02-30", "working_days": "20"}, "日期格式应为", "2026-02-30"),
        ({"start": "10/02/2026", "working_days": "20"}, "日期格式应为", "10/02/2026"),
        ({"start": "明天", "working_days": "20"}, "日期格式应为", "明天"),
        ({"start": "2026-02-10", "working_days": "-3"}, "工作日数至少为1", "-3"),
        ({"start": "2026-02-10", "working_days": "0"}, "工作日数至少为1", "0"),
        ({"start": "2026-02-10", "working_days": "367"}, "工作日数最多为366", "367"),
        ({"start": "2026-02-10", "working_days": "abc"}, "工作日数应为整数", "abc"),
        ({"start": "2026-02-10", "working_days": "2.5"}, "工作日数应为整数", "2.5"),
        ({"start": "1900-01-01", "working_days": "20"}, "1949至2200", "1900-01-01"),
        ({"start": "9999-12-31", "working_days": "20"}, "1949至2200", "9999-12-31"),
        ({"start": "", "working_days": "20"}, "请填写起算日期", None),
        ({"start": "2026-02-10", "working_days": ""}, "请填写工作日数", "2026-02-10"),
    ],
)
def test_deadline_bad_input_gives_chinese_errors(client, params, message, kept):
    response = client.get("/tools/deadline/", params)
    page = response.content.decode()

    assert response.status_code == 200
    assert "提交的内容有误，请按提示修改后重新提交。" in page
    assert message in page
    assert "计算结果" not in page
    if kept is not None:
        assert f'value="{kept}"' in page


@pytest.mark.parametrize(
    "params",
    [
        {"start": "2" * 5000, "working_days": "9" * 5000},
        {"start": "<script>alert(1)</script>", "working_days": "1e9"},
        {"start": "2026-02-10\x00", "working_days": "20\x00"},
        {"start": "2026-13-01", "working_days": "-0"},
        {"start": "2200-12-31", "working_days": "366"},
        {"start": "1949-01-01", "working_days": "1"},
        {"start": ["2026-01-01", "x"], "working_days": ["1", "2"]},
        {"unknown": "1"},
    ],
)
def test_deadline_never_fails_on_garbage(client, params):
    response = client.get("/tools/deadline/", params)
    assert response.status_code == 200
    assert "<script>alert(1)" not in response.content.decode()
    response = client.get("/api/v1/deadline", params)
    assert response.status_code in (200, 400)
    assert response["Content-Type"] == "application/json"


def test_deadline_at_the_end_of_the_range(client):
    response = client.get(
        "/tools/deadline/", {"start": "2200-12-31", "working_days": "366"}
    )
    assert response.status_code == 200
    assert "2202年" in response.content.decode()


# --- The JSON API --------------------------------------------------------------------


def test_api_returns_the_deadline(client):
    # Fri 2026-04-24 + 10 working days = Tue 2026-05-12 (see test_workdays.py).
    response = client.get(
        "/api/v1/deadline", {"start": "2026-04-24", "working_days": "10"}
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert set(data) - {"incomplete_years"} == API_KEYS
    assert data == {
        "start": "2026-04-24",
        "working_days": 10,
        "due": "2026-05-12",
        "holidays_skipped": [
            {"date": "2026-05-01", "name": "劳动节"},
            {"date": "2026-05-04", "name": "劳动节"},
            {"date": "2026-05-05", "name": "劳动节"},
        ],
        "adjusted_workdays": [{"date": "2026-05-09", "name": "劳动节"}],
        "calendar_complete": True,
        "incomplete_years": [],
    }
    assert "劳动节" in response.content.decode()  # not \\u escaped


def test_api_for_a_year_without_schedule(client):
    data = client.get(
        "/api/v1/deadline", {"start": "2027-03-01", "working_days": "1"}
    ).json()
    assert data["due"] == "2027-03-02"
    assert data["calendar_complete"] is False
    assert data["incomplete_years"] == [2027]


def test_api_answer_follows_the_calendar_table(client):
    params = {"start": "2026-12-31", "working_days": "1"}
    assert client.get("/api/v1/deadline", params).json()["due"] == "2027-01-01"

    CalendarDay.objects.create(
        date=datetime.date(2027, 1, 1), kind="holiday", name="元旦"
    )

    data = client.get("/api/v1/deadline", params).json()
    assert data["due"] == "2027-01-04"
    assert data["holidays_skipped"] == [{"date": "2027-01-01", "name": "元旦"}]


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({}, "start", "请填写起算日期。"),
        ({"start": "2026-02-10"}, "working_days", "请填写工作日数。"),
        ({"start": "2026-02-30", "working_days": "20"}, "start", "日期格式应为"),
        ({"start": "2026-02-10", "working_days": "0"}, "working_days", "至少为1"),
        ({"start": "2026-02-10", "working_days": "367"}, "working_days", "最多为366"),
        ({"start": "2026-02-10", "working_days": "-5"}, "working_days", "至少为1"),
        ({"start": "2026-02-10", "working_days": "二十"}, "working_days", "应为整数"),
        ({"start": "x" * 10000, "working_days": "20"}, "start", "日期格式应为"),
    ],
)
def test_api_rejects_bad_parameters_with_json(client, params, field, message):
    response = client.get("/api/v1/deadline", params)

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert data["error"] == "invalid parameters"
    assert any(message in text for text in data["fields"][field])


@pytest.mark.parametrize("working_days", ["1", "366"])
def test_api_accepts_the_whole_range(client, working_days):
    response = client.get(
        "/api/v1/deadline", {"start": "2026-01-05", "working_days": working_days}
    )
    assert response.status_code == 200
    assert response.json()["working_days"] == int(working_days)


def test_api_answers_get_only(client):
    response = client.post("/api/v1/deadline", {"start": "2026-01-05"})
    assert response.status_code == 405


# --- The catalog ---------------------------------------------------------------------


def test_catalog_shows_areas_entries_time_limits_departments_channels(
    client, departments
):
    response = client.get("/catalog/")
    page = response.content.decode()

    assert response.status_code == 200
    for area in ["重大建设项目", "财政预决算", "涉农补贴"]:
        assert area in page
    for text in [
        "批准服务信息",  # 一级事项
        "办事指南",  # 二级事项
        "专项资金管理办法和分配结果",
        "信息形成或者变更之日起20个工作日内",
        "实时公开",
        "每季度结束后10个工作日内",
        "每年结束后20个工作日内",
        "长期公开",
        "区发展和改革局",
        "区财政局",
        "区农业农村局",
        "政府网站、两微一端",
        "社区/村公示栏（电子屏）",
        "12345热线",
    ]:
        assert text in page, text
    # Areas in their order.
    assert (
        page.index("重大建设项目") < page.index("财政预决算") < page.index("涉农补贴")
    )


def test_catalog_leaves_out_inactive_entries(client, departments):
    entry = CatalogEntry.objects.get(level2="监督举报")
    entry.is_active = False
    entry.save()

    page = client.get("/catalog/").content.decode()
    assert "监督举报" not in page
    assert client.get(f"/catalog/{entry.pk}/").status_code == 404


def test_empty_catalog(client):
    response = client.get("/catalog/")
    assert response.status_code == 200
    assert "目录尚未编制" in response.content.decode()


def test_catalog_page_query_count_does_not_grow_with_rows(
    client, departments, django_assert_max_num_queries
):
    channels = list(Channel.objects.all())
    for number in range(5):
        area = CatalogArea.objects.create(name=f"领域{number}", order=10 + number)
        for item in range(20):
            entry = CatalogEntry.objects.create(
                area=area,
                level1=f"一级{item % 4}",
                level2=f"二级{item}",
                responsible_department=departments[demo.DEPARTMENTS[item % 10][0]],
                time_limit_days=20,
            )
            entry.channels.set(channels[: 1 + item % 5])

    with django_assert_max_num_queries(5):
        response = client.get("/catalog/")
    assert response.status_code == 200
    assert "领域4" in response.content.decode()


def test_entry_page_shows_every_column(client, departments):
    entry = CatalogEntry.objects.get(level2="办事指南")
    entry.audience = CatalogEntry.Audience.SPECIFIC
    entry.mode = CatalogEntry.Mode.ON_REQUEST
    entry.save()

    response = client.get(f"/catalog/{entry.pk}/")
    page = response.content.decode()

    assert response.status_code == 200
    for label, value in [
        ("领域", "重大建设项目"),
        ("序号", "2"),
        ("一级事项", "批准服务信息"),
        ("二级事项", "办事指南"),
        ("公开内容（要素）", '<li><span lang="zh-Hans">咨询投诉电话</span></li>'),
        ("公开依据", "《企业投资项目核准和备案管理条例》"),
        ("公开时限", "实时公开"),
        ("公开主体", "区发展和改革局"),
        ("公开渠道和载体", "政府网站、两微一端"),
        ("公开对象", "特定群体"),
        ("公开方式", "依申请"),
        ("公开层级", "县级"),
    ]:
        # data entered in Chinese is marked lang="zh-Hans" (WCAG 3.1.2)
        cell = re.search(rf'<th scope="row">{re.escape(label)}</th><td[^>]*>', page)
        assert cell, label
        row = page[cell.end() :].split("</td>")[0]
        assert value in row, label


def test_entry_page_of_a_periodic_entry(client, departments):
    entry = CatalogEntry.objects.get(level2="耕地地力保护补贴")
    page = client.get(entry.get_absolute_url()).content.decode()
    assert "每年结束后20个工作日内" in page
    assert "县级、乡级" in page


@pytest.mark.parametrize("url", ["/catalog/999999/", "/catalog/0/"])
def test_unknown_entry_is_404(client, departments, url):
    assert client.get(url).status_code == 404


def test_non_numeric_entry_id_is_404(client):
    assert client.get("/catalog/abc/").status_code == 404


# --- The disclosure guide ---------------------------------------------------------------


def test_guide_shows_each_departments_contact_data(client, departments):
    response = client.get("/guide/")
    page = response.content.decode()

    assert response.status_code == 200
    government = departments["gov"]
    for value in [
        government.name,
        government.address,
        government.phone,
        government.fax,
        government.email,
        government.postcode,
        government.office_hours,
    ]:
        assert value in page, value
    for label in ["办公地址", "邮政编码", "办公时间", "联系电话", "传真", "电子邮箱"]:
        assert f"<dt>{label}</dt>" in page
    for code, *_rest in demo.DEPARTMENTS:
        department = departments[code]
        for value in [
            department.name,
            department.address,
            department.phone,
            department.email,
        ]:
            assert value in page, value
        assert f'href="mailto:{department.email}"' in page
    assert "政务公开办公室" in page


def test_guide_lists_departments_in_tree_order(client, departments):
    page = client.get("/guide/").content.decode()
    # The government, then each department followed by its own offices.
    positions = [
        page.index(f'id="dept-{departments[code].pk}"')
        for code in ["gov", "gkb", "fgj", "czj", "czj-ys", "nyj", "nyj-bt", "zjj"]
    ]
    assert positions == sorted(positions)


def test_guide_leaves_out_inactive_departments(client, departments):
    Department.objects.filter(code="yjj").update(is_active=False)
    page = client.get("/guide/").content.decode()
    assert "区应急管理局" not in page
    assert "区市场监督管理局" in page


def test_guide_lists_the_catalog_areas(client, departments):
    page = client.get("/guide/").content.decode()
    assert "公开目录包括以下领域" in page
    assert "重大建设项目" in page


def test_guide_query_count(client, departments, django_assert_max_num_queries):
    for number in range(30):
        Department.objects.create(
            code=f"extra{number}",
            name=f"额外机构{number}",
            parent=departments["gov"],
            phone="0571-1",
        )
    # Departments, catalog tree, request organs and reading places: a fixed
    # number of queries whatever the number of departments.
    with django_assert_max_num_queries(8):
        response = client.get("/guide/")
    assert "额外机构29" in response.content.decode()


# --- The admin --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        # Departments
        "catalog/department/",
        "catalog/department/?q=财政",
        "catalog/department/?kind__exact=office&is_active__exact=1",
        "catalog/department/?is_disclosure_office__exact=1",
        # Topics
        "catalog/topiccategory/",
        "catalog/topiccategory/?q=政务公开",
        "catalog/topiccategory/?is_active__exact=1",
        # Document types and channels
        "catalog/documenttype/",
        "catalog/documenttype/?q=通知",
        "catalog/channel/",
        "catalog/channel/?q=热线",
        # Catalog
        "catalog/catalogarea/",
        "catalog/catalogarea/?q=补贴",
        "catalog/catalogentry/",
        "catalog/catalogentry/?q=预算",
        "catalog/catalogentry/?time_limit_kind__exact=periodic",
        "catalog/catalogentry/?mode__exact=proactive&audience__exact=public",
        "catalog/catalogentry/?is_active__exact=0",
        # Calendar
        "catalog/calendarday/",
        "catalog/calendarday/?q=春节",
        "catalog/calendarday/?kind__exact=workday",
        "catalog/calendarday/?date__year=2026",
        "catalog/calendarday/?date__year=2026&date__month=10",
        "catalog/calendarday/?name=国庆节",
        "catalog/calendaryear/",
        "catalog/calendaryear/?is_complete__exact=1",
        # Add forms
        "catalog/catalogentry/add/",
        "catalog/department/add/",
        "catalog/calendarday/add/",
    ],
)
def test_admin_pages_load(admin_client, departments, query):
    # A filter the admin does not know redirects to ?e=1 instead of a 200.
    response = admin_client.get(f"/admin/{query}")
    assert response.status_code == 200


def test_admin_filters_by_related_objects(admin_client, departments):
    area = CatalogArea.objects.get(name="涉农补贴")
    channel = Channel.objects.get(code="hotline-12345")
    response = admin_client.get(
        "/admin/catalog/catalogentry/",
        {
            "area__id__exact": area.pk,
            "channels__id__exact": channel.pk,
            "responsible_department__id__exact": departments["nyj"].pk,
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "监督举报" in page
    assert "补贴政策" not in page


def test_admin_catalog_entry_search_finds_by_area(admin_client, departments):
    page = admin_client.get("/admin/catalog/catalogentry/", {"q": "涉农"}).content
    page = page.decode()
    assert "耕地地力保护补贴" in page
    assert "政府预算" not in page


def test_admin_entry_change_form_loads(admin_client, departments):
    entry = CatalogEntry.objects.first()
    url = reverse("admin:catalog_catalogentry_change", args=[entry.pk])
    response = admin_client.get(url)
    assert response.status_code == 200
    assert entry.level1 in response.content.decode()


def test_admin_calendar_shows_weekdays_in_chinese(admin_client):
    page = admin_client.get(
        "/admin/catalog/calendarday/", {"date__year": "2026", "date__month": "10"}
    ).content.decode()
    assert "周六" in page  # 2026-10-10, the adjusted Saturday
    assert "周四" in page  # 2026-10-01
