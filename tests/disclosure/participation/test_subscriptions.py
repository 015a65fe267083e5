"""E-mail subscriptions: double opt-in, the digest command (idempotent,
batched, never a withdrawn, removed or not-yet-public item), one-click
unsubscribe (link and RFC 8058 headers), the signed management page, and the
same filters as the feeds."""

import datetime
import re
from unittest import mock

import pytest
from django.core import mail, signing
from django.core.management import call_command
from django.http import QueryDict
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from catalog.models import TopicCategory
from disclosure import workflow
from disclosure.models import PublicRecord, Subscription, SubscriptionDelivery
from disclosure.participation import digests, subscriptions
from disclosure.participation.queries import matching_records, parse_query
from disclosure.public.filters import RecordFilter
from disclosure.public.results import matching
from disclosure.public.selectors import listing_records
from tests.disclosure.public_fixtures import bulk_records, publish

from .conftest import move_clock

pytestmark = pytest.mark.django_db

EMAIL = "citizen@example.com"


def links(message) -> list[str]:
    return re.findall(r"https?://\S+", message.body)


def path_of(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


@pytest.fixture
def subscribe(client, committed):
    def post(query="", email=EMAIL, frequency="immediate"):
        data = {"email": email, "frequency": frequency, **QueryDict(query).dict()}
        response = committed(client.post, reverse("participation:subscribe"), data)
        assert response.status_code == 302, response.content.decode()
        return response

    return post


def confirm(client, message):
    confirm_url = next(url for url in links(message) if "/confirm/" in url)
    path = path_of(confirm_url)
    page = client.get(path)
    assert "确认订阅" in page.content.decode()
    # A link scanner following the link confirms nothing.
    assert Subscription.objects.get(email=EMAIL).confirmed_at is None
    response = client.post(path)
    assert "订阅已确认" in response.content.decode()


def send() -> list:
    before = len(mail.outbox)
    call_command("send_subscriptions", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return mail.outbox[before:]


# --- subscribing ------------------------------------------------------------------------


def test_double_opt_in_then_each_new_item_is_sent_once(client, subscribe, world, clock):
    old = publish(world, title="订阅之前发布的通知")
    subscribe("department=nyj")
    assert [m.to for m in mail.outbox] == [[EMAIL]]
    assert "请确认订阅：发布机构：区农业农村局" == mail.outbox[0].subject
    assert send() == []  # not confirmed: nothing goes out
    publish(world, title="确认之前发布的通知")
    confirm(client, mail.outbox[0])
    move_clock(clock, 0)
    new = publish(world, title="关于2026年耕地地力保护补贴的通知")
    publish(world, title="财政局的通知", department=world.other_department)
    sent = send()
    assert len(sent) == 1
    body = sent[0].body
    assert new.title in body
    assert old.title not in body
    assert "确认之前发布的通知" not in body
    assert "财政局的通知" not in body
    assert send() == []  # a rerun sends nothing twice
    assert SubscriptionDelivery.objects.count() == 1


def test_every_message_can_unsubscribe_in_one_click(client, subscribe, world):
    subscribe()
    confirm(client, mail.outbox[0])
    publish(world, title="新的通知")
    (message,) = send()
    assert (
        message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    )
    header_url = message.extra_headers["List-Unsubscribe"].strip("<>")
    body_url = next(url for url in links(message) if "/unsubscribe/" in url)
    assert header_url == body_url
    # A mail program's one-click POST: no CSRF token, no cookie.
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(path_of(header_url), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert Subscription.objects.get().unsubscribed_at is not None
    publish(world, title="退订之后的通知")
    assert send() == []


def test_the_body_link_shows_one_button(client, subscribe, world):
    subscribe()
    confirm(client, mail.outbox[0])
    url = subscriptions.unsubscribe_url(Subscription.objects.get())
    page = client.get(url).content.decode()
    assert "确认退订" in page
    assert Subscription.objects.get().unsubscribed_at is None
    response = client.post(url)
    assert "已退订" in response.content.decode()
    assert "no-store" in response["Cache-Control"]


def test_forged_or_expired_links_are_refused(client, subscribe, world, clock):
    subscribe()
    subscription = Subscription.objects.get()
    forged = signing.dumps(["u", subscription.key], salt="another-salt")
    assert client.post(f"/subscriptions/unsubscribe/{forged}/").status_code == 404
    assert client.get("/subscriptions/manage/nonsense/").status_code == 404
    confirm_path = subscriptions.confirm_url(subscription)
    move_clock(clock, 8)
    response = client.post(confirm_path)
    assert response.status_code == 404
    assert "已过期" in response.content.decode()
    assert Subscription.objects.get().confirmed_at is None
    # An unsubscribe link names its purpose: it does not confirm.
    unsubscribe_token = subscriptions.unsubscribe_url(subscription).split("/")[-2]
    assert (
        client.post(f"/subscriptions/confirm/{unsubscribe_token}/").status_code == 404
    )


def test_withdrawn_removed_and_future_items_are_never_sent(
    client, subscribe, world, clock
):
    subscribe()
    confirm(client, mail.outbox[0])
    withdrawn = publish(world, title="将被撤销的通知")
    removed = publish(world, title="将被删除的通知")
    future = publish(
        world, title="明天公开的通知", at=timezone.now() + datetime.timedelta(days=1)
    )
    workflow.withdraw(item=withdrawn.item, by=world.admin, reason="政策调整，撤销。")
    workflow.remove(item=removed.item, by=world.admin, reason="错发，删除。")
    assert send() == []
    move_clock(clock, 2)
    (message,) = send()
    assert future.title in message.body
    assert withdrawn.title not in message.body
    assert removed.title not in message.body


def test_daily_and_weekly_digests(client, subscribe, world, clock):
    subscribe(frequency="daily")
    confirm(client, mail.outbox[0])
    publish(world, title="第一条")
    assert len(send()) == 1
    publish(world, title="第二条")
    assert send() == []  # once a day
    move_clock(clock, 1)
    publish(world, title="第三条")
    (message,) = send()
    assert "第二条" in message.body and "第三条" in message.body
    assert "第一条" not in message.body
    Subscription.objects.update(frequency="weekly")
    publish(world, title="第四条")
    move_clock(clock, 6)
    assert send() == []
    move_clock(clock, 1)
    (message,) = send()
    assert "第四条" in message.body


def test_a_failed_message_is_tried_again_and_logs_nothing(client, subscribe, world):
    subscribe()
    confirm(client, mail.outbox[0])
    record = publish(world, title="发送失败时的通知")
    with mock.patch(
        "django.core.mail.EmailMessage.send", side_effect=OSError("mail server down")
    ):
        report = digests.send_digests()
    assert report.messages == 0 and len(report.failed) == 1
    assert not SubscriptionDelivery.objects.exists()
    (message,) = send()
    assert record.title in message.body


def test_many_subscriptions_in_batches(world, clock):
    now = timezone.now()
    Subscription.objects.bulk_create(
        Subscription(
            email=f"reader{number}@example.com",
            label="全部公开信息",
            frequency="immediate",
            key=f"{number:032d}",
            created_at=now,
            confirmed_at=now,
        )
        for number in range(25)
    )
    move_clock(clock, 0)
    publish(world, title="群发的通知")
    report = digests.send_digests(batch_size=10)
    assert report.checked == 25 and report.messages == 25
    assert len({m.to[0] for m in mail.outbox}) == 25
    assert digests.send_digests(batch_size=10).messages == 0


def test_a_message_lists_at_most_fifty_items(client, subscribe, world, clock):
    subscribe()
    confirm(client, mail.outbox[0])
    move_clock(clock, 0)
    bulk_records(
        world,
        60,
        start=timezone.now() + datetime.timedelta(seconds=1),
        step=datetime.timedelta(seconds=1),
    )
    move_clock(clock, 1)
    (first,) = send()
    assert first.body.count("/items/") == 51  # fifty items and "查看全部"
    (second,) = send()
    assert second.body.count("/items/") == 11
    assert SubscriptionDelivery.objects.count() == 60


def test_unconfirmed_subscriptions_are_removed_after_seven_days(
    client, subscribe, world, clock
):
    subscribe()
    move_clock(clock, 8)
    send()
    assert not Subscription.objects.exists()


def test_confirmation_mails_to_one_address_are_limited(client, subscribe, world):
    for number in range(7):
        subscribe(f"q=补贴{number}")
    assert len(mail.outbox) == subscriptions.MAILS_PER_DAY


def test_subscribing_again_tells_the_address_and_nobody_else(client, subscribe, world):
    subscribe()
    confirm(client, mail.outbox[0])
    response = subscribe()
    assert response["Location"] == reverse("participation:subscription-sent")
    assert mail.outbox[-1].subject == "您已订阅过这些信息"
    assert Subscription.objects.count() == 1


def test_the_management_page_from_a_signed_link(client, subscribe, world, committed):
    subscribe("department=nyj")
    confirm(client, mail.outbox[0])
    subscribe("q=补贴")
    response = committed(
        client.post, reverse("participation:subscription-manage-link"), {"email": EMAIL}
    )
    assert "已向它发送管理链接" in response.content.decode()
    manage_path = path_of(
        next(url for url in links(mail.outbox[-1]) if "/manage/" in url)
    )
    page = client.get(manage_path).content.decode()
    assert "发布机构：区农业农村局" in page and "关键词：补贴" in page
    first = Subscription.objects.get(query="department=nyj")
    client.post(manage_path, {"key": first.key, "frequency": "weekly"})
    assert Subscription.objects.get(pk=first.pk).frequency == "weekly"
    client.post(manage_path, {"key": first.key, "action": "unsubscribe"})
    assert Subscription.objects.get(pk=first.pk).unsubscribed_at is not None
    # Another address's subscription cannot be touched from this link.
    other = Subscription.objects.create(
        email="other@example.com", query="", label="全部", key="9" * 32
    )
    client.post(manage_path, {"key": other.key, "action": "unsubscribe"})
    assert Subscription.objects.get(pk=other.pk).unsubscribed_at is None


def test_asking_for_a_link_for_an_unknown_address_says_the_same(client, world):
    response = client.post(
        reverse("participation:subscription-manage-link"),
        {"email": "nobody@example.com"},
    )
    assert "已向它发送管理链接" in response.content.decode()
    assert mail.outbox == []


def test_the_subscribe_page_describes_the_query_and_drops_the_rest(client, world):
    response = client.get("/subscriptions/?department=nyj&q=补贴&year=2025&topic=zz")
    text = response.content.decode()
    assert "关键词：补贴，发布机构：区农业农村局" in text
    assert "发布年份" in text and "主题分类" in text  # left out, and said so
    assert "private" in response["Cache-Control"]


def test_a_bad_address_keeps_the_form(client, world):
    response = client.post(
        reverse("participation:subscribe"),
        {"email": "不是邮箱", "frequency": "daily", "department": "nyj"},
    )
    assert response.status_code == 400
    assert "请填写有效的电子邮箱地址" in response.content.decode()
    assert 'value="nyj"' in response.content.decode()
    assert not Subscription.objects.exists()


# --- the same filters as the feeds -------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "",
        "department=nyj",
        "department=nyj-bt",
        "topic=06",
        "topic=0601",
        "type=notice",
        "q=补贴",
        "q=补贴 公示&department=nyj",
        "department=czj&topic=0401",
    ],
)
def test_subscriptions_find_what_the_listing_and_feeds_find(world, query):
    since = timezone.now() - datetime.timedelta(days=1)
    publish(world, title="关于2026年耕地地力保护补贴发放的公示")
    publish(world, title="科室的补贴公示", department=world.office)
    publish(
        world,
        title="财政局的补贴通知",
        department=world.other_department,
        topic=TopicCategory.objects.get(code="0401"),
    )
    publish(
        world,
        title="其他通知",
        body="<p>无关内容。</p>",
        keywords="",
        document_type=world.notice,
    )
    filterset = RecordFilter(QueryDict(query), queryset=listing_records())
    expected = set(
        matching(filterset.qs, filterset.search_query).values_list("pk", flat=True)
    )
    found = set(
        matching_records(parse_query(QueryDict(query)), since=since).values_list(
            "pk", flat=True
        )
    )
    assert found == expected
    assert expected  # every case finds something


def test_pending_records_exclude_what_was_sent(world):
    now = timezone.now()
    subscription = Subscription.objects.create(
        email=EMAIL,
        query="",
        label="全部",
        key="1" * 32,
        created_at=now,
        confirmed_at=now - datetime.timedelta(seconds=1),
    )
    record = publish(world, title="已发送的通知")
    SubscriptionDelivery.objects.create(subscription=subscription, item=record.item)
    assert digests.pending_records(subscription, timezone.now()) == []
    assert PublicRecord.objects.count() == 1


def test_a_subscription_whose_department_is_gone_sends_nothing(
    subscribe, client, world
):
    subscribe("department=nyj")
    confirm(client, mail.outbox[0])
    world.department.code = "nyj-renamed"
    world.department.save()
    publish(world, title="改名之后的通知")
    publish(world, title="别的局的通知", department=world.other_department)
    assert send() == []  # never "everything" instead of one department


def test_odd_query_values_are_left_out_not_errors(client, world):
    response = client.get(
        "/subscriptions/?entry=" + "9" * 40 + "&topic=%00&department=<x>"
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "公开事项" in text and "主题分类" in text and "发布机构" in text
