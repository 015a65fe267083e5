"""E-mail subscriptions without an account.

- Subscribing sends a confirmation mail (double opt-in); nothing else is
  sent to the address until the link in it is followed and confirmed.
- Every message carries a one-click unsubscribe link (and the
  ``List-Unsubscribe`` / ``List-Unsubscribe-Post`` headers of RFC 2369 and
  RFC 8058) and a link to the page that manages all the address's
  subscriptions.
- The links are signed (``django.core.signing``): the confirmation link
  lasts :data:`CONFIRM_DAYS` days, the management link :data:`MANAGE_DAYS`,
  the unsubscribe link as long as the subscription.
- Confirmation mails to one address are limited (:data:`MAILS_PER_DAY`), so
  that the form cannot be used to flood someone's mailbox; the page says the
  same whatever happened, so it never tells whether an address is subscribed.
"""

import secrets

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from disclosure.models import Subscription
from portal import ratelimit

from .links import site_url
from .queries import SubscriptionQuery

CONFIRM_DAYS = 7
MANAGE_DAYS = 90
MAILS_PER_DAY = 5
_SALT = "disclosure.participation.subscriptions"


class BadLink(Exception):
    """A link that is forged, expired or no longer names a subscription."""


# --- signed links -----------------------------------------------------------------------


def _sign(purpose: str, value: str) -> str:
    return signing.dumps([purpose, value], salt=_SALT, compress=True)


def _unsign(token: str, purpose: str, max_age_days: int | None) -> str:
    try:
        found = signing.loads(
            token,
            salt=_SALT,
            max_age=max_age_days * 86400 if max_age_days else None,
        )
    except signing.BadSignature as error:  # SignatureExpired is one
        raise BadLink from error
    if not isinstance(found, list) or len(found) != 2 or found[0] != purpose:
        raise BadLink
    return str(found[1])


def confirm_url(subscription: Subscription) -> str:
    return reverse(
        "participation:subscription-confirm", args=[_sign("c", subscription.key)]
    )


def unsubscribe_url(subscription: Subscription) -> str:
    return reverse(
        "participation:subscription-unsubscribe", args=[_sign("u", subscription.key)]
    )


def manage_url(email: str) -> str:
    return reverse(
        "participation:subscription-manage", args=[_sign("m", email.lower())]
    )


def subscription_for(token: str, purpose: str) -> Subscription:
    """The subscription a confirm (``c``) or unsubscribe (``u``) link names."""
    key = _unsign(token, purpose, CONFIRM_DAYS if purpose == "c" else None)
    subscription = Subscription.objects.filter(key=key).first()
    if subscription is None:
        raise BadLink
    return subscription


def email_for(token: str) -> str:
    return _unsign(token, "m", MANAGE_DAYS)


# --- steps --------------------------------------------------------------------------------


def request_subscription(
    *, email: str, query: SubscriptionQuery, frequency: str
) -> None:
    """Ask for a subscription: a confirmation mail to ``email``, or, if it is
    subscribed to this already, a mail with the management link. Either way
    nothing is sent more than :data:`MAILS_PER_DAY` times a day."""
    email = email.strip().lower()
    if frequency not in Subscription.Frequency.values:
        raise ValueError(f"unknown frequency {frequency!r}")
    if ratelimit.hit("subscription-mail", email, limit=MAILS_PER_DAY, window=86400):
        return
    with transaction.atomic():
        existing = Subscription.objects.filter(
            email=email, query=query.query_string, unsubscribed_at__isnull=True
        ).first()
        if existing is not None and existing.is_active:
            transaction.on_commit(lambda: _send_already(email), robust=True)
            return
        if existing is None:
            try:
                with transaction.atomic():
                    existing = Subscription.objects.create(
                        email=email,
                        query=query.query_string,
                        label=query.label,
                        frequency=frequency,
                        key=secrets.token_hex(16),
                        created_at=timezone.now(),
                    )
            except IntegrityError:  # the same request twice at once
                return
        else:
            existing.frequency = frequency
            existing.save(update_fields=["frequency"])
        subscription_id = existing.pk
        transaction.on_commit(lambda: _send_confirmation(subscription_id), robust=True)


def confirm(subscription: Subscription) -> Subscription:
    with transaction.atomic():
        subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
        if subscription.unsubscribed_at is None and subscription.confirmed_at is None:
            subscription.confirmed_at = timezone.now()
            subscription.save(update_fields=["confirmed_at"])
    return subscription


def unsubscribe(subscription: Subscription) -> Subscription:
    with transaction.atomic():
        subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
        if subscription.unsubscribed_at is None:
            subscription.unsubscribed_at = timezone.now()
            subscription.save(update_fields=["unsubscribed_at"])
    return subscription


def change_frequency(*, email: str, key: str, frequency: str) -> Subscription | None:
    if frequency not in Subscription.Frequency.values:
        raise ValueError(f"unknown frequency {frequency!r}")
    with transaction.atomic():
        subscription = (
            Subscription.objects.select_for_update()
            .filter(email=email, key=key, unsubscribed_at__isnull=True)
            .first()
        )
        if subscription is not None:
            subscription.frequency = frequency
            subscription.save(update_fields=["frequency"])
    return subscription


def send_manage_link(email: str) -> None:
    """Mail the management link to ``email`` if it has subscriptions (the
    page says the same either way)."""
    email = email.strip().lower()
    if not Subscription.objects.filter(
        email=email, unsubscribed_at__isnull=True
    ).exists():
        return
    if ratelimit.hit("subscription-mail", email, limit=MAILS_PER_DAY, window=86400):
        return
    _mail(
        email,
        _("管理您的政府信息订阅"),
        _("点击以下链接查看、修改或退订您的全部订阅（%(days)s天内有效）：\n\n%(url)s\n")
        % {"days": MANAGE_DAYS, "url": site_url(manage_url(email))},
    )


# --- mail -----------------------------------------------------------------------------------


def unsubscribe_headers(subscription: Subscription) -> dict:
    """RFC 2369 / RFC 8058: mail programs show an unsubscribe button that
    POSTs ``List-Unsubscribe=One-Click`` to the link."""
    return {
        "List-Unsubscribe": f"<{site_url(unsubscribe_url(subscription))}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def _mail(to: str, subject: str, body: str, headers=None, connection=None) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        EmailMessage(
            subject,
            body,
            settings.DEFAULT_FROM_EMAIL,
            [to],
            headers=headers,
            connection=connection,
        ).send()


def _send_confirmation(subscription_id: int) -> None:
    subscription = Subscription.objects.get(pk=subscription_id)
    _mail(
        subscription.email,
        _("请确认订阅：%(label)s") % {"label": subscription.label},
        _(
            "您（或他人使用您的邮箱）申请订阅政府信息公开专栏的新信息：\n\n"
            "订阅内容：%(label)s\n发送频率：%(frequency)s\n\n"
            "请在%(days)s天内打开以下链接确认订阅：\n%(url)s\n\n"
            "如果不是您本人申请，请忽略本邮件，您不会再收到任何邮件。\n"
        )
        % {
            "label": subscription.label,
            "frequency": subscription.get_frequency_display(),
            "days": CONFIRM_DAYS,
            "url": site_url(confirm_url(subscription)),
        },
        headers=unsubscribe_headers(subscription),
    )


def _send_already(email: str) -> None:
    _mail(
        email,
        _("您已订阅过这些信息"),
        _("您申请的订阅已经生效，无需再次订阅。查看、修改或退订全部订阅：\n\n%(url)s\n")
        % {"url": site_url(manage_url(email))},
    )
