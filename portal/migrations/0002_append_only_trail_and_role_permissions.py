"""The account trail is append-only on PostgreSQL too (a trigger, like the
items' trail), and the administrator roles get their rights on it:

- security_admin (安全管理员): requests roles for accounts and approves or
  rejects the requests of others (never their own: portal.accounts.duties);
- auditor (审计管理员): reads the account trail and the requests.
"""

from django.db import migrations

from portal import append_only

RIGHTS = {
    "security_admin": ["add_rolegrant", "view_rolegrant", "approve_rolegrant"],
    "auditor": ["view_accountauditentry", "view_rolegrant"],
}


def give_rights(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config("portal")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in RIGHTS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="portal", codename__in=codenames
            )
        )


def take_rights(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in RIGHTS.items():
        for group in Group.objects.filter(name=name):
            group.permissions.remove(
                *Permission.objects.filter(
                    content_type__app_label="portal", codename__in=codenames
                )
            )


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0001_account_audit_and_role_grants"),
        ("catalog", "0003_security_roles"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        append_only.guard(
            "portal_accountauditentry",
            function="portal_account_audit_append_only",
            rows="account audit entries",
        ),
        migrations.RunPython(give_rights, take_rights),
    ]
