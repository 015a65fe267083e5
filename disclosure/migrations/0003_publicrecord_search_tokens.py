"""Chinese full-text search on public records (disclosure/search.py).

Adds the derived token columns and fills them, then indexes them:
- PostgreSQL: stored generated columns title_vector and search_vector,
  to_tsvector('simple', <tokens>), with GIN indexes (``search.TokensMatch``
  queries them; they are not in Django's model state);
- SQLite: an FTS5 table with the record table as external content, kept in
  step by triggers (bulk inserts and queryset updates included).
Other databases get the columns only (search is not supported there).

On SQLite, a later migration that rebuilds disclosure_publicrecord (Django's
"remake table") drops the triggers: such a migration must end with
``RunPython(install_search_index)`` again (it is idempotent and rebuilds the
FTS index).
"""

from django.db import migrations, models

from disclosure.search import install_search_index, uninstall_search_index


def fill_tokens(apps, schema_editor):
    from disclosure.search import record_tokens

    PublicRecord = apps.get_model("disclosure", "PublicRecord")
    records = PublicRecord.objects.using(schema_editor.connection.alias)
    batch = []
    for record in records.iterator(chunk_size=500):
        record.title_tokens, record.search_tokens = record_tokens(record)
        batch.append(record)
        if len(batch) == 500:
            records.bulk_update(batch, ["title_tokens", "search_tokens"])
            batch = []
    if batch:
        records.bulk_update(batch, ["title_tokens", "search_tokens"])


class Migration(migrations.Migration):
    dependencies = [
        ("disclosure", "0002_roles_and_audit_guard"),
        # Linearised after the reports migration, so that the app has one leaf.
        ("disclosure", "0100_oversight_reports"),
    ]

    operations = [
        migrations.AddField(
            model_name="publicrecord",
            name="title_tokens",
            field=models.TextField(
                blank=True, default="", editable=False, verbose_name="标题检索词"
            ),
        ),
        migrations.AddField(
            model_name="publicrecord",
            name="search_tokens",
            field=models.TextField(
                blank=True, default="", editable=False, verbose_name="全文检索词"
            ),
        ),
        migrations.RunPython(fill_tokens, migrations.RunPython.noop),
        migrations.RunPython(install_search_index, uninstall_search_index),
    ]
