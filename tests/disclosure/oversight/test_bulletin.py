"""The quarterly bulletin (通报) ranks every department, those that published
nothing included, an office's items counting for its department; it
downloads as DOCX and XLSX like the annual report."""

import datetime
import io
import re
from unittest import mock

import pytest
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from catalog import demo as catalog_demo
from catalog.models import Department
from disclosure import demo as disclosure_demo
from disclosure import workflow
from tests import factories

D = datetime.date


def at(day, hour=10):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def ranking(page: str) -> list[tuple[str, list[str]]]:
    rows = re.findall(r'<tr data-department="([^"]+)"[^>]*>(.*?)</tr>', page, re.S)
    return [
        (
            code,
            [
                re.sub(r"<[^>]+>", "", cell).strip()
                for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
            ],
        )
        for code, row in rows
    ]


@pytest.mark.django_db
def test_every_demo_department_appears_in_the_bulletin(client):
    departments = catalog_demo.seed_catalog()
    catalog_demo.seed_accounts(departments, password=None)
    disclosure_demo.seed_items()
    year = timezone.localdate().year - 1
    client.force_login(factories.reviewer())
    page = client.get(f"/workspace/oversight/bulletin/?year={year}&quarter=3")
    rows = ranking(page.content.decode())
    codes = [code for code, _cells in rows]
    expected = [code for code, *_rest in catalog_demo.DEPARTMENTS]
    assert sorted(codes) == sorted(expected)  # all eleven, offices rolled up
    silent = [code for code, cells in rows if cells[2] == "0"]
    assert "jyj" in silent and "yjj" in silent  # no catalog entries, no items
    html = page.content.decode()
    assert html.count('class="silent"') == len(silent)
    assert "本季度未发布任何信息的部门" in html
    assert "区教育局" in html


@pytest.fixture
def small(db):
    bureau = factories.DepartmentFactory(code="nyj", name="区农业农村局", order=1)
    office = factories.DepartmentFactory(
        code="nyj-bt",
        name="计划财务科",
        parent=bureau,
        kind=Department.Kind.OFFICE,
        publisher_code="",
        order=1,
    )
    quiet = factories.DepartmentFactory(code="jyj", name="区教育局", order=2)
    gone = factories.DepartmentFactory(code="old", name="区已撤并局", is_active=False)
    clerk = factories.clerk_of(bureau)
    return {
        "bureau": bureau,
        "office": office,
        "quiet": quiet,
        "gone": gone,
        "clerk": clerk,
        "reviewer": factories.reviewer(),
    }


def _publish(small, department, day):
    with mock.patch.object(timezone, "now", return_value=at(day)):
        item = factories.draft_item(
            small["clerk"], small[department], formed_on=day - datetime.timedelta(1)
        )
        workflow.submit(item=item, by=small["clerk"])
        workflow.approve(item=item, by=small["reviewer"], confidentiality_checked=True)
        workflow.publish(item=item, by=small["reviewer"])


def test_zero_output_and_offices_in_the_bulletin_and_its_downloads(client, small):
    year = timezone.localdate().year - 1
    _publish(small, "bureau", D(year, 7, 6))
    _publish(small, "office", D(year, 8, 3))
    client.force_login(small["reviewer"])
    base = f"/workspace/oversight/bulletin/?year={year}&quarter=3"
    rows = ranking(client.get(base).content.decode())
    assert [code for code, _cells in rows] == ["nyj", "jyj"]
    assert rows[0][1][2] == "2"  # the office's item counts for the bureau
    assert rows[1][1][1].startswith("区教育局") and "本季度未发布" in rows[1][1][1]
    assert rows[1][1][2] == "0"

    response = client.get(base + "&download=docx")
    assert response.status_code == 200
    assert f'filename="bulletin-{year}-q3.docx"' in response["Content-Disposition"]
    document = Document(io.BytesIO(response.content))
    paragraphs = [p.text for p in document.paragraphs]
    assert f"{year}年第3季度政务公开工作情况通报" in paragraphs
    assert "本季度未发布任何信息的部门（1个）：区教育局。" in paragraphs
    table, scores = document.tables  # the ranking, the assessment scores
    cells = [[cell.text for cell in row.cells] for row in table.rows]
    assert cells[0][:3] == ["排名", "部门", "发布信息（条）"]
    assert cells[1][:3] == ["1", "区农业农村局", "2"]
    assert cells[2][:3] == ["2", "区教育局", "0"]
    assert cells[3][1:3] == ["合计", "2"]
    assert [row.cells[0].text for row in scores.rows] == [
        "机关",
        "区农业农村局",
        "区教育局",
    ]

    response = client.get(base + "&download=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][1] == "部门"
    assert values[1][:3] == [1, "区农业农村局", 2]
    assert values[2][:3] == [2, "区教育局", 0]
