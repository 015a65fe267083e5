"""The demo publishes last year's annual reports, the government's and each
department's, through the real steps (two people, review, publication), with
figures that satisfy the format's rules and a table 二 that the register of
normative documents explains."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone
from docx import Document

from catalog import demo as catalog_demo
from catalog.organs import reporting_organs
from disclosure.oversight.annual.consistency import stored_errors
from disclosure.oversight.annual.layout import TABLE3_KEYS
from disclosure.oversight.annual.measurement import portal_figures
from disclosure.oversight.models import AnnualReport, AnnualReportAuditEntry
from disclosure.request_tables import organ_tables


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.mark.django_db
def test_the_demo_publishes_last_years_reports_of_every_organ(client):
    call_command("seed_demo", stdout=io.StringIO())
    year = timezone.localdate().year - 1
    organs = list(reporting_organs())
    assert len(organs) == 1 + len(catalog_demo.DEPARTMENTS)  # the government too
    reports = {
        report.organ.code: report
        for report in AnnualReport.objects.filter(year=year).select_related("organ")
    }
    assert sorted(reports) == sorted(organ.code for organ in organs)
    users = get_user_model().objects
    for code, report in reports.items():
        assert report.state == AnnualReport.State.PUBLISHED, code
        assert report.revisions.count() == 1
        assert stored_errors(report) == [], code
        # table 三 adds up in every row, and someone else published it
        for key in TABLE3_KEYS:
            assert report.table3[key][-1] == sum(report.table3[key][:-1])
        steps = dict(
            AnnualReportAuditEntry.objects.filter(report=report).values_list(
                "action", "actor_id"
            )
        )
        assert steps["create"] == steps["submit"] != steps["publish"]
        assert users.get(pk=steps["publish"]).username == "reviewer"
        # table 二 第（一）项 is what the register said when it was published
        expected = portal_figures(report.organ, year, now=report.published_at)
        for key, value in expected.items():
            assert report.table2[key] == value, (code, key)
        assert report.published_at.date() <= timezone.localdate()
    # the register explains table 二: documents issued, ended and in force
    normative = [reports[code].table2 for code in reports]
    assert sum(t["normative.issued"] for t in normative) >= 4
    assert sum(t["normative.repealed"] for t in normative) >= 1
    assert all(t["rules.issued"] == 0 for t in normative)  # a district makes none
    # tables 三 and 四 and the fees are the register's, organ by organ
    for code, report in reports.items():
        tables = organ_tables(report.organ, year)
        assert report.table3 == tables.table3, code
        assert report.table4 == tables.table4, code
        assert report.fees_charged == tables.fees, code
    assert sum(report.table3["new"][-1] for report in reports.values()) > 0

    # a visitor sees them, the government's first, and its DOCX
    listing = client.get("/reports/annual/").content.decode()
    assert f"示例区人民政府{year}年政府信息公开工作年度报告" in listing
    assert listing.count(f'href="/reports/annual/{year}/') == len(organs)
    page = client.get(f"/reports/annual/{year}/nyj/").content.decode()
    assert "区农业农村局" in page and "行政规范性文件" in page
    docx = client.get(f"/reports/annual/{year}/report.docx")
    paragraphs = [p.text for p in Document(io.BytesIO(docx.content)).paragraphs]
    assert f"示例区人民政府{year}年政府信息公开工作年度报告" in paragraphs

    # seeding again changes nothing
    call_command("seed_demo", stdout=io.StringIO())
    assert AnnualReport.objects.count() == len(organs)
