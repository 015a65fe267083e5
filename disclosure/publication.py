"""The publication generation: a number kept in Django's cache and bumped
(by the signal receivers below) whenever a public record, a change note, a
published attachment, a catalog row, the site's settings or a consultation
changes, at once and again when the transaction commits.

Whatever keeps a copy of what the public sees keys it by the generation, so a
new generation makes every such copy a miss: the page cache
(``disclosure/public/cache.py``: publishing, withdrawing or removing an item
shows on the next request) and the catalog snapshot (``disclosure/reference.py``).

Every process must share the cache for the bump to reach them all: with
several server processes, configure ``CACHE_URL`` (Redis). With the local-memory
default each process has its own cache and its own generation; pages are then
at most ``PORTAL_PAGE_CACHE_SECONDS`` old in the other processes.

Each process keeps the generation it last read for
``PORTAL_GENERATION_CHECK_SECONDS`` (default 1): a cache hit is then one
round trip to the cache, and a bump made by another process shows there
within that second (at once in the process that made it).

The receivers are connected by ``DisclosureConfig.ready()``, in every process
that publishes (web, management commands).
"""

import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

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
    PublicRecord,
    SiteSettings,
)

GENERATION_KEY = "disclosure:publication-generation"
#: When the generation was bumped last (the page cache keeps pages rendered
#: just after a bump only briefly while read replicas catch up).
BUMPED_AT_KEY = "disclosure:publication-generation-bumped-at"


def generation_check_seconds() -> float:
    return float(getattr(settings, "PORTAL_GENERATION_CHECK_SECONDS", 1))


#: The generation this process read last, and until when it trusts it.
_seen: dict = {"value": None, "until": 0.0}


def _remember(value: int) -> int:
    _seen["until"] = time.monotonic() + generation_check_seconds()
    _seen["value"] = value
    return value


def forget_generation() -> None:
    """Read the generation from the cache next time (tests empty the cache)."""
    _seen["value"] = None
    _seen["until"] = 0.0


def generation() -> int:
    value = _seen["value"]
    if value is not None and time.monotonic() < _seen["until"]:
        return value
    value = cache.get(GENERATION_KEY)
    if value is None:
        # A time-based start never repeats a generation used before the cache
        # was emptied, so no stale entry can come back.
        cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
        value = cache.get(GENERATION_KEY, time.time_ns())
    return _remember(value)


def bump_generation() -> None:
    cache.set(BUMPED_AT_KEY, time.time(), timeout=None)
    try:
        value = cache.incr(GENERATION_KEY)
    except ValueError:
        value = time.time_ns()
        cache.set(GENERATION_KEY, value, timeout=None)
    _remember(value)


def publication_changed(using=None) -> None:
    """Call when what the public sees changes: the pages cached so far are
    stale. Bumps now (this process's next request) and again after the commit
    (a request that read the old rows meanwhile cached them under the
    generation of the first bump)."""
    bump_generation()
    transaction.on_commit(bump_generation, using=using, robust=True)


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
