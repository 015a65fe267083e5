"""The office's assessment scheme (disclosure/oversight/schemes.py and its
page): the office sets a year's indicators and weights, manual indicators are
scored with evidence, every change is in the trail (changes after publication
with their reason); a clerk edits nothing and is told why; a department sees
its own sheet and evidence only, never another's, and nothing is public."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.utils import timezone

from catalog.models import Department
from disclosure.models import AppendOnlyError
from disclosure.oversight import schemes
from disclosure.oversight.assessment_models import (
    AssessmentAuditEntry,
    AssessmentScheme,
    ManualScore,
)
from tests import factories
from tests.disclosure.oversight.test_timeliness import publish_on, table_rows

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def assessment_world() -> dict:
    """A bureau with an office, another department, their clerks and head,
    the office's reviewer and administrator, and last year."""
    bureau = factories.DepartmentFactory(code="nyj", name="区农业农村局", order=1)
    office = factories.DepartmentFactory(
        code="nyj-bt",
        name="计划财务科",
        parent=bureau,
        kind=Department.Kind.OFFICE,
        publisher_code="",
    )
    other = factories.DepartmentFactory(code="czj", name="区财政局", order=2)
    return {
        "bureau": bureau,
        "office": office,
        "other": other,
        "clerk": factories.clerk_of(bureau),
        "office_clerk": factories.clerk_of(office),
        "head": factories.head_of(bureau),
        "other_clerk": factories.clerk_of(other),
        "reviewer": factories.reviewer(),
        "admin": factories.office_admin(),
        "year": timezone.localdate().year - 1,
    }


@pytest.fixture
def world():
    return assessment_world()


def scheme_url(year, action=""):
    return f"/workspace/oversight/assessment/scheme/{year}/" + (
        f"{action}/" if action else ""
    )


def weights_post(**weights):
    data = {
        "manual-TOTAL_FORMS": "1",
        "manual-INITIAL_FORMS": "0",
        "manual-MIN_NUM_FORMS": "0",
        "manual-MAX_NUM_FORMS": "1000",
    }
    for order, (key, weight) in enumerate(weights.items(), 1):
        data[f"weight_{key}"] = str(weight)
        data[f"order_{key}"] = str(order)
    return data


def test_the_office_sets_the_years_indicators_and_weights(client, world):
    year = world["year"]
    client.force_login(world["reviewer"])
    page = client.get(scheme_url(year)).content.decode()
    assert "本年度还没有考核方案，考核表按默认权重计分" in page

    client.post(scheme_url(year, "create"))
    data = weights_post(on_time=50, complaints=20, periodic=0)
    data |= {
        "manual-0-name": "政务公开培训",
        "manual-0-weight": "30",
        "manual-0-max_points": "10",
        "manual-0-order": "9",
    }
    response = client.post(scheme_url(year, "save"), data)
    assert response.status_code == 302

    sheet = client.get(f"/workspace/oversight/assessment/?period=year&year={year}")
    header = [cells for cells in (r["cells"] for r in table_rows(sheet)) if cells][0]
    assert header[1:4] == [
        "按时公开率（权重50）",
        "投诉举报查证不属实率（权重20）",
        "政务公开培训（权重30）",
    ]
    quarter = client.get(
        f"/workspace/oversight/assessment/?period=quarter&year={year}&quarter=1"
    ).content.decode()
    assert "政务公开培训（权重30）" not in quarter  # manual: the year only
    trail = list(AssessmentAuditEntry.objects.order_by("pk"))
    assert [e.action for e in trail] == ["create", "edit"]
    assert (
        "修改后：按时公开率（50）；投诉举报查证不属实率（20）；政务公开培训（30，满分10）"
        in trail[1].changes
    )
    assert not trail[1].after_publication


def test_changes_after_publication_need_a_reason_and_are_recorded(client, world):
    year = world["year"]
    scheme = schemes.create_scheme(year=year, by=world["reviewer"])
    schemes.publish_scheme(scheme=scheme, by=world["reviewer"])
    client.force_login(world["reviewer"])

    data = weights_post(on_time=60, completeness=40)
    refused = client.post(scheme_url(year, "save"), data)
    assert refused.status_code == 400
    assert "考核方案已公布，考核表已按其计分；修改指标或权重须说明理由。" in (
        refused.content.decode()
    )
    assert scheme.indicators.get(key="on_time").weight == 40

    data["reason"] = "经考核领导小组研究，提高按时公开的权重。"
    assert client.post(scheme_url(year, "save"), data).status_code == 302
    entry = AssessmentAuditEntry.objects.get(action="edit")
    assert entry.after_publication and entry.reason.startswith("经考核领导小组")
    page = client.get(scheme_url(year)).content.decode()
    assert "修改指标和权重（公布后）" in page
    assert "按时公开率（40）" in page and "按时公开率（60）" in page


@pytest.mark.parametrize("who", ["clerk", "head", "other_clerk"])
def test_a_department_cannot_edit_the_scheme_and_is_told_why(client, world, who):
    year = world["year"]
    scheme = schemes.create_scheme(year=year, by=world["reviewer"])
    client.force_login(world[who])
    for response in (
        client.get(scheme_url(year)),
        client.post(scheme_url(year, "save"), weights_post(on_time=100)),
        client.post(scheme_url(year, "publish")),
    ):
        assert response.status_code == 403
        assert "只有政务公开办公室的审核员和管理员" in response.content.decode()
    assert scheme.indicators.get(key="on_time").weight == 40
    assert not AssessmentScheme.objects.get(pk=scheme.pk).is_published
    with pytest.raises(schemes.NotAllowed, match="制定考核方案和录入人工指标得分"):
        schemes.save_indicators(
            scheme=scheme, by=world[who], computed={"on_time": (100, 1)}, manual=[]
        )


def _manual_scheme(world):
    scheme = schemes.create_scheme(year=world["year"], by=world["reviewer"])
    schemes.save_indicators(
        scheme=scheme,
        by=world["reviewer"],
        computed={},
        manual=[{"name": "公开栏", "weight": 20, "max_points": Decimal("5")}],
    )
    return scheme, scheme.indicators.get(key="")


def _score(client, world, indicator, organ, points, upload):
    return client.post(
        scheme_url(world["year"], "score"),
        {
            "indicator": indicator.pk,
            "organ": organ.pk,
            "points": points,
            "note": "现场检查",
            "evidence": upload,
        },
    )


def test_evidence_is_seen_by_the_office_and_the_organ_only(client, world):
    scheme, indicator = _manual_scheme(world)
    client.force_login(world["reviewer"])
    bad = SimpleUploadedFile(
        "照片.pdf", b"not a pdf at all", content_type="application/pdf"
    )
    refused = _score(client, world, indicator, world["bureau"], "4", bad)
    assert refused.status_code == 400
    assert "不支持这种文件" in refused.content.decode()
    too_many = _score(
        client, world, indicator, world["bureau"], "6", factories.pdf_upload()
    )
    assert "得分应在0到5分之间。" in too_many.content.decode()
    assert not ManualScore.objects.exists()

    pdf = factories.pdf_upload("公开栏照片.pdf", "notice board")
    assert (
        _score(client, world, indicator, world["bureau"], "4", pdf).status_code == 302
    )
    score = ManualScore.objects.get()
    evidence = f"/workspace/oversight/assessment/evidence/{score.token}/"
    assert client.get(evidence).status_code == 200
    assert "录入人工指标得分" in client.get(scheme_url(world["year"])).content.decode()

    organ_page = (
        f"/workspace/oversight/assessment/organ/nyj/?period=year&year={world['year']}"
    )
    for who in ("clerk", "office_clerk", "head"):
        client.force_login(world[who])
        page = client.get(organ_page)
        assert page.status_code == 200
        assert evidence in page.content.decode()
        download = client.get(evidence)
        assert download.status_code == 200
        assert b"".join(download.streaming_content).startswith(b"%PDF")
        assert "no-store" in download["Cache-Control"]

    client.force_login(world["other_clerk"])
    assert client.get(evidence).status_code == 404
    refused = client.get(organ_page)
    assert refused.status_code == 403
    assert "您只能查看本部门的考核情况" in refused.content.decode()
    client.logout()
    assert client.get(evidence).status_code == 302  # to the login page
    assert client.get("/media/" + score.evidence.name).status_code == 404


def test_a_department_sees_its_own_sheet_and_what_lost_it_points(client, world):
    year = world["year"]
    clerk, reviewer = world["clerk"], world["reviewer"]
    entry = factories.CatalogEntryFactory(responsible_department=world["bureau"])
    late = factories.draft_item(
        clerk,
        world["bureau"],
        catalog_entry=entry,
        title="逾期发布的补贴公示",
        formed_on=datetime.date(year, 3, 3),
    )
    publish_on(late, clerk, reviewer, datetime.date(year, 6, 1))
    other_clerk = world["other_clerk"]
    secret = factories.draft_item(
        other_clerk,
        world["other"],
        title="财政局的信息",
        formed_on=datetime.date(year, 3, 3),
    )
    publish_on(secret, other_clerk, reviewer, datetime.date(year, 3, 4))

    client.force_login(world["office_clerk"])  # an office's clerk: its bureau's
    dashboard = client.get("/workspace/").content.decode()
    assert (
        'href="/workspace/oversight/assessment/organ/nyj/">区农业农村局</a>'
        in dashboard
    )
    assert "/assessment/organ/czj/" not in dashboard
    client.force_login(clerk)
    page = client.get(
        f"/workspace/oversight/assessment/organ/nyj/?period=year&year={year}"
    ).content.decode()
    assert "按时公开率</a> -" in page  # what lost it points
    assert "逾期发布的补贴公示" in page and "未达标" in page
    assert "财政局的信息" not in page
    assert client.get("/workspace/oversight/assessment/").status_code == 403
    czj = client.get(
        f"/workspace/oversight/assessment/organ/czj/?period=year&year={year}"
    )
    assert czj.status_code == 403
    assert "财政局的信息" not in czj.content.decode()


def test_the_sheet_links_each_figure_to_the_records_behind_it(client, world):
    year = world["year"]
    clerk, reviewer = world["clerk"], world["reviewer"]
    item = factories.draft_item(
        clerk, world["bureau"], formed_on=datetime.date(year, 3, 3)
    )
    publish_on(item, clerk, reviewer, datetime.date(year, 3, 4))
    client.force_login(reviewer)
    page = client.get(
        f"/workspace/oversight/assessment/?period=year&year={year}"
    ).content.decode()
    link = f"/workspace/oversight/assessment/organ/nyj/?period=year&amp;year={year}#ind-on_time"
    assert link in page
    organ = client.get(link.replace("&amp;", "&")).content.decode()
    assert f'href="/workspace/items/{item.pk}/"' in organ and "达标" in organ


def test_the_bulletin_scores_download_as_docx_and_xlsx(client, world):
    from docx import Document
    from openpyxl import load_workbook

    year = world["year"]
    clerk, reviewer = world["clerk"], world["reviewer"]
    entry = factories.CatalogEntryFactory(responsible_department=world["bureau"])
    for title, published_on in (
        ("按时发布", datetime.date(year, 7, 4)),
        ("逾期发布", datetime.date(year, 9, 1)),  # 20 working days passed
    ):
        item = factories.draft_item(
            clerk,
            world["bureau"],
            catalog_entry=entry,
            title=title,
            formed_on=datetime.date(year, 7, 3),
        )
        publish_on(item, clerk, reviewer, published_on)
    client.force_login(reviewer)
    base = f"/workspace/oversight/bulletin/?year={year}&quarter=3"
    page = client.get(base)
    rows = {
        r["attrs"]["data-organ"]: r["cells"]
        for r in table_rows(page)
        if "data-organ" in r["attrs"]
    }
    assert rows["nyj"][1] == "50.0"
    assert rows["nyj"][2] == "按时公开率 -50.0"
    assert rows["czj"][1:] == ["—", "—", "—", "—"]

    document = Document(io.BytesIO(client.get(base + "&download=docx").content))
    assert "政务公开考核得分" in [p.text for p in document.paragraphs]
    cells = [[c.text for c in row.cells] for row in document.tables[1].rows]
    assert cells[0][:2] == ["机关", "本季度得分"]
    assert cells[1] == ["区农业农村局", *rows["nyj"][1:]]

    workbook = load_workbook(io.BytesIO(client.get(base + "&download=xlsx").content))
    sheet = workbook["考核得分"]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[1][:3] == ["区农业农村局", 50.0, "按时公开率 -50.0"]
    assert values[2][1] == "—"


def test_the_trail_is_never_changed(world):
    scheme = schemes.create_scheme(year=world["year"], by=world["reviewer"])
    entry = AssessmentAuditEntry.objects.get(scheme=scheme)
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        AssessmentAuditEntry.objects.all().delete()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_database_refuses_to_change_the_trail(world):
    schemes.create_scheme(year=world["year"], by=world["reviewer"])
    for statement in (
        "UPDATE disclosure_assessmentauditentry SET reason = 'x'",
        "DELETE FROM disclosure_assessmentauditentry",
    ):
        with pytest.raises(Exception, match="append-only"):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(statement)
