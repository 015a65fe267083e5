"""Table 二 第（一）项 counted from the register of 行政规范性文件 and 规章
(the clerk's mark, never the 体裁 or the 发文字号), per organ; 规章 only
for an organ with rule-making power (立法法 Art. 93); the register page with
its validity, CSV and XLSX; the hook through which the register of requests
will fill tables 三, 四 and the fees, with the office's overrides explained."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from catalog.models import Department, DocumentType
from disclosure import workflow
from disclosure.oversight.annual import sources
from disclosure.oversight.annual.measurement import portal_figures
from disclosure.oversight.models import AnnualReport, AnnualReportAuditEntry
from tests import factories
from tests.disclosure.oversight.annual_helpers import (
    consistent,
    form_of,
    start,
    text,
    url,
)

D = datetime.date
_numbers = iter(range(1, 1000))


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def organs(db):
    bureau = factories.DepartmentFactory(code="nyj", name="区农业农村局")
    other = factories.DepartmentFactory(code="czj", name="区财政局")
    clerk = factories.clerk_of(bureau, username="clerk")
    factories.clerk_of(other, username="clerk")
    return {
        "bureau": bureau,
        "office": factories.DepartmentFactory(
            code="nyj-bt",
            name="计划财务科",
            parent=bureau,
            kind=Department.Kind.OFFICE,
            publisher_code="",
        ),
        "other": other,
        "clerk": clerk,
        "reviewer": factories.reviewer("reviewer"),
        "admin": factories.office_admin("admin"),
    }


def _document(organs, department="bureau", *, publish=True, **fields):
    department = organs[department]
    clerk = organs["clerk"]
    fields.setdefault("doc_number", "")
    if fields.get("document_class") == "normative":
        fields.setdefault("registration_number", f"SLQD01-TEST-{next(_numbers):04d}")
        fields.setdefault("effective_on", fields["formed_on"])
    item = factories.draft_item(clerk, department, **fields)
    if publish:
        workflow.submit(item=item, by=clerk)
        workflow.approve(item=item, by=organs["reviewer"], confidentiality_checked=True)
        workflow.publish(item=item, by=organs["reviewer"])
    return item


def normative(organs, title, formed_on, department="bureau", **fields):
    return _document(
        organs,
        department,
        title=title,
        formed_on=formed_on,
        document_class="normative",
        **fields,
    )


@pytest.mark.django_db
def test_table2_counts_the_register_not_the_document_type(organs):
    Y = timezone.localdate().year - 1  # the year reported on, complete
    decision = DocumentType.objects.get(code="decision")
    normative(organs, "本年制发、已施行", D(Y, 3, 1))
    normative(organs, "科室制发（计入本局）", D(Y, 5, 1), department="office")
    normative(  # issued, in force from next year: issued and 现行有效 (not ended)
        organs, "年末制发、次年施行", D(Y, 12, 20), effective_on=D(Y + 1, 2, 1)
    )
    normative(  # 有效期至 30 June of Y: ended in Y
        organs, "有效期届满", D(Y - 2, 7, 1), expires_on=D(Y, 6, 30)
    )
    normative(  # 有效期至 31 December: in force at the year end, ends in Y + 1
        organs, "年末到期", D(Y - 1, 1, 1), expires_on=D(Y, 12, 31)
    )
    normative(
        organs,
        "本年废止",
        D(Y - 3, 1, 1),
        validity="repealed",
        validity_changed_on=D(Y, 3, 1),
    )
    normative(organs, "往年制发仍有效", D(Y - 4, 1, 1))
    withdrawn = normative(organs, "已撤销", D(Y - 1, 1, 1))
    workflow.withdraw(item=withdrawn, by=organs["admin"], reason="停止执行。")
    removed = normative(organs, "错发", D(Y, 2, 1))
    workflow.remove(item=removed, by=organs["admin"], reason="错发。")
    normative(organs, "其他机关的", D(Y, 4, 1), department="other")
    normative(organs, "未发布的草稿", D(Y, 4, 1), publish=False)
    # the old heuristic counted these (决定/意见/通知 with a number, keywords)
    _document(
        organs,
        title="办事指南",
        formed_on=D(Y, 4, 2),
        document_type=decision,
        doc_number=f"示农〔{Y}〕8号",
        keywords="规范性文件",
    )

    figures = portal_figures(organs["bureau"], Y, now=timezone.now())
    assert figures == {
        "rules.issued": 0,
        "rules.repealed": 0,
        "rules.in_force": 0,
        "normative.issued": 3,
        "normative.repealed": 2,
        "normative.in_force": 6,
    }
    # last year's in force + this year's issued − this year's ended
    last_year = portal_figures(organs["bureau"], Y - 1, now=timezone.now())
    assert last_year["normative.in_force"] == 5  # withdrawn only after Y
    assert 5 + figures["normative.issued"] - figures["normative.repealed"] == 6
    assert (
        portal_figures(organs["other"], Y, now=timezone.now())["normative.issued"] == 1
    )


@pytest.mark.django_db
def test_rules_count_only_for_an_organ_with_rule_making_power(organs):
    order = DocumentType.objects.get(code="order")
    # a 命令（令） is not a rule unless marked
    _document(
        organs, title="示例区人民政府令", formed_on=D(2025, 4, 1), document_type=order
    )
    organs["bureau"].may_make_rules = True
    organs["bureau"].save()
    _document(
        organs,
        title="示例市农村集体资产管理办法",
        formed_on=D(2025, 4, 1),
        document_type=order,
        document_class="rules",
    )
    now = timezone.now()
    assert portal_figures(organs["bureau"], 2025, now=now)["rules.issued"] == 1
    assert portal_figures(organs["bureau"], 2025, now=now)["rules.in_force"] == 1
    # the power withdrawn later: the organ counts none
    organs["bureau"].may_make_rules = False
    organs["bureau"].save()
    assert portal_figures(organs["bureau"], 2025, now=now)["rules.issued"] == 0


@pytest.mark.django_db
def test_a_new_report_starts_with_the_registers_figures(client, organs):
    normative(organs, "2025年制发", D(2025, 3, 1))
    client.force_login(organs["reviewer"])
    data = form_of(start(client, "nyj")).data
    assert data["t2__normative__issued"] == "1"
    assert data["t2__normative__in_force"] == "1"
    assert data["t2__rules__issued"] == "0"


# --- the register page ------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_register_lists_documents_with_their_validity_and_exports(
    client, organs, django_assert_max_num_queries
):
    today = timezone.localdate()
    normative(organs, "现行有效的办法", today - datetime.timedelta(days=40))
    normative(
        organs,
        "已过有效期的办法",
        today - datetime.timedelta(days=800),
        expires_on=today - datetime.timedelta(days=1),
    )
    for number in range(30):
        normative(organs, f"批量文件{number}", D(2024, 1, 1), department="other")
    client.force_login(organs["reviewer"])
    # warm what every page reads once per process (session, site settings)
    client.get("/workspace/oversight/register/")
    with django_assert_max_num_queries(12):
        page = text(client.get("/workspace/oversight/register/"))
    assert "共 32 件" in page
    assert page.count('data-standing="valid"') == 31
    assert page.count('data-standing="expired"') == 1
    only_bureau = text(
        client.get("/workspace/oversight/register/?organ=nyj&standing=valid")
    )
    assert "现行有效的办法" in only_bureau and "已过有效期的办法" not in only_bureau
    # as of a past day, before the expiry
    earlier = (today - datetime.timedelta(days=5)).isoformat()
    past = text(client.get(f"/workspace/oversight/register/?organ=nyj&as_of={earlier}"))
    assert past.count('data-standing="valid"') == 2

    response = client.get("/workspace/oversight/register/?organ=nyj&download=csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["登记编号", "文件类别", "标题"]
    by_title = {row[2]: row for row in rows[1:]}
    assert by_title["已过有效期的办法"][8] == "失效"
    assert by_title["现行有效的办法"][8] == "有效"
    response = client.get("/workspace/oversight/register/?download=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == 33
    client.force_login(organs["clerk"])
    assert client.get("/workspace/oversight/register/").status_code == 403


# --- the register of requests feeds tables 三, 四 and the fees ---------------------------------


@pytest.fixture
def request_register():
    def provider(organ, year):
        table3 = {"new": [2, 0, 0, 0, 0, 0, 2], "granted": [2, 0, 0, 0, 0, 0, 2]}
        table3["total"] = [2, 0, 0, 0, 0, 0, 2]
        return sources.RequestFigures(table3=table3, fees_charged=Decimal("200"))

    sources.register(provider)
    yield provider
    sources.unregister(provider)


@pytest.mark.django_db
def test_figures_from_the_request_register_and_the_offices_reasoned_override(
    client, organs, request_register
):
    client.force_login(organs["reviewer"])
    data = form_of(start(client, "nyj")).data
    assert data["t3__new__natural"] == "2"
    assert data["fees_charged"] == "200.00"
    report = AnnualReport.objects.get()
    assert report.register_figures["fees_charged"] == "200"
    # the office enters other figures: refused without a reason
    data = consistent(data)
    data["override_reason"] = ""
    data["action"] = "save"
    response = client.post(url(2025, "nyj"), data)
    assert response.status_code == 200
    page = text(response)
    assert "以下数字与申请登记的统计不同，请写明原因：" in page
    assert "表三“一、本年新收申请数量”自然人" in page and "信息处理费" in page
    assert AnnualReport.objects.get().fees_charged == Decimal("200")
    # with the reason: saved, and the reason is in the audit trail
    data = form_of(client.get(url(2025, "nyj"))).data
    data = consistent(data)
    data.update(action="save", override_reason="登记上线前收到的5件纸质申请补录。")
    assert client.post(url(2025, "nyj"), data).status_code == 302
    report = AnnualReport.objects.get()
    assert report.fees_charged == Decimal("300")
    assert report.override_reason == "登记上线前收到的5件纸质申请补录。"
    entry = AnnualReportAuditEntry.objects.filter(action="edit").last()
    assert "登记上线前收到的5件纸质申请补录。" in entry.comment


@pytest.mark.django_db
def test_tables_three_and_four_come_from_the_register_of_requests(client, organs):
    """With no stand-in provider, the report takes the organ's own register:
    a request received in 2025 and still open is 一 本年新收 and 四 结转下年度;
    another organ's request is not counted."""
    from disclosure.models import InformationRequest
    from disclosure.workflow import requests as steps
    from tests.disclosure.requests.helpers import applicant_data

    for organ in (organs["bureau"], organs["other"]):
        request, _code = steps.submit_online(data=applicant_data(organ))
        steps.confirm_receipt(request=request, by=organs["reviewer"])
    InformationRequest.objects.update(received_on=D(2025, 6, 2))
    client.force_login(organs["reviewer"])
    data = form_of(start(client, "nyj")).data
    assert data["t3__new__natural"] == "1"
    assert data["t3__new__total"] == "1"
    assert data["t3__carried_out__natural"] == "1"
    assert data["t3__granted__natural"] == "0"
    report = AnnualReport.objects.get()
    assert report.register_figures["table3"]["new"] == [1, 0, 0, 0, 0, 0, 1]
