"""索引号: assigned when an item is first published, unique, never changed.

The format is a setting, ``PORTAL_INDEX_NUMBER_FORMAT`` (default
``{publisher}/{year}-{serial:05d}``, e.g. ``000014349/2020-00072``), with the
serial counted per publisher code and year. The counter row is locked with
SELECT ... FOR UPDATE inside the publishing transaction, so two items published
at the same moment wait for each other and get consecutive numbers; a
transaction that rolls back gives its number back, leaving no gap.
"""

from django.conf import settings
from django.db import transaction

from .models import IndexSerial

DEFAULT_FORMAT = "{publisher}/{year}-{serial:05d}"


def index_number_format() -> str:
    return getattr(settings, "PORTAL_INDEX_NUMBER_FORMAT", DEFAULT_FORMAT)


def format_index_number(publisher: str, year: int, serial: int) -> str:
    return index_number_format().format(publisher=publisher, year=year, serial=serial)


def allocate_index_number(publisher: str, year: int) -> str:
    """The next index number for a publisher and year. Call inside the
    transaction that publishes the item."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("allocate_index_number must run inside a transaction")
    IndexSerial.objects.bulk_create(
        [IndexSerial(publisher_code=publisher, year=year, last_serial=0)],
        ignore_conflicts=True,
    )
    counter = IndexSerial.objects.select_for_update().get(
        publisher_code=publisher, year=year
    )
    counter.last_serial += 1
    counter.save(update_fields=["last_serial"])
    return format_index_number(publisher, year, counter.last_serial)
