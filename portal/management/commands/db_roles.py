"""Create or update the restricted PostgreSQL role that the portal runs as.

The role that owns the tables (and runs ``migrate``) can do anything to them:
TRUNCATE the audit trails, disable their triggers, ALTER or DROP them. The
web servers and cron jobs should not. Run as the owner, after every
``migrate``::

    RUNTIME_DB_PASSWORD=… manage.py db_roles portal_app --password-env RUNTIME_DB_PASSWORD

and point the servers' DATABASE_URL at ``portal_app``. The runtime role gets:

- CONNECT on the database and USAGE on the schema, nothing else on them (no
  CREATE: it cannot add tables or functions);
- SELECT, INSERT, UPDATE, DELETE on the tables, and the sequences;
- on the audit trails (every ``portal.append_only.AppendOnly`` model) SELECT and INSERT only;
- SELECT only on ``django_migrations`` (the servers never migrate).

Not being the owner, it can never TRUNCATE, ALTER (DISABLE TRIGGER), DROP or
take ownership of a table. ``--sql`` prints the statements instead, for a
database administrator to run (creating a role needs CREATEROLE).
See docs/operations.md.
"""

import os
import re

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from portal.append_only import AppendOnly

READ_ONLY_TABLES = ["django_migrations"]
ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def append_only_tables() -> list[str]:
    """The tables of every append-only model (``portal/append_only.py``): the
    runtime role may only read and add to them. Taken from the models, so a
    new audit trail is covered without editing this list."""
    return sorted(
        model._meta.db_table
        for model in apps.get_models()
        if issubclass(model, AppendOnly) and not model._meta.proxy
    )


def quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def statements(*, role: str, database: str, schema: str, owner: str, password=None):
    """The SQL that makes ``role`` the restricted runtime role."""
    r, db, s = quote(role), quote(database), quote(schema)
    audit_tables = ", ".join(f"{s}.{quote(table)}" for table in append_only_tables())
    read_only = ", ".join(f"{s}.{quote(name)}" for name in READ_ONLY_TABLES)
    attributes = "LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS"
    sql = [
        "DO $$ BEGIN "
        f"IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = {literal(role)}) "
        f"THEN CREATE ROLE {r} {attributes}; END IF; END $$",
        f"ALTER ROLE {r} {attributes}"
        + (f" PASSWORD {literal(password)}" if password is not None else ""),
        f"REVOKE ALL ON DATABASE {db} FROM {r}",
        f"GRANT CONNECT ON DATABASE {db} TO {r}",
        f"REVOKE ALL ON SCHEMA {s} FROM {r}",
        f"GRANT USAGE ON SCHEMA {s} TO {r}",
        f"REVOKE ALL ON ALL TABLES IN SCHEMA {s} FROM {r}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {s} TO {r}",
        f"REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON {audit_tables} FROM {r}",
        f"REVOKE INSERT, UPDATE, DELETE ON {read_only} FROM {r}",
        f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {s} FROM {r}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {s} TO {r}",
        # Tables a later migration adds are usable before the next run of
        # this command (which then takes UPDATE/DELETE off a new audit
        # table; its trigger refuses them meanwhile).
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {quote(owner)} IN SCHEMA {s} "
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {r}",
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {quote(owner)} IN SCHEMA {s} "
        f"GRANT USAGE, SELECT ON SEQUENCES TO {r}",
    ]
    return sql


class Command(BaseCommand):
    help = (
        "Create or update the restricted PostgreSQL role the portal runs as "
        "(no TRUNCATE, ALTER or DROP; the audit trails append-only). Run as "
        "the owner of the tables, after migrate."
    )

    def add_arguments(self, parser):
        parser.add_argument("role", help="the runtime role, e.g. portal_app")
        parser.add_argument(
            "--password-env",
            metavar="VARIABLE",
            help="set the role's password from this environment variable",
        )
        parser.add_argument(
            "--sql", action="store_true", help="print the SQL instead of running it"
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, role, password_env, sql, database, **options):
        connection = connections[database]
        if connection.vendor != "postgresql":
            raise CommandError(
                "db_roles is for PostgreSQL (DATABASE_URL=postgres://…)."
            )
        if not ROLE_NAME.match(role):
            raise CommandError(
                "The role name must be lower-case letters, digits and _ "
                "(e.g. portal_app)."
            )
        password = None
        if password_env:
            password = os.environ.get(password_env)
            if not password:
                raise CommandError(f"The environment variable {password_env} is empty.")
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_user, current_database(), current_schema()")
            owner, database_name, schema = cursor.fetchone()
        if role == owner:
            raise CommandError(
                f"{role} is the role this command connects as (the owner): the "
                "runtime role must be another one."
            )
        sql_statements = statements(
            role=role,
            database=database_name,
            schema=schema,
            owner=owner,
            password=password,
        )
        if sql:
            for statement in sql_statements:
                self.stdout.write(statement + ";")
            return
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_has_role(rolname, %s, 'MEMBER') FROM pg_roles "
                "WHERE rolname = %s",
                [owner, role],
            )
            row = cursor.fetchone()
        member = bool(row and row[0])
        if member:
            raise CommandError(
                f"{role} is a member of {owner}: it would have the owner's rights. "
                f"REVOKE {owner} FROM {role} first."
            )
        with connection.cursor() as cursor:
            for statement in sql_statements:
                cursor.execute(statement)
        self.stdout.write(
            f"{role}: may read and write the portal's rows in {database_name}; "
            "the audit trails only read and append; no TRUNCATE, ALTER or DROP."
        )
