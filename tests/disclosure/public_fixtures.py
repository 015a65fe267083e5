"""Test data for the public site: people and catalog rows, items published
through the workflow, and large volumes of public records written directly."""

import datetime
import itertools
from dataclasses import dataclass
from importlib import import_module

from django.utils import timezone

from catalog.models import CatalogEntry, Department, DocumentType, TopicCategory
from disclosure import workflow
from disclosure.models import Item, PublicRecord
from tests import factories

_serial = itertools.count(1)


@dataclass
class World:
    department: Department
    office: Department
    other_department: Department
    clerk: object
    other_clerk: object
    reviewer: object
    admin: object
    topic: TopicCategory  # 农业 (0601), child of 农业、林业、水利 (06)
    parent_topic: TopicCategory
    other_topic: TopicCategory
    notice: DocumentType
    entry: CatalogEntry


def ensure_reference_data() -> None:
    """Load the reference lists of the data migrations (topics, document types,
    channels, calendar, groups) if they are missing (idempotent).

    Browser tests need this: Playwright's sync API runs the test in another
    context, where Django's connection is a new object without the serialized
    test database, so ``serialized_rollback`` restores nothing there once a
    transactional test has flushed the tables.
    """
    from django.apps import apps

    seed = import_module("catalog.migrations.0002_seed_reference_data").seed
    groups = import_module("disclosure.migrations.0002_roles_and_audit_guard")
    seed(apps, None)
    groups.create_groups(apps, None)


def build_world() -> World:
    department = factories.DepartmentFactory(code="nyj", name="区农业农村局")
    office = factories.DepartmentFactory(
        code="nyj-bt",
        name="计划财务科（补贴发放）",
        parent=department,
        kind=Department.Kind.OFFICE,
        publisher_code="",
    )
    other = factories.DepartmentFactory(code="czj", name="区财政局")
    topic = TopicCategory.objects.get(code="0601")
    return World(
        department=department,
        office=office,
        other_department=other,
        clerk=factories.clerk_of(department),
        other_clerk=factories.clerk_of(other),
        reviewer=factories.reviewer(),
        admin=factories.office_admin(),
        topic=topic,
        parent_topic=topic.parent,
        other_topic=TopicCategory.objects.get(code="0401"),
        notice=DocumentType.objects.get(code="notice"),
        entry=factories.CatalogEntryFactory(
            level1="补贴政策",
            level2="补贴对象、标准",
            responsible_department=department,
        ),
    )


def publish(
    world: World,
    *,
    department=None,
    at=None,
    attachment=None,
    **overrides,
) -> PublicRecord:
    """An item created, reviewed and published through the workflow; its
    public record. ``at``: a scheduled publication time; ``attachment``: the
    name of a PDF to attach."""
    department = department or world.department
    clerk = world.other_clerk if department == world.other_department else world.clerk
    item = factories.draft_item(clerk, department, **overrides)
    if attachment:
        factories.attach_pdf(item, clerk, name=attachment)
        item.refresh_from_db()
    workflow.submit(item=item, by=clerk)
    workflow.approve(item=item, by=world.reviewer, confidentiality_checked=True)
    workflow.publish(item=item, by=world.reviewer, at=at)
    return PublicRecord.objects.get(item_id=item.pk)


def bulk_records(
    world: World,
    count: int,
    *,
    title="关于第{n}批农业项目的通知",
    body="<p>第{n}项，详见附件。</p>",
    start=None,
    step=datetime.timedelta(hours=1),
    **fields,
) -> list[PublicRecord]:
    """``count`` live records written directly (bulk_create), newest last:
    the first one published at ``start`` (default: 10 days ago), one every
    ``step``."""
    start = start or timezone.now() - datetime.timedelta(days=10)
    fields.setdefault("department", world.department)
    fields.setdefault("topic", world.topic)
    fields.setdefault("document_type", world.notice)
    items, records = [], []
    for _ in range(count):
        serial = next(_serial)
        content = {
            "title": title.format(n=serial),
            "body": body.format(n=serial),
            "formed_on": datetime.date(2026, 1, 5),
            **fields,
        }
        items.append(
            Item(
                **content,
                state=Item.State.PUBLISHED,
                index_number=f"BULK/{serial:07d}",
                created_by=world.clerk,
                updated_by=world.clerk,
            )
        )
    items = Item.objects.bulk_create(items)
    for number, item in enumerate(items):
        published_at = start + step * number
        record = PublicRecord(
            item=item,
            index_number=item.index_number,
            published_at=published_at,
            updated_at=published_at,
            **{name: getattr(item, name) for name in Item.CONTENT_FIELDS},
        )
        record.refresh_search_tokens()
        records.append(record)
    return PublicRecord.objects.bulk_create(records)
