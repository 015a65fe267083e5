"""``manage.py generate_items N``: bulk-insert N realistic published items for
benchmarks and load tests (bench/README.md).

Each generated item is what the workflow would have left behind after
publishing it: an :class:`~disclosure.models.Item` in state ``published`` with
its :class:`~disclosure.models.PublicRecord` (search tokens computed by
:func:`disclosure.search.record_tokens`, exactly as ``PublicRecord.save()``
does), some published :class:`~disclosure.models.Attachment` rows, and index
numbers taken from the :class:`~disclosure.models.IndexSerial` counters, which
are advanced so that later real publications continue after them. Revisions
and audit entries are not written (the items have no editing history).

Titles and bodies are made of the words government sites use (关于, 印发,
实施方案, 补贴, 公示, 招标, 预算, 决算, 行政许可, 街道, 乡镇, …), spread
over the departments, topics, catalog entries and ``--years`` years up to
now, oldest first.

On PostgreSQL the rows go in with ``COPY``, written by ``--workers`` threads
(each with its own connection) while this thread makes the next batch; the
database computes the generated ``tsvector`` columns of migration 0003 as
the rows arrive. For large loads (``N`` at least :data:`DROP_INDEXES_FROM`,
unless ``--keep-indexes``) the secondary indexes of the three tables (b-tree
and GIN) are dropped first and built again at the end, several at a time (the
statements are printed first, and run even if the load fails); primary keys,
unique constraints and foreign keys stay. The tables are then vacuumed and
analysed. Do not run a large load on a database that serves visitors at the
same time. Elsewhere (SQLite) the rows go in with ``bulk_create`` in this
thread, and the FTS triggers index them. ``bench/README.md`` has the timings.

The generator and the loader are in ``disclosure/management/bulk_items/``."""

from __future__ import annotations

import hashlib
import random
import time
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone

from disclosure.management.bulk_items.directory import (
    Timeline,
    ensure_catalog,
    load_directory,
)
from disclosure.management.bulk_items.loading import (
    LOADED_MODELS,
    Loader,
    PostgresIndexes,
    next_item_ids,
)
from disclosure.management.bulk_items.rows import (
    MINIMAL_PDF,
    SHARED_ATTACHMENT,
    Generator,
    assign_index_numbers,
)
from disclosure.publication import publication_changed

#: From this many items on, PostgreSQL secondary indexes are rebuilt after the
#: load instead of being maintained row by row.
DROP_INDEXES_FROM = 100_000


class Command(BaseCommand):
    help = (
        "Bulk-insert N realistic published items (with public records, search "
        "tokens, index numbers and some attachments) for benchmarks."
    )

    def add_arguments(self, parser):
        parser.add_argument("count", type=int, help="How many items to add.")
        parser.add_argument(
            "--batch", type=int, default=5_000, help="Items per transaction."
        )
        parser.add_argument(
            "--seed", type=int, default=2026, help="Random seed (same seed, same text)."
        )
        parser.add_argument(
            "--years",
            type=int,
            default=10,
            help="Spread the publication dates over this many years up to now.",
        )
        parser.add_argument(
            "--attachments",
            type=float,
            default=0.1,
            help="Share of items with attachments (default 0.1).",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=2,
            help="PostgreSQL: writer threads, each with its own connection "
            "(default 2; 0 writes in the main thread, as on other databases).",
        )
        parser.add_argument(
            "--keep-indexes",
            action="store_true",
            help="PostgreSQL: maintain the secondary indexes during the load "
            f"(default: built again after it from {DROP_INDEXES_FROM} items on).",
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, count, batch, seed, years, attachments, workers, **options):
        if count < 1 or batch < 1 or years < 1 or workers < 0:
            raise CommandError("N, --batch and --years must be positive")
        if not 0 <= attachments <= 1:
            raise CommandError("--attachments must be between 0 and 1")
        using = options["database"]
        connection = connections[using]
        postgres = connection.vendor == "postgresql"
        if not postgres:
            workers = 0
        started = time.monotonic()
        ensure_catalog(using)
        directory = load_directory(using)
        if not default_storage.exists(SHARED_ATTACHMENT):
            default_storage.save(SHARED_ATTACHMENT, ContentFile(MINIMAL_PDF))
        generator = Generator(
            directory,
            Timeline(count, years, timezone.now()),
            random.Random(seed),  # noqa: S311 - test data, not security
            attachments,
            (len(MINIMAL_PDF), hashlib.sha256(MINIMAL_PDF).hexdigest()),
        )
        loader = Loader(using)
        indexes = None
        if postgres and count >= DROP_INDEXES_FROM and not options["keep_indexes"]:
            indexes = PostgresIndexes(connection)
            self.stdout.write(
                "Dropping these indexes for the load; they are built again at "
                "the end (should that not happen, run these statements):"
            )
            for _name, definition in indexes.definitions:
                self.stdout.write(f"  {definition};")
            indexes.drop()
        try:
            self._load(using, generator, loader, count, batch, workers, started)
        finally:
            if indexes is not None:
                building = time.monotonic()
                self.stdout.write("Building the indexes:")
                indexes.create(workers, self.stdout.write)
                self.stdout.write(f"Indexes: {time.monotonic() - building:.0f} s")
        if postgres:
            vacuuming = time.monotonic()
            # VACUUM sets the visibility map (index-only scans); it cannot run
            # in a transaction (a test's), where the statistics must do.
            command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
            with connection.cursor() as cursor:
                for model in LOADED_MODELS:
                    table = connection.ops.quote_name(model._meta.db_table)
                    cursor.execute(f"{command} {table}")
            self.stdout.write(f"{command}: {time.monotonic() - vacuuming:.0f} s")
        publication_changed(using)  # the cached public pages are stale
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {count} published items in "
                f"{time.monotonic() - started:.0f} s "
                f"(this process: {time.process_time():.0f} s CPU)."
            )
        )

    def _load(self, using, generator, loader, count, batch, workers, started):
        """Plan and fill each batch here, in order (ids and index numbers are
        taken in a short transaction of their own), and write it here
        (``workers=0``) or in writer threads, each with its own connection,
        while the next batch is being filled."""

        def fill(plans, item_ids):
            return [
                generator.fill(plan, item_id)
                for plan, item_id in zip(plans, item_ids, strict=True)
            ]

        def filled(start, size):
            plans = [generator.plan(start + offset) for offset in range(size)]
            with transaction.atomic(using=using):
                item_ids = next_item_ids(using, size)
                assign_index_numbers(plans, using)
                if not workers:  # the counters and the rows in one transaction
                    loader.write(fill(plans, item_ids))
                    return None
            return fill(plans, item_ids)

        def report(done):
            elapsed = time.monotonic() - started
            self.stdout.write(f"{done} items ({done / elapsed:.0f}/s, {elapsed:.0f} s)")

        if not workers:
            for start in range(0, count, batch):
                filled(start, min(batch, count - start))
                report(min(start + batch, count))
            return

        def write_in_thread(rows):
            try:
                return loader.write(rows)
            finally:
                connections[using].close()

        done = 0
        with ThreadPoolExecutor(max_workers=workers) as pool:
            pending = set()
            for start in range(0, count, batch):
                rows = filled(start, min(batch, count - start))
                pending.add(pool.submit(write_in_thread, rows))
                while len(pending) > workers:
                    finished, pending = wait(pending, return_when=FIRST_COMPLETED)
                    for future in finished:
                        done += future.result()
                        report(done)
            for future in pending:
                done += future.result()
                report(done)
