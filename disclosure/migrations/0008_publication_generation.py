"""The publication generation moves from the cache into the database, so that
every server process sees a bump (disclosure/publication.py)."""

import time

import django.utils.timezone
from django.db import migrations, models


def first_row(apps, schema_editor):
    PublicationGeneration = apps.get_model("disclosure", "PublicationGeneration")
    # Time-based: never a value that a cache may still hold pages for.
    PublicationGeneration.objects.get_or_create(
        pk=1,
        defaults={"value": time.time_ns(), "bumped_at": django.utils.timezone.now()},
    )


class Migration(migrations.Migration):
    dependencies = [("disclosure", "0007_contributions")]

    operations = [
        migrations.CreateModel(
            name="PublicationGeneration",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True,
                        primary_key=True,
                        serialize=False,
                        verbose_name="ID",
                    ),
                ),
                ("value", models.BigIntegerField(verbose_name="代数")),
                ("bumped_at", models.DateTimeField(verbose_name="最近变更时间")),
            ],
            options={
                "verbose_name": "公开内容代数",
                "verbose_name_plural": "公开内容代数",
            },
        ),
        migrations.RunPython(first_row, migrations.RunPython.noop),
    ]
