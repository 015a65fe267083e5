"""Loading generated rows: ``COPY`` from worker threads on PostgreSQL (with
the secondary indexes dropped and rebuilt for large loads), ``bulk_create``
elsewhere."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

from django.db import connections, transaction

from disclosure.management.bulk_items.rows import RowTemplate
from disclosure.models import Attachment, Item, PublicRecord

# --- loading ------------------------------------------------------------------------

LOADED_MODELS = (Item, PublicRecord, Attachment)


class PostgresIndexes:
    """The secondary indexes of the loaded tables (b-tree and GIN), dropped
    before a large load and built again after it: a GIN index with
    ``fastupdate = off`` costs a tree insertion per token of every row, a
    build sorts them all once. Primary keys and unique constraints stay:
    they guard the data."""

    def __init__(self, connection):
        self.connection = connection
        with connection.cursor() as cursor:
            cursor.execute(
                """
                SELECT i.indexname, i.indexdef
                FROM pg_indexes i
                JOIN pg_class c ON c.oid = (quote_ident(i.indexname))::regclass
                WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s)
                  AND NOT EXISTS (
                      SELECT 1 FROM pg_constraint k WHERE k.conindid = c.oid
                  )
                ORDER BY pg_relation_size(c.oid) DESC, i.indexname
                """,
                [[m._meta.db_table for m in LOADED_MODELS]],
            )
            self.definitions = cursor.fetchall()

    def drop(self):
        quote = self.connection.ops.quote_name
        with self.connection.cursor() as cursor:
            for name, _definition in self.definitions:
                cursor.execute(f"DROP INDEX IF EXISTS {quote(name)}")

    def create(self, workers: int, write) -> None:
        """Build the indexes, ``workers`` at a time, each in a connection of
        its own thread (the biggest first: a GIN build is not parallel)."""
        using = self.connection.alias

        def build(name, definition):
            started = time.monotonic()
            try:
                with connections[using].cursor() as cursor:
                    cursor.execute("SET maintenance_work_mem = '1GB'")
                    cursor.execute(
                        definition.replace(
                            "CREATE INDEX ", "CREATE INDEX IF NOT EXISTS ", 1
                        )
                    )
            finally:
                connections[using].close()
            return f"  {name}: {time.monotonic() - started:.1f} s"

        if workers <= 1 or self.connection.in_atomic_block:
            # In the caller's transaction (other connections would wait for
            # its locks), one after the other.
            with self.connection.cursor() as cursor:
                if self.connection.in_atomic_block:
                    # Run the deferred foreign key checks first: an index
                    # cannot be built on a table with pending trigger events.
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                for name, definition in self.definitions:
                    started = time.monotonic()
                    cursor.execute(definition)
                    write(f"  {name}: {time.monotonic() - started:.1f} s")
                if self.connection.in_atomic_block:
                    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            return
        with ThreadPoolExecutor(max_workers=workers) as pool:
            futures = [pool.submit(build, *pair) for pair in self.definitions]
            for future in futures:
                write(future.result())


def _reserve_ids(connection, table: str, count: int) -> list[int]:
    """``count`` values of the table's id sequence (safe with concurrent
    inserts: other sessions' ids are simply not in the list)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) "
            "FROM generate_series(1, %s)",
            [table, count],
        )
        return [row[0] for row in cursor.fetchall()]


def _copy(connection, template: RowTemplate, rows) -> None:
    quote = connection.ops.quote_name
    columns = ", ".join(quote(column) for column in template.columns)
    with connection.cursor() as cursor:
        with cursor.cursor.copy(
            f"COPY {quote(template.table)} ({columns}) FROM STDIN"
        ) as copy:
            for row in rows:
                copy.write_row(template.row(row))


class Loader:
    """Writes filled batches: ``COPY`` on PostgreSQL, ``bulk_create``
    elsewhere. One batch, one transaction."""

    def __init__(self, using: str):
        self.using = using
        self.templates = {model: RowTemplate(model) for model in LOADED_MODELS}

    def write(self, filled: list[dict]) -> int:
        using = self.using
        connection = connections[using]
        attachments = [a for row in filled for a in row["attachments"]]
        with transaction.atomic(using=using):
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    # Losing the last batches in a crash is acceptable here.
                    cursor.execute("SET LOCAL synchronous_commit = off")
                _copy(connection, self.templates[Item], (r["item"] for r in filled))
                _copy(
                    connection,
                    self.templates[PublicRecord],
                    (r["record"] for r in filled),
                )
                if attachments:
                    ids = _reserve_ids(
                        connection, Attachment._meta.db_table, len(attachments)
                    )
                    for pk, attachment in zip(ids, attachments, strict=True):
                        attachment["id"] = pk
                    _copy(connection, self.templates[Attachment], attachments)
            else:
                Item.objects.using(using).bulk_create(
                    [Item(**r["item"]) for r in filled], batch_size=500
                )
                PublicRecord.objects.using(using).bulk_create(
                    [PublicRecord(**r["record"]) for r in filled], batch_size=500
                )
                Attachment.objects.using(using).bulk_create(
                    [Attachment(**a) for a in attachments], batch_size=500
                )
        return len(filled)


def next_item_ids(using: str, count: int) -> list[int]:
    connection = connections[using]
    if connection.vendor == "postgresql":
        return _reserve_ids(connection, Item._meta.db_table, count)
    # Elsewhere: after the highest id (call in the transaction that inserts
    # them, on SQLite a write transaction: transaction_mode IMMEDIATE).
    last = Item.objects.using(using).order_by("-pk").values_list("pk", flat=True)
    first = (last.first() or 0) + 1
    return list(range(first, first + count))
