"""Completeness of items against their entries' required content elements
(disclosure/oversight/completeness.py): the page's figures recomputed from
the records with plain loops, and the drill-down to the items."""

import datetime

import pytest
from django.utils import timezone

from catalog.element_models import ContentElement
from disclosure import elements, workflow
from disclosure.models import ElementAnswer, Item, PublicRecord
from disclosure.uploads import check_upload
from tests import factories
from tests.disclosure.oversight.test_timeliness import publish_on, table_rows

pytestmark = pytest.mark.django_db

URL = "/workspace/oversight/completeness/?period=year&year=2025"
BODY = "<h2>申请条件</h2><p>……</p><h2>办理流程</h2><p>……</p>"


def answer(item, clerk, **answers):
    """Mark answers as the editor does (resolved against body and files)."""
    resolved, problems = elements.resolve(
        {name: elements.Answer(*value) for name, value in answers.items()},
        body=item.body,
        attachments=list(item.attachments.all()),
    )
    assert not problems
    elements.save_answers(item, resolved, by=clerk)


@pytest.fixture
def world():
    agri = factories.DepartmentFactory(code="nyj", name="区农业农村局", order=1)
    build = factories.DepartmentFactory(code="zjj", name="区住建局", order=2)
    guide = factories.CatalogEntryFactory(
        responsible_department=agri,
        level1="办事指南",
        content="申请条件、办理流程、收费标准、网上入口（可选）",
    )
    tender = factories.CatalogEntryFactory(
        responsible_department=build,
        level1="招标公告",
        content="招标条件、项目概况",
    )
    plain = factories.CatalogEntryFactory(responsible_department=build, content="")
    reviewer = factories.reviewer()
    clerks = {agri: factories.clerk_of(agri), build: factories.clerk_of(build)}
    day = datetime.date(2025, 4, 1)

    def item(department, entry, title, **answers):
        clerk = clerks[department]
        draft = factories.draft_item(
            clerk,
            department,
            catalog_entry=entry,
            title=title,
            body=BODY,
            formed_on=day - datetime.timedelta(days=10),
        )
        answer(draft, clerk, **answers)
        return publish_on(draft, clerk, reviewer, day)

    full = item(
        agri,
        guide,
        "齐全的办事指南",
        申请条件=("section", "申请条件"),
        办理流程=("section", "办理流程"),
        收费标准=("not_applicable", "不收费"),
    )
    partial = item(
        agri,
        guide,
        "缺收费标准的办事指南",
        申请条件=("section", "申请条件"),
        办理流程=("section", "办理流程"),
        网上入口=("not_applicable", "无"),
    )
    nothing = item(build, tender, "没有标注的招标公告")
    tender_full = item(
        build,
        tender,
        "齐全的招标公告",
        招标条件=("section", "申请条件"),
        项目概况=("not_applicable", "见招标文件"),
    )
    out_of_scope = item(build, plain, "没有要素的事项")
    removed = item(build, tender, "错发的招标公告")
    workflow.remove(item=removed, by=factories.office_admin(), reason="错发")
    return {
        "reviewer": reviewer,
        "full": full,
        "partial": partial,
        "nothing": nothing,
        "tender_full": tender_full,
        "out_of_scope": out_of_scope,
        "agri": agri,
        "build": build,
        "guide": guide,
        "tender": tender,
    }


def expected(start, end):
    """(in scope, complete) per department and per entry: plain loops over
    the records."""
    by_department, by_entry = {}, {}
    for item in Item.objects.order_by("pk"):
        record = PublicRecord.objects.filter(item=item).first()
        if record is None or record.status == PublicRecord.Status.REMOVED:
            continue
        day = timezone.localtime(item.first_published_at).date()
        if not start <= day <= end or item.catalog_entry_id is None:
            continue
        required = [
            e.name
            for e in ContentElement.objects.filter(entry=item.catalog_entry_id)
            if e.required
        ]
        if not required:
            continue
        answered = set()
        for a in ElementAnswer.objects.filter(item=item):
            if a.kind != "attachment" or a.attachment.in_draft:
                answered.add(a.element_name)
        complete = all(name in answered for name in required)
        for table, key in (
            (by_department, item.department.name),
            (by_entry, str(item.catalog_entry)),
        ):
            scope, done = table.get(key, (0, 0))
            table[key] = (scope + 1, done + complete)
    return by_department, by_entry


def rate(done, scope):
    return f"{100 * done / scope:.1f}%"


def test_the_page_shows_completeness_per_department_and_entry(client, world):
    client.force_login(world["reviewer"])

    response = client.get(URL)

    assert response.status_code == 200
    rows = {row["cells"][0]: row for row in table_rows(response)}
    by_department, by_entry = expected(
        datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)
    )
    assert by_department == {"区农业农村局": (2, 1), "区住建局": (2, 1)}
    for key, (scope, done) in {**by_department, **by_entry}.items():
        assert rows[key]["cells"][1:] == [
            str(scope),
            str(done),
            str(scope - done),
            rate(done, scope),
        ], key
    assert rows["合计"]["cells"][1:] == ["4", "2", "2", "50.0%"]
    assert "没有要素的事项" not in response.content.decode()


def test_the_figures_drill_down_to_the_items_with_what_they_miss(client, world):
    client.force_login(world["reviewer"])
    rows = {row["cells"][0]: row for row in table_rows(client.get(URL))}
    incomplete_link = rows["区农业农村局"]["links"][2]

    page = client.get(incomplete_link).content.decode()

    assert "缺少必备公开要素的信息" in page
    assert "缺收费标准的办事指南" in page
    assert "齐全的办事指南" not in page
    assert "<td>收费标准</td>" in page
    entry_rows = {row["cells"][0]: row for row in table_rows(client.get(URL))}
    complete_page = client.get(entry_rows[str(world["tender"])]["links"][1])
    listed = complete_page.content.decode()
    assert "齐全的招标公告" in listed and "没有标注的招标公告" not in listed
    scope_page = client.get(rows["合计"]["links"][0]).content.decode()
    for title in ("齐全的办事指南", "缺收费标准的办事指南", "没有标注的招标公告"):
        assert title in scope_page
    assert "错发的招标公告" not in scope_page


def test_an_attachment_removed_from_the_working_copy_no_longer_answers(
    client, world, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    item = Item.objects.get(pk=world["partial"].pk)
    clerk = factories.clerk_of(world["agri"])
    upload = factories.pdf_upload("收费标准.pdf")
    attachment = workflow.add_attachment(
        item=item, by=clerk, uploaded=upload, checked=check_upload(upload)
    )
    answer(Item.objects.get(pk=item.pk), clerk, 收费标准=("attachment", "收费标准.pdf"))
    client.force_login(world["reviewer"])
    rows = {row["cells"][0]: row for row in table_rows(client.get(URL))}
    assert rows["区农业农村局"]["cells"][2] == "2"

    workflow.remove_attachment(attachment=attachment, by=clerk)

    rows = {row["cells"][0]: row for row in table_rows(client.get(URL))}
    assert rows["区农业农村局"]["cells"][2] == "1"


def test_only_the_office_sees_the_page(client, world):
    client.force_login(factories.clerk_of(world["agri"]))
    assert client.get(URL).status_code == 403


def test_the_page_reads_a_fixed_number_of_queries(
    client, world, django_assert_max_num_queries
):
    client.force_login(world["reviewer"])
    client.get(URL)
    with django_assert_max_num_queries(20):
        client.get(URL)


def test_the_demo_items_answer_their_elements_and_some_miss_one(client):
    from tests.disclosure.oversight.test_timeliness import seed_demo

    seed_demo()
    year = timezone.localdate().year - 1
    client.force_login(factories.reviewer())

    response = client.get(f"/workspace/oversight/completeness/?period=year&year={year}")

    total = {row["cells"][0]: row for row in table_rows(response)}["合计"]["cells"]
    scope, complete, incomplete = (int(cell) for cell in total[1:4])
    assert scope > 20
    assert 0 < incomplete < complete
    by_department, _by_entry = expected(
        datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    )
    assert sum(s for s, _d in by_department.values()) == scope
    assert sum(d for _s, d in by_department.values()) == complete
