"""What must never be public (条例 Arts. 14-16, 19-20, 27): every public
surface walked for every 公开方式 and 公开范围, whatever the workflow did
(published at once, or published 主动公开 first and changed afterwards)."""

import datetime
import re
import uuid

import pytest
from django.core import mail
from django.utils import timezone

from disclosure import workflow
from disclosure.models import (
    Attachment,
    DisclosureMode,
    PublicRecord,
    Scope,
    SiteSettings,
    Subscription,
)
from disclosure.participation import digests
from tests import factories
from tests.disclosure.public_fixtures import build_world, publish

pytestmark = pytest.mark.django_db

SECRET_TITLE = "秘密标题甲乙丙"
SECRET_BODY = "机密正文丁戊己"
SECRET_FILE = "秘密附件庚辛.pdf"


@pytest.fixture
def world(db):
    return build_world()


def text(response) -> str:
    """The response's text, also without its tags (a search marks the words
    it found)."""
    if response.streaming:
        content = b"".join(response.streaming_content).decode()
    else:
        content = response.content.decode()
    return content + re.sub(r"<[^>]+>", "", content)


def _subscription():
    return Subscription.objects.create(
        email="citizen@example.com",
        query="",
        label="全部信息",
        key=uuid.uuid4().hex,
        confirmed_at=timezone.now() - datetime.timedelta(days=1),
    )


def surfaces(client, world, record_pk) -> dict[str, str]:
    """What the public can read, surface by surface."""
    department = world.department
    pages = {
        "home": "/",
        "listing": "/items/",
        "search title": "/items/?q=秘密标题",
        "search body": "/items/?q=机密正文",
        "item page": f"/items/{record_pk}/",
        "rss": "/feeds/items.rss",
        "atom": "/feeds/items.atom",
        "department feed": f"/feeds/department/{department.code}.atom",
        "topic feed": f"/feeds/topic/{world.topic.code}.rss",
        "entry feed": f"/feeds/entry/{world.entry.pk}.atom",
        "api list": "/api/v1/items",
        "api search": "/api/v1/items?q=机密正文",
        "api item": f"/api/v1/items/{record_pk}",
        "csv": "/items.csv",
        "sitemap": "/sitemap-items.xml",
        "department column": f"/departments/{department.code}/",
        "on-request list": "/items/on-request/",
    }
    seen = {name: text(client.get(url)) for name, url in pages.items()}
    for attachment in Attachment.objects.filter(item_id=record_pk):
        response = client.get(f"/items/{record_pk}/files/{attachment.token}/")
        seen["attachment"] = f"{response.status_code} " + (
            SECRET_FILE if response.status_code == 200 else ""
        )
    before = len(mail.outbox)
    digests.send_digests()
    seen["subscription mail"] = " ".join(
        message.subject + message.body for message in mail.outbox[before:]
    )
    return seen


def _item(world, **fields):
    item = factories.draft_item(
        world.clerk,
        world.department,
        title=SECRET_TITLE,
        body=f"<p>{SECRET_BODY}</p>",
        catalog_entry=world.entry,
        **fields,
    )
    factories.attach_pdf(item, world.clerk, name=SECRET_FILE)
    item.refresh_from_db()
    return item


def _review_and_publish(world, item, at=None):
    workflow.submit(item=item, by=world.clerk)
    workflow.approve(item=item, by=world.reviewer, confidentiality_checked=True)
    return workflow.publish(item=item, by=world.reviewer, at=at)


def publish_directly(world, mode, scope, clock=None):
    item = _item(world, disclosure_mode=mode, scope=scope, **_reason(mode))
    return _review_and_publish(world, item)


def publish_at_a_time(world, mode, scope, clock):
    """Scheduled, and the time has come (no job runs)."""
    item = _item(world, disclosure_mode=mode, scope=scope, **_reason(mode))
    at = timezone.now() + datetime.timedelta(hours=1)
    item = _review_and_publish(world, item, at=at)
    clock.move_to(at + datetime.timedelta(hours=1))
    return item


def publish_then_change(world, mode, scope, clock=None):
    """Public (主动公开) first, then changed to ``mode`` and published again."""
    item = _review_and_publish(world, _item(world))
    item = workflow.update_item(
        item=item,
        by=world.clerk,
        data={"disclosure_mode": mode, "scope": scope, **_reason(mode)},
        expected_version=item.version,
    )
    return _review_and_publish(world, item)


def _reason(mode):
    if mode == DisclosureMode.NOT_DISCLOSED:
        return {"non_disclosure_reason": "属于国家秘密"}
    return {}


HIDDEN = [
    (DisclosureMode.NOT_DISCLOSED, Scope.PUBLIC),
    (DisclosureMode.NOT_DISCLOSED, Scope.APPLICANT),
    (DisclosureMode.PROACTIVE, Scope.APPLICANT),
    (DisclosureMode.ON_REQUEST, Scope.APPLICANT),
    (DisclosureMode.ON_REQUEST, Scope.PUBLIC),
]


@pytest.mark.parametrize("lists_on_request", [False, True], ids=["list off", "on"])
@pytest.mark.parametrize(
    "history", [publish_directly, publish_at_a_time, publish_then_change]
)
@pytest.mark.parametrize(("mode", "scope"), HIDDEN)
def test_nothing_of_a_non_public_item_reaches_any_public_surface(
    client, world, mode, scope, history, lists_on_request, clock
):
    settings_row = SiteSettings.load()
    settings_row.lists_on_request = lists_on_request
    settings_row.save()
    # A public item next to it shows that every surface is really read.
    publish(world, title="公开的通知", catalog_entry=world.entry)
    _subscription()
    item = history(world, mode, scope, clock)

    seen = surfaces(client, world, item.pk)

    on_request_line = (
        mode == DisclosureMode.ON_REQUEST and scope == Scope.PUBLIC and lists_on_request
    )
    for surface, content in seen.items():
        assert SECRET_BODY not in content, surface
        assert SECRET_FILE not in content, surface
        if surface == "on-request list" and on_request_line:
            assert SECRET_TITLE in content
            assert item.index_number in content
            assert "/requests/new/" in content
        else:
            assert SECRET_TITLE not in content, surface
    for surface in ("listing", "rss", "api list", "csv", "subscription mail"):
        assert "公开的通知" in seen[surface], surface
    client.force_login(world.admin)
    office_page = text(client.get(f"/workspace/items/{item.pk}/"))
    assert SECRET_TITLE in office_page
    if mode == DisclosureMode.ON_REQUEST and scope == Scope.PUBLIC:
        assert "依申请公开：只在依申请公开目录中列出标题等信息" in office_page
    else:
        assert "不公开：这条信息不出现在任何公开页面" in office_page
    # Nor is it kept where a later mistake could show it.
    record = PublicRecord.objects.filter(item_id=item.pk).first()
    assert record is None or record.body == ""
    assert not Attachment.objects.filter(item=item, is_published=True).exists()
    # The office keeps its record.
    item.refresh_from_db()
    assert item.effective_state == item.State.PUBLISHED
    assert SECRET_BODY in item.body


def test_a_public_item_is_on_every_surface(client, world):
    """The walk above finds a public item (so its silence means something)."""
    publish(world, title="公开的通知", catalog_entry=world.entry)
    _subscription()
    item = publish_directly(world, DisclosureMode.PROACTIVE, Scope.PUBLIC)
    seen = surfaces(client, world, item.pk)
    for surface in (
        "home",
        "listing",
        "search title",
        "item page",
        "rss",
        "atom",
        "department feed",
        "topic feed",
        "entry feed",
        "api list",
        "api item",
        "csv",
        "department column",
        "subscription mail",
    ):
        assert SECRET_TITLE in seen[surface], surface
    assert SECRET_BODY in seen["item page"]
    assert SECRET_FILE in seen["attachment"]


def test_the_on_request_list_is_an_office_setting(client, world):
    item = publish_directly(world, DisclosureMode.ON_REQUEST, Scope.PUBLIC)
    assert client.get("/items/on-request/").status_code == 404
    assert "/items/on-request/" not in text(client.get("/items/"))
    row = SiteSettings.load()
    row.lists_on_request = True
    row.save()
    page = text(client.get("/items/on-request/"))
    assert SECRET_TITLE in page
    assert "区农业农村局" in page
    assert item.index_number in page
    assert SECRET_BODY not in page
    assert "在线提出政府信息公开申请" in page
    assert "/items/on-request/" in text(client.get("/items/"))
    assert client.get(f"/items/{item.pk}/").status_code == 404


def test_the_database_refuses_a_live_record_of_a_withheld_item(world):
    from django.db import IntegrityError, transaction

    item = publish_directly(world, DisclosureMode.ON_REQUEST, Scope.PUBLIC)
    record = PublicRecord.objects.get(item_id=item.pk)
    for change in (
        {"status": PublicRecord.Status.LIVE},
        {"body": "<p>正文</p>"},
        {"status": PublicRecord.Status.LIVE, "disclosure_mode": "not_disclosed"},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            PublicRecord.objects.filter(pk=record.pk).update(**change)


# --- an item needs its text or a file ---------------------------------------------


@pytest.mark.parametrize(
    ("mode", "refused"),
    [
        (DisclosureMode.PROACTIVE, True),
        (DisclosureMode.ON_REQUEST, False),
        (DisclosureMode.NOT_DISCLOSED, False),
    ],
)
def test_an_item_without_body_or_attachment_is_not_submitted(world, mode, refused):
    item = factories.draft_item(
        world.clerk,
        world.department,
        body="<p> &nbsp;</p>",
        disclosure_mode=mode,
        **_reason(mode),
    )
    if refused:
        with pytest.raises(workflow.WorkflowError) as error:
            workflow.submit(item=item, by=world.clerk)
        assert error.value.message == (
            "主动公开的信息须有正文或附件：请填写正文或上传附件后再提交审核。"
        )
        item.refresh_from_db()
        assert item.state == item.State.DRAFT
        factories.attach_pdf(item, world.clerk)
    item = workflow.submit(item=item, by=world.clerk)
    assert item.state == item.State.SUBMITTED


def test_the_workspace_shows_why_and_keeps_the_item(client, world):
    item = factories.draft_item(world.clerk, world.department, body="")
    client.force_login(world.clerk)
    response = client.post(f"/workspace/items/{item.pk}/submit/", follow=True)
    assert "主动公开的信息须有正文或附件" in text(response)
    item.refresh_from_db()
    assert item.state == item.State.DRAFT
    assert item.title == "关于2026年耕地地力保护补贴发放的公示"
