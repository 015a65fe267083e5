"""The content elements (公开内容（要素）) of catalog entries: the syntax of the
text, the import and export with the catalogue spreadsheet, the admin and the
demo catalog."""

import csv
import io

import pytest

from catalog import demo
from catalog.catalog_io import CatalogImportError, export_catalog, import_catalog
from catalog.element_models import ContentElement
from catalog.elements import (
    ElementSpec,
    ElementSyntaxError,
    format_elements,
    parse_elements,
)
from catalog.models import CatalogEntry
from tests.factories import CatalogEntryFactory, UserFactory

pytestmark = pytest.mark.django_db

GUIDE = [
    "事项名称",
    "设定依据",
    "申请条件",
    "申请材料",
    "办理流程",
    "收费标准",
    "办理时限",
    "咨询投诉电话",
]


def elements_of(entry):
    return [
        (e.name, e.required, e.hint) for e in ContentElement.objects.filter(entry=entry)
    ]


# --- The syntax ----------------------------------------------------------------


def test_the_text_of_a_standard_catalogue_is_a_list_of_required_elements():
    assert parse_elements("项目名称、建设单位；批准文号\n批准日期") == [
        ElementSpec("项目名称"),
        ElementSpec("建设单位"),
        ElementSpec("批准文号"),
        ElementSpec("批准日期"),
    ]


def test_brackets_give_hints_and_mark_optional_elements():
    assert parse_elements(
        "办理流程（受理、审查、决定）、总投资（可选：万元）、联系方式（选填）、"
        "“三公”经费预算*"
    ) == [
        ElementSpec("办理流程", True, "受理、审查、决定"),
        ElementSpec("总投资", False, "万元"),
        ElementSpec("联系方式", False, ""),
        ElementSpec("“三公”经费预算", True, ""),
    ]


@pytest.mark.parametrize(
    "elements",
    [
        [ElementSpec("事项名称"), ElementSpec("办理流程", True, "受理、审查")],
        [ElementSpec("总投资", False, "万元"), ElementSpec("联系方式", False)],
        [],
    ],
)
def test_the_written_text_reads_back_into_the_same_elements(elements):
    assert parse_elements(format_elements(elements)) == elements


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("办理流程（受理、审查", "括号不成对"),
        ("申请条件、申请条件", "要素“申请条件”重复"),
        ("这" * 61, "超过60个字"),
    ],
)
def test_text_that_is_not_a_list_of_elements_is_refused(text, message):
    with pytest.raises(ElementSyntaxError) as caught:
        parse_elements(text)
    assert message in str(caught.value)


# --- Import and export -----------------------------------------------------------


def export_rows():
    return list(csv.reader(io.StringIO(export_catalog("csv").decode("utf-8-sig"))))


def test_the_demo_catalog_carries_its_elements():
    demo.seed_catalog()
    guide = CatalogEntry.objects.get(level2="办事指南")
    tender = CatalogEntry.objects.get(level1="招标投标信息")

    assert [name for name, _required, _hint in elements_of(guide)] == GUIDE
    assert ("收费标准", True, "不收费的写明不收费") in elements_of(guide)
    assert [name for name, _r, _h in elements_of(tender)][:3] == [
        "招标条件",
        "项目概况",
        "投标人资格要求",
    ]
    assert ("中标候选人及其排序", False, "中标候选人公示时填写") in elements_of(tender)
    assert all(
        ContentElement.objects.filter(entry=e).exists()
        for e in CatalogEntry.objects.all()
    )


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_elements_survive_a_round_trip_through_the_spreadsheet(fmt):
    demo.seed_catalog()
    texts = dict(CatalogEntry.objects.values_list("pk", "content"))
    before = {pk: elements_of(pk) for pk in texts}
    data = export_catalog(fmt)
    CatalogEntry.objects.all().delete()

    import_catalog(data, fmt)

    assert sorted(CatalogEntry.objects.values_list("content", flat=True)) == sorted(
        texts.values()
    )
    after = sorted(elements_of(entry) for entry in CatalogEntry.objects.all())
    assert after == sorted(before.values())
    assert export_catalog(fmt) == data or fmt == "xlsx"


def test_an_import_changes_the_elements_of_an_entry_in_place():
    demo.seed_catalog()
    guide = CatalogEntry.objects.get(level2="办事指南")
    kept = ContentElement.objects.get(entry=guide, name="办理时限").pk
    rows = export_rows()
    target = next(r for r in rows if r[3] == "办事指南")
    target[4] = "办理时限（法定期限和承诺期限）、网上办理入口（可选）"
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)

    import_catalog(buffer.getvalue().encode("utf-8-sig"), "csv")

    assert elements_of(guide) == [
        ("办理时限", True, "法定期限和承诺期限"),
        ("网上办理入口", False, ""),
    ]
    assert ContentElement.objects.get(entry=guide, name="办理时限").pk == kept


def test_an_import_with_a_malformed_element_list_names_the_cell_and_writes_nothing():
    demo.seed_catalog()
    before = list(ContentElement.objects.values_list("entry", "name"))
    rows = export_rows()
    target = next(r for r in rows if r[3] == "办事指南")
    target[4] = "办理流程（受理、审查"
    row_number = rows.index(target) + 1
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)

    with pytest.raises(CatalogImportError) as caught:
        import_catalog(buffer.getvalue().encode("utf-8-sig"), "csv")

    assert [str(e) for e in caught.value.errors] == [
        f"第{row_number}行“公开内容（要素）”：括号不成对。"
    ]
    assert list(ContentElement.objects.values_list("entry", "name")) == before


# --- Pages -----------------------------------------------------------------------------


def test_the_entry_page_lists_the_elements(client):
    entry = CatalogEntryFactory(content="事项名称、总投资（可选：万元）")

    page = client.get(entry.get_absolute_url()).content.decode()

    assert '<li><span lang="zh-Hans">事项名称</span></li>' in page
    assert (
        '<span lang="zh-Hans">总投资</span><span class="muted">（可选）</span>'
        '<span class="muted">：<span lang="zh-Hans">万元</span></span>'
    ) in page


def test_the_admin_refuses_a_malformed_list_and_reads_a_good_one(client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    entry = CatalogEntryFactory(content="事项名称")
    url = f"/admin/catalog/catalogentry/{entry.pk}/change/"
    page = client.get(url).content.decode()
    data = {
        "area": entry.area_id,
        "order": 1,
        "level1": entry.level1,
        "level2": entry.level2,
        "is_active": "on",
        "content": "申请条件、申请条件",
        "basis": "",
        "time_limit_kind": "working_days",
        "counted_from": "formed",
        "time_limit_days": 20,
        "period": "",
        "time_limit_text": "",
        "responsible_department": entry.responsible_department_id,
        "audience": "public",
        "mode": "proactive",
        "level": "",
        "elements-TOTAL_FORMS": 1,
        "elements-INITIAL_FORMS": 1,
        "elements-MIN_NUM_FORMS": 0,
        "elements-MAX_NUM_FORMS": 1000,
    }
    assert "公开要素（由“公开内容（要素）”生成）" in page

    refused = client.post(url, data)

    assert "要素“申请条件”重复。" in refused.content.decode()
    assert elements_of(entry) == [("事项名称", True, "")]

    data["content"] = "申请条件、办理时限（可选）"
    assert client.post(url, data).status_code == 302
    assert elements_of(entry) == [("申请条件", True, ""), ("办理时限", False, "")]
