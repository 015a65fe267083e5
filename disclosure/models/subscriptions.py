"""E-mail subscriptions: a citizen subscribes an address to a department, a
topic, a catalog entry or a saved search (the query string of ``/items/``, as
its feeds take it), confirms it from the e-mail (double opt-in) and gets new
items immediately, daily or weekly. No account: signed links manage it.

``SubscriptionDelivery`` is the sent-log: an item goes to a subscription at
most once, however often ``manage.py send_subscriptions`` runs."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .items import Item


class Subscription(models.Model):
    """One address subscribed to one query."""

    class Frequency(models.TextChoices):
        IMMEDIATE = "immediate", _("有新信息即发送")
        DAILY = "daily", _("每日汇总")
        WEEKLY = "weekly", _("每周汇总")

    email = models.EmailField(_("电子邮箱"))
    query = models.CharField(
        _("订阅条件"),
        max_length=500,
        blank=True,
        help_text=_("与信息列表和订阅源相同的查询参数；为空表示全部信息。"),
    )
    label = models.CharField(_("订阅内容"), max_length=300)
    frequency = models.CharField(
        _("发送频率"),
        max_length=20,
        choices=Frequency.choices,
        default=Frequency.DAILY,
    )
    key = models.CharField(_("标识"), max_length=32, unique=True, editable=False)
    created_at = models.DateTimeField(_("申请时间"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("退订时间"), null=True, blank=True)
    last_sent_at = models.DateTimeField(_("最近发送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("邮件订阅")
        verbose_name_plural = _("邮件订阅")
        ordering = ["email", "pk"]
        indexes = [
            models.Index(fields=["email"], name="subscription_email"),
            models.Index(
                fields=["frequency", "id"],
                name="subscription_active",
                condition=Q(confirmed_at__isnull=False, unsubscribed_at__isnull=True),
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["email", "query"],
                condition=Q(unsubscribed_at__isnull=True),
                name="unique_active_subscription",
            ),
        ]

    def __str__(self):
        return f"{self.email} · {self.label}"

    @property
    def is_active(self) -> bool:
        return self.confirmed_at is not None and self.unsubscribed_at is None


class SubscriptionDelivery(models.Model):
    """An item sent to a subscription (never sent to it again)."""

    subscription = models.ForeignKey(
        Subscription,
        verbose_name=_("订阅"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    item = models.ForeignKey(
        Item, verbose_name=_("公开信息"), on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(_("发送时间"), default=timezone.now)

    class Meta:
        verbose_name = _("订阅发送记录")
        verbose_name_plural = _("订阅发送记录")
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "item"], name="unique_delivery_per_item"
            ),
        ]

    def __str__(self):
        return f"{self.subscription_id} → {self.item_id}"
