"""Steps taken at the same moment, with real threads and real transactions
(PostgreSQL: SQLite serialises whole transactions and proves nothing here).

Each thread has its own database connection, closed when the thread ends.
``serialized_rollback`` restores the reference data (topics, groups, the
holiday calendar) that the flush after a transactional test would lose; the
``_reference_data`` fixture makes sure of it.
"""

import threading
import time
from importlib import import_module

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.utils import timezone

from disclosure import workflow
from disclosure.index_numbers import allocate_index_number
from disclosure.models import AuditEntry, IndexSerial, Item, PublicRecord, Revision
from tests import factories

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

State = Item.State
TIMEOUT = 30


def run_at_once(count, step):
    """Run ``step(i)`` in ``count`` threads released together; the result or
    the exception of each, in order."""
    barrier = threading.Barrier(count)
    results = [None] * count

    def worker(index):
        try:
            barrier.wait(timeout=TIMEOUT)
            results[index] = step(index)
        except Exception as error:  # reported to the test below
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)
    assert not any(thread.is_alive() for thread in threads), "a thread hung"
    return results


def errors(results):
    return [result for result in results if isinstance(result, Exception)]


@pytest.fixture(autouse=True)
def _reference_data():
    """The groups, topics and document types the migrations load, loaded
    again (idempotently) in case an earlier transactional test's flush lost
    them and the serialized rollback did not bring them back."""
    import_module("catalog.migrations.0002_seed_reference_data").seed(apps, None)
    import_module("disclosure.migrations.0002_roles_and_audit_guard").create_groups(
        apps, None
    )


@pytest.fixture
def w():
    dept = factories.DepartmentFactory(publisher_code="000014349")
    return {
        "dept": dept,
        "clerk": factories.clerk_of(dept, "clerk"),
        "clerk2": factories.clerk_of(dept, "clerk2"),
        "reviewer": factories.reviewer("reviewer"),
        "reviewer2": factories.reviewer("reviewer2"),
    }


def approved_item(w):
    item = factories.draft_item(w["clerk"], w["dept"])
    item = workflow.submit(item=item, by=w["clerk"])
    return workflow.approve(item=item, by=w["reviewer"], confidentiality_checked=True)


def test_items_published_at_the_same_moment_get_consecutive_numbers(w):
    count = 8
    items = [approved_item(w) for _ in range(count)]
    year = timezone.localtime().year

    results = run_at_once(
        count, lambda i: workflow.publish(item=items[i], by=w["reviewer2"])
    )

    assert errors(results) == []
    numbers = sorted(item.index_number for item in results)
    assert numbers == [f"000014349/{year}-{serial:05d}" for serial in range(1, 9)]
    assert (
        sorted(PublicRecord.objects.values_list("index_number", flat=True)) == numbers
    )
    assert set(Item.objects.values_list("state", flat=True)) == {State.PUBLISHED}
    counter = IndexSerial.objects.get(publisher_code="000014349", year=year)
    assert counter.last_serial == count


def test_a_failed_publication_gives_its_number_back_to_the_one_waiting(w):
    first, second, third = (approved_item(w) for _ in range(3))
    year = timezone.localtime().year
    allocated = threading.Event()
    outcome = {}

    class Boom(Exception):
        pass

    def failing():
        try:
            with transaction.atomic():
                item = workflow.publish(item=first, by=w["reviewer2"])
                outcome["failed_number"] = item.index_number
                allocated.set()
                time.sleep(0.5)  # the other publication waits for our lock
                outcome["rolling_back_at"] = time.monotonic()
                raise Boom
        except Boom:
            pass
        finally:
            connection.close()

    def waiting():
        try:
            assert allocated.wait(TIMEOUT)
            item = workflow.publish(item=second, by=w["reviewer2"])
            outcome["number"] = item.index_number
            outcome["published_at"] = time.monotonic()
        finally:
            connection.close()

    threads = [threading.Thread(target=failing), threading.Thread(target=waiting)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)

    assert outcome["failed_number"] == f"000014349/{year}-00001"
    # The second publication waited for the first to roll back, then took
    # the number it gave back: no gap.
    assert outcome["number"] == f"000014349/{year}-00001"
    assert outcome["published_at"] > outcome["rolling_back_at"]
    first.refresh_from_db()
    assert (first.state, first.index_number) == (State.APPROVED, None)
    assert not PublicRecord.objects.filter(item=first).exists()
    third = workflow.publish(item=third, by=w["reviewer2"])
    assert third.index_number == f"000014349/{year}-00002"


def test_two_reviewers_approving_at_once_approve_once(w):
    item = factories.draft_item(w["clerk"], w["dept"])
    item = workflow.submit(item=item, by=w["clerk"])
    reviewers = [w["reviewer"], w["reviewer2"]]

    results = run_at_once(
        2,
        lambda i: workflow.approve(
            item=item, by=reviewers[i], confidentiality_checked=True
        ),
    )

    [refused] = errors(results)
    assert isinstance(refused, workflow.InvalidTransition)
    assert refused.message == "这条信息当前状态为“审核通过”，不能审核通过。"
    [approved] = [result for result in results if isinstance(result, Item)]
    assert approved.state == State.APPROVED
    approvals = AuditEntry.objects.filter(item=item, action=AuditEntry.Action.APPROVE)
    assert approvals.count() == 1
    assert approvals.get().actor == reviewers[results.index(approved)]


def test_two_clerks_saving_the_same_version_one_wins(w):
    item = factories.draft_item(w["clerk"], w["dept"], title="原标题")
    clerks = [w["clerk"], w["clerk2"]]
    titles = ["甲的标题", "乙的标题"]

    results = run_at_once(
        2,
        lambda i: workflow.update_item(
            item=item, by=clerks[i], data={"title": titles[i]}, expected_version=1
        ),
    )

    [stale] = errors(results)
    assert isinstance(stale, workflow.StaleEdit)
    assert "当前版本 2，您编辑的是版本 1" in stale.message
    winner = results.index(next(r for r in results if isinstance(r, Item)))
    item.refresh_from_db()
    assert (item.title, item.version, item.updated_by) == (
        titles[winner],
        2,
        clerks[winner],
    )
    assert Revision.objects.filter(item=item).count() == 2
    assert AuditEntry.objects.filter(item=item, action="edit").count() == 1


def test_numbers_are_only_given_inside_a_transaction():
    # In autocommit the counter's lock would be released at once.
    with pytest.raises(RuntimeError, match="inside a transaction"):
        allocate_index_number("000014349", 2026)
    assert not IndexSerial.objects.exists()
