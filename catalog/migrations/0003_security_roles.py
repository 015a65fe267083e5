"""Separated duties (三员分立, 等保 2.0): three administrator roles as groups,
each with only the model permissions its work needs.

- system_admin (系统管理员): departments, the catalog, the reference lists,
  the work calendar and the departments' review configuration;
- security_admin (安全管理员): user accounts and their department roles,
  login lockouts (unlocking) and two-factor devices (reset);
- auditor (审计管理员): reads the audit trail, nothing else.

None of them can change what another one manages. The groups' permissions are
not editable by a security administrator (who may only view groups); only a
superuser changes them.
"""

from django.db import migrations

CRUD = ("add", "change", "delete", "view")

ROLES = {
    "system_admin": {
        "catalog": {
            "department": CRUD,
            "topiccategory": CRUD,
            "documenttype": CRUD,
            "channel": CRUD,
            "catalogarea": CRUD,
            "catalogentry": CRUD,
            "calendarday": CRUD,
            "calendaryear": CRUD,
        },
        "disclosure": {"reviewconfig": CRUD},
    },
    "security_admin": {
        "auth": {"user": CRUD, "group": ("view",), "permission": ("view",)},
        "catalog": {"membership": CRUD},
        "axes": {
            "accessattempt": ("view", "delete"),
            "accesslog": ("view",),
            "accessfailurelog": ("view",),
        },
        "otp_totp": {"totpdevice": ("view", "delete")},
    },
    "auditor": {"disclosure": {"auditentry": ("view",)}},
}


def _create_permissions(apps):
    """Permissions are normally created after all migrations have run; a
    fresh database needs them now."""
    from django.contrib.auth.management import create_permissions

    labels = {label for role in ROLES.values() for label in role}
    for app_config in apps.get_app_configs():
        if app_config.label in labels:
            app_config.models_module = True
            create_permissions(app_config, apps=apps, verbosity=0)
            app_config.models_module = None


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    _create_permissions(apps)
    for name, models in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        codenames = [
            (app_label, f"{action}_{model}")
            for app_label, actions_by_model in models.items()
            for model, actions in actions_by_model.items()
            for action in actions
        ]
        permissions = []
        for app_label, codename in codenames:
            permissions.append(
                Permission.objects.get(
                    content_type__app_label=app_label, codename=codename
                )
            )
        group.permissions.set(permissions)


def delete_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0002_seed_reference_data"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("disclosure", "0001_initial"),
        ("axes", "0008_accessfailurelog"),
        ("otp_totp", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_roles, delete_roles)]
