"""The item editor's choices and warnings (issue 15): publishers as a tree,
the publisher's own catalog entries first, warnings for another
department's entry and for a title the publisher already used; what tells
two items of the same title apart in the review queue."""

import re

from catalog.models import Department
from disclosure import workflow
from disclosure.department_tree import kin_ids, tree_choices
from tests import factories
from tests.disclosure.workspace import test_views as views
from tests.disclosure.workspace.test_views import form_data, messages_of, page, url
from tests.english_scan import without_tags

world = views.world
_media = views._media


def _options(html: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    return [
        re.sub(r"<[^>]+>", "", option).strip("\n")
        for option in re.findall(r"<option[^>]*>(.*?)</option>", select.group(1))
    ]


def test_offices_come_under_their_bureau(client, world):
    # An office created before its bureau's sibling, with a lower order.
    office = factories.DepartmentFactory(
        code="nyj-office", name="区农业农村局办公室", parent=world["dept"], order=0
    )
    office.kind = Department.Kind.OFFICE
    office.save()
    world["dept"].order = 5
    world["dept"].save()
    factories.clerk_of(office, world["clerk"].username)
    choices = tree_choices(
        Department.objects.filter(pk__in=[office.pk, world["dept"].pk])
    )
    assert [label for _pk, label in choices] == [
        "区农业农村局",
        "\u3000区农业农村局办公室",
    ]
    client.force_login(world["clerk"])
    options = _options(page(client.get(url("item-create"))), "department")
    assert options == ["请选择发布机构", "区农业农村局", "\u3000区农业农村局办公室"]
    # The public filter too.
    public = _options(client.get("/items/").content.decode(), "department")
    assert public.index("\u3000区农业农村局办公室") == public.index("区农业农村局") + 1


def test_an_office_files_under_its_bureaus_entries_not_under_a_sibling(world):
    office = factories.DepartmentFactory(code="o1", name="办公室", parent=world["dept"])
    office.kind = Department.Kind.OFFICE
    office.save()
    everyone = Department.objects.all()
    assert kin_ids([office.pk], everyone) == {office.pk, world["dept"].pk}
    assert kin_ids([world["dept"].pk], everyone) == {office.pk, world["dept"].pk}
    assert world["other"].pk not in kin_ids([office.pk], everyone)


def test_the_publishers_own_entries_come_first_and_another_is_named(client, world):
    foreign = factories.CatalogEntryFactory(
        area=factories.CatalogAreaFactory(name="重点项目"),
        responsible_department=world["other"],
        level1="招标公告",
        level2="",
    )
    client.force_login(world["clerk"])
    text = page(client.get(url("item-create")))
    groups = re.findall(
        r'<optgroup label="([^"]+)"', text.split('name="catalog_entry"')[1]
    )
    own_group = world["entry"].area.name
    assert groups.index(own_group) < groups.index("其他机构的事项：重点项目")
    assert "招标公告（区住房和城乡建设局）" in text

    # Filing under another department's entry is allowed, with a warning.
    response = client.post(
        url("item-create"),
        form_data(world, catalog_entry=foreign.pk, title="区农业农村局招标公告"),
        follow=True,
    )
    warning = (
        "所选公开事项“招标公告”的公开主体是区住房和城乡建设局，不是区农业农村局；"
        "应公开日期按该事项的时限计算。请确认没有选错。"
    )
    assert any(warning in without_tags(message) for message in messages_of(response))
    assert warning in without_tags(page(client.get(response.redirect_chain[-1][0])))


def test_the_clerk_is_warned_of_a_title_the_publisher_already_used(client, world):
    client.force_login(world["clerk"])
    first = client.post(
        url("item-create"), form_data(world, title="政务公开自查报告"), follow=True
    )
    assert not [m for m in messages_of(first) if "标题相同" in m]
    # Another department's same title is no concern.
    factories.draft_item(world["clerk2"], world["other"], title="区住建局自查")
    response = client.post(
        url("item-create"),
        form_data(world, title="政务公开自查报告", doc_number="示农发〔2026〕9号"),
        follow=True,
    )
    (warning,) = [m for m in messages_of(response) if "标题相同" in m]
    assert without_tags(warning).startswith(
        "区农业农村局已有标题相同的信息（示农发〔2026〕3号、成文日期 2026-03-02、草稿）"
    )
    assert "请在标题中写明区别" in page(response)


def test_the_review_queue_tells_items_of_the_same_title_apart(client, world):
    for number in ("示农发〔2026〕3号", "示农发〔2026〕9号"):
        item = factories.draft_item(
            world["clerk"], world["dept"], title="政务公开自查报告", doc_number=number
        )
        workflow.submit(item=item, by=world["clerk"])
    client.force_login(world["reviewer"])
    text = page(client.get(url("review-queue")))
    assert text.count(">政务公开自查报告</a>") == 2
    assert "示农发〔2026〕3号 · 成文日期" in without_tags(text)
    assert "示农发〔2026〕9号 · 成文日期" in without_tags(text)
    assert text.count(">区农业农村局</td>") == 2
