"""The content elements (公开内容（要素）) of catalog entries as rows, read
from the entries' text (an entry whose text is not a list keeps none)."""

import django.db.models.deletion
from django.db import migrations, models

from catalog.elements import ElementSyntaxError, parse_elements


def read_elements(apps, schema_editor):
    entries = apps.get_model("catalog", "CatalogEntry")
    elements = apps.get_model("catalog", "ContentElement")
    rows = []
    for entry in entries.objects.exclude(content=""):
        try:
            specs = parse_elements(entry.content)
        except ElementSyntaxError:
            continue
        rows.extend(
            elements(
                entry=entry,
                order=order,
                name=spec.name,
                required=spec.required,
                hint=spec.hint,
            )
            for order, spec in enumerate(specs, 1)
        )
    elements.objects.bulk_create(rows)


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0005_entry_time_limit_kinds'),
    ]

    operations = [
        migrations.CreateModel(
            name='ContentElement',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('order', models.PositiveSmallIntegerField(default=0, verbose_name='序号')),
                ('name', models.CharField(max_length=60, verbose_name='要素名称')),
                ('required', models.BooleanField(default=True, verbose_name='必备')),
                ('hint', models.CharField(blank=True, max_length=200, verbose_name='提示')),
                ('entry', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='elements', to='catalog.catalogentry', verbose_name='公开事项')),
            ],
            options={
                'verbose_name': '公开要素',
                'verbose_name_plural': '公开要素',
                'ordering': ['entry', 'order', 'pk'],
                'constraints': [models.UniqueConstraint(fields=('entry', 'name'), name='unique_element_name_per_entry')],
            },
        ),
        migrations.RunPython(read_elements, migrations.RunPython.noop),
    ]
