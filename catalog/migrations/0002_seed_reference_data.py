"""Seed the reference lists: topics, document types, channels and the official
holiday schedule for the years the chinese-calendar package knows."""

from django.db import migrations


def seed(apps, schema_editor):
    from catalog.reference_data import (
        CHANNELS,
        DOCUMENT_TYPES,
        TOPICS,
        official_calendar,
    )

    TopicCategory = apps.get_model("catalog", "TopicCategory")
    DocumentType = apps.get_model("catalog", "DocumentType")
    Channel = apps.get_model("catalog", "Channel")
    CalendarDay = apps.get_model("catalog", "CalendarDay")
    CalendarYear = apps.get_model("catalog", "CalendarYear")

    for top_index, (name, children) in enumerate(TOPICS, start=1):
        top, _ = TopicCategory.objects.get_or_create(
            code=f"{top_index:02d}", defaults={"name": name, "order": top_index}
        )
        for child_index, child in enumerate(children, start=1):
            TopicCategory.objects.get_or_create(
                code=f"{top_index:02d}{child_index:02d}",
                defaults={"name": child, "parent": top, "order": child_index},
            )
    for order, (code, name) in enumerate(DOCUMENT_TYPES, start=1):
        DocumentType.objects.get_or_create(
            code=code, defaults={"name": name, "order": order}
        )
    for order, (code, name) in enumerate(CHANNELS, start=1):
        Channel.objects.get_or_create(code=code, defaults={"name": name, "order": order})

    rows, years = official_calendar()
    existing = set(CalendarDay.objects.values_list("date", flat=True))
    CalendarDay.objects.bulk_create(
        [
            CalendarDay(date=day, kind=kind, name=name)
            for day, kind, name in rows
            if day not in existing
        ]
    )
    for year in years:
        CalendarYear.objects.get_or_create(
            year=year,
            defaults={"is_complete": True, "source": "国务院办公厅节假日安排通知"},
        )


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
