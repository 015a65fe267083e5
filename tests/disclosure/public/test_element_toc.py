"""The table of contents of content elements on a public item page
(disclosure/element_toc.py): off by default; when the office turns it on,
each element the checklist answers with a section of the body links to that
section of the public text."""

import datetime

import pytest
from django.utils import timezone

from disclosure.element_toc import element_toc
from disclosure.elements import section_starts
from disclosure.models import ElementAnswer, SiteSettings
from tests import factories
from tests.disclosure.oversight.test_timeliness import publish_on

pytestmark = pytest.mark.django_db

BODY = (
    "<h2>一、事项名称</h2><p>耕地地力保护补贴申领。</p>\n"
    "<h3>二、申请条件</h3><p>拥有承包耕地的农户。</p>\n"
    "<p><strong>三、办理时限</strong></p><p>受理之日起10个工作日内办结。</p>"
)


@pytest.fixture
def published():
    dept = factories.DepartmentFactory(code="nyj", name="区农业农村局")
    entry = factories.CatalogEntryFactory(
        responsible_department=dept,
        level1="批准服务信息",
        level2="办事指南",
        content="事项名称、申请条件、办理时限、收费标准",
    )
    clerk = factories.clerk_of(dept)
    item = factories.draft_item(clerk, dept, catalog_entry=entry, body=BODY)
    for name, section in (
        ("办理时限", "三、办理时限"),
        ("事项名称", "一、事项名称"),
        ("收费标准", "四、收费标准"),  # not in the public text: left out
    ):
        ElementAnswer.objects.create(
            item=item,
            element_name=name,
            kind="section",
            section=section,
            answered_by=clerk,
        )
    ElementAnswer.objects.create(
        item=item,
        element_name="申请条件",
        kind="not_applicable",
        reason="无",
        answered_by=clerk,
    )
    today = timezone.localdate()
    return publish_on(item, clerk, factories.reviewer(), today - datetime.timedelta(1))


def test_the_office_turns_on_a_table_of_contents_linking_to_the_sections(
    client, published
):
    url = published.public_record.get_absolute_url()
    assert "公开要素目录" not in client.get(url).content.decode()  # off by default

    settings = SiteSettings.load()
    settings.shows_element_toc = True
    settings.save()
    html = client.get(url).content.decode()

    assert "公开要素目录" in html
    assert '<a href="#element-1" lang="zh-Hans">事项名称</a>' in html
    assert '<a href="#element-3" lang="zh-Hans">办理时限</a>' in html
    assert html.index("#element-1") < html.index("#element-3")  # the entry's order
    assert "收费标准</a>" not in html and "申请条件</a>" not in html
    assert '<h2 id="element-1">一、事项名称</h2>' in html
    assert '<p id="element-3"><strong>三、办理时限</strong></p>' in html


def test_anchors_land_on_the_right_tag_across_lines():
    body, entries = element_toc(None, 0, BODY)
    assert (body, entries) == (BODY, [])
    starts = section_starts(BODY)
    for section, offset in starts.items():
        assert BODY[offset] == "<"
        assert section.split("、")[1] in BODY[offset : offset + 40]
