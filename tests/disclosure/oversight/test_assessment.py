"""The assessment sheet (disclosure/oversight/assessment.py) of the demo's
last year and one of its quarters: each indicator recomputed from the records
with plain loops, the score from the weights, the XLSX download."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook

from catalog.element_models import ContentElement
from catalog.models import Department
from catalog.selectors import work_calendar
from disclosure import interpretations
from disclosure.models import (
    ElementAnswer,
    InformationRequest,
    Item,
    ItemKind,
    PublicRecord,
)
from disclosure.request_queries import clock_of, with_pauses
from tests import factories
from tests.disclosure.oversight.test_timeliness import table_rows

pytestmark = pytest.mark.django_db

WEIGHTS = {"on_time": 40, "completeness": 30, "interpretation": 15, "requests": 15}


def organ(department):
    while department.kind == Department.Kind.OFFICE and department.parent_id:
        department = department.parent
    return department.code


def local_day(moment):
    return timezone.localtime(moment).date()


def recompute(start, end, now):
    """{organ code: {indicator: [part, whole]}} by plain loops."""
    figures = {}

    def add(code, key, hit):
        cell = figures.setdefault(code, {k: [0, 0] for k in WEIGHTS})[key]
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
    return figures


def display(part, whole):
    return f"{part}/{whole}（{100 * part / whole:.1f}%）" if whole else "—"


def score(cells):
    applicable = {k: v for k, v in cells.items() if v[1]}
    weights = sum(WEIGHTS[k] for k in applicable)
    if not weights:
        return "—"
    earned = sum(WEIGHTS[k] * part / whole for k, (part, whole) in applicable.items())
    return str(round(100 * earned / weights, 1))


@pytest.fixture
def demo():
    call_command("seed_demo", stdout=io.StringIO())


def test_the_demo_sheet_of_last_year_and_a_quarter_matches_the_records(client, demo):
    year = timezone.localdate().year - 1
    now = timezone.now()
    client.force_login(factories.reviewer())
    for query, start, end in [
        (
            f"period=year&year={year}",
            datetime.date(year, 1, 1),
            datetime.date(year, 12, 31),
        ),
        (
            f"period=quarter&year={year}&quarter=2",
            datetime.date(year, 4, 1),
            datetime.date(year, 6, 30),
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
        for code, cells in rows.items():
            mine = expected.get(code, {k: [0, 0] for k in WEIGHTS})
            assert cells[1:5] == [display(*mine[k]) for k in WEIGHTS], (query, code)
            assert cells[5] == score(mine), (query, code)
            measured += sum(whole for _part, whole in mine.values())
        assert measured > 0
    totals = recompute(datetime.date(year, 1, 1), datetime.date(year, 12, 31), now)
    for key in WEIGHTS:  # every indicator has something to count in the demo
        assert sum(cells[key][1] for cells in totals.values()) > 0, key


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
    assert rows[0][1] == "按时公开率（40）"
    page = client.get(f"/workspace/oversight/assessment/?period=year&year={year}")
    cells = {r["cells"][0]: r["cells"] for r in table_rows(page)}
    for row in rows[1:]:
        shown = cells[row[0]]
        if row[13] in ("", None):
            assert shown[5] == "—"
        else:
            assert float(row[13]) == float(shown[5])
        if row[14]:
            assert row[14] == shown[6]
    assert any("按时公开率 -" in (row[14] or "") for row in rows[1:])


def test_only_the_office_sees_the_sheet(client, db):
    department = factories.DepartmentFactory()
    client.force_login(factories.clerk_of(department))
    assert client.get("/workspace/oversight/assessment/").status_code == 403
