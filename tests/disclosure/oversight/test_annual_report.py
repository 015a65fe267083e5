"""The annual report (政府信息公开工作年度报告): layout of the 2021 format,
figures filled from the portal's data (recomputed here from the items), the
consistency checks that block publication, the public pages and the DOCX."""

import datetime
import io
import re
from html.parser import HTMLParser
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.urls import include, path
from django.utils import timezone
from docx import Document

import portal.urls
from catalog import demo as catalog_demo
from catalog.models import DocumentType
from disclosure import demo as disclosure_demo
from disclosure import workflow
from disclosure.models import Item, PublicRecord
from disclosure.oversight.models import AnnualReport
from tests import factories

TABLE3_LABELS = [
    "一、本年新收申请数量",
    "二、上年结转申请数量",
    "三、本年度办理结果",
    "（一）予以公开",
    "（二）部分公开",
    "（三）不予公开",
    "1.属于国家秘密",
    "2.其他法律行政法规禁止公开",
    "3.危及&quot;三安全一稳定&quot;",
    "4.保护第三方合法权益",
    "5.属于三类内部事务信息",
    "6.属于四类过程性信息",
    "7.属于行政执法案卷",
    "8.属于行政查询事项",
    "（四）无法提供",
    "1.本机关不掌握相关政府信息",
    "2.没有现成信息需要另行制作",
    "3.补正后申请内容仍不明确",
    "（五）不予处理",
    "1.信访举报投诉类申请",
    "2.重复申请",
    "3.要求提供公开出版物",
    "4.无正当理由大量反复申请",
    "5.要求行政机关确认或重新出具已获取信息",
    "（六）其他处理",
    "1.申请人无正当理由逾期不补正",
    "2.申请人逾期未按收费通知要求缴纳费用",
    "3.其他",
    "（七）总计",
    "四、结转下年度继续办理",
]


class _Form(HTMLParser):
    """What a browser would submit from the report form."""

    def __init__(self):
        super().__init__()
        self.data = {}
        self.invalid = []
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("type") == "number":
            self.data[attrs["name"]] = attrs.get("value", "")
            if attrs.get("aria-invalid") == "true":
                self.invalid.append(attrs["name"])
        elif tag == "textarea":
            self._textarea = attrs["name"]
            self.data[self._textarea] = ""

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] += data


def form_of(response) -> _Form:
    parser = _Form()
    parser.feed(response.content.decode())
    parser.data = {k: v.lstrip("\n") for k, v in parser.data.items()}
    return parser


def text(response) -> str:
    return response.content.decode()


def at(day: datetime.date, hour=10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.fixture
def office():
    department = factories.DepartmentFactory(code="test-dept", name="区测试局")
    return {
        "department": department,
        "clerk": factories.clerk_of(department),
        "reviewer": factories.reviewer(),
        "admin": factories.office_admin(),
    }


def start(client, year=2025):
    response = client.post("/workspace/oversight/annual/", {"year": year})
    assert response.status_code == 302
    assert response["Location"] == f"/workspace/oversight/annual/{year}/"
    return client.get(response["Location"])


# --- layout ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_form_is_laid_out_like_the_official_tables(client, office):
    client.force_login(office["reviewer"])
    response = start(client)
    page = text(response)
    for title in [
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
    ]:
        assert f">{title}</h2>" in page
    positions = [page.index(f">{label}</th>") for label in TABLE3_LABELS]
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
    ]:
        assert heading in page
    data = form_of(response).data
    assert len([n for n in data if n.startswith("t3__")]) == 25 * 7
    assert len([n for n in data if n.startswith("t4__")]) == 15
    assert len([n for n in data if n.startswith("t2__")]) == 10
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


# --- figures from the portal's data (demo) ------------------------------------------------


def _classify(record) -> str:
    """The documented rule, written out again."""
    type_name = record.document_type.name if record.document_type else ""
    if type_name == "命令（令）":
        return "rules"
    if "规范性文件" in record.keywords:
        return "normative"
    if type_name in ("决定", "意见", "通知") and record.doc_number.strip():
        return "normative"
    return ""


def _expected_table2(year, now):
    year_end = datetime.date(year, 12, 31)
    figures = {
        f"{kind}.{column}": 0
        for kind in ("rules", "normative")
        for column in ("issued", "repealed", "in_force")
    }
    for item in Item.objects.order_by("pk"):
        record = PublicRecord.objects.filter(item=item).first()
        if record is None or record.status == "removed" or record.published_at > now:
            continue
        kind = _classify(record)
        if not kind:
            continue
        if record.formed_on.year == year:
            figures[f"{kind}.issued"] += 1
        ended = record.validity in ("repealed", "expired")
        if ended and record.validity_changed_on.year == year:
            figures[f"{kind}.repealed"] += 1
        withdrawn = (
            record.status == "withdrawn"
            and timezone.localtime(record.status_changed_at).date() <= year_end
        )
        if (
            record.formed_on <= year_end
            and (not ended or record.validity_changed_on > year_end)
            and not withdrawn
        ):
            figures[f"{kind}.in_force"] += 1
    return figures


def _publish(item, clerk, reviewer, day):
    with mock.patch.object(timezone, "now", return_value=at(day)):
        item = workflow.submit(item=item, by=clerk)
        item = workflow.approve(item=item, by=reviewer, confidentiality_checked=True)
        return workflow.publish(item=item, by=reviewer)


@pytest.mark.django_db
def test_demo_report_for_last_year_fills_rules_and_normative_documents(client):
    year = timezone.localdate().year - 1
    departments = catalog_demo.seed_catalog()
    catalog_demo.seed_accounts(departments, password=None)
    disclosure_demo.seed_items()
    users = {u.username: u for u in get_user_model().objects.all()}
    clerk, admin = users["clerk"], users["admin"]
    # A rule (规章) issued in 2025, and a normative document repealed in 2025.
    rule = workflow.create_item(
        by=clerk,
        data=factories.item_data(
            departments["nyj"],
            title="示例区农村集体资产管理办法",
            document_type=DocumentType.objects.get(code="order"),
            doc_number="示例区人民政府令第1号",
            formed_on=datetime.date(year, 4, 1),
        ),
    )
    _publish(rule, clerk, admin, datetime.date(year, 4, 8))
    normative = next(
        item
        for item in Item.objects.filter(
            state="published",
            document_type__code="notice",
            department__code="nyj",
            formed_on__year=year,
        ).exclude(doc_number="")
    )
    normative = workflow.update_item(
        item=normative,
        by=clerk,
        data={"validity": "repealed", "validity_changed_on": datetime.date(year, 9, 1)},
        expected_version=normative.version,
    )
    workflow.submit(item=normative, by=clerk)
    workflow.approve(item=normative, by=admin, confidentiality_checked=True)
    workflow.publish(item=normative, by=admin)

    client.force_login(users["reviewer"])
    response = start(client, year)
    data = form_of(response).data
    expected = _expected_table2(year, timezone.now())
    assert expected["rules.issued"] == 1
    assert expected["normative.issued"] > 0
    assert expected["normative.repealed"] == 1
    for key, value in expected.items():
        assert data["t2__" + key.replace(".", "__")] == str(value), key
    # the figures the office enters start at zero
    assert data["t2__licensing__decisions"] == "0"
    assert data["t3__new__natural"] == "0"

    published = [
        item
        for item in Item.objects.all()
        if item.first_published_at
        and timezone.localtime(item.first_published_at).year == year
        and PublicRecord.objects.get(item=item).status != "removed"
    ]
    with_deadline = [item for item in published if item.due_on]
    on_time = [item for item in with_deadline if item.late_working_days == 0]
    summary = data["proactive_text"]
    assert f"主动公开政府信息{len(published)}条" in summary
    assert (
        f"有法定公开时限的{len(with_deadline)}条，按时公开{len(on_time)}条" in summary
    )
    assert f"{100 * len(on_time) / len(with_deadline):.1f}%" in summary


@pytest.mark.django_db
def test_refill_puts_the_portals_figures_back(client, office):
    client.force_login(office["reviewer"])
    data = form_of(start(client)).data
    data["t2__rules__issued"] = "7"
    data["action"] = "save"
    client.post("/workspace/oversight/annual/2025/", data)
    assert AnnualReport.objects.get(year=2025).table2["rules.issued"] == 7
    client.post("/workspace/oversight/annual/2025/", {"action": "refill"})
    assert AnnualReport.objects.get(year=2025).table2["rules.issued"] == 0


# --- consistency checks ------------------------------------------------------------------


@pytest.mark.django_db
def test_an_inconsistent_report_cannot_be_published(client, office):
    client.force_login(office["admin"])
    data = form_of(start(client)).data
    before = AnnualReport.objects.get(year=2025)
    data["t3__new__natural"] = "3"  # 3 new requests, but no result and no total
    data["overview"] = "本年度工作总体情况。"
    data["action"] = "publish"
    response = client.post("/workspace/oversight/annual/2025/", data)

    assert response.status_code == 200
    page = text(response)
    assert "未能公布" in page
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
    # what was typed is kept on the page
    assert form.data["t3__new__natural"] == "3"
    # and nothing changed in the database
    after = AnnualReport.objects.get(year=2025)
    assert after.state == AnnualReport.State.DRAFT
    assert after.published_at is None
    assert after.table3 == before.table3
    assert after.overview == before.overview == ""
    assert after.updated_at == before.updated_at
    assert client.get("/reports/annual/2025/").status_code == 404


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
    ],
)
def test_cells_must_be_non_negative_numbers(client, office, field, value, message):
    client.force_login(office["reviewer"])
    data = form_of(start(client)).data
    before = AnnualReport.objects.get(year=2025)
    data[field] = value
    data["action"] = "save"
    response = client.post("/workspace/oversight/annual/2025/", data)
    assert response.status_code == 200
    assert message in text(response)
    assert form_of(response).invalid == [field]
    assert AnnualReport.objects.get(year=2025).updated_at == before.updated_at


@pytest.mark.django_db
def test_a_draft_may_be_saved_inconsistent_and_the_cells_stay_marked(client, office):
    client.force_login(office["reviewer"])
    data = form_of(start(client)).data
    data["t4__direct__corrected"] = "2"
    data["action"] = "save"
    response = client.post("/workspace/oversight/annual/2025/", data)
    assert response.status_code == 302
    assert AnnualReport.objects.get(year=2025).table4["direct"] == [0, 2, 0, 0, 0]
    page = client.get("/workspace/oversight/annual/2025/")
    assert (
        "表四“未经复议直接起诉”的“总计”：应等于结果维持、结果纠正、其他结果、尚未审结之和2，现为0。"
        in text(page)
    )
    assert form_of(page).invalid == ["t4__direct__total"]


def _consistent(data):
    data.update(
        {
            "t3__new__natural": "5",
            "t3__new__business": "1",
            "t3__new__total": "6",
            "t3__carried_in__natural": "1",
            "t3__carried_in__total": "1",
            "t3__granted__natural": "3",
            "t3__granted__business": "1",
            "t3__granted__total": "4",
            "t3__refused_third_party__natural": "1",
            "t3__refused_third_party__total": "1",
            "t3__total__natural": "4",
            "t3__total__business": "1",
            "t3__total__total": "5",
            "t3__carried_out__natural": "2",
            "t3__carried_out__total": "2",
            "t4__review__upheld": "1",
            "t4__review__total": "1",
            "t2__licensing__decisions": "120",
            "t2__fees__amount": "12.5",
            "overview": "本年度，区政府认真贯彻《中华人民共和国政府信息公开条例》。",
            "problems": "一是部分信息公开不及时。",
        }
    )
    return data


@pytest.mark.django_db
def test_a_consistent_report_is_published_and_public(client, office):
    client.force_login(office["admin"])
    data = _consistent(form_of(start(client)).data)
    data["action"] = "publish"
    response = client.post("/workspace/oversight/annual/2025/", data)
    assert response.status_code == 302
    report = AnnualReport.objects.get(year=2025)
    assert report.state == AnnualReport.State.PUBLISHED
    assert report.published_by == office["admin"]
    assert report.table3["total"] == [4, 1, 0, 0, 0, 0, 5]

    client.logout()
    page = client.get("/reports/annual/2025/")
    assert page.status_code == 200
    html = text(page)
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
    assert 'href="/reports/annual/2025/report.docx"' in html

    download = client.get("/reports/annual/2025/report.docx")
    assert download.status_code == 200
    assert "wordprocessingml" in download["Content-Type"]
    document = Document(io.BytesIO(download.content))
    paragraphs = [p.text for p in document.paragraphs]
    assert "2025年政府信息公开工作年度报告" in paragraphs
    assert "三、收到和处理政府信息公开申请情况" in paragraphs
    assert "本年度，区政府认真贯彻《中华人民共和国政府信息公开条例》。" in paragraphs
    assert len(document.tables) == 6  # four of table 二, table 三, table 四
    table3 = document.tables[4]
    labels = [row.cells[0].text for row in table3.rows[3:]]
    assert labels == [label.replace("&quot;", '"') for label in TABLE3_LABELS]
    new_row = [cell.text for cell in table3.rows[3].cells]
    assert new_row == ["一、本年新收申请数量", "5", "1", "0", "0", "0", "0", "6"]
    table4 = document.tables[5]
    assert [cell.text for cell in table4.rows[3].cells][:5] == ["1", "0", "0", "0", "1"]


# Until the public site's /reports/annual/ placeholder (disclosure/public/urls.py) is
# removed, it answers that path first; these tests mount the reports' URLs
# ahead of it, as portal/urls.py will once the placeholder is gone.
urlpatterns = [
    path("reports/", include("disclosure.oversight.public_urls")),
    *portal.urls.urlpatterns,
]


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_published_reports_are_listed(client, office):
    client.force_login(office["reviewer"])
    start(client, 2024)
    data = _consistent(form_of(start(client, 2025)).data)
    data["action"] = "publish"
    client.post("/workspace/oversight/annual/2025/", data)
    client.logout()
    listing = client.get("/reports/annual/")
    assert listing.status_code == 200
    page = text(listing)
    assert '<a href="/reports/annual/2025/">2025年政府信息公开工作年度报告</a>' in page
    assert "2024年" not in page  # a draft


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_drafts_are_not_public(client, office):
    client.force_login(office["reviewer"])
    start(client)
    client.logout()
    assert client.get("/reports/annual/2025/").status_code == 404
    assert client.get("/reports/annual/2025/report.docx").status_code == 404
    assert "暂无已公布的年度报告" in text(client.get("/reports/annual/"))


@pytest.mark.django_db
def test_staff_can_download_a_draft(client, office):
    client.force_login(office["reviewer"])
    start(client)
    response = client.get("/workspace/oversight/annual/2025/report.docx")
    assert response.status_code == 200
    assert len(Document(io.BytesIO(response.content)).tables) == 6


# --- the 31 January deadline ----------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("day", "shown", "overdue"),
    [
        (datetime.date(2026, 1, 1), True, False),
        (datetime.date(2026, 1, 31), True, False),
        (datetime.date(2026, 2, 1), True, True),
        (datetime.date(2026, 6, 30), True, True),
    ],
)
def test_the_dashboard_reminds_of_the_31_january_deadline(
    client, office, day, shown, overdue
):
    client.force_login(office["reviewer"])
    with mock.patch.object(timezone, "now", return_value=at(day)):
        page = text(client.get("/workspace/oversight/"))
    assert ("2025年政府信息公开工作年度报告" in page) is shown
    assert ("deadline-overdue" in page) is overdue
    if overdue:
        assert "已超过法定公布期限（2026年1月31日）" in page
        assert 'role="alert"' in page
    else:
        assert "须于2026年1月31日前公布" in page


@pytest.mark.django_db
def test_the_reminder_goes_away_once_the_report_is_published(client, office):
    client.force_login(office["admin"])
    data = _consistent(form_of(start(client, 2025)).data)
    data["action"] = "publish"
    client.post("/workspace/oversight/annual/2025/", data)
    with mock.patch.object(timezone, "now", return_value=at(datetime.date(2026, 2, 5))):
        page = text(client.get("/workspace/oversight/"))
    assert "2025年政府信息公开工作年度报告" not in page
