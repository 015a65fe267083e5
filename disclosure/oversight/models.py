"""Oversight records: the annual reports (政府信息公开工作年度报告, one per
organ and year, with their published revisions and audit trail), the
self-inspection report (自查报告) and the log of due-date reminders.

Registered by ``DisclosureConfig.ready()`` (app label ``disclosure``, the
tables of migration 0100). The layout of the annual report's tables and their
consistency checks live in ``disclosure/oversight/annual/``; the measurements
in ``disclosure/oversight/timeliness.py`` and its neighbours.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog.models import Department
from disclosure.models import Authored
from portal.append_only import (
    AppendOnly,
    AuditTrail,
    action_field,
    actor_field,
    at_field,
)

__all__ = [
    "AnnualReport",
    "AnnualReportAuditEntry",
    "AnnualReportRevision",
    "ReminderLog",
    "SelfInspectionReport",
]


class AnnualReport(Authored):
    """政府信息公开工作年度报告 of one organ for one year, in the 2021 format
    (国办公开办函〔2021〕30号): the working copy the office edits.

    Each organ (the government and each department, ``catalog/organs.py``)
    publishes its own (Regulations Art. 49). The public never reads this row:
    it reads the report's published revisions (:class:`AnnualReportRevision`),
    so a correction is drafted, reviewed and published as a new revision with
    its 更正说明 while the public keeps the last published text. The free text
    of the six sections is stored in fields; the numbers of tables 二, 三 and
    四 as JSON keyed by the cell keys of ``disclosure.oversight.annual.layout``."""

    class State(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("待审核")
        RETURNED = "returned", _("已退回")
        PUBLISHED = "published", _("已公布")

    organ = models.ForeignKey(
        Department,
        verbose_name=_("报告机关"),
        on_delete=models.PROTECT,
        related_name="annual_reports",
    )
    year = models.PositiveSmallIntegerField(_("报告年度"))
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
    fees_charged = models.DecimalField(
        _("本年收取信息处理费（元）"),
        max_digits=12,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    register_figures = models.JSONField(
        _("申请登记提供的数字"),
        default=dict,
        blank=True,
        help_text=_("依申请公开登记（有时）提供的表三、表四和信息处理费，填入时记下。"),
    )
    override_reason = models.TextField(_("与申请登记数字不同的原因"), blank=True)
    correction_note = models.TextField(
        _("更正说明"),
        blank=True,
        help_text=_("更正已公布的报告时必填，与更正后的报告一起公开。"),
    )
    return_comment = models.TextField(_("退回意见"), blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提交人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("首次公布人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    published_at = models.DateTimeField(_("首次公布时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("政府信息公开工作年度报告")
        verbose_name_plural = _("政府信息公开工作年度报告")
        ordering = ["-year", "organ__order", "organ__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["organ", "year"], name="unique_annual_report_per_organ"
            ),
            models.CheckConstraint(
                condition=~Q(state="published") | Q(published_at__isnull=False),
                name="annual_report_published_has_time",
            ),
        ]

    def __str__(self):
        return report_title(self.organ.name, self.year)

    def get_absolute_url(self):
        return reverse("annual_reports:organ", args=[self.year, self.organ.code])

    @property
    def is_published(self) -> bool:
        """Published at least once (the public sees its last revision)."""
        return self.published_at is not None

    @property
    def is_correcting(self) -> bool:
        """A published report with a correction in progress."""
        return self.is_published and self.state != self.State.PUBLISHED


def report_title(organ_name: str, year: int) -> str:
    return _("%(organ)s%(year)s年政府信息公开工作年度报告") % {
        "organ": organ_name,
        "year": year,
    }


class AnnualReportRevision(AppendOnly):
    """One published text of a report (公开版本): the first publication and
    each correction, with its 更正说明. Never changed: the old text stays
    retrievable at its own address."""

    report = models.ForeignKey(
        AnnualReport,
        verbose_name=_("年度报告"),
        on_delete=models.PROTECT,
        related_name="revisions",
    )
    number = models.PositiveIntegerField(_("公开版本号"))
    title = models.CharField(_("标题"), max_length=300)
    content = models.JSONField(_("内容"))
    correction_note = models.TextField(_("更正说明"), blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("公布人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    published_at = models.DateTimeField(_("公布时间"))

    class Meta:
        verbose_name = _("年度报告公开版本")
        verbose_name_plural = _("年度报告公开版本")
        ordering = ["report", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "number"], name="unique_annual_report_revision"
            ),
        ]

    def __str__(self):
        return f"{self.title} v{self.number}"


class AnnualReportAuditEntry(AuditTrail):
    """One step in a report's life, for the audit trail (append-only)."""

    class Action(models.TextChoices):
        CREATE = "create", _("创建")
        EDIT = "edit", _("修改")
        REFILL = "refill", _("按门户数据重新填入")
        SUBMIT = "submit", _("提交审核")
        RETURN = "return", _("退回修改")
        PUBLISH = "publish", _("公布")
        CORRECT = "correct", _("公布更正")

    #: Steps that change (or vouch for) the content of the next revision:
    #: whoever took one since the last publication may not publish it.
    CONTENT_ACTIONS = frozenset({"create", "edit", "refill", "submit"})
    PUBLISH_ACTIONS = frozenset({"publish", "correct"})

    report = models.ForeignKey(
        AnnualReport,
        verbose_name=_("年度报告"),
        on_delete=models.PROTECT,
        related_name="audit_entries",
    )
    actor = actor_field()
    at = at_field()
    action = action_field(Action.choices)
    from_state = models.CharField(
        _("原状态"), max_length=20, choices=AnnualReport.State.choices, blank=True
    )
    to_state = models.CharField(
        _("新状态"), max_length=20, choices=AnnualReport.State.choices, blank=True
    )
    comment = models.TextField(_("说明"), blank=True)
    revision_number = models.PositiveIntegerField(
        _("公开版本号"), null=True, blank=True
    )

    class Meta(AuditTrail.Meta):
        verbose_name = _("年度报告操作记录")
        verbose_name_plural = _("年度报告操作记录")


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
