"""The checklist of content elements in a real browser: a clerk drafts a
办事指南 of the demo catalog, sees which required elements are not marked,
marks them beside the body, submits, and the reviewer sees the checklist with
the answers."""

import re

import pytest
from django.contrib.auth import get_user_model

from catalog import demo
from catalog.models import CatalogEntry
from disclosure.models import ElementAnswer, Item
from tests import factories
from tests.disclosure.test_journey_browser import PASSWORD, Journey

pytestmark = [
    pytest.mark.browser,
    # Serialized: the flush after a live-server test must not recreate the
    # content types under new keys (the next serialized test would fail).
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

BODY = "".join(
    f"<h3>{number}、{name}</h3><p>……</p>"
    for number, name in [
        ("一", "事项名称"),
        ("二", "设定依据"),
        ("三", "申请条件"),
        ("四", "申请材料"),
        ("五", "办理流程"),
        ("六", "办理时限"),
        ("七", "咨询投诉电话"),
    ]
)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_a_clerk_marks_the_elements_and_the_reviewer_sees_them(
    browser_page, live_server
):
    departments = demo.seed_catalog()
    demo.seed_accounts(departments, password=PASSWORD)
    entry = CatalogEntry.objects.get(level2="办事指南")
    clerk2 = get_user_model().objects.get(username="clerk2")
    item = factories.draft_item(
        clerk2,
        entry.responsible_department,
        catalog_entry=entry,
        title="企业投资项目核准办事指南",
        body=BODY,
    )
    page = browser_page
    journey = Journey(page, live_server)

    journey.login("clerk2")
    journey.goto(f"/workspace/items/{item.pk}/")
    journey.see("尚未标注体现位置")
    journey.see("收费标准")

    page.click("a:has-text('修改内容')")
    journey.see("公开要素清单")
    names = [
        "事项名称",
        "设定依据",
        "申请条件",
        "申请材料",
        "办理流程",
        "收费标准",
        "办理时限",
        "咨询投诉电话",
    ]
    for index, name in enumerate(names):
        if name == "收费标准":
            page.select_option(f"#id_element-{index}-kind", "not_applicable")
            page.fill(f"#id_element-{index}-where", "核准事项不收费")
        else:
            page.select_option(f"#id_element-{index}-kind", "section")
            page.fill(f"#id_element-{index}-where", name)
    page.click("button:has-text('保存修改')")
    journey.message("修改已保存")
    assert ElementAnswer.objects.filter(item=item).count() == 8
    assert "尚未标注体现位置" not in page.inner_text("main")

    page.click("button:has-text('提交审核')")
    journey.message("已提交审核")
    assert Item.objects.get(pk=item.pk).state == Item.State.SUBMITTED

    journey.login("reviewer")
    journey.goto(f"/workspace/items/{item.pk}/review/")
    journey.see("公开要素清单")
    journey.see("正文：三、申请条件")
    journey.see("不适用：核准事项不收费")
    page.wait_for_url(re.compile(r"/review/$"))
    assert not journey.problems, journey.problems
