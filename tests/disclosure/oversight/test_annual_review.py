"""A second pair of eyes on annual reports (issue 11 point 2, issue 12 §3):
whoever created or changed a report's content, or submitted it, can neither
publish nor return it, superusers included; a published report is never
changed silently: a correction is a new revision with a public 更正说明,
kept in the public history and the audit trail, and the old text stays
retrievable."""

import csv
import io

import pytest
from django.db import connection, transaction

from disclosure.models import AppendOnlyError
from disclosure.oversight.annual import reports
from disclosure.oversight.models import (
    AnnualReport,
    AnnualReportAuditEntry,
    AnnualReportRevision,
)
from tests import factories
from tests.disclosure.oversight.annual_helpers import (
    form_of,
    publish,
    start,
    submit_consistent,
    text,
    url,
)
from tests.english_scan import without_tags

DEPT = "test-dept"
REPORT = url(2025, DEPT)
PUBLIC = f"/reports/annual/2025/{DEPT}/"


@pytest.fixture
def people(db):
    department = factories.DepartmentFactory(code=DEPT, name="区测试局")
    superuser = factories.reviewer("boss")
    superuser.is_superuser = True
    superuser.save()
    return {
        "department": department,
        "clerk": factories.clerk_of(department),
        "other_clerk": factories.clerk_of(factories.DepartmentFactory()),
        "a": factories.reviewer("reviewer_a"),
        "b": factories.reviewer("reviewer_b"),
        "c": factories.reviewer("reviewer_c"),
        "boss": superuser,
        "office_admin": factories.office_admin(),
    }


def _state():
    return AnnualReport.objects.get(year=2025).state


# --- who may publish -------------------------------------------------------------------------


@pytest.mark.django_db
def test_one_reviewer_cannot_create_and_publish_a_report_alone(client, people):
    """The issue's reproduction: one reviewer creates and publishes."""
    client.force_login(people["a"])
    start(client, DEPT)
    submit_consistent(client, DEPT)
    page = text(client.get(REPORT))
    assert "您创建、修改或提交了这份报告，按照双人审核原则不能审核或公布它。" in page
    assert 'value="publish"' not in page
    response = client.post(REPORT, {"action": "publish"}, follow=True)
    assert "您创建、修改或提交了这份报告" in text(response)
    assert _state() == "submitted"
    assert not AnnualReportRevision.objects.exists()
    assert client.get(PUBLIC).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("steps", "who", "may_publish"),
    [
        # (who created, who edited, who submitted) → who tries
        (("a", None, "a"), "a", False),
        (("a", None, "a"), "b", True),
        (("a", "b", "a"), "b", False),  # an edit is authorship
        (("a", "b", "a"), "c", True),
        (("clerk", None, "clerk"), "a", True),
        (("clerk", "a", "clerk"), "a", False),
        (("a", None, "b"), "b", False),  # submitting is vouching for it
        (("boss", None, "boss"), "boss", False),  # superusers included
        (("a", None, "a"), "boss", True),
        (("a", None, "a"), "office_admin", False),  # not a reviewer
        (("a", None, "a"), "clerk", False),
        (("a", "refill:b", "a"), "b", False),  # refilling the figures too
    ],
)
def test_who_may_publish_a_submitted_report(client, people, steps, who, may_publish):
    creator, editor, submitter = steps
    client.force_login(people[creator])
    start(client, DEPT)
    if editor and editor.startswith("refill:"):
        client.force_login(people[editor.split(":")[1]])
        client.post(REPORT, {"action": "refill"})
    elif editor:
        client.force_login(people[editor])
        data = form_of(client.get(REPORT)).data
        data.update(overview="修改过的总体情况。", action="save")
        assert client.post(REPORT, data).status_code == 302
    client.force_login(people[submitter])
    submit_consistent(client, DEPT)
    client.force_login(people[who])
    client.post(REPORT, {"action": "publish"})
    assert (_state() == "published") is may_publish
    if who == "clerk":
        return
    refused = client.post(REPORT, {"action": "return", "comment": "请补充。"})
    assert refused.status_code == 302
    expected = "published" if may_publish else "submitted"
    assert _state() == expected


@pytest.mark.django_db
def test_a_returned_report_goes_back_with_the_comment(client, people):
    client.force_login(people["clerk"])
    start(client, DEPT)
    submit_consistent(client, DEPT)
    client.force_login(people["a"])
    response = client.post(REPORT, {"action": "return", "comment": ""}, follow=True)
    assert "退回时请写明退回意见" in text(response)
    assert _state() == "submitted"
    client.post(REPORT, {"action": "return", "comment": "表三数字请与登记核对。"})
    assert _state() == "returned"
    client.force_login(people["clerk"])
    assert "退回意见：表三数字请与登记核对。" in without_tags(text(client.get(REPORT)))


@pytest.mark.django_db
def test_a_clerk_drafts_only_the_own_organs_report(client, people):
    client.force_login(people["clerk"])
    start(client, DEPT)
    client.force_login(people["other_clerk"])
    assert client.get(REPORT).status_code == 403
    response = client.post(
        "/workspace/oversight/annual/", {"organ": DEPT, "year": 2024}, follow=True
    )
    assert "您不能编写区测试局的年度报告。" in text(response)
    assert not AnnualReport.objects.filter(year=2024).exists()


# --- corrections ------------------------------------------------------------------------------


def _published(client, people):
    client.force_login(people["a"])
    start(client, DEPT)
    submit_consistent(client, DEPT, overview="原来的总体情况。")
    client.force_login(people["b"])
    publish(client, DEPT)


@pytest.mark.django_db
def test_a_published_report_is_corrected_only_as_a_reviewed_revision(client, people):
    _published(client, people)
    client.logout()
    assert "原来的总体情况。" in text(client.get(PUBLIC))

    # A (its author) changes the published report: nothing changes in public
    client.force_login(people["a"])
    data = form_of(client.get(REPORT)).data
    assert "correction_note" in data
    data.update(overview="更正后的总体情况。", t3__new__natural="6", action="save")
    data["t3__new__total"] = "7"
    data["t3__total__natural"] = "5"
    data["t3__total__total"] = "6"
    data["t3__granted__natural"] = "4"
    data["t3__granted__total"] = "5"
    assert client.post(REPORT, data).status_code == 302
    assert _state() == "draft"
    client.logout()
    public = text(client.get(PUBLIC))
    assert "原来的总体情况。" in public and "更正后的总体情况。" not in public

    # a correction needs its note before review
    client.force_login(people["a"])
    data = form_of(client.get(REPORT)).data
    data["action"] = "submit"
    response = client.post(REPORT, data, follow=True)
    assert "这是对已公布报告的更正，请先填写将与报告一起公开的更正说明。" in text(
        response
    )
    assert _state() == "draft"
    data = form_of(client.get(REPORT)).data  # the saved text, its new version
    data["action"] = "submit"
    data["correction_note"] = "表三“本年新收申请数量”漏计自然人申请1件，已更正。"
    assert client.post(REPORT, data).status_code == 302
    assert _state() == "submitted"
    # its author cannot publish it; B (who published the first text) can
    client.post(REPORT, {"action": "publish"})
    assert _state() == "submitted"
    client.force_login(people["b"])
    publish(client, DEPT)
    assert _state() == "published"

    client.logout()
    public = text(client.get(PUBLIC))
    assert "更正后的总体情况。" in public
    assert (
        "更正说明：表三“本年新收申请数量”漏计自然人申请1件，已更正。"
        in without_tags(public)
    )
    assert "更正记录" in public
    assert f'href="{PUBLIC}v1/"' in public
    first = text(client.get(f"{PUBLIC}v1/"))
    assert "原来的总体情况。" in first and "更正后的总体情况。" not in first
    assert "这是本报告的第1版，已被更正。" in first
    assert client.get(f"{PUBLIC}v1/report.docx").status_code == 200
    assert client.get(f"{PUBLIC}v3/").status_code == 404

    revisions = list(AnnualReportRevision.objects.order_by("number"))
    assert [r.number for r in revisions] == [1, 2]
    assert revisions[0].content["overview"] == "原来的总体情况。"
    assert revisions[1].correction_note.startswith("表三“本年新收申请数量”")

    actions = list(
        AnnualReportAuditEntry.objects.order_by("pk").values_list(
            "action", "actor__username"
        )
    )
    assert actions == [
        ("create", "reviewer_a"),
        ("edit", "reviewer_a"),
        ("submit", "reviewer_a"),
        ("publish", "reviewer_b"),
        ("edit", "reviewer_a"),  # the correction begins
        ("edit", "reviewer_a"),  # saved, the submission refused (no note)
        ("edit", "reviewer_a"),
        ("submit", "reviewer_a"),
        ("correct", "reviewer_b"),
    ]
    correct = AnnualReportAuditEntry.objects.get(action="correct")
    assert correct.revision_number == 2
    assert correct.comment.startswith("表三“本年新收申请数量”")

    # the audit trail as CSV, for the office and the auditors
    auditor = factories.in_group("auditor")
    client.force_login(auditor)
    response = client.get("/workspace/oversight/annual/audit.csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["时间", "操作人", "报告", "操作"]
    assert [row[3] for row in rows[1:]].count("公布更正") == 1
    assert rows[-1][2] == "区测试局2025年政府信息公开工作年度报告"
    client.force_login(people["clerk"])
    assert client.get("/workspace/oversight/annual/audit.csv").status_code == 403


@pytest.mark.django_db
def test_published_revisions_and_the_audit_trail_are_never_changed(people):
    report = AnnualReport.objects.create(
        organ=people["department"],
        year=2025,
        created_by=people["a"],
        updated_by=people["a"],
    )
    report = reports.submit(report=report, by=people["a"])
    reports.publish(report=report, by=people["b"])
    revision = AnnualReportRevision.objects.get()
    revision.content = {"overview": "悄悄改掉"}
    with pytest.raises(AppendOnlyError):
        revision.save()
    with pytest.raises(AppendOnlyError):
        revision.delete()
    with pytest.raises(AppendOnlyError):
        AnnualReportRevision.objects.update(title="x")
    with pytest.raises(AppendOnlyError):
        AnnualReportAuditEntry.objects.all().delete()
    entry = AnnualReportAuditEntry.objects.first()
    with pytest.raises(AppendOnlyError):
        entry.save()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_database_refuses_to_change_a_published_revision(people):
    report = AnnualReport.objects.create(
        organ=people["department"],
        year=2025,
        created_by=people["a"],
        updated_by=people["a"],
    )
    report = reports.submit(report=report, by=people["a"])
    reports.publish(report=report, by=people["b"])
    for table in (
        "disclosure_annualreportrevision",
        "disclosure_annualreportauditentry",
    ):
        with pytest.raises(Exception, match="append-only"):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(f"UPDATE {table} SET id = id")  # noqa: S608
        with pytest.raises(Exception, match="append-only"):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(f"DELETE FROM {table}")  # noqa: S608
