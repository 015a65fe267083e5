"""The office-wide roles (groups) and, on PostgreSQL, a trigger that rejects
any UPDATE or DELETE of an audit entry, whatever code tries it."""

from django.db import migrations

from portal import append_only

GROUPS = ["reviewer", "office_admin"]


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in GROUPS:
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [
        ("disclosure", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunPython(create_groups, migrations.RunPython.noop),
        append_only.guard(
            "disclosure_auditentry",
            function="disclosure_audit_append_only",
            rows="audit entries",
        ),
    ]
