"""The publication generation: a number kept in the database (one row,
:class:`~disclosure.models.PublicationGeneration`) and bumped, in the same
transaction, whenever a public record, a change note, a published attachment,
a catalog row, the site's settings or a consultation changes (the signal
receivers below).

Whatever keeps a copy of what the public sees keys it by the generation, so a
new generation makes every such copy a miss: the page cache
(``disclosure/public/cache.py``: publishing, withdrawing or removing an item
shows on the next request) and the catalog snapshot (``disclosure/reference.py``).

The number lives in the database, not in the cache, so that every server
process sees a bump whatever the cache is: the local-memory default (each
process its own), Redis, or Redis while it is down. Each process reads it at
most once per ``PORTAL_GENERATION_CHECK_SECONDS`` (default 1; one primary-key
read) and keeps it meanwhile: a bump made by another process shows there
within that second, at once in the process that made it (it reads again
after its commit).

A bump is an ``UPDATE`` of the one row inside the transaction that changes
the public rows: readers see the new number exactly when they can see the
new rows (never a new number with old rows, which a cache would then keep).
Concurrent publications queue on that row until each commits, which is
short. A value read inside a transaction is never kept for other requests
(it may be this transaction's own, not yet committed).

If the database cannot be read, the process goes on with the number it read
last (nothing public can change while the database is down) and says so in
the log once; a process that never read one fails like any database read.

The receivers are connected by ``DisclosureConfig.ready()``, in every process
that publishes (web, management commands).
"""

import logging
import time

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.db.models import F
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from catalog.models import (
    CatalogArea,
    CatalogEntry,
    Department,
    DocumentType,
    TopicCategory,
)
from disclosure.models import (
    Attachment,
    ChangeNote,
    Consultation,
    PublicationGeneration,
    PublicRecord,
    SiteSettings,
)

logger = logging.getLogger(__name__)

#: The primary key of the one row.
ROW = 1


def generation_check_seconds() -> float:
    return float(getattr(settings, "PORTAL_GENERATION_CHECK_SECONDS", 1))


#: What this process read last, and until when it trusts it.
_seen: dict = {"value": None, "bumped_at": 0.0, "until": 0.0, "failing": False}


def forget_generation() -> None:
    """Read the generation from the database next time."""
    _seen["until"] = 0.0


def _in_transaction(using=DEFAULT_DB_ALIAS) -> bool:
    """Inside a transaction of the application's own (the atomic block that
    a test case wraps around each test does not count: it stands for
    autocommit; Django's ``durable`` check reads the same marker)."""
    return any(
        not getattr(block, "_from_testcase", False)
        for block in connections[using].atomic_blocks
    )


def _read() -> tuple[int, float]:
    rows = PublicationGeneration.objects.using(DEFAULT_DB_ALIAS)
    found = rows.filter(pk=ROW).values_list("value", "bumped_at").first()
    if found is None:
        # A database emptied by hand (or by a test's flush): start again from
        # a time-based number, which never repeats one a cache may hold.
        row, _created = rows.get_or_create(
            pk=ROW, defaults={"value": time.time_ns(), "bumped_at": timezone.now()}
        )
        found = (row.value, row.bumped_at)
    return found[0], found[1].timestamp()


def _state() -> tuple[int, float]:
    if _seen["value"] is not None and time.monotonic() < _seen["until"]:
        return _seen["value"], _seen["bumped_at"]
    try:
        value, bumped_at = _read()
    except DatabaseError:
        if _seen["value"] is None or _in_transaction():
            raise
        if not _seen["failing"]:
            logger.exception(
                "The publication generation cannot be read; pages cached "
                "under generation %s are served until the database answers.",
                _seen["value"],
            )
        _seen["failing"] = True
        _seen["until"] = time.monotonic() + generation_check_seconds()
        return _seen["value"], _seen["bumped_at"]
    if _seen["failing"]:
        logger.warning("The publication generation can be read again.")
        _seen["failing"] = False
    if not _in_transaction():
        _seen.update(
            value=value,
            bumped_at=bumped_at,
            until=time.monotonic() + generation_check_seconds(),
        )
    return value, bumped_at


def generation() -> int:
    """The current publication generation (as this process last read it)."""
    return _state()[0]


def bumped_at() -> float:
    """When the generation was bumped last (a Unix time)."""
    return _state()[1]


def bump_generation(using=DEFAULT_DB_ALIAS) -> None:
    """Bump the generation in the current transaction (in autocommit: at
    once). This process reads it again after the commit."""
    rows = PublicationGeneration.objects.using(using)
    now = timezone.now()
    if not rows.filter(pk=ROW).update(value=F("value") + 1, bumped_at=now):
        rows.get_or_create(pk=ROW, defaults={"value": time.time_ns(), "bumped_at": now})
    forget_generation()
    transaction.on_commit(forget_generation, using=using)


def publication_changed(using=None) -> None:
    """Call when what the public sees changes, in the transaction that
    changes it: the pages cached so far are stale."""
    bump_generation(using or DEFAULT_DB_ALIAS)


@receiver([post_save, post_delete], sender=PublicRecord)
@receiver([post_save, post_delete], sender=ChangeNote)
@receiver([post_save, post_delete], sender=Department)
@receiver([post_save, post_delete], sender=TopicCategory)
@receiver([post_save, post_delete], sender=DocumentType)
@receiver([post_save, post_delete], sender=CatalogArea)
@receiver([post_save, post_delete], sender=CatalogEntry)
# The site's name and footer are on every page; a policy's page links the
# feedback of the consultation it came from.
@receiver([post_save, post_delete], sender=SiteSettings)
@receiver([post_save, post_delete], sender=Consultation)
def _public_row_changed(sender, using=None, **kwargs):
    publication_changed(using)


@receiver([post_save, post_delete], sender=Attachment)
def _attachment_changed(sender, instance, using=None, created=False, **kwargs):
    if created and not instance.is_published:
        return  # a new upload to a working copy: not public yet
    publication_changed(using)
