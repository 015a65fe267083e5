"""The office-wide roles (groups) and, on PostgreSQL, a trigger that rejects
any UPDATE or DELETE of an audit entry, whatever code tries it."""

from django.db import migrations

GROUPS = ["reviewer", "office_admin"]

TRIGGER_SQL = """
CREATE OR REPLACE FUNCTION disclosure_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit entries are append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER disclosure_auditentry_append_only
    BEFORE UPDATE OR DELETE ON disclosure_auditentry
    FOR EACH ROW EXECUTE FUNCTION disclosure_audit_append_only();
"""

DROP_SQL = """
DROP TRIGGER IF EXISTS disclosure_auditentry_append_only ON disclosure_auditentry;
DROP FUNCTION IF EXISTS disclosure_audit_append_only();
"""


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in GROUPS:
        Group.objects.get_or_create(name=name)


def add_guard(apps, schema_editor):
    # TRUNCATE (test database flushes, restores into an empty database) does
    # not fire row triggers; UPDATE and DELETE do.
    if schema_editor.connection.vendor == "postgresql":
        # params=None: the SQL holds a literal "%" (RAISE's placeholder) that
        # must not be taken for a query parameter.
        schema_editor.execute(TRIGGER_SQL, params=None)


def drop_guard(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_SQL)


class Migration(migrations.Migration):
    dependencies = [
        ("disclosure", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunPython(create_groups, migrations.RunPython.noop),
        migrations.RunPython(add_guard, drop_guard),
    ]
