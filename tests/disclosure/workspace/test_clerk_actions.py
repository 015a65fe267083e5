"""The clerk's ways back (issue 15): delete a mistaken draft, recall an item
before its review starts, confirm before withdrawing or removing, and name
attachments for the public."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from disclosure import workflow
from disclosure.models import Attachment, AuditEntry, Item, PublicRecord
from tests import factories
from tests.disclosure.workspace import test_views as views
from tests.disclosure.workspace.test_views import messages_of, page, pdf_bytes, url
from tests.english_scan import without_tags

# The workspace tests' fixtures.
world = views.world
_media = views._media

State = Item.State


def test_a_clerk_deletes_a_mistaken_draft_after_a_confirmation_page(client, world):
    item = factories.draft_item(world["clerk"], world["dept"], title="错建的草稿")
    client.force_login(world["clerk"])
    text = page(client.get(url("item", item.pk)))
    assert "删除草稿" in text
    # The link leads to a page that spells out the consequences.
    response = client.get(url("discard", item.pk))
    text = page(response)
    assert "确认对《错建的草稿》进行此操作吗？" in without_tags(text)
    assert "草稿及其附件不再出现在任何列表中，也不能恢复编辑。" in text
    assert "创建和删除的操作记录保留，供审计。" in text
    item.refresh_from_db()
    assert item.state == State.DRAFT
    # A post without the confirmation only shows the page again.
    client.post(url("discard", item.pk))
    item.refresh_from_db()
    assert item.state == State.DRAFT

    response = client.post(url("discard", item.pk), {"confirmed": "yes"}, follow=True)
    assert "已删除草稿《错建的草稿》。操作记录保留。" in messages_of(response)
    item.refresh_from_db()
    assert item.state == State.DISCARDED
    assert AuditEntry.objects.filter(
        item=item, action=AuditEntry.Action.DISCARD, actor=world["clerk"]
    ).exists()
    # Out of 我的草稿 and of the item list; found only by its state.
    assert "错建的草稿" not in page(client.get(url("dashboard")))
    assert "错建的草稿" not in page(client.get(url("items")))
    assert "错建的草稿" in page(client.get(url("items") + "?state=discarded"))


def test_only_never_submitted_drafts_of_ones_department_can_be_deleted(client, world):
    item = factories.draft_item(world["clerk"], world["dept"])
    # Another department's clerk: not even visible.
    client.force_login(world["clerk2"])
    assert client.post(url("discard", item.pk), {"confirmed": "yes"}).status_code == 404
    # The office administrator is not the clerk of the department.
    client.force_login(world["admin"])
    response = client.post(url("discard", item.pk), {"confirmed": "yes"}, follow=True)
    assert "您不能删除这份草稿。" in messages_of(response)
    item.refresh_from_db()
    assert item.state == State.DRAFT

    # Once submitted (even if recalled), the draft stays for the record.
    item = workflow.submit(item=item, by=world["clerk"])
    item = workflow.recall(item=item, by=world["clerk"])
    assert item.state == State.DRAFT
    client.force_login(world["clerk"])
    assert "删除草稿" not in page(client.get(url("item", item.pk)))
    response = client.post(url("discard", item.pk), {"confirmed": "yes"}, follow=True)
    assert "这份草稿提交过审核，操作记录须完整保留，不能删除。" in messages_of(response)
    item.refresh_from_db()
    assert item.state == State.DRAFT
    with pytest.raises(workflow.WorkflowError):
        workflow.discard(item=item, by=world["clerk"])


def test_a_clerk_recalls_a_submitted_item_before_review_starts(client, world):
    dept = factories.require_head_signoff(world["dept"])
    head = factories.head_of(dept, "head1")
    item = factories.draft_item(world["clerk"], dept, title="提交早了")
    workflow.submit(item=item, by=world["clerk"])
    client.force_login(world["clerk"])
    assert "撤回审核" in page(client.get(url("item", item.pk)))
    response = client.post(url("recall", item.pk), follow=True)
    assert "已撤回，信息回到草稿，可以修改后再提交审核。" in messages_of(response)
    item.refresh_from_db()
    assert (item.state, item.review_stage) == (State.DRAFT, "")
    assert AuditEntry.objects.filter(item=item, action="recall").exists()
    assert "撤回审核" in page(response)  # in the history

    # Once the head has signed off, the review has started: no recall.
    item = workflow.submit(item=item, by=world["clerk"])
    workflow.approve(item=item, by=head)
    assert "撤回审核</button>" not in page(client.get(url("item", item.pk)))
    response = client.post(url("recall", item.pk), follow=True)
    assert "审核已经开始（已有人签批），不能撤回；如需修改，请联系审核人退回。" in (
        messages_of(response)
    )
    item.refresh_from_db()
    assert item.state == State.SUBMITTED

    # Another department's clerk cannot recall anything.
    other = factories.draft_item(world["clerk2"], world["other"])
    workflow.submit(item=other, by=world["clerk2"])
    assert client.post(url("recall", other.pk)).status_code == 404


def _published(world, **overrides):
    item = factories.draft_item(world["clerk"], world["dept"], **overrides)
    item = workflow.submit(item=item, by=world["clerk"])
    item = workflow.approve(
        item=item, by=world["reviewer"], confidentiality_checked=True
    )
    return workflow.publish(item=item, by=world["reviewer"])


def test_removing_asks_for_confirmation_and_says_the_reason_stays_private(
    client, world
):
    item = _published(world)
    client.force_login(world["admin"])
    text = page(client.get(url("item", item.pk)))
    # The help text no longer promises that the reason is shown.
    assert "理由只保存在操作记录中，不对公众显示" in text
    assert "撤销的理由会在信息页面上显示" not in text
    response = client.post(url("remove", item.pk), {"remove-reason": "错发。"})
    text = page(response)
    assert "公开页面不再显示内容，只说明该信息已删除及删除日期。" in text
    assert "理由不对公众显示，只保存在操作记录中。" in text
    assert "错发。" in text
    assert PublicRecord.objects.get(item=item).status == PublicRecord.Status.LIVE
    response = client.post(
        url("remove", item.pk), {"remove-reason": "错发。", "confirmed": "yes"}
    )
    assert PublicRecord.objects.get(item=item).status == PublicRecord.Status.REMOVED
    gone = client.get(PublicRecord.objects.get(item=item).get_absolute_url())
    assert gone.status_code == 410
    assert "错发。" not in gone.content.decode()


def test_attachments_show_the_public_a_display_title(client, world):
    item = factories.draft_item(world["clerk"], world["dept"])
    client.force_login(world["clerk"])
    client.post(
        url("upload", item.pk),
        {"files": [SimpleUploadedFile("r3.docx.pdf", pdf_bytes())]},
    )
    client.post(
        url("upload", item.pk),
        {"files": [SimpleUploadedFile("r4.pdf", pdf_bytes())], "title": "补贴名单"},
    )
    first, second = Attachment.objects.filter(item=item).order_by("pk")
    assert (first.title, second.title) == ("r3.docx", "补贴名单")
    response = client.post(
        url("attachment-title", item.pk, first.token),
        {"title": "  2026年 发放标准 "},
        follow=True,
    )
    assert "已修改附件的显示名称。" in messages_of(response)
    first.refresh_from_db()
    assert first.title == "2026年 发放标准"
    response = client.post(
        url("attachment-title", item.pk, first.token), {"title": ""}, follow=True
    )
    assert "请填写附件的显示名称。" in messages_of(response)

    item = workflow.submit(item=item, by=world["clerk"])
    item = workflow.approve(
        item=item, by=world["reviewer"], confidentiality_checked=True
    )
    item = workflow.publish(item=item, by=world["reviewer"])
    record = PublicRecord.objects.get(item=item)
    text = client.get(record.get_absolute_url()).content.decode()
    assert ">2026年 发放标准</a>" in text
    assert ">补贴名单</a>" in text
    assert "r4.pdf" not in text
    # A published file keeps its name: the public page changes only by review.
    client.force_login(world["clerk"])
    response = client.post(
        url("attachment-title", item.pk, second.token), {"title": "别的"}, follow=True
    )
    second.refresh_from_db()
    assert second.title == "补贴名单"


def test_an_attachment_without_a_title_shows_its_name_without_extension():
    assert Attachment(original_name="r3.docx").display_title == "r3"
    assert Attachment(original_name="名单.2026.pdf").display_title == "名单.2026"
    assert Attachment(original_name="README").display_title == "README"
    assert Attachment(original_name=".pdf").display_title == ".pdf"
