"""The restricted runtime database role (``manage.py db_roles``): it reads and
writes the portal's rows, appends to the audit trails, and can neither
change nor remove an audit row, nor TRUNCATE an audit table, nor disable its
trigger, nor ALTER or DROP a table. Run on PostgreSQL (``make test-postgres``)."""

import io
import uuid

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from psycopg import errors

from disclosure import workflow
from disclosure.models import AuditEntry
from portal.models import AccountAuditEntry
from tests import factories

AUDIT_TABLES = [
    "disclosure_assessmentauditentry",
    "disclosure_auditentry",
    "disclosure_annualreportrevision",
    "disclosure_annualreportauditentry",
    "disclosure_participationentry",
    "disclosure_requestevent",
    "portal_accountauditentry",
]


def test_every_append_only_table_is_guarded_from_the_runtime_role():
    from portal.management.commands.db_roles import append_only_tables

    assert sorted(AUDIT_TABLES) == append_only_tables()


@pytest.fixture
def runtime_role(monkeypatch):
    role = f"portal_rt_{uuid.uuid4().hex[:12]}"
    password = f"Rt-{uuid.uuid4().hex}"
    monkeypatch.setenv("PORTAL_TEST_RUNTIME_PASSWORD", password)
    out = io.StringIO()
    call_command(
        "db_roles", role, "--password-env", "PORTAL_TEST_RUNTIME_PASSWORD", stdout=out
    )
    assert "no TRUNCATE, ALTER or DROP" in out.getvalue()
    yield role, password
    with connection.cursor() as cursor:
        cursor.execute(f'DROP OWNED BY "{role}"')
        cursor.execute(f'DROP ROLE "{role}"')


def connect_as(role, password):
    settings = connection.settings_dict
    return psycopg.connect(
        host=settings["HOST"] or "127.0.0.1",
        port=settings["PORT"] or 5432,
        dbname=settings["NAME"],
        user=role,
        password=password,
        autocommit=True,
    )


def audit_rows():
    return (
        list(AuditEntry.objects.order_by("pk").values_list("pk", "action", "comment")),
        list(
            AccountAuditEntry.objects.order_by("pk").values_list(
                "pk", "action", "detail"
            )
        ),
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_runtime_role_cannot_undo_the_audit_trails(runtime_role):
    department = factories.DepartmentFactory()
    clerk = factories.clerk_of(department)  # an account trail entry
    item = factories.draft_item(clerk, department)
    workflow.submit(item=item, by=clerk)  # an item trail entry
    before = audit_rows()
    assert before[0] and before[1]

    with connect_as(*runtime_role) as runtime, runtime.cursor() as cursor:
        cursor.execute("SELECT current_user")
        assert cursor.fetchone()[0] == runtime_role[0]
        # Normal rows: read and write.
        cursor.execute("SELECT count(*) FROM disclosure_item")
        assert cursor.fetchone()[0] == 1
        cursor.execute(
            "UPDATE catalog_department SET phone = '0571-1234567' WHERE id = %s",
            [department.pk],
        )
        assert cursor.rowcount == 1
        cursor.execute(
            "INSERT INTO django_session (session_key, session_data, expire_date) "
            "VALUES ('runtime-role-test', '', now())"
        )
        cursor.execute(
            "DELETE FROM django_session WHERE session_key = 'runtime-role-test'"
        )
        assert cursor.rowcount == 1
        # The trails: read and append.
        cursor.execute("SELECT count(*) FROM disclosure_auditentry")
        assert cursor.fetchone()[0] == len(before[0])
        cursor.execute(
            "INSERT INTO portal_accountauditentry (at, subject_username, action, detail) "
            "VALUES (now(), 'wangxin', 'change', 'appended by the runtime role')"
        )

        refused = {
            "UPDATE {table} SET id = id": "permission denied",
            "DELETE FROM {table}": "permission denied",
            "TRUNCATE {table}": "permission denied",
            "ALTER TABLE {table} DISABLE TRIGGER ALL": "must be owner",
            "ALTER TABLE {table} DISABLE TRIGGER USER": "must be owner",
            "DROP TABLE {table}": "must be owner",
        }
        for table in AUDIT_TABLES:
            for sql, message in refused.items():
                with pytest.raises(errors.InsufficientPrivilege) as caught:
                    cursor.execute(sql.format(table=table))
                assert message in str(caught.value), sql
        # Nor any other table's structure, nor new objects.
        for sql in (
            "ALTER TABLE disclosure_item ADD COLUMN forged text",
            "DROP TABLE disclosure_item",
            "TRUNCATE disclosure_item",
            "CREATE TABLE forged (id int)",
            "INSERT INTO django_migrations (app, name, applied) "
            "VALUES ('disclosure', '9999_forged', now())",
        ):
            with pytest.raises(errors.InsufficientPrivilege):
                cursor.execute(sql)

    after = audit_rows()
    assert after[0] == before[0]
    assert after[1][: len(before[1])] == before[1]
    assert after[1][-1][2] == "appended by the runtime role"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_sql_can_be_printed_for_a_database_administrator():
    out = io.StringIO()
    call_command("db_roles", "portal_app", "--sql", stdout=out)
    sql = out.getvalue()
    assert 'CREATE ROLE "portal_app" LOGIN NOSUPERUSER' in sql
    tables = ", ".join(f'"public"."{table}"' for table in sorted(AUDIT_TABLES))
    assert (
        f"REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON {tables} FROM" in sql
    )
    assert "PASSWORD" not in sql


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_runtime_role_is_not_the_owner():
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        owner = cursor.fetchone()[0]
    with pytest.raises(CommandError, match="must be another one"):
        call_command("db_roles", owner)


def test_the_command_is_for_postgresql_only(db):
    if connection.vendor == "postgresql":
        out = io.StringIO()
        call_command("db_roles", "portal_app", "--sql", stdout=out)
        assert "GRANT CONNECT ON DATABASE" in out.getvalue()
    else:
        with pytest.raises(CommandError, match="for PostgreSQL"):
            call_command("db_roles", "portal_app", "--sql")
