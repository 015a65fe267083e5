"""Every append-only model (``portal.append_only``) refuses a change and a
deletion through the ORM on every database and, on PostgreSQL, through raw
SQL too (the trigger its migration adds).

The models are collected by their base class, so a new one is covered as
soon as it is one (and fails until it has a row in :data:`ROWS`); a model with
the shape of an audit trail (an actor, a time and an action) that forgets the
base fails ``test_every_audit_trail_is_append_only``, and one with the base
but no trigger fails on PostgreSQL."""

import datetime

import pytest
from django.apps import apps
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from portal.append_only import AppendOnly, AppendOnlyError, AuditTrail
from tests import factories

PROJECT_APPS = {"catalog", "disclosure", "portal"}
MOMENT = timezone.make_aware(datetime.datetime(2025, 3, 14, 10, 0))


def project_models():
    return [m for m in apps.get_models() if m._meta.app_label in PROJECT_APPS]


APPEND_ONLY = sorted(
    (m for m in project_models() if issubclass(m, AppendOnly)),
    key=lambda m: m._meta.label,
)


# --- one row of each, and the text field a forger would change -------------------


def _user():
    return factories.UserFactory()


def _audit_entry():
    department = factories.DepartmentFactory()
    clerk = factories.clerk_of(department)
    item = factories.draft_item(clerk, department)
    model = apps.get_model("disclosure", "AuditEntry")
    return model.objects.create(item=item, actor=clerk, action="edit"), "comment"


def _account_audit_entry():
    model = apps.get_model("portal", "AccountAuditEntry")
    return model.objects.create(action="create", subject_username="wang"), "detail"


def _request_event():
    request = apps.get_model("disclosure", "InformationRequest").objects.create(
        number="2025-0001",
        access_code_hash="x",
        organ=factories.DepartmentFactory(),
        channel="online",
        applicant_kind="natural",
        applicant_name="张三",
        id_type="resident_id",
        phone="13800000000",
        description="某文件",
        delivery_form="electronic",
        delivery_method="email",
    )
    model = apps.get_model("disclosure", "RequestEvent")
    return model.objects.create(request=request, action="submit"), "comment"


def _participation_entry():
    user = _user()
    consultation = apps.get_model("disclosure", "Consultation").objects.create(
        created_by=user,
        updated_by=user,
        department=factories.DepartmentFactory(),
        title="某办法（征求意见稿）",
        draft_text="<p>第一条</p>",
        opens_on=datetime.date(2025, 3, 1),
        closes_on=datetime.date(2025, 3, 31),
    )
    model = apps.get_model("disclosure", "ParticipationEntry")
    return (
        model.objects.create(consultation=consultation, actor=user, action="create"),
        "note",
    )


def _annual_report():
    user = _user()
    return apps.get_model("disclosure", "AnnualReport").objects.create(
        created_by=user, updated_by=user, organ=factories.DepartmentFactory(), year=2025
    )


def _annual_report_audit_entry():
    report = _annual_report()
    model = apps.get_model("disclosure", "AnnualReportAuditEntry")
    return (
        model.objects.create(report=report, actor=report.created_by, action="create"),
        "comment",
    )


def _annual_report_revision():
    report = _annual_report()
    model = apps.get_model("disclosure", "AnnualReportRevision")
    revision = model.objects.create(
        report=report,
        number=1,
        title="2025年报告",
        content={},
        published_by=report.created_by,
        published_at=MOMENT,
    )
    return revision, "title"


def _assessment_audit_entry():
    user = _user()
    scheme = apps.get_model("disclosure", "AssessmentScheme").objects.create(
        year=2025, created_by=user
    )
    model = apps.get_model("disclosure", "AssessmentAuditEntry")
    return model.objects.create(scheme=scheme, actor=user, action="create"), "reason"


ROWS = {
    "disclosure.AnnualReportAuditEntry": _annual_report_audit_entry,
    "disclosure.AnnualReportRevision": _annual_report_revision,
    "disclosure.AssessmentAuditEntry": _assessment_audit_entry,
    "disclosure.AuditEntry": _audit_entry,
    "disclosure.ParticipationEntry": _participation_entry,
    "disclosure.RequestEvent": _request_event,
    "portal.AccountAuditEntry": _account_audit_entry,
}

models_ = pytest.mark.parametrize(
    "model", APPEND_ONLY, ids=[m._meta.label for m in APPEND_ONLY]
)


@pytest.fixture
def row(request, db):
    return ROWS[request.getfixturevalue("model")._meta.label]()


def stored(row, field):
    return type(row).objects.filter(pk=row.pk).values_list(field, flat=True).get()


# --- which models -----------------------------------------------------------------------


def test_every_audit_trail_is_append_only():
    shaped = {
        m._meta.label
        for m in project_models()
        if {"actor", "at", "action"} <= {f.name for f in m._meta.fields}
    }
    trails = {m._meta.label for m in APPEND_ONLY if issubclass(m, AuditTrail)}
    assert shaped == trails
    assert len(trails) >= 6


def test_every_append_only_model_has_a_row_here():
    assert set(ROWS) == {m._meta.label for m in APPEND_ONLY}


# --- the ORM, on every database ---------------------------------------------------------


@models_
def test_the_orm_refuses_an_update(model, row):
    entry, field = row
    before = stored(entry, field)
    setattr(entry, field, "forged")
    with pytest.raises(AppendOnlyError, match="never changed"):
        entry.save()
    with pytest.raises(AppendOnlyError, match="never changed"):
        entry.save(update_fields=[field])
    with pytest.raises(AppendOnlyError, match="never changed"):
        model.objects.filter(pk=entry.pk).update(**{field: "forged"})
    # (bulk_update runs in an atomic block without a savepoint: give it one.)
    with pytest.raises(AppendOnlyError), transaction.atomic():
        model.objects.bulk_update([entry], [field])
    assert stored(entry, field) == before


@models_
def test_the_orm_refuses_a_delete(model, row):
    entry, _field = row
    with pytest.raises(AppendOnlyError, match="never deleted"):
        entry.delete()
    with pytest.raises(AppendOnlyError, match="never deleted"):
        model.objects.filter(pk=entry.pk).delete()
    with pytest.raises(AppendOnlyError, match="never deleted"):
        model.objects.all().delete()
    assert model.objects.filter(pk=entry.pk).exists()


# --- raw SQL, on PostgreSQL -------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgres_guards_exactly_the_append_only_tables():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, t.tgname FROM pg_trigger t "
            "JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE NOT t.tgisinternal AND t.tgname LIKE %s",
            ["%\\_append\\_only"],
        )
        guarded = dict(cursor.fetchall())
    tables = {m._meta.db_table for m in APPEND_ONLY}
    assert guarded == {table: f"{table}_append_only" for table in tables}


@pytest.mark.postgres
@models_
@pytest.mark.parametrize("operation", ["UPDATE", "DELETE"])
def test_postgres_refuses_raw_sql(model, row, operation):
    entry, field = row
    before = stored(entry, field)
    table = connection.ops.quote_name(model._meta.db_table)
    column = connection.ops.quote_name(model._meta.get_field(field).column)
    # Names from the models, quoted: nothing from outside.
    sql = {
        "UPDATE": f"UPDATE {table} SET {column} = 'forged' WHERE id = %s",  # noqa: S608
        "DELETE": f"DELETE FROM {table} WHERE id = %s",  # noqa: S608
    }[operation]
    with pytest.raises(DatabaseError) as refused:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [entry.pk])
    assert f"are append-only ({operation} refused)" in str(refused.value)
    assert stored(entry, field) == before
