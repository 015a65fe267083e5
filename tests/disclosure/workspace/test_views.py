"""The staff workspace through its views: what clerks, reviewers and office
administrators see and what the database holds afterwards."""

import csv
import datetime
import io

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from catalog.models import DocumentType, TopicCategory
from catalog.selectors import work_calendar
from catalog.workdays import add_working_days, working_days_between
from disclosure import workflow
from disclosure.models import (
    Attachment,
    AuditEntry,
    ChangeNote,
    Item,
    PublicRecord,
)
from tests import factories
from tests.disclosure.test_uploads import docx_file, png_file

State = Item.State

# Valid files: one of which no copy without metadata can be made is refused.
PNG = png_file()
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def pdf_bytes(text="Hello"):
    return factories.minimal_pdf(text)


def docx_bytes():
    return docx_file()


def page(response) -> str:
    return response.content.decode()


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


@pytest.fixture
def world(db):
    """Two departments, a catalog entry, a clerk for each, a reviewer, an
    office administrator and a signed-in user without any role."""
    dept = factories.DepartmentFactory(
        code="nyj", name="区农业农村局", publisher_code="000014349"
    )
    other = factories.DepartmentFactory(code="zjj", name="区住房和城乡建设局")
    entry = factories.CatalogEntryFactory(
        responsible_department=dept,
        level1="补贴资金发放",
        level2="发放结果",
        time_limit_days=20,
    )
    clerk = factories.clerk_of(dept, "clerk1")
    clerk.last_name, clerk.first_name = "王", "信息"
    clerk.save()
    return {
        "dept": dept,
        "other": other,
        "entry": entry,
        "clerk": clerk,
        "clerk2": factories.clerk_of(other, "clerk2"),
        "reviewer": factories.reviewer("rev1"),
        "admin": factories.office_admin("admin1"),
        "nobody": factories.UserFactory(username="nobody"),
    }


def form_data(world, **overrides):
    data = {
        "title": "关于2026年耕地地力保护补贴发放的公示",
        "department": world["dept"].pk,
        "doc_number": "示农发[2026]3号",
        "document_type": DocumentType.objects.get(code="announcement").pk,
        "catalog_entry": world["entry"].pk,
        "formed_on": "2026-03-02",
        "topic": TopicCategory.objects.get(code="0601").pk,
        "keywords": "补贴 公示",
        "disclosure_mode": "proactive",
        "non_disclosure_reason": "",
        "scope": "public",
        "validity": "valid",
        "validity_changed_on": "",
        "body": (
            '<p class="MsoNormal" style="font-family:宋体">根据有关规定，现将补贴发放情况公示如下。</p>'
            "<script>alert(1)</script><table><tr><td>张三</td><td>100元</td></tr></table>"
        ),
    }
    data.update(overrides)
    return data


def edit_data(item, **overrides):
    data = {
        "title": item.title,
        "department": item.department_id,
        "doc_number": item.doc_number,
        "document_type": item.document_type_id or "",
        "catalog_entry": item.catalog_entry_id or "",
        "formed_on": item.formed_on.isoformat(),
        "topic": item.topic_id,
        "keywords": item.keywords,
        "disclosure_mode": item.disclosure_mode,
        "non_disclosure_reason": item.non_disclosure_reason,
        "scope": item.scope,
        "validity": item.validity,
        "validity_changed_on": "",
        "body": item.body,
        "version": item.version,
    }
    data.update(overrides)
    return data


def url(name, *args):
    return reverse(f"workspace:{name}", args=args)


# --- access -------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/workspace/",
        "/workspace/items/",
        "/workspace/items/new/",
        "/workspace/items/1/",
        "/workspace/items/1/edit/",
        "/workspace/items/1/review/",
        "/workspace/review/",
        "/workspace/audit/",
        "/workspace/audit.csv?start=2026-01-01&end=2026-01-31",
    ],
)
def test_anonymous_users_are_sent_to_the_login_page(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.django_db
def test_anonymous_post_to_a_transition_is_sent_to_login(client, world):
    item = factories.draft_item(world["clerk"], world["dept"])
    response = client.post(url("submit", item.pk))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    item.refresh_from_db()
    assert item.state == State.DRAFT


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/workspace/", "/workspace/items/", "/workspace/review/"]
)
def test_users_without_a_staff_role_get_403(client, world, path):
    client.force_login(world["nobody"])
    response = client.get(path)
    assert response.status_code == 403
    assert "工作台仅供信息员、部门负责人和政务公开办公室工作人员使用" in page(response)


@pytest.mark.django_db
def test_another_departments_item_is_not_found(client, world):
    item = factories.item_in_state(
        "submitted_office",
        department=world["dept"],
        creator=world["clerk"],
        reviewer=world["reviewer"],
        attachment=True,
    )
    token = item.attachments.get().token
    client.force_login(world["clerk2"])
    for path in [
        url("item", item.pk),
        url("item-edit", item.pk),
        url("review", item.pk),
        url("attachment", item.pk, token),
    ]:
        assert client.get(path).status_code == 404, path
    for path in [
        url("submit", item.pk),
        url("approve", item.pk),
        url("upload", item.pk),
    ]:
        assert client.post(path).status_code == 404, path
    assert client.post(url("attachment-remove", item.pk, token)).status_code == 404
    item.refresh_from_db()
    assert item.state == State.SUBMITTED
    assert item.attachments.get().in_draft


@pytest.mark.django_db
def test_clerks_cannot_open_the_new_item_page_without_a_department(client, world):
    client.force_login(world["reviewer"])
    response = client.get(url("item-create"))
    assert response.status_code == 403
    assert "只有信息员可以起草信息" in page(response)


# --- the whole flow --------------------------------------------------------------


@pytest.mark.django_db
def test_item_from_draft_to_withdrawn_through_the_workspace(
    client, world, django_capture_on_commit_callbacks
):
    clerk, reviewer, admin = world["clerk"], world["reviewer"], world["admin"]

    # The clerk drafts an item.
    client.force_login(clerk)
    response = client.get(url("item-create"))
    assert response.status_code == 200
    text = page(response)
    assert "新建信息" in text
    assert "区农业农村局" in text
    assert "区住房和城乡建设局" not in text  # not a department of the clerk
    assert "<optgroup" in text  # entries by area, topics under their parent

    response = client.post(url("item-create"), form_data(world), follow=True)
    assert response.status_code == 200
    item = Item.objects.get()
    assert item.state == State.DRAFT
    assert item.doc_number == "示农发〔2026〕3号"  # brackets normalised
    assert "<script>" not in item.body and "style=" not in item.body
    assert "<table>" in item.body
    expected_due = add_working_days(datetime.date(2026, 3, 2), 20, work_calendar()).due
    assert item.due_on == expected_due
    assert "草稿已保存" in " ".join(messages_of(response))
    text = page(response)
    assert "提交审核" in text
    assert expected_due.isoformat() in text
    assert "示农发〔2026〕3号" in text

    # A PDF attached, then submitted.
    response = client.post(
        url("upload", item.pk),
        {"files": [SimpleUploadedFile("补贴名单.pdf", pdf_bytes())]},
        follow=True,
    )
    assert "已上传：补贴名单.pdf" in " ".join(messages_of(response))
    assert "补贴名单.pdf" in page(response)
    item.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("submit", item.pk), follow=True)
    assert "已提交审核" in " ".join(messages_of(response))
    item.refresh_from_db()
    assert item.state == State.SUBMITTED
    assert any("【待审核】" in message.subject for message in mail.outbox)
    assert any(reviewer.email in message.to for message in mail.outbox)

    # The reviewer finds it in the queue and returns it with a comment.
    client.force_login(reviewer)
    response = client.get(url("review-queue"))
    assert item.title in page(response)
    response = client.get(url("review", item.pk))
    text = page(response)
    assert "首次发布，全部为新增" in text
    assert "补贴名单.pdf" in text
    assert "保密审查" in text

    response = client.post(url("return", item.pk), {"comment": "  "})
    assert response.status_code == 200
    assert "退回时请写明退回意见" in page(response)
    item.refresh_from_db()
    assert item.state == State.SUBMITTED

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("return", item.pk), {"comment": "请补充发放标准。"}, follow=True
        )
    assert "已退回" in " ".join(messages_of(response))
    item.refresh_from_db()
    assert item.state == State.RETURNED
    assert item.return_comment == "请补充发放标准。"
    assert [message.to for message in mail.outbox] == [[clerk.email]]
    assert "请补充发放标准。" in mail.outbox[0].body

    # The clerk sees the comment on the dashboard, fixes and resubmits.
    client.force_login(clerk)
    response = client.get(url("dashboard"))
    text = page(response)
    assert "被退回、需要修改的信息" in text
    assert "请补充发放标准。" in text
    response = client.get(url("item-edit", item.pk))
    assert response.status_code == 200
    assert f'name="version" value="{item.version}"' in page(response)
    response = client.post(
        url("item-edit", item.pk),
        edit_data(item, body="<p>发放标准为每亩100元。</p>"),
        follow=True,
    )
    assert "修改已保存" in " ".join(messages_of(response))
    item.refresh_from_db()
    assert item.state == State.RETURNED  # until it is submitted again
    assert item.body == "<p>发放标准为每亩100元。</p>"
    client.post(url("submit", item.pk))
    item.refresh_from_db()
    assert item.state == State.SUBMITTED

    # Approval needs the confidentiality review.
    client.force_login(reviewer)
    approvals = AuditEntry.objects.filter(item=item, action="approve")
    response = client.post(url("approve", item.pk), {"comment": "同意"})
    assert response.status_code == 200
    assert "请确认已完成保密审查" in page(response)
    assert "同意" in page(response)  # the comment is kept
    item.refresh_from_db()
    assert item.state == State.SUBMITTED
    assert not approvals.exists()

    response = client.post(
        url("approve", item.pk),
        {"comment": "同意", "confidentiality_checked": "on"},
        follow=True,
    )
    assert "审核通过" in " ".join(messages_of(response))
    item.refresh_from_db()
    assert item.state == State.APPROVED
    assert "已完成保密审查" in approvals.get().comment
    assert "立即发布" in page(response)

    # Publish now.
    response = client.post(url("publish", item.pk), {"when": "now"}, follow=True)
    item.refresh_from_db()
    assert item.state == State.PUBLISHED
    assert item.index_number.startswith("000014349/")
    assert f"已发布。索引号：{item.index_number}" in " ".join(messages_of(response))
    record = PublicRecord.objects.get(item=item)
    assert record.body == "<p>发放标准为每亩100元。</p>"
    assert item.attachments.get().is_published

    # The clerk changes the published item: a major change needs a note.
    client.force_login(clerk)
    response = client.get(url("item-edit", item.pk))
    assert "更新说明" in page(response)
    data = edit_data(
        item, title="关于2026年耕地地力保护补贴发放的公示（更正）", is_major_change="on"
    )
    response = client.post(url("item-edit", item.pk), data)
    assert response.status_code == 200
    assert "请填写更新说明" in page(response)
    assert "（更正）" in page(response)  # input kept
    item.refresh_from_db()
    assert item.state == State.PUBLISHED
    assert not item.title.endswith("（更正）")

    data["change_note"] = "更正了标题中的年份。"
    response = client.post(url("item-edit", item.pk), data, follow=True)
    assert "修改已保存" in " ".join(messages_of(response))
    item.refresh_from_db()
    assert item.state == State.DRAFT
    assert item.is_major_change and item.change_note == "更正了标题中的年份。"
    record.refresh_from_db()
    assert not record.title.endswith("（更正）")  # the public keeps the old one
    client.post(url("submit", item.pk))

    # The reviewer sees the difference against the published version.
    client.force_login(reviewer)
    text = page(client.get(url("review", item.pk)))
    assert "与已发布版本的对比" in text
    assert "有修改" in text
    assert "更正了标题中的年份。" in text
    client.post(url("approve", item.pk), {"confidentiality_checked": "on"}, follow=True)
    response = client.get(url("item", item.pk))
    assert 'value="later"' not in page(response)  # a revision goes out at once
    client.post(url("publish", item.pk), {"when": "now"})
    record.refresh_from_db()
    assert record.title.endswith("（更正）")
    assert record.revision_number == 2
    assert ChangeNote.objects.get(record=record).note == "更正了标题中的年份。"

    # The office administrator withdraws it, with a reason.
    client.force_login(admin)
    response = client.post(url("withdraw", item.pk), {"withdraw-reason": ""})
    assert response.status_code == 200
    assert "请写明理由" in page(response)
    item.refresh_from_db()
    assert item.state == State.PUBLISHED
    # First a page that spells out what withdrawing does; nothing changes yet.
    response = client.post(
        url("withdraw", item.pk), {"withdraw-reason": "政策已调整。"}
    )
    text = page(response)
    assert (
        "公开页面只显示“已撤销（撤回）”、撤回日期和下面的理由，不再显示正文。" in text
    )
    assert "确认撤销这条信息" in text
    item.refresh_from_db()
    assert item.state == State.PUBLISHED
    response = client.post(
        url("withdraw", item.pk),
        {"withdraw-reason": "政策已调整。", "confirmed": "yes"},
        follow=True,
    )
    assert "已撤销" in " ".join(messages_of(response))
    item.refresh_from_db()
    record.refresh_from_db()
    assert item.state == State.WITHDRAWN
    assert record.status == PublicRecord.Status.WITHDRAWN
    assert record.status_reason == "政策已调整。"

    # The history, oldest first, with who and what.
    text = page(client.get(url("item", item.pk)))
    history = text.split("操作记录")[-1]
    positions = [
        history.index(word)
        for word in [
            "创建",
            "上传附件",
            "提交审核",
            "退回修改",
            "审核通过",
            "发布",
            "撤销",
        ]
    ]
    assert positions == sorted(positions)
    assert "王信息" in history
    assert "请补充发放标准。" in history
    assert "政策已调整。" in history


@pytest.mark.django_db
def test_scheduled_publication_from_a_datetime_in_beijing_time(client, world):
    item = factories.item_in_state(
        "approved",
        department=world["dept"],
        creator=world["clerk"],
        reviewer=world["reviewer"],
    )
    client.force_login(world["reviewer"])
    response = client.post(url("publish", item.pk), {"when": "later", "publish_at": ""})
    assert "定时发布请填写发布时间" in page(response)
    response = client.post(
        url("publish", item.pk), {"when": "later", "publish_at": "2020-01-01T09:00"}
    )
    assert "定时发布的时间必须晚于现在" in page(response)
    item.refresh_from_db()
    assert item.state == State.APPROVED

    when = timezone.localtime() + datetime.timedelta(days=3)
    value = when.strftime("%Y-%m-%dT09:30")
    response = client.post(
        url("publish", item.pk), {"when": "later", "publish_at": value}, follow=True
    )
    item.refresh_from_db()
    assert item.state == State.SCHEDULED
    local = timezone.localtime(item.publish_at)
    assert (local.hour, local.minute) == (9, 30)
    assert str(local.tzinfo) == "Asia/Shanghai"
    assert "已设定定时发布" in " ".join(messages_of(response))

    response = client.post(url("unschedule", item.pk), follow=True)
    item.refresh_from_db()
    assert item.state == State.APPROVED
    assert "已取消定时发布" in " ".join(messages_of(response))


@pytest.mark.django_db
def test_an_author_who_reviews_sees_why_not_instead_of_the_buttons(client, world):
    both = factories.clerk_of(world["dept"], "clerk-reviewer")
    both.groups.add(world["reviewer"].groups.get())
    item = factories.item_in_state(
        "submitted_office",
        department=world["dept"],
        creator=both,
        reviewer=world["reviewer"],
    )
    client.force_login(both)
    text = page(client.get(url("item", item.pk)))
    assert "双人审核原则" in text
    assert url("approve", item.pk) not in text
    queue = page(client.get(url("review-queue")))
    assert item.title in queue
    assert "本人经手，不能审核" in queue
    response = client.post(url("approve", item.pk), {"confidentiality_checked": "on"})
    assert "双人审核原则" in page(response)
    item.refresh_from_db()
    assert item.state == State.SUBMITTED


@pytest.mark.django_db
def test_head_signoff_then_office_review(client, world):
    factories.require_head_signoff(world["dept"])
    head = factories.head_of(world["dept"], "head1")
    item = factories.item_in_state(
        "submitted_head",
        department=world["dept"],
        creator=world["clerk"],
        reviewer=world["reviewer"],
    )
    client.force_login(head)
    queue = page(client.get(url("review-queue")))
    assert item.title in queue and "部门负责人签批" in queue
    text = page(client.get(url("review", item.pk)))
    assert 'name="confidentiality_checked"' not in text  # the office's check
    response = client.post(url("approve", item.pk), {}, follow=True)
    assert "转入下一环节：政务公开办公室审核" in " ".join(messages_of(response))
    item.refresh_from_db()
    assert item.state == State.SUBMITTED and item.review_stage == "office"


# --- editing --------------------------------------------------------------------


@pytest.mark.django_db
def test_a_stale_edit_is_refused_and_the_input_kept(client, world):
    item = factories.draft_item(world["clerk"], world["dept"])
    colleague = factories.clerk_of(world["dept"], "colleague")
    client.force_login(world["clerk"])
    opened_version = item.version
    workflow.update_item(
        item=item,
        by=colleague,
        data={"keywords": "同事的修改"},
        expected_version=item.version,
    )
    response = client.post(
        url("item-edit", item.pk),
        edit_data(item, title="我的新标题", version=opened_version),
    )
    assert response.status_code == 200
    text = page(response)
    assert "已被他人修改" in text
    assert 'value="我的新标题"' in text
    item.refresh_from_db()
    assert item.title != "我的新标题"
    assert item.keywords == "同事的修改"


@pytest.mark.django_db
def test_form_errors_are_in_chinese_and_keep_the_input(client, world):
    client.force_login(world["clerk"])
    response = client.post(
        url("item-create"),
        form_data(
            world,
            title="",
            doc_number="示农发〔2026〕第3号",
            disclosure_mode="not_disclosed",
            formed_on="2026-13-45",
        ),
    )
    assert response.status_code == 200
    text = page(response)
    assert "请填写“标题”" in text
    assert "序号前不加“第”字" in text
    assert "日期格式应为 YYYY-MM-DD" in text
    assert "补贴 公示" in text  # kept
    assert Item.objects.count() == 0

    response = client.post(
        url("item-create"), form_data(world, disclosure_mode="not_disclosed")
    )
    assert "不予公开的信息必须写明理由" in page(response)
    assert Item.objects.count() == 0


@pytest.mark.django_db
def test_a_department_the_clerk_does_not_serve_is_refused(client, world):
    client.force_login(world["clerk"])
    response = client.post(
        url("item-create"), form_data(world, department=world["other"].pk)
    )
    assert response.status_code == 200
    assert "请从列表中选择一项" in page(response)
    assert Item.objects.count() == 0


@pytest.mark.django_db
def test_plain_text_body_without_javascript_becomes_paragraphs(client, world):
    client.force_login(world["clerk"])
    client.post(url("item-create"), form_data(world, body="第一段\n\n第二段 & 其他"))
    assert Item.objects.get().body == "<p>第一段</p><p>第二段 &amp; 其他</p>"


@pytest.mark.django_db
def test_editing_in_a_state_that_does_not_allow_it_explains_why(client, world):
    item = factories.item_in_state(
        "submitted_office",
        department=world["dept"],
        creator=world["clerk"],
        reviewer=world["reviewer"],
    )
    client.force_login(world["clerk"])
    response = client.get(url("item-edit", item.pk), follow=True)
    assert "当前状态为“审核中”，您不能修改" in " ".join(messages_of(response))


@pytest.mark.django_db
def test_due_date_endpoint(client, world):
    client.force_login(world["clerk"])
    response = client.get(
        url("due-date"), {"entry": world["entry"].pk, "formed_on": "2026-03-02"}
    )
    assert response.status_code == 200
    expected = add_working_days(datetime.date(2026, 3, 2), 20, work_calendar()).due
    assert response.json()["due"] == expected.isoformat()
    assert f"应公开日期：{expected.isoformat()}" in response.json()["text"]
    assert "20个工作日" in response.json()["text"]
    response = client.get(url("due-date"), {"entry": "", "formed_on": "2026-03-02"})
    assert response.json()["due"] == expected.isoformat()  # Art. 26
    assert "条例第二十六条" in response.json()["text"]
    assert client.get(url("due-date"), {"formed_on": "x"}).status_code == 400


# --- attachments ------------------------------------------------------------------


@pytest.mark.django_db
def test_uploads_are_checked_by_content(client, world, settings):
    item = factories.draft_item(world["clerk"], world["dept"])
    client.force_login(world["clerk"])
    response = client.post(
        url("upload", item.pk),
        {
            "files": [
                SimpleUploadedFile("图表.png", PNG),
                SimpleUploadedFile("通知.pdf", pdf_bytes()),
                SimpleUploadedFile("通知.docx", docx_bytes()),
                SimpleUploadedFile("setup.exe", EXE),
                SimpleUploadedFile("伪装.pdf", PNG),
            ]
        },
        follow=True,
    )
    shown = " ".join(messages_of(response))
    assert "已上传：图表.png、通知.pdf、通知.docx" in shown
    assert "setup.exe：不支持这种文件" in shown
    assert "伪装.pdf：文件内容是 PNG 格式，与文件名的扩展名 .pdf 不符" in shown
    assert sorted(
        Attachment.objects.filter(item=item).values_list("extension", flat=True)
    ) == ["docx", "pdf", "png"]
    text = page(response)
    assert "Word" in text and "PDF" in text and "PNG" in text

    settings.PORTAL_MAX_UPLOAD_BYTES = 100
    response = client.post(
        url("upload", item.pk),
        {"files": [SimpleUploadedFile("大文件.pdf", pdf_bytes("x" * 200))]},
        follow=True,
    )
    assert "大文件.pdf：文件太大" in " ".join(messages_of(response))
    assert Attachment.objects.filter(item=item).count() == 3

    response = client.post(url("upload", item.pk), {}, follow=True)
    assert "请选择要上传的文件" in page(response)


@pytest.mark.django_db
def test_download_and_remove_an_attachment(client, world):
    item = factories.draft_item(world["clerk"], world["dept"])
    client.force_login(world["clerk"])
    client.post(
        url("upload", item.pk),
        {"files": [SimpleUploadedFile("2026年补贴名单.pdf", pdf_bytes())]},
    )
    attachment = Attachment.objects.get(item=item)
    response = client.get(url("attachment", item.pk, attachment.token))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=utf-8''2026%E5%B9%B4" in disposition
    assert b"".join(response.streaming_content).startswith(b"%PDF-1.4")

    # The reviewer (office staff) may download it too; a stranger may not.
    client.force_login(world["reviewer"])
    assert client.get(url("attachment", item.pk, attachment.token)).status_code == 200
    client.force_login(world["clerk2"])
    assert client.get(url("attachment", item.pk, attachment.token)).status_code == 404

    client.force_login(world["clerk"])
    response = client.post(
        url("attachment-remove", item.pk, attachment.token), follow=True
    )
    assert "已从工作稿中移除附件：2026年补贴名单.pdf" in " ".join(messages_of(response))
    attachment.refresh_from_db()
    assert not attachment.in_draft
    assert url("attachment-remove", item.pk, attachment.token) not in page(response)


# --- dashboard ------------------------------------------------------------------


@pytest.mark.django_db
def test_dashboard_shows_what_is_due_and_what_waits(client, world):
    calendar = work_calendar()
    today = timezone.localdate()
    clerk = world["clerk"]
    overdue = factories.draft_item(clerk, world["dept"], title="逾期的信息")
    soon = factories.draft_item(clerk, world["dept"], title="快到期的信息")
    later = factories.draft_item(clerk, world["dept"], title="还早的信息")
    past_due = today - datetime.timedelta(days=30)
    soon_due = add_working_days(today, 3, calendar).due
    Item.objects.filter(pk=overdue.pk).update(due_on=past_due)
    Item.objects.filter(pk=soon.pk).update(due_on=soon_due)
    Item.objects.filter(pk=later.pk).update(due_on=today + datetime.timedelta(days=90))
    waiting = factories.item_in_state(
        "submitted_office",
        department=world["dept"],
        creator=clerk,
        reviewer=world["reviewer"],
        title="等待审核的信息",
    )

    submitted_at = timezone.now() - datetime.timedelta(hours=50, minutes=5)
    Item.objects.filter(pk=waiting.pk).update(submitted_at=submitted_at)
    waited_days = working_days_between(
        timezone.localtime(submitted_at).date(), today, calendar
    )

    client.force_login(clerk)
    text = page(client.get(url("dashboard")))
    due_section = text.split("临近或超过应公开日期")[1].split("</section>")[0]
    assert "逾期的信息" in due_section and "快到期的信息" in due_section
    assert "还早的信息" not in due_section
    late = working_days_between(past_due, today, calendar)
    assert f"已逾期 {late} 个工作日" in due_section
    assert "还剩 3 个工作日" in due_section
    assert "我的草稿" in text and "还早的信息" in text
    review_section = text.split("正在审核的信息")[1]
    assert waiting.title in review_section
    assert "政务公开办公室审核" in review_section
    assert f"{waited_days} 个工作日（共 50 小时）" in review_section

    client.force_login(world["reviewer"])
    text = page(client.get(url("dashboard")))
    assert "待我审核" in text
    assert '<strong class="count">1</strong>' in text


# --- lists and query counts --------------------------------------------------------


@pytest.mark.django_db
def test_item_list_filters(client, world):
    clerk = world["clerk"]
    factories.draft_item(clerk, world["dept"], title="关于春耕的通知")
    factories.draft_item(
        clerk,
        world["dept"],
        title="补贴发放名单",
        catalog_entry=world["entry"],
        formed_on=datetime.date(2026, 1, 5),
    )
    factories.item_in_state(
        "submitted_office",
        department=world["dept"],
        creator=clerk,
        reviewer=world["reviewer"],
        title="已提交的信息",
    )
    factories.draft_item(world["clerk2"], world["other"], title="别的部门的信息")
    client.force_login(clerk)

    def titles(**params):
        response = client.get(url("items"), params)
        assert response.status_code == 200
        return sorted(item.title for item in response.context["items"])

    assert titles() == ["关于春耕的通知", "已提交的信息", "补贴发放名单"]
    assert titles(state="submitted") == ["已提交的信息"]
    assert titles(q="春耕") == ["关于春耕的通知"]
    assert titles(catalog_entry=world["entry"].pk) == ["补贴发放名单"]
    assert titles(formed_to="2026-01-31") == ["补贴发放名单"]
    assert titles(formed_from="2026-02-01", formed_to="2026-12-31") == [
        "关于春耕的通知",
        "已提交的信息",
    ]
    assert titles(department=world["dept"].pk) == [
        "关于春耕的通知",
        "已提交的信息",
        "补贴发放名单",
    ]
    # Another department's id is not a choice for this clerk.
    assert titles(department=world["other"].pk) == []


def _many_items(world, count):
    clerks = [factories.clerk_of(world["dept"], f"many{n}") for n in range(3)]
    items = []
    for number in range(count):
        clerk = clerks[number % 3]
        item = factories.draft_item(
            clerk,
            world["dept"],
            title=f"批量信息{number}",
            catalog_entry=world["entry"],
        )
        items.append(workflow.submit(item=item, by=clerk))
    return items


@pytest.mark.django_db
def test_item_list_query_count_does_not_grow_with_rows(
    client, world, django_assert_max_num_queries
):
    _many_items(world, 32)
    client.force_login(world["reviewer"])
    client.get(url("items"))  # warm the calendar cache
    with django_assert_max_num_queries(10):
        response = client.get(url("items"))
    assert len(response.context["items"]) == 25
    assert "批量信息" in page(response)
    with django_assert_max_num_queries(10):
        response = client.get(url("items"), {"page": 2, "state": "submitted"})
    assert len(response.context["items"]) == 7


@pytest.mark.django_db
def test_review_queue_query_count_does_not_grow_with_rows(
    client, world, django_assert_max_num_queries
):
    items = _many_items(world, 32)
    client.force_login(world["reviewer"])
    client.get(url("review-queue"))
    with django_assert_max_num_queries(10):
        response = client.get(url("review-queue"))
    text = page(response)
    assert all(url("review", item.pk) in text for item in items)
    assert len(response.context["queue"]) == 32
    # Oldest submitted first.
    assert text.index("批量信息0<") < text.index("批量信息31<")
    assert response.context["queue"][0].pk == items[0].pk


@pytest.mark.django_db
def test_dashboard_query_count_is_bounded(client, world, django_assert_max_num_queries):
    _many_items(world, 32)
    client.force_login(world["clerk"])
    client.get(url("dashboard"))
    # 11 for the items, 4 for the panel of requests (tests/disclosure/requests/
    # test_staff_views.py guards it with many requests).
    with django_assert_max_num_queries(15):
        client.get(url("dashboard"))


# --- audit log ------------------------------------------------------------------


@pytest.mark.django_db
def test_audit_csv_export(client, world):
    item = factories.item_in_state(
        "published",
        department=world["dept"],
        creator=world["clerk"],
        reviewer=world["reviewer"],
        title='=HYPERLINK("http://evil.example","点我")',
    )
    workflow.update_item(
        item=item,
        by=world["clerk"],
        data={"keywords": "-1+1"},
        expected_version=item.version,
    )
    today = timezone.localdate().isoformat()

    client.force_login(world["clerk"])
    response = client.get(url("audit-csv"), {"start": today, "end": today})
    assert response.status_code == 403
    assert client.get(url("audit")).status_code == 403

    client.force_login(world["reviewer"])
    response = client.get(url("audit"))
    assert response.status_code == 200
    assert "操作记录导出" in page(response)

    response = client.get(url("audit-csv"), {"start": today, "end": today})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    content = b"".join(response.streaming_content)
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0] == [
        "时间",
        "操作人",
        "信息ID",
        "索引号",
        "标题",
        "操作",
        "原状态",
        "新状态",
        "审核环节",
        "意见",
        "版本",
    ]
    body = rows[1:]
    assert len(body) == AuditEntry.objects.filter(item=item).count() == 5
    assert [row[5] for row in body] == ["创建", "提交审核", "审核通过", "发布", "修改"]
    assert all(row[4].startswith("'=HYPERLINK") for row in body)
    assert all(row[2] == str(item.pk) for row in body)
    publish = body[3]
    item.refresh_from_db()
    assert publish[3] == item.index_number
    assert publish[6:8] == ["审核通过", "已发布"]
    approve = body[2]
    assert approve[8] == "政务公开办公室审核"
    assert approve[9].startswith("已完成保密审查")
    assert body[0][10] == "1"

    # Days outside the range are not exported.
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = client.get(url("audit-csv"), {"start": tomorrow, "end": tomorrow})
    rows = list(
        csv.reader(
            io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))
        )
    )
    assert len(rows) == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"start": "2026-02-30", "end": "2026-03-01"}, "开始日期格式应为 YYYY-MM-DD"),
        ({"start": "2026-03-01"}, "请填写结束日期"),
        ({"start": "2026-03-02", "end": "2026-03-01"}, "结束日期不能早于开始日期"),
        ({}, "请填写开始日期"),
    ],
)
def test_audit_csv_refuses_bad_dates(client, world, params, message):
    client.force_login(world["admin"])
    response = client.get(url("audit-csv"), params)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_csv_cells_are_neutralised():
    from disclosure.workspace.views.audit import csv_cell

    assert csv_cell("=1+1") == "'=1+1"
    assert csv_cell("+86") == "'+86"
    assert csv_cell("-2") == "'-2"
    assert csv_cell("@SUM(A1)") == "'@SUM(A1)"
    assert csv_cell("\tx") == "'\tx"
    assert csv_cell("\rx") == "'\rx"
    assert csv_cell("正常") == "正常"
    assert csv_cell(3) == "3"
    assert csv_cell(None) == ""


@pytest.mark.django_db
def test_catalog_entry_choices_are_grouped_by_area(client, world):
    factories.CatalogEntryFactory(
        area=factories.CatalogAreaFactory(name="财政预决算"),
        responsible_department=world["dept"],
        level1="政府预决算",
        level2="政府预算",
    )
    client.force_login(world["clerk"])
    text = page(client.get(url("item-create")))
    assert '<optgroup label="财政预决算">' in text
    assert '<optgroup label="农业、林业、水利">' in text  # topics under parents


@pytest.mark.django_db
def test_review_page_shows_the_changes_against_the_published_version(client, world):
    item = factories.item_in_state(
        "published",
        department=world["dept"],
        creator=world["clerk"],
        reviewer=world["reviewer"],
        attachment=True,
        body="<p>补贴标准为每亩100元。</p><p>发放时间为三月。</p>",
    )
    item = workflow.update_item(
        item=item,
        by=world["clerk"],
        data={
            "body": "<p>补贴标准为每亩120元。</p><p>发放时间为三月。</p>",
            "keywords": "补贴 标准",
        },
        expected_version=item.version,
    )
    workflow.remove_attachment(attachment=item.attachments.get(), by=world["clerk"])
    factories.attach_pdf(
        Item.objects.get(pk=item.pk), world["clerk"], name="新名单.pdf"
    )
    workflow.submit(item=Item.objects.get(pk=item.pk), by=world["clerk"])

    client.force_login(world["reviewer"])
    text = page(client.get(url("review", item.pk)))
    assert "与已发布版本的对比" in text
    assert "补贴 公示" in text and "补贴 标准" in text  # old and new keywords
    assert "每亩1</span><del>" in text
    assert '［删除：</span><span lang="zh-Hans">0' in text
    assert '［新增：</span><span lang="zh-Hans">2' in text
    assert "发放时间为三月。" in text
    added = text.split('class="added"')[1].split("</li>")[0]
    removed = text.split('class="removed"')[1].split("</li>")[0]
    assert "新名单.pdf" in added
    assert "附件.pdf" in removed
