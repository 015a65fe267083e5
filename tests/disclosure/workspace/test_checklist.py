"""The checklist of content elements in the editor, the warning on submit and
what the reviewer sees (disclosure/elements.py, workspace/checklist.py)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from disclosure import elements, workflow
from disclosure.models import AuditEntry, ElementAnswer, Item
from tests import factories
from tests.disclosure.workspace.test_views import edit_data, url
from tests.english_scan import without_tags

pytestmark = pytest.mark.django_db

BODY = (
    "<h2>一、事项名称</h2><p>耕地地力保护补贴申领。</p>"
    "<h3>二、申请条件</h3><p>拥有承包耕地的农户。</p>"
    "<p><strong>三、办理流程</strong></p><p>村级申报，乡镇审核。</p>"
    "<p><strong>不是</strong>标题的段落。</p>"
)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def setup(db):
    dept = factories.DepartmentFactory(code="nyj", name="区农业农村局")
    entry = factories.CatalogEntryFactory(
        responsible_department=dept,
        level1="批准服务信息",
        level2="办事指南",
        content="事项名称、申请条件（可以写在附件里）、办理流程、收费标准、网上办理入口（可选）",
    )
    clerk = factories.clerk_of(dept, "clerk1")
    item = factories.draft_item(clerk, dept, catalog_entry=entry, body=BODY)
    return {"dept": dept, "entry": entry, "clerk": clerk, "item": item}


def checklist_data(item, answers, **overrides):
    """The editor's POST with ``answers``: [(kind, where)] in element order."""
    data = edit_data(Item.objects.get(pk=item.pk), **overrides)
    for index, (kind, where) in enumerate(answers):
        data[f"element-{index}-kind"] = kind
        data[f"element-{index}-where"] = where
    return data


def page(response) -> str:
    return response.content.decode()


def test_the_sections_of_a_body_are_its_headings_and_bold_paragraphs():
    assert elements.body_sections(BODY) == [
        "一、事项名称",
        "二、申请条件",
        "三、办理流程",
    ]


def test_the_editor_shows_the_entrys_elements_beside_the_body(client, setup):
    client.force_login(setup["clerk"])

    html = page(client.get(url("item-edit", setup["item"].pk)))

    assert "公开要素清单" in html
    assert 'class="body-section with-checklist"' in html
    for name in ("事项名称", "申请条件", "办理流程", "收费标准", "网上办理入口"):
        assert f'<p class="element-name"><span lang="zh-Hans">{name}</span>' in html
    assert "可以写在附件里" in html
    # The body's headings are offered as places.
    assert '<option value="二、申请条件"></option>' in html


def test_answers_are_stored_with_the_edit_and_refused_when_they_do_not_hold(
    client, setup
):
    item, clerk = setup["item"], setup["clerk"]
    client.force_login(clerk)
    version = Item.objects.get(pk=item.pk).version

    refused = client.post(
        url("item-edit", item.pk),
        checklist_data(
            item,
            [
                ("section", "事项名称"),
                ("section", "受理条件"),
                ("attachment", "流程图.pdf"),
                ("not_applicable", ""),
            ],
        ),
    )

    html = page(refused)
    assert refused.status_code == 200
    assert "正文中没有标题“受理条件”。" in html
    assert "没有名为“流程图.pdf”的附件。" in html
    assert "请说明不适用的理由。" in html
    assert not ElementAnswer.objects.exists()
    assert Item.objects.get(pk=item.pk).version == version

    saved = client.post(
        url("item-edit", item.pk),
        checklist_data(
            item,
            [
                ("section", "事项名称"),
                ("section", "申请条件"),
                ("section", "三、办理流程"),
                ("not_applicable", "本事项不收费"),
            ],
            title="耕地地力保护补贴申领办事指南",
        ),
    )

    assert saved.status_code == 302
    answers = {
        a.element_name: (a.kind, a.section, a.reason)
        for a in ElementAnswer.objects.filter(item=item)
    }
    assert answers == {
        "事项名称": ("section", "一、事项名称", ""),
        "申请条件": ("section", "二、申请条件", ""),
        "办理流程": ("section", "三、办理流程", ""),
        "收费标准": ("not_applicable", "", "本事项不收费"),
    }
    edit = AuditEntry.objects.filter(item=item, action=AuditEntry.Action.EDIT).last()
    assert edit.comment == "修改了：标题、公开要素标注"
    html = page(client.get(url("item-edit", item.pk)))
    assert 'value="二、申请条件"' in html


def test_an_attachment_answers_an_element_while_it_is_in_the_working_copy(
    client, setup
):
    item, clerk = setup["item"], setup["clerk"]
    client.force_login(clerk)
    client.post(
        url("upload", item.pk),
        {
            "files": SimpleUploadedFile(
                "申请条件.pdf", factories.minimal_pdf("x"), "application/pdf"
            )
        },
    )

    client.post(
        url("item-edit", item.pk),
        checklist_data(
            item,
            [
                ("section", "事项名称"),
                ("attachment", "申请条件.pdf"),
                ("section", "办理流程"),
                ("not_applicable", "不收费"),
            ],
        ),
    )

    html = page(client.get(url("item", item.pk)))
    assert "附件：申请条件.pdf" in without_tags(html)
    assert "missing-elements" not in html
    attachment = item.attachments.get()
    workflow.remove_attachment(attachment=attachment, by=clerk)
    html = page(client.get(url("item", item.pk)))
    assert "附件：申请条件.pdf（已从工作稿中移除）" in without_tags(html)
    assert "必备的公开要素“申请条件”尚未标注体现位置" in without_tags(html)


def test_submit_warns_about_missing_required_elements_but_goes_ahead(client, setup):
    item, clerk = setup["item"], setup["clerk"]
    client.force_login(clerk)
    client.post(
        url("item-edit", item.pk),
        checklist_data(item, [("section", "事项名称"), ("", ""), ("", ""), ("", "")]),
    )
    detail = page(client.get(url("item", item.pk)))
    assert (
        "必备的公开要素“申请条件、办理流程、收费标准”尚未标注体现位置"
        in without_tags(detail)
    )

    response = client.post(url("submit", item.pk), follow=True)

    shown = [str(m) for m in response.context["messages"]]
    assert shown[0].startswith("已提交审核")
    assert shown[1] == (
        "以下必备的公开要素尚未标注体现位置：申请条件、办理流程、收费标准。"
        "请确认正文或附件已包含这些内容，或注明不适用的理由。"
    )
    assert Item.objects.get(pk=item.pk).state == Item.State.SUBMITTED
    submit = AuditEntry.objects.get(item=item, action=AuditEntry.Action.SUBMIT)
    assert submit.comment == "提交时未标注的必备要素：申请条件、办理流程、收费标准"


def test_a_complete_item_is_submitted_without_a_warning(client, setup):
    item, clerk = setup["item"], setup["clerk"]
    client.force_login(clerk)
    client.post(
        url("item-edit", item.pk),
        checklist_data(
            item,
            [
                ("section", "事项名称"),
                ("section", "申请条件"),
                ("section", "办理流程"),
                ("not_applicable", "不收费"),
            ],
        ),
    )

    response = client.post(url("submit", item.pk), follow=True)

    shown = [str(m) for m in response.context["messages"]]
    assert shown[-1].startswith("已提交审核")
    assert not any("尚未标注" in message for message in shown)
    assert "尚未标注" not in page(response)


def test_the_reviewer_sees_the_checklist_with_the_answers(client, setup):
    item, clerk = setup["item"], setup["clerk"]
    client.force_login(clerk)
    client.post(
        url("item-edit", item.pk),
        checklist_data(
            item,
            [
                ("section", "事项名称"),
                ("", ""),
                ("section", "办理流程"),
                ("not_applicable", "本事项不收费"),
            ],
        ),
    )
    workflow.submit(item=Item.objects.get(pk=item.pk), by=clerk)
    client.force_login(factories.reviewer("rev1"))

    html = page(client.get(url("review", item.pk)))

    assert "公开要素清单" in html
    assert "正文：一、事项名称" in without_tags(html)
    assert "正文：三、办理流程" in without_tags(html)
    assert "不适用：本事项不收费" in without_tags(html)
    row = html.split('<tr class="missing">', 1)[1].split("</tr>", 1)[0]
    assert "申请条件" in row and "<strong>未标注</strong>" in row
    optional = html.split("网上办理入口", 1)[1].split("</tr>", 1)[0]
    assert "可选" in optional and "missing" not in optional


def test_an_item_without_elements_shows_no_checklist(client, setup):
    entry = factories.CatalogEntryFactory(responsible_department=setup["dept"])
    item = factories.draft_item(setup["clerk"], setup["dept"], catalog_entry=entry)
    client.force_login(setup["clerk"])

    assert "公开要素清单" not in page(client.get(url("item-edit", item.pk)))
    assert "公开要素清单" not in page(client.get(url("item", item.pk)))
