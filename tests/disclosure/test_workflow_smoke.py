import pytest
from django.core import mail

from disclosure import workflow
from disclosure.models import AuditEntry, Item, PublicRecord
from tests import factories


@pytest.mark.django_db
def test_draft_to_published_and_withdrawn():
    dept = factories.DepartmentFactory(publisher_code="000014349")
    clerk = factories.clerk_of(dept)
    rev = factories.reviewer()
    admin = factories.office_admin()
    item = factories.draft_item(clerk, dept)
    assert item.state == Item.State.DRAFT
    workflow.submit(item=item, by=clerk)
    item = workflow.return_item(item=item, by=rev, comment="请补充附件")
    assert item.state == Item.State.RETURNED
    item = workflow.update_item(
        item=item, by=clerk, data={"title": "新标题"}, expected_version=item.version
    )
    workflow.submit(item=item, by=clerk)
    with pytest.raises(workflow.NotAllowed):
        workflow.approve(item=item, by=clerk, confidentiality_checked=True)
    item = workflow.approve(item=item, by=rev, confidentiality_checked=True)
    assert item.state == Item.State.APPROVED
    item = workflow.publish(item=item, by=rev)
    assert item.index_number.startswith("000014349/")
    record = PublicRecord.objects.get(item=item)
    assert record.title == "新标题"
    item = workflow.withdraw(item=item, by=admin, reason="政策调整")
    record.refresh_from_db()
    assert record.status == PublicRecord.Status.WITHDRAWN
    assert AuditEntry.objects.filter(item=item).count() == 8
    assert mail.outbox == [] or all(m.subject for m in mail.outbox)
