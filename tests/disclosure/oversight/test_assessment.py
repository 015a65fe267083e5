"""The assessment sheet (disclosure/oversight/assessment.py) of the demo's
last year and one of its quarters: each indicator recomputed from the records
with plain loops, the score from the weights of the demo's scheme (manual
indicators in the year's sheet only), the XLSX download; a year without a
scheme has the default weights."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook

from catalog import workdays
from catalog.element_models import ContentElement
from catalog.models import CatalogEntry, Department
from catalog.selectors import work_calendar
from disclosure import interpretations
from disclosure.management import demo_assessment
from disclosure.models import (
    Complaint,
    Consultation,
    ElementAnswer,
    InformationRequest,
    Item,
    ItemKind,
    PublicRecord,
)
from disclosure.oversight.assessment_models import ManualScore
from disclosure.request_queries import clock_of, with_pauses
from tests import factories
from tests.disclosure.oversight.test_timeliness import table_rows

pytestmark = pytest.mark.django_db

DEFAULT_WEIGHTS = {
    "on_time": 40,
    "completeness": 30,
    "interpretation": 15,
    "requests": 15,
}
#: The demo's scheme of last year (its weights and manual indicators).
WEIGHTS = demo_assessment.WEIGHTS
MANUAL = {
    name: (weight, int(points)) for name, weight, points in demo_assessment.MANUAL
}


def organ(department):
    while department.kind == Department.Kind.OFFICE and department.parent_id:
        department = department.parent
    return department.code


def local_day(moment):
    return timezone.localtime(moment).date()


def recompute(start, end, now, weights=WEIGHTS):
    """{organ code: {indicator: [part, whole]}} by plain loops, for the
    indicators of ``weights``."""
    figures = {}

    def add(code, key, hit):
        if key not in weights:
            return
        cell = figures.setdefault(code, {k: [0, 0] for k in weights})[key]
        cell[0] += int(hit)
        cell[1] += 1

    for item in Item.objects.order_by("pk"):
        record = PublicRecord.objects.filter(item=item).first()
        if record is None or record.status == PublicRecord.Status.REMOVED:
            continue
        if item.first_published_at is None or item.first_published_at > now:
            continue
        if not start <= local_day(item.first_published_at) <= end:
            continue
        code = organ(item.department)
        if item.due_on is not None and item.late_working_days is not None:
            add(code, "on_time", item.late_working_days == 0)
            entry = item.catalog_entry
            if entry and entry.time_limit_kind == CatalogEntry.TimeLimitKind.PERIODIC:
                add(code, "periodic", item.late_working_days == 0)
        required = [
            e.name
            for e in ContentElement.objects.filter(entry_id=item.catalog_entry_id)
            if e.required
        ]
        if item.catalog_entry_id and required:
            answered = {
                a.element_name
                for a in ElementAnswer.objects.filter(item=item)
                if a.kind != "attachment" or a.attachment.in_draft
            }
            add(code, "completeness", all(name in answered for name in required))

    type_ids = interpretations.interpretation_type_ids()
    for record in PublicRecord.objects.order_by("pk"):
        if record.status != PublicRecord.Status.LIVE or record.published_at > now:
            continue
        if not start <= local_day(record.published_at) <= end:
            continue
        if record.kind != ItemKind.ORDINARY:
            continue
        if not (
            record.document_class == "normative" or record.document_type_id in type_ids
        ):
            continue
        explained = any(
            other.status == PublicRecord.Status.LIVE
            and other.published_at <= now
            and other.kind == ItemKind.INTERPRETATION
            and other.interprets_id == record.pk
            for other in PublicRecord.objects.all()
        )
        add(organ(record.department), "interpretation", explained)

    calendar = work_calendar()
    for request in with_pauses(InformationRequest.objects.all()):
        if request.state == InformationRequest.State.DISCARDED:
            continue
        if request.closed_on is None or not start <= request.closed_on <= end:
            continue
        late = clock_of(request, request.closed_on, calendar).late
        add(organ(request.organ), "requests", not late)

    for complaint in Complaint.objects.order_by("pk"):
        if complaint.state != "concluded" or complaint.department is None:
            continue
        if complaint.concluded_at > now or complaint.outcome == "out_of_scope":
            continue
        if start <= local_day(complaint.concluded_at) <= end:
            add(
                organ(complaint.department),
                "complaints",
                complaint.outcome == "unfounded",
            )

    today = local_day(now)
    for consultation in Consultation.objects.order_by("pk"):
        if consultation.state != "published":
            continue
        due = workdays.add_working_days(consultation.closes_on, 20, calendar).due
        out = consultation.feedback_state == "published" and (
            consultation.feedback_published_at <= now
        )
        if not start <= due <= end or (due >= today and not out):
            continue
        in_time = out and local_day(consultation.feedback_published_at) <= due
        add(organ(consultation.department), "consultations", in_time)
    return figures


def manual_points(year):
    """{organ code: {indicator name: points}} of the year's manual scores."""
    points = {}
    for score in ManualScore.objects.all():
        if score.indicator.scheme.year == year:
            code = score.department.code
            points.setdefault(code, {})[score.indicator.name] = score.points
    return points


def display(part, whole):
    return f"{part}/{whole}（{100 * part / whole:.1f}%）" if whole else "—"


def score(cells, weights=WEIGHTS, manual=None):
    """The score from the cells and the organ's manual points (or none)."""
    ratios = [(weights[k], part / whole) for k, (part, whole) in cells.items() if whole]
    for name, points in (manual or {}).items():
        weight, maximum = MANUAL[name]
        ratios.append((weight, min(float(points) / maximum, 1.0)))
    total = sum(weight for weight, _ratio in ratios)
    if not total:
        return "—"
    return str(round(100 * sum(w * r for w, r in ratios) / total, 1))


@pytest.fixture
def demo():
    call_command("seed_demo", stdout=io.StringIO())


def test_the_demo_sheet_of_last_year_and_a_quarter_matches_the_records(client, demo):
    year = timezone.localdate().year - 1
    now = timezone.now()
    manual = manual_points(year)
    assert manual, "the demo scores manual indicators"
    client.force_login(factories.reviewer())
    for query, start, end, with_manual in [
        (
            f"period=year&year={year}",
            datetime.date(year, 1, 1),
            datetime.date(year, 12, 31),
            True,
        ),
        (
            f"period=quarter&year={year}&quarter=2",
            datetime.date(year, 4, 1),
            datetime.date(year, 6, 30),
            False,
        ),
    ]:
        response = client.get(f"/workspace/oversight/assessment/?{query}")
        assert response.status_code == 200
        expected = recompute(start, end, now)
        rows = {
            row["attrs"]["data-organ"]: row["cells"]
            for row in table_rows(response)
            if "data-organ" in row["attrs"]
        }
        assert set(expected) <= set(rows)
        measured = 0
        computed = len(WEIGHTS)
        for code, cells in rows.items():
            mine = expected.get(code, {k: [0, 0] for k in WEIGHTS})
            assert cells[1 : computed + 1] == [display(*mine[k]) for k in WEIGHTS], (
                query,
                code,
            )
            points = manual.get(code, {}) if with_manual else {}
            if with_manual:
                shown = cells[computed + 1 : computed + 1 + len(MANUAL)]
                assert shown == [
                    f"{float(points[name]):g}/{MANUAL[name][1]}"
                    if name in points
                    else "—"
                    for name in MANUAL
                ], (query, code)
            assert cells[-2] == score(mine, manual=points), (query, code)
            measured += sum(whole for _part, whole in mine.values())
        assert measured > 0
    totals = recompute(datetime.date(year, 1, 1), datetime.date(year, 12, 31), now)
    for key in WEIGHTS:  # every indicator has something to count in the demo
        assert sum(cells[key][1] for cells in totals.values()) > 0, key
        assert sum(cells[key][1] - cells[key][0] for cells in totals.values()) >= (
            key in ("consultations", "complaints")
        ), key  # the demo's new indicators lose points somewhere


def test_a_year_without_a_scheme_has_the_default_weights(client, demo):
    year = timezone.localdate().year
    now = timezone.now()
    client.force_login(factories.reviewer())
    response = client.get(f"/workspace/oversight/assessment/?period=year&year={year}")
    assert "本年度没有考核方案，按默认权重计分。" in response.content.decode()
    expected = recompute(
        datetime.date(year, 1, 1), datetime.date(year, 12, 31), now, DEFAULT_WEIGHTS
    )
    for row in table_rows(response):
        if "data-organ" not in row["attrs"]:
            continue
        cells = row["cells"]
        mine = expected.get(
            row["attrs"]["data-organ"], {k: [0, 0] for k in DEFAULT_WEIGHTS}
        )
        assert cells[1:5] == [display(*mine[k]) for k in DEFAULT_WEIGHTS]
        assert cells[5] == score(mine, DEFAULT_WEIGHTS)


def test_the_sheet_downloads_as_xlsx_and_names_what_lost_points(client, demo):
    year = timezone.localdate().year - 1
    client.force_login(factories.reviewer())

    response = client.get(
        f"/workspace/oversight/assessment/?period=year&year={year}&format=xlsx"
    )

    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][0] == "机关"
    assert rows[0][1] == "按时公开率（30）"
    assert rows[0][-5] == "政务公开栏（公示栏）（5）"
    page = client.get(f"/workspace/oversight/assessment/?period=year&year={year}")
    cells = {r["cells"][0]: r["cells"] for r in table_rows(page)}
    for row in rows[1:]:
        shown = cells[row[0]]
        if row[-2] in ("", None):
            assert shown[-2] == "—"
        else:
            assert float(row[-2]) == float(shown[-2])
        if row[-1]:
            assert row[-1] == shown[-1]
    assert any("按时公开率 -" in (row[-1] or "") for row in rows[1:])


def test_only_the_office_sees_the_sheet(client, db):
    department = factories.DepartmentFactory()
    client.force_login(factories.clerk_of(department))
    assert client.get("/workspace/oversight/assessment/").status_code == 403
