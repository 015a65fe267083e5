"""Attachments uploaded before the public copy was made at upload, fail closed.

Until now an attachment without ``public_file`` was served to the public as
uploaded, whether nothing had to be removed or the metadata could not be
removed (a damaged PDF was published with its author). From now on the public
downloads only a checked copy: ``public_file``, or the original when
``public_sha256`` equals ``sha256`` (nothing to remove). This migration checks
the older attachments once more: a clean copy is stored or the original is
marked clean; one that cannot be cleaned keeps no public download, and is
logged (``disclosure.scrub``) for the office to replace.
"""

import hashlib
import logging

from django.core.files.base import ContentFile
from django.db import migrations
from django.db.models import F

logger = logging.getLogger("disclosure.scrub")


def check_older_attachments(apps, schema_editor):
    from disclosure.scrub import ScrubError, strip_metadata
    from disclosure.uploads import zip_limits

    Attachment = apps.get_model("disclosure", "Attachment")
    unchecked = Attachment.objects.filter(public_sha256="", public_file="")
    limits = zip_limits()
    # Generated data points many rows at one stored file: each file once.
    for stored, extension in (
        unchecked.order_by().values_list("file", "extension").distinct().iterator()
    ):
        sample = unchecked.filter(file=stored).first()
        try:
            with sample.file.open("rb") as handle:
                original = handle.read()
            cleaned = strip_metadata(original, extension, limits=limits)
        except (OSError, ScrubError) as error:
            logger.warning(
                "attachment %s of item %s has no public download: %s",
                sample.original_name,
                sample.item_id,
                error,
            )
            continue
        rows = unchecked.filter(file=stored)
        if cleaned == original:
            rows.update(public_sha256=F("sha256"))
            continue
        sample.public_file.save(
            f"{sample.token}.public.{extension}", ContentFile(cleaned), save=False
        )
        rows.update(
            public_file=sample.public_file.name,
            public_sha256=hashlib.sha256(cleaned).hexdigest(),
        )


class Migration(migrations.Migration):
    dependencies = [
        ("disclosure", "0005_live_listing_indexes"),
    ]

    operations = [
        migrations.RunPython(check_older_attachments, migrations.RunPython.noop),
    ]
