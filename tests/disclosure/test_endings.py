"""Withdrawal is not repeal (条例 Art. 20(一)): the office says whether a
published item is 撤回 (taken off the site) or 废止/失效 (the document stops
having effect, its page stays with its 有效性), and whether its files stay."""

import datetime

import pytest
from django.utils import timezone

from disclosure import workflow
from disclosure.models import AuditEntry, Ending, Item, PublicRecord
from tests.disclosure.public_fixtures import build_world, publish
from tests.english_scan import without_tags

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return build_world()


def page(client, url) -> tuple[int, str]:
    response = client.get(url)
    content = (
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    return response.status_code, content.decode(errors="replace")


def published(world):
    return publish(
        world,
        title="关于停止执行补贴标准的通知",
        body="<p>原补贴标准正文。</p>",
        attachment="补贴标准.pdf",
    )


def download(client, record):
    attachment = record.item.attachments.get()
    return client.get(f"/items/{record.pk}/files/{attachment.token}/").status_code


@pytest.mark.parametrize("keep", [False, True], ids=["files gone", "files kept"])
def test_taken_down_leaves_every_listing_and_says_so(client, world, keep):
    record = published(world)
    workflow.withdraw(
        item=record.item,
        by=world.admin,
        reason="误发，撤回。",
        ending=Ending.TAKEN_DOWN,
        keep_attachments=keep,
    )
    status, html = page(client, f"/items/{record.pk}/")
    assert status == 200
    assert "本信息已撤销（撤回），不再公开" in html
    assert "撤回理由：误发，撤回。" in without_tags(html)
    assert "原补贴标准正文" not in html
    for url in ("/items/", "/feeds/items.atom", "/items.csv", "/api/v1/items"):
        assert record.title not in page(client, url)[1], url
    _status, api = page(client, f"/api/v1/items/{record.pk}")
    assert '"ending": "taken_down"' in api
    assert "原补贴标准正文" not in api
    assert download(client, record) == (200 if keep else 404)
    record.refresh_from_db()
    assert record.status == PublicRecord.Status.WITHDRAWN
    assert record.item.state == Item.State.WITHDRAWN


@pytest.mark.parametrize("ending", [Ending.REPEALED, Ending.EXPIRED])
@pytest.mark.parametrize("keep", [False, True], ids=["files gone", "files kept"])
def test_a_repealed_document_stays_public_with_its_validity(
    client, world, ending, keep
):
    record = published(world)
    day = timezone.localdate() - datetime.timedelta(days=2)
    workflow.withdraw(
        item=record.item,
        by=world.admin,
        reason="本通知停止执行。",
        ending=ending,
        keep_attachments=keep,
        on=day,
    )
    word = {Ending.REPEALED: "废止", Ending.EXPIRED: "失效"}[ending]
    status, html = page(client, f"/items/{record.pk}/")
    assert status == 200
    assert f"本文件已{word}" in html
    assert f"{word}日期：{day.year}年{day.month}月{day.day}日" in html
    assert f"{word}理由：本通知停止执行。" in without_tags(html)
    assert "原补贴标准正文" in html
    assert "本信息已撤销" not in html
    # 有效性 says it, not 有效.
    validity_cell = html.split("有效性</th><td>")[1].split("</td>")[0]
    assert word in validity_cell
    assert "有效" not in validity_cell.replace(word, "")
    # Still listed, but not among the documents in force.
    assert record.title in page(client, "/items/")[1]
    assert record.title not in page(client, "/items/?validity=valid")[1]
    assert download(client, record) == (200 if keep else 404)
    item = Item.objects.get(pk=record.pk)
    assert item.state == Item.State.PUBLISHED
    assert (item.validity, item.validity_changed_on) == (ending.value, day)
    entry = AuditEntry.objects.filter(item=item).latest("pk")
    assert entry.action == AuditEntry.Action.REPEAL
    assert "本通知停止执行。" in entry.comment


def test_a_repeal_is_refused_twice_in_the_future_or_without_reason(world):
    record = published(world)
    with pytest.raises(workflow.WorkflowError) as error:
        workflow.repeal(item=record.item, by=world.admin, reason=" ")
    assert error.value.message == "请写明理由，它会与操作记录一起保存。"
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(workflow.WorkflowError) as error:
        workflow.repeal(item=record.item, by=world.admin, reason="停止", on=tomorrow)
    assert error.value.message == "废止或失效日期不能晚于今天。"
    with pytest.raises(workflow.WorkflowError) as error:
        workflow.repeal(item=record.item, by=world.clerk, reason="停止")
    workflow.repeal(item=record.item, by=world.admin, reason="停止")
    with pytest.raises(workflow.WorkflowError) as error:
        workflow.repeal(item=record.item, by=world.admin, reason="再次")
    assert error.value.message == "这份文件已经废止或失效。"


def test_the_office_chooses_in_the_workspace(client, world):
    record = published(world)
    client.force_login(world.admin)
    url = f"/workspace/items/{record.pk}/withdraw/"
    status, form = page(client, f"/workspace/items/{record.pk}/")
    assert "撤回还是废止" in form
    assert "附件继续提供下载" in form
    response = client.post(
        url, {"withdraw-ending": "bogus", "withdraw-reason": "停止执行。"}
    )
    assert response.status_code == 200
    assert "请选择撤回、废止或失效。" in response.content.decode()
    choice = {
        "withdraw-ending": "repealed",
        "withdraw-reason": "停止执行。",
        "withdraw-keep_attachments": "on",
    }
    # First the consequences of a repeal, the choices carried to the next step.
    confirm = client.post(url, choice).content.decode()
    assert "宣布废止" in confirm
    assert "公开页面保留，有效性显示为“废止”及其日期和下面的理由。" in confirm
    assert 'name="withdraw-keep_attachments" value="on"' in confirm
    assert 'name="withdraw-ending" value="repealed"' in confirm
    response = client.post(url, {**choice, "confirmed": "yes"}, follow=True)
    assert "已标为废止。公开页面保留，有效性显示为废止及其日期。" in (
        response.content.decode()
    )
    assert download(client, record) == 200
    record.refresh_from_db()
    assert (record.status, record.ending) == ("live", "repealed")
    assert record.validity_changed_on == timezone.localdate()
