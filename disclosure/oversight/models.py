"""Oversight records: the annual report (政府信息公开工作年度报告), the
self-inspection report (自查报告) and the log of due-date reminders.

Registered by ``DisclosureConfig.ready()`` (app label ``disclosure``, the
tables of migration 0100). The layout of the annual report's tables and their
consistency checks live in ``disclosure/oversight/annual/``; the measurements
in ``disclosure/oversight/timeliness.py`` and its neighbours.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from disclosure.models import Authored

__all__ = ["AnnualReport", "ReminderLog", "SelfInspectionReport"]


class AnnualReport(Authored):
    """政府信息公开工作年度报告 in the 2021 format (国办公开办函〔2021〕30号).

    The free text of the six sections is stored in fields; the numbers of
    tables 二, 三 and 四 as JSON keyed by the cell keys of
    ``disclosure.oversight.annual.layout`` (one place that knows the layout)."""

    class State(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("已公布")

    year = models.PositiveSmallIntegerField(_("报告年度"), unique=True)
    state = models.CharField(
        _("状态"), max_length=20, choices=State.choices, default=State.DRAFT
    )
    overview = models.TextField(_("一、总体情况"), blank=True)
    proactive_text = models.TextField(_("二、主动公开政府信息情况（说明）"), blank=True)
    requests_text = models.TextField(
        _("三、收到和处理政府信息公开申请情况（说明）"), blank=True
    )
    appeals_text = models.TextField(
        _("四、政府信息公开行政复议、行政诉讼情况（说明）"), blank=True
    )
    problems = models.TextField(_("五、存在的主要问题及改进情况"), blank=True)
    other_matters = models.TextField(_("六、其他需要报告的事项"), blank=True)
    table2 = models.JSONField(_("表二 主动公开政府信息情况"), default=dict)
    table3 = models.JSONField(_("表三 收到和处理政府信息公开申请情况"), default=dict)
    table4 = models.JSONField(_("表四 行政复议、行政诉讼情况"), default=dict)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("公布人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    published_at = models.DateTimeField(_("公布时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("政府信息公开工作年度报告")
        verbose_name_plural = _("政府信息公开工作年度报告")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state="draft") | Q(published_at__isnull=False),
                name="annual_report_published_has_time",
            ),
        ]

    def __str__(self):
        return _("%(year)s年政府信息公开工作年度报告") % {"year": self.year}

    def get_absolute_url(self):
        return reverse("annual_reports:detail", args=[self.year])

    @property
    def is_published(self) -> bool:
        return self.state == self.State.PUBLISHED


class SelfInspectionReport(Authored):
    """自查报告: a draft generated from the measurements of a period, then
    edited by the office. The figures are recomputed from the items each time
    the report is shown, so every number links to the items behind it."""

    title = models.CharField(_("标题"), max_length=200)
    period_start = models.DateField(_("统计起始日期"))
    period_end = models.DateField(_("统计截止日期"))
    work_done = models.TextField(_("一、工作开展情况"), blank=True)
    problems = models.TextField(_("二、存在问题"), blank=True)
    next_steps = models.TextField(_("三、下一步打算"), blank=True)

    class Meta:
        verbose_name = _("自查报告")
        verbose_name_plural = _("自查报告")
        ordering = ["-period_end", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="self_inspection_period_ordered",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("oversight:self-inspection", args=[self.pk])


class ReminderLog(models.Model):
    """One reminder e-mail sent by ``manage.py send_due_reminders``: at most
    one of each kind per person per day, so a repeated cron run sends nothing
    twice."""

    class Kind(models.TextChoices):
        CLERK = "clerk", _("信息员到期提醒")
        OFFICE = "office", _("公开办汇总")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("收件人"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    sent_on = models.DateField(_("提醒日期"))
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    item_count = models.PositiveIntegerField(_("涉及信息条数"), default=0)
    sent_at = models.DateTimeField(_("发送时间"), default=timezone.now)

    class Meta:
        verbose_name = _("到期提醒记录")
        verbose_name_plural = _("到期提醒记录")
        ordering = ["-sent_on", "recipient_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "sent_on", "kind"],
                name="unique_reminder_per_day",
            ),
        ]

    def __str__(self):
        return f"{self.sent_on:%Y-%m-%d} {self.recipient} {self.get_kind_display()}"
