"""The annual report (政府信息公开工作年度报告): layout of the 2021 format (the
format's wording exactly), the consistency checks that block submission and
publication, the public pages and the staff's DOCX. Per organ deadlines:
test_annual_organs.py; review and corrections: test_annual_review.py; table
二 from the register: test_annual_table2.py; the DOCX's layout:
test_annual_docx.py."""

import io
import re

import pytest
from docx import Document

from disclosure.oversight.models import AnnualReport
from tests import factories
from tests.disclosure.oversight.annual_helpers import (
    TABLE3_LABELS,
    consistent,
    form_of,
    publish,
    start,
    submit_consistent,
    text,
    url,
)


@pytest.fixture
def office():
    department = factories.DepartmentFactory(code="test-dept", name="区测试局")
    return {
        "department": department,
        "clerk": factories.clerk_of(department),
        "reviewer": factories.reviewer(),
        "admin": factories.office_admin(),
    }


# --- layout ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_form_is_laid_out_like_the_official_tables(client, office):
    client.force_login(office["reviewer"])
    response = start(client, "test-dept")
    page = text(response)
    assert (
        '<h1><span lang="zh-Hans">区测试局</span>2025年政府信息公开工作年度报告' in page
    )
    for title in [
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
    ]:
        assert f">{title}</h2>" in page
    escaped = [label.replace('"', "&quot;") for label in TABLE3_LABELS]
    positions = [page.index(f">{label}</th>") for label in escaped]
    assert positions == sorted(positions)
    for heading in [
        "自然人",
        "法人或其他组织",
        "商业企业",
        "科研机构",
        "社会公益组织",
        "法律服务机构",
        "其他",
        "总计",
    ]:
        assert f">{heading}</th>" in page
    for heading in [
        "第二十条第（一）项",
        "第二十条第（五）项",
        "第二十条第（六）项",
        "第二十条第（八）项",
        "规章",
        "行政规范性文件",
        "本年制发件数",
        "本年废止件数",
        "现行有效件数",
        "行政许可",
        "行政处罚",
        "行政强制",
        "行政事业性收费",
        "本年收费金额（单位：万元）",
        "行政复议",
        "行政诉讼",
        "未经复议直接起诉",
        "复议后起诉",
        "结果维持",
        "结果纠正",
        "其他结果",
        "尚未审结",
        "本年收取信息处理费（元）",
    ]:
        assert heading in page
    data = form_of(response).data
    assert len([n for n in data if n.startswith("t3__")]) == 25 * 7
    assert len([n for n in data if n.startswith("t4__")]) == 15
    assert len([n for n in data if n.startswith("t2__")]) == 10
    assert data["fees_charged"] == "0.00"
    # every cell is labelled by its row and column headers, the table has a
    # caption and scoped headers
    assert 'aria-labelledby="t3-row-new t3-col-natural"' in page
    assert (
        'aria-labelledby="t3-row-5 t3-row-refused_secret t3-col-org t3-col-business"'
        in page
    )
    assert 'aria-labelledby="t4-litigation t4-direct t4-direct-0"' in page
    assert "<caption>表三 收到和处理政府信息公开申请情况</caption>" in page
    assert 'style="' not in page and "<script" not in page


def test_table3_uses_the_formats_wording_exactly():
    """DOMAIN.md, "Annual report": （二） and （六）1, 2 in full."""
    from disclosure.oversight.annual.layout import TABLE3_ROWS

    assert [row.label for row in TABLE3_ROWS] == TABLE3_LABELS


@pytest.mark.django_db
def test_refill_puts_the_portals_figures_back(client, office):
    client.force_login(office["reviewer"])
    data = form_of(start(client, "test-dept")).data
    data["t2__normative__issued"] = "7"
    data["action"] = "save"
    client.post(url(2025, "test-dept"), data)
    assert AnnualReport.objects.get(year=2025).table2["normative.issued"] == 7
    client.post(url(2025, "test-dept"), {"action": "refill"})
    assert AnnualReport.objects.get(year=2025).table2["normative.issued"] == 0


# --- consistency checks ------------------------------------------------------------------


@pytest.mark.django_db
def test_an_inconsistent_report_cannot_be_submitted(client, office):
    client.force_login(office["admin"])
    data = form_of(start(client, "test-dept")).data
    data["t3__new__natural"] = "3"  # 3 new requests, but no result and no total
    data["override_reason"] = "登记上线前的纸质申请补录。"
    data["overview"] = "本年度工作总体情况。"
    data["action"] = "submit"
    response = client.post(url(2025, "test-dept"), data)

    assert response.status_code == 200
    page = text(response)
    assert "已保存，但表格有2处不符合勾稽关系，未能提交审核。" in page
    assert (
        "表三“一、本年新收申请数量”行“总计”列：应等于本行前六列之和3，现为0。" in page
    )
    assert (
        "表三“自然人”列：一（本年新收）加二（上年结转）为3，"
        "应等于三（七）总计加四（结转下年度继续办理），现为0。"
    ) in page
    form = form_of(response)
    assert sorted(form.invalid) == ["t3__carried_out__natural", "t3__new__total"]
    assert 'aria-describedby="id_t3__new__total-error"' in page
    assert '<a href="#id_t3__new__total">' in page
    assert form.data["t3__new__natural"] == "3"
    report = AnnualReport.objects.get(year=2025)
    assert report.state == AnnualReport.State.DRAFT
    assert report.published_at is None
    assert report.revisions.count() == 0
    assert client.get("/reports/annual/2025/test-dept/").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        (
            "t3__granted__legal",
            "-1",
            "表三“（一）予以公开”行“法律服务机构”列：不能为负数。",
        ),
        (
            "t4__review__upheld",
            "1.5",
            "表四“行政复议”行“结果维持”列：请填写不小于0的整数。",
        ),
        (
            "t2__fees__amount",
            "-0.5",
            "表二“行政事业性收费”行“本年收费金额（单位：万元）”列：不能为负数。",
        ),
        ("fees_charged", "-3", "第六部分“信息处理费”行“金额（元）”列：不能为负数。"),
    ],
)
def test_cells_must_be_non_negative_numbers(client, office, field, value, message):
    client.force_login(office["reviewer"])
    data = form_of(start(client, "test-dept")).data
    before = AnnualReport.objects.get(year=2025)
    data[field] = value
    data["action"] = "save"
    response = client.post(url(2025, "test-dept"), data)
    assert response.status_code == 200
    assert message in text(response)
    assert AnnualReport.objects.get(year=2025).updated_at == before.updated_at


@pytest.mark.django_db
def test_a_draft_may_be_saved_inconsistent_and_the_cells_stay_marked(client, office):
    client.force_login(office["reviewer"])
    data = form_of(start(client, "test-dept")).data
    data["t4__direct__corrected"] = "2"
    data["override_reason"] = "登记上线前的案件补录。"
    data["action"] = "save"
    response = client.post(url(2025, "test-dept"), data)
    assert response.status_code == 302
    assert AnnualReport.objects.get(year=2025).table4["direct"] == [0, 2, 0, 0, 0]
    page = client.get(url(2025, "test-dept"))
    assert (
        "表四“未经复议直接起诉”的“总计”：应等于结果维持、结果纠正、其他结果、尚未审结之和2，现为0。"
        in text(page)
    )
    assert form_of(page).invalid == ["t4__direct__total"]


@pytest.mark.django_db
def test_a_stale_edit_is_refused_not_overwritten(client, office):
    client.force_login(office["reviewer"])
    data = form_of(start(client, "test-dept")).data
    other = {**data, "overview": "同事先保存的总体情况。", "action": "save"}
    assert client.post(url(2025, "test-dept"), other).status_code == 302
    mine = {**data, "overview": "我的总体情况。", "action": "save"}
    response = client.post(url(2025, "test-dept"), mine)
    assert "为避免覆盖他人的修改，本次保存未生效" in text(response)
    assert AnnualReport.objects.get(year=2025).overview == "同事先保存的总体情况。"


# --- publication and the public pages -------------------------------------------------------


@pytest.mark.django_db
def test_a_consistent_report_is_published_and_public(client, office):
    client.force_login(office["admin"])
    start(client, "test-dept")
    submit_consistent(client, "test-dept")
    client.force_login(office["reviewer"])
    publish(client, "test-dept")
    report = AnnualReport.objects.get(year=2025)
    assert report.state == AnnualReport.State.PUBLISHED
    assert report.published_by == office["reviewer"]
    assert report.table3["total"] == [4, 1, 0, 0, 0, 0, 5]

    client.logout()
    page = client.get("/reports/annual/2025/test-dept/")
    assert page.status_code == 200
    html = text(page)
    assert '<h1 lang="zh-Hans">区测试局2025年政府信息公开工作年度报告</h1>' in html
    assert "本年度，区政府认真贯彻" in html
    assert "表三 收到和处理政府信息公开申请情况" in html
    assert 'type="number"' not in html
    row = re.search(r'id="t3-row-new"[^>]*>[^<]*</th>(.*?)</tr>', html, re.S).group(1)
    assert re.findall(r'<td class="num">([^<]*)</td>', row) == [
        "5",
        "1",
        "0",
        "0",
        "0",
        "0",
        "6",
    ]
    assert "12.5" in html
    assert "本年度收取信息处理费300.00元。" in html
    assert 'href="/reports/annual/2025/test-dept/report.docx"' in html

    download = client.get("/reports/annual/2025/test-dept/report.docx")
    assert download.status_code == 200
    assert "wordprocessingml" in download["Content-Type"]
    document = Document(io.BytesIO(download.content))
    paragraphs = [p.text for p in document.paragraphs]
    assert "区测试局2025年政府信息公开工作年度报告" in paragraphs
    assert "三、收到和处理政府信息公开申请情况" in paragraphs
    assert "本年度，区政府认真贯彻《中华人民共和国政府信息公开条例》。" in paragraphs
    assert "本年度收取信息处理费300.00元。" in paragraphs
    assert len(document.tables) == 3  # table 二, table 三, table 四


@pytest.mark.django_db
def test_published_reports_are_listed_by_year_and_organ(client, office):
    government = factories.DepartmentFactory(
        code="gov", name="示例区人民政府", kind="government"
    )
    client.force_login(office["admin"])
    start(client, "test-dept", 2024)  # stays a draft
    for organ in ("test-dept", "gov"):
        start(client, organ, 2025)
        submit_consistent(client, organ)
    client.force_login(office["reviewer"])
    for organ in ("test-dept", "gov"):
        publish(client, organ)
    client.logout()
    listing = client.get("/reports/annual/")
    assert listing.status_code == 200
    page = text(listing)
    assert ">2025年度</h2>" in page
    government_link = (
        '<a href="/reports/annual/2025/gov/" lang="zh-Hans">'
        "示例区人民政府2025年政府信息公开工作年度报告</a>"
    )
    department_link = (
        '<a href="/reports/annual/2025/test-dept/" lang="zh-Hans">'
        "区测试局2025年政府信息公开工作年度报告</a>"
    )
    assert government_link in page and department_link in page
    assert page.index(government_link) < page.index(department_link)
    assert "2024年" not in page  # a draft
    # the address the portal always used is the government's own report
    assert government.name in text(client.get("/reports/annual/2025/"))
    docx = client.get("/reports/annual/2025/report.docx")
    assert docx.status_code == 200
    paragraphs = [p.text for p in Document(io.BytesIO(docx.content)).paragraphs]
    assert "示例区人民政府2025年政府信息公开工作年度报告" in paragraphs


@pytest.mark.django_db
def test_drafts_and_submitted_reports_are_not_public(client, office):
    client.force_login(office["reviewer"])
    start(client, "test-dept")
    submit_consistent(client, "test-dept")
    client.logout()
    for address in (
        "/reports/annual/2025/test-dept/",
        "/reports/annual/2025/test-dept/report.docx",
        "/reports/annual/2025/test-dept/v1/",
        "/reports/annual/2025/",
        "/reports/annual/2025/report.docx",
    ):
        assert client.get(address).status_code == 404, address
    assert "暂无已公布的年度报告" in text(client.get("/reports/annual/"))


@pytest.mark.django_db
def test_staff_can_download_a_draft(client, office):
    client.force_login(office["reviewer"])
    start(client, "test-dept")
    response = client.get(url(2025, "test-dept") + "report.docx")
    assert response.status_code == 200
    assert len(Document(io.BytesIO(response.content)).tables) == 3


@pytest.mark.django_db
def test_the_consistent_figures_pass_the_checks(office):
    from disclosure.oversight.annual.forms import AnnualReportForm

    report = AnnualReport.objects.create(
        organ=office["department"],
        year=2025,
        created_by=office["admin"],
        updated_by=office["admin"],
    )
    form = AnnualReportForm(instance=report)
    data = {name: form[name].value() for name in form.fields}
    data = consistent({k: "" if v is None else v for k, v in data.items()})
    bound = AnnualReportForm(data, instance=report)
    assert bound.is_valid(), bound.errors
    assert bound.consistency_errors() == []
