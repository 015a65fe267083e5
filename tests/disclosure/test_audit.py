"""The audit trail is append-only: the model refuses changes and deletions on
every database; on PostgreSQL a trigger (migration 0002) refuses them even
from raw SQL."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.models import ProtectedError

from disclosure import workflow
from disclosure.models import AppendOnlyError, AuditEntry, Item
from tests import factories


@pytest.fixture
def entry(db):
    department = factories.DepartmentFactory()
    clerk = factories.clerk_of(department)
    item = factories.draft_item(clerk, department)
    workflow.submit(item=item, by=clerk)
    return AuditEntry.objects.get(item=item, action=AuditEntry.Action.SUBMIT)


def unchanged(entry):
    stored = AuditEntry.objects.get(pk=entry.pk)
    return (stored.action, stored.comment, stored.actor_id, stored.at) == (
        AuditEntry.Action.SUBMIT,
        "",
        entry.actor_id,
        entry.at,
    )


def test_new_entries_are_appended(entry):
    appended = AuditEntry.objects.create(
        item=entry.item, actor=entry.actor, action=AuditEntry.Action.EDIT
    )
    assert AuditEntry.objects.filter(item=entry.item).count() == 3
    assert appended.pk > entry.pk


def test_saving_an_existing_entry_is_refused(entry):
    entry.comment = "改写历史"
    with pytest.raises(AppendOnlyError, match="never changed"):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.save(update_fields=["comment"])
    assert unchanged(entry)


def test_saving_a_copy_over_an_existing_row_is_refused(entry):
    forged = AuditEntry(
        pk=entry.pk, item=entry.item, actor=entry.actor, action="approve"
    )
    with pytest.raises(AppendOnlyError):
        forged.save()
    assert unchanged(entry)


def test_deleting_an_entry_is_refused(entry):
    with pytest.raises(AppendOnlyError, match="never deleted"):
        entry.delete()
    assert unchanged(entry)


@pytest.mark.parametrize(
    "change",
    [
        lambda entry: AuditEntry.objects.filter(pk=entry.pk).update(comment="改"),
        lambda entry: AuditEntry.objects.all().delete(),
        lambda entry: entry.item.audit_entries.update(comment="改"),
        lambda entry: entry.item.audit_entries.all().delete(),
        lambda entry: AuditEntry.objects.bulk_update([entry], ["comment"]),
        lambda entry: AuditEntry.objects.update_or_create(
            pk=entry.pk, defaults={"comment": "改"}
        ),
    ],
    ids=[
        "queryset.update",
        "queryset.delete",
        "related.update",
        "related.delete",
        "bulk_update",
        "update_or_create",
    ],
)
def test_queryset_changes_are_refused(entry, change):
    entry.comment = "改"
    # (bulk_update runs in an atomic block without a savepoint: give it one.)
    with pytest.raises(AppendOnlyError), transaction.atomic():
        change(entry)
    assert unchanged(entry)
    assert AuditEntry.objects.filter(item=entry.item).count() == 2


def test_an_item_with_a_history_cannot_be_deleted(entry):
    with pytest.raises(ProtectedError):
        Item.objects.get(pk=entry.item_id).delete()
    assert Item.objects.filter(pk=entry.item_id).exists()


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("sql", "operation"),
    [
        ("UPDATE disclosure_auditentry SET comment = 'forged' WHERE id = %s", "UPDATE"),
        ("DELETE FROM disclosure_auditentry WHERE id = %s", "DELETE"),
    ],
)
def test_postgres_trigger_refuses_raw_update_and_delete(entry, sql, operation):
    with pytest.raises(DatabaseError) as refused:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [entry.pk])
    assert f"audit entries are append-only ({operation} refused)" in str(refused.value)
    assert unchanged(entry)


@pytest.mark.postgres
def test_postgres_trigger_refuses_the_orms_raw_delete(entry):
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk)._raw_delete(connection.alias)
    assert unchanged(entry)
