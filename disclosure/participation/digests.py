"""Sending what subscribers asked for (``manage.py send_subscriptions``, run by
cron, e.g. every 10 minutes).

- Each confirmed subscription gets, when it is due (immediate: every run;
  daily: once a day; weekly: seven days after the last message), one message
  with the records its query finds that were published after it was
  confirmed and were never sent to it.
- What is sent is read at sending time: only records live and public now,
  never a withdrawn, removed or not-yet-published one.
- The sent-log (``SubscriptionDelivery``, unique per subscription and item)
  is written in the transaction that sends the message, on the subscription
  row locked (``SKIP LOCKED``: two runs at once never both send it): a rerun
  sends nothing twice. A message that cannot be sent rolls its log back and
  is tried again on the next run.
- Subscriptions are read in batches (:data:`BATCH_SIZE`), each batch over one
  mail connection; a message lists at most :data:`MAX_PER_MESSAGE` records
  (the rest go with the next one).
- Subscriptions never confirmed are deleted after ``CONFIRM_DAYS`` days.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from disclosure.models import Subscription, SubscriptionDelivery

from .links import site_url
from .queries import matching_records, parse_query
from .subscriptions import (
    CONFIRM_DAYS,
    manage_url,
    unsubscribe_headers,
    unsubscribe_url,
)

logger = logging.getLogger(__name__)

BATCH_SIZE = 200
MAX_PER_MESSAGE = 50

Frequency = Subscription.Frequency


@dataclass
class DigestReport:
    checked: int = 0
    messages: int = 0
    items: int = 0
    failed: list[str] = field(default_factory=list)
    purged: int = 0


def is_due(subscription: Subscription, now: datetime.datetime) -> bool:
    last = subscription.last_sent_at
    if subscription.frequency == Frequency.IMMEDIATE or last is None:
        return True
    days = (timezone.localdate(now) - timezone.localdate(last)).days
    if subscription.frequency == Frequency.DAILY:
        return days >= 1
    return days >= 7


def _active():
    return Subscription.objects.filter(
        confirmed_at__isnull=False, unsubscribed_at__isnull=True
    )


def pending_records(subscription: Subscription, now: datetime.datetime) -> list:
    sent = SubscriptionDelivery.objects.filter(subscription=subscription).values(
        "item_id"
    )
    query = parse_query(QueryDict(subscription.query))
    if query.left_out:
        # A department, topic, entry or type that no longer exists (its code
        # changed): without it the query would find everything. Fail closed.
        logger.warning(
            "subscription %s names what no longer exists: %s",
            subscription.pk,
            ", ".join(str(name) for name in query.left_out),
        )
        return []
    return list(
        matching_records(query, since=subscription.confirmed_at, now=now)
        .exclude(item_id__in=sent)
        .select_related("department")
        .only("item_id", "title", "published_at", "index_number", "department__name")[
            :MAX_PER_MESSAGE
        ]
    )


def _message(subscription, records, connection) -> EmailMessage:
    lines = [
        _("您订阅的“%(label)s”有%(count)s条新公开的信息：")
        % {"label": subscription.label, "count": len(records)},
        "",
    ]
    for record in records:
        lines += [
            f"· {record.title}",
            "  "
            + _("%(department)s · %(date)s · 索引号 %(index)s")
            % {
                "department": record.department.name,
                "date": timezone.localtime(record.published_at).strftime("%Y-%m-%d"),
                "index": record.index_number,
            },
            "  " + site_url(record.get_absolute_url()),
        ]
    listing = reverse("disclosure:items")
    if subscription.query:
        listing += "?" + subscription.query
    lines += [
        "",
        _("查看全部：%(url)s") % {"url": site_url(listing)},
        "",
        "—",
        _("退订（一键退订，无需登录）：%(url)s")
        % {"url": site_url(unsubscribe_url(subscription))},
        _("管理全部订阅：%(url)s") % {"url": site_url(manage_url(subscription.email))},
    ]
    return EmailMessage(
        _("【政府信息订阅】%(label)s（%(count)s条新信息）")
        % {"label": subscription.label, "count": len(records)},
        "\n".join(lines) + "\n",
        settings.DEFAULT_FROM_EMAIL,
        [subscription.email],
        headers=unsubscribe_headers(subscription),
        connection=connection,
    )


def _send_one(subscription_id: int, now, connection, report: DigestReport) -> None:
    with transaction.atomic():
        locked = Subscription.objects.select_for_update(skip_locked=True).filter(
            pk=subscription_id, confirmed_at__isnull=False, unsubscribed_at__isnull=True
        )
        subscription = locked.first()
        if subscription is None or not is_due(subscription, now):
            return
        records = pending_records(subscription, now)
        if not records:
            return
        _message(subscription, records, connection).send()
        SubscriptionDelivery.objects.bulk_create(
            [
                SubscriptionDelivery(
                    subscription=subscription, item_id=r.pk, sent_at=now
                )
                for r in records
            ]
        )
        subscription.last_sent_at = now
        subscription.save(update_fields=["last_sent_at"])
    report.messages += 1
    report.items += len(records)


def send_digests(
    *, now: datetime.datetime | None = None, batch_size: int = BATCH_SIZE
) -> DigestReport:
    now = now or timezone.now()
    report = DigestReport()
    report.purged = purge_unconfirmed(now)
    last_pk = 0
    with translation.override(settings.LANGUAGE_CODE):
        while True:
            batch = list(
                _active()
                .filter(pk__gt=last_pk)
                .order_by("pk")
                .values_list("pk", flat=True)[:batch_size]
            )
            if not batch:
                break
            last_pk = batch[-1]
            with get_connection() as connection:
                for subscription_id in batch:
                    report.checked += 1
                    try:
                        _send_one(subscription_id, now, connection, report)
                    except Exception as error:  # noqa: BLE001 - one failure, not all
                        logger.warning(
                            "subscription %s not sent", subscription_id, exc_info=True
                        )
                        report.failed.append(f"{subscription_id}: {error}")
    return report


def purge_unconfirmed(now: datetime.datetime) -> int:
    """Addresses that never confirmed are not kept."""
    cutoff = now - datetime.timedelta(days=CONFIRM_DAYS)
    deleted, _rows = Subscription.objects.filter(
        confirmed_at__isnull=True, created_at__lt=cutoff
    ).delete()
    return deleted
