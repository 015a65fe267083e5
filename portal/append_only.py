"""Append-only rows: the audit trails (who did what, when, and why) and the
published revisions of annual reports, written once and never changed or
deleted. Three guards, all defined here:

- the model refuses ``save()`` of a row that exists and ``delete()``
  (:class:`AppendOnly`);
- its querysets refuse ``update()`` and ``delete()`` (and so ``bulk_update``,
  related managers and ``update_or_create`` of an existing row);
- on PostgreSQL a row trigger ``<table>_append_only`` refuses UPDATE and
  DELETE whatever code tries them, raw SQL included. A migration adds it with
  :func:`guard` when it creates the table.

Each trail declares its fields in its own order (the admin and the archive
show them so), the common ones with :func:`actor_field`, :func:`at_field` and
:func:`action_field`.
"""

from functools import partial

from django.conf import settings
from django.db import migrations, models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    """An attempt to change or delete an append-only row."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError(f"{self.model._meta.label} rows are never changed")

    def delete(self):
        raise AppendOnlyError(f"{self.model._meta.label} rows are never deleted")


class AppendOnly(models.Model):
    """Rows written once and never changed or deleted (the model and its
    querysets refuse, and on PostgreSQL a trigger rejects UPDATE and DELETE)."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None or not self._state.adding:
            raise AppendOnlyError(f"{self._meta.label} rows are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{self._meta.label} rows are never deleted")


def actor_field(**options) -> models.ForeignKey:
    """Who took the step. A trail that also keeps steps without an account
    (the public's, the system's) passes ``null=True, blank=True`` and a
    ``help_text`` that says who they are."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        on_delete=models.PROTECT,
        related_name="+",
        **options,
    )


def at_field() -> models.DateTimeField:
    """When."""
    return models.DateTimeField(_("时间"), default=timezone.now, db_index=True)


def action_field(choices, max_length: int = 20) -> models.CharField:
    """What: one of the trail's ``Action`` choices."""
    return models.CharField(_("操作"), max_length=max_length, choices=choices)


class AuditTrail(AppendOnly):
    """One entry of an audit trail. A subclass declares ``actor``, ``at`` and
    ``action`` (with an ``Action`` choice class) and what it keeps of the
    reason or the details; its ``Meta`` extends this one
    (``class Meta(AuditTrail.Meta)``) for the order of the trail."""

    class Meta:
        abstract = True
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()}"


# --- the PostgreSQL trigger, for migrations ---------------------------------------
# Applied migrations ran this SQL: change it only with a new migration.


def function_sql(function: str, rows: str) -> str:
    """The trigger function that refuses any UPDATE or DELETE of ``rows``
    (what the error message calls them)."""
    return f"""
CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '{rows} are append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
"""


def trigger_sql(table: str, function: str) -> str:
    return (
        f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE "
        f"ON {table} FOR EACH ROW EXECUTE FUNCTION {function}();"
    )


def _add_guard(apps, schema_editor, *, tables, function, rows):
    if schema_editor.connection.vendor != "postgresql":
        return
    if rows:
        # params=None: the SQL holds a literal "%" (RAISE's placeholder) that
        # must not be taken for a query parameter.
        schema_editor.execute(function_sql(function, rows), params=None)
    for table in tables:
        schema_editor.execute(trigger_sql(table, function), params=None)


def _drop_guard(apps, schema_editor, *, tables, function, rows):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in tables:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};")
    if rows:
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {function}();")


def guard(*tables: str, function: str, rows: str = "") -> migrations.RunPython:
    """The migration operation that makes ``tables`` append-only on
    PostgreSQL (elsewhere it does nothing): a trigger on each that calls
    ``function``. With ``rows`` (what the error calls them) it creates the
    function too, and drops it when reversed; without, the function is an
    earlier migration's.

    TRUNCATE (test database flushes, restores into an empty database) does not
    fire row triggers; UPDATE and DELETE do."""
    arguments = {"tables": tables, "function": function, "rows": rows}
    return migrations.RunPython(
        partial(_add_guard, **arguments), partial(_drop_guard, **arguments)
    )
