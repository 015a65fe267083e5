"""Give an account a role from the server's command line: for setting up a
new installation (the first security, system and audit administrators), when
there is no second administrator yet to approve a request in the admin.

    manage.py grant_role anquan security_admin
    manage.py grant_role wangxin clerk --department czj

Whoever runs it is the operator of the server (who could change the database
anyway); the account trail records the change with no actor ("系统（命令行）").
In a running installation, roles are requested and approved in the admin
(授权申请) by two administrators. The rules that keep the administrator roles
apart apply here too.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from catalog.models import Department, Membership
from portal.accounts import duties
from portal.models import RoleGrant

ROLES = sorted(duties.GROUP_LABELS) + ["clerk", "head"]


class Command(BaseCommand):
    help = "Give an account a role (setting up an installation; recorded in the trail)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("role", choices=ROLES)
        parser.add_argument("--department", help="the department's code (clerk, head)")

    def handle(self, *args, username, role, department, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No account {username!r}.")
        if role in ("clerk", "head"):
            found = Department.objects.filter(code=department or "").first()
            if found is None:
                raise CommandError("--department: the code of an existing department.")
            kind, fields = (
                RoleGrant.Kind.MEMBERSHIP,
                {
                    "department": found,
                    "membership_role": role,
                },
            )
        else:
            kind, fields = RoleGrant.Kind.GROUP, {"group": Group.objects.get(name=role)}
        if duties.holds(user, kind=kind, **fields):
            self.stdout.write(f"{username} already has {role}.")
            return
        conflict = duties.conflict(user, kind=kind, **fields)
        if conflict:
            raise CommandError(conflict)
        with transaction.atomic():
            if kind == RoleGrant.Kind.MEMBERSHIP:
                Membership.objects.create(
                    user=user, role=role, department=fields["department"]
                )
            else:
                user.groups.add(fields["group"])
                if role in duties.ADMINISTRATOR_GROUPS and not user.is_staff:
                    user.is_staff = True
                    user.save(update_fields=["is_staff"])
        self.stdout.write(f"{username}: {role} given (recorded in the account trail).")
