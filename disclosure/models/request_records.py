"""What the register keeps about each request besides the request itself:
the time not counted, the letters sent, the append-only trail, serial
numbers, reminders; and the register of 行政复议 and 行政诉讼 cases (Art. 51)
and the places where government information can be read (Art. 25)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog.models import Department
from portal.append_only import AuditTrail, action_field, actor_field, at_field

from .requests import InformationRequest


class RequestPause(models.Model):
    """Time not counted in the answer period (Art. 33 ¶3): asking a third
    party (Art. 32: 15 working days for its answer) or another organ (Art.
    18), and waiting for the payment of a fee."""

    class Kind(models.TextChoices):
        THIRD_PARTY = "third_party", _("征求第三方意见")
        OTHER_ORGAN = "other_organ", _("征求其他机关意见")
        FEE = "fee", _("等待缴纳信息处理费")

    request = models.ForeignKey(
        InformationRequest,
        verbose_name=_("申请"),
        on_delete=models.PROTECT,
        related_name="pauses",
    )
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    party = models.CharField(_("征求意见对象"), max_length=100, blank=True)
    started_on = models.DateField(_("开始日期"))
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)
    answer = models.TextField(_("意见"), blank=True)

    class Meta:
        verbose_name = _("不计入答复期限的时间")
        verbose_name_plural = _("不计入答复期限的时间")
        ordering = ["started_on", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.started_on}"


class RequestLetter(models.Model):
    """A letter to the applicant. Its content (letterhead, text, legal basis,
    remedies) is fixed when it is written, so that the DOCX and PDF made from
    it later say what was sent, whatever changes in the department's data."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", _("补正告知书")
        EXTENSION = "extension", _("延期答复告知书")
        FEE = "fee", _("收费通知书")
        REPLY = "reply", _("政府信息公开申请答复书")

    request = models.ForeignKey(
        InformationRequest,
        verbose_name=_("申请"),
        on_delete=models.PROTECT,
        related_name="letters",
    )
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    number = models.CharField(_("文书编号"), max_length=60)
    content = models.JSONField(_("内容"))
    issued_on = models.DateField(_("日期"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("签发人"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("告知文书")
        verbose_name_plural = _("告知文书")
        ordering = ["issued_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["number"], name="unique_letter_number")
        ]

    def __str__(self):
        return self.number


class RequestSerial(models.Model):
    """The last serial given per scope (tracking numbers, letter numbers of
    an organ) and year; taken under SELECT ... FOR UPDATE."""

    scope = models.CharField(_("范围"), max_length=40)
    year = models.PositiveSmallIntegerField(_("年份"))
    last_serial = models.PositiveIntegerField(_("已用流水号"), default=0)

    class Meta:
        verbose_name = _("申请编号流水")
        verbose_name_plural = _("申请编号流水")
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "year"], name="unique_request_serial"
            )
        ]

    def __str__(self):
        return f"{self.scope}/{self.year}: {self.last_serial}"


class RequestEvent(AuditTrail):
    """The request's audit trail: every step and every view of the
    applicant's personal data. Append-only (model, admin, and a PostgreSQL
    trigger)."""

    class Action(models.TextChoices):
        SUBMIT = "submit", _("网上提交申请")
        REGISTER = "register", _("登记申请")
        CONFIRM = "confirm", _("确认收到申请")
        DISCARD = "discard", _("认定为无效提交")
        ASSIGN = "assign", _("交办承办部门")
        CORRECTION = "correction", _("告知补正")
        CORRECTED = "corrected", _("收到补正")
        CONSULT = "consult", _("征求意见")
        CONSULTED = "consulted", _("收到意见")
        EXTEND = "extend", _("批准延期答复")
        FEE_NOTICE = "fee_notice", _("发出收费通知")
        FEE_RESPONSE = "fee_response", _("申请人回复收费通知")
        FEE_PAID = "fee_paid", _("确认已缴费")
        DRAFT_REPLY = "draft_reply", _("起草答复")
        RETURN_REPLY = "return_reply", _("退回答复")
        SEND_REPLY = "send_reply", _("审核并发出答复")
        WITHDRAW = "withdraw", _("申请人撤回申请")
        TO_PROACTIVE = "to_proactive", _("转为主动公开")
        VIEW_PERSONAL = "view_personal", _("查看申请人信息")
        EXPORT_PERSONAL = "export_personal", _("导出申请人信息")
        ERASE_ID = "erase_id", _("删除证件号码")
        APPLICANT_VIEW = "applicant_view", _("申请人查询")

    request = models.ForeignKey(
        InformationRequest,
        verbose_name=_("申请"),
        on_delete=models.PROTECT,
        related_name="events",
    )
    actor = actor_field(null=True, blank=True, help_text=_("为空：申请人本人或系统。"))
    at = at_field()
    action = action_field(Action.choices)
    from_state = models.CharField(
        _("原状态"),
        max_length=20,
        choices=InformationRequest.State.choices,
        blank=True,
    )
    to_state = models.CharField(
        _("新状态"),
        max_length=20,
        choices=InformationRequest.State.choices,
        blank=True,
    )
    comment = models.TextField(_("说明"), blank=True)

    class Meta(AuditTrail.Meta):
        verbose_name = _("申请办理记录")
        verbose_name_plural = _("申请办理记录")


class AppealCase(models.Model):
    """A 行政复议 or 行政诉讼 case about disclosure (Art. 51), for table 四."""

    class Kind(models.TextChoices):
        REVIEW = "review", _("行政复议")
        DIRECT = "direct", _("行政诉讼（未经复议直接起诉）")
        AFTER_REVIEW = "after_review", _("行政诉讼（复议后起诉）")

    class Result(models.TextChoices):
        UPHELD = "upheld", _("结果维持")
        CORRECTED = "corrected", _("结果纠正")
        OTHER = "other", _("其他结果")
        PENDING = "pending", _("尚未审结")

    organ = models.ForeignKey(
        Department,
        verbose_name=_("被申请人或被告机关"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    case_number = models.CharField(_("案号"), max_length=80)
    request = models.ForeignKey(
        InformationRequest,
        verbose_name=_("相关申请"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appeals",
    )
    filed_on = models.DateField(_("立案或收到日期"))
    result = models.CharField(
        _("结果"), max_length=20, choices=Result.choices, default=Result.PENDING
    )
    decided_on = models.DateField(_("审结日期"), null=True, blank=True)
    summary = models.TextField(_("案情和结果摘要"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    class Meta:
        verbose_name = _("行政复议、行政诉讼案件")
        verbose_name_plural = _("行政复议、行政诉讼案件")
        ordering = ["-filed_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(result="pending", decided_on__isnull=True)
                | (~Q(result="pending") & Q(decided_on__isnull=False)),
                name="appeal_decided_has_date",
            ),
            models.UniqueConstraint(
                fields=["kind", "case_number"], name="unique_appeal_case_number"
            ),
        ]

    def __str__(self):
        return self.case_number


class RequestReminder(models.Model):
    """One reminder e-mail about requests per person and day (the daily
    command sends nothing twice)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("收件人"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    sent_on = models.DateField(_("日期"))
    request_count = models.PositiveIntegerField(_("申请数"), default=0)

    class Meta:
        verbose_name = _("申请到期提醒")
        verbose_name_plural = _("申请到期提醒")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "sent_on"], name="unique_request_reminder"
            )
        ]

    def __str__(self):
        return f"{self.recipient} {self.sent_on}"


class ReadingPlace(models.Model):
    """政府信息查阅场所 (Art. 25): in the archives, the public library and the
    service centres, shown in the disclosure guide."""

    name = models.CharField(_("名称"), max_length=100)
    address = models.CharField(_("地址"), max_length=200)
    office_hours = models.CharField(_("开放时间"), max_length=200, blank=True)
    phone = models.CharField(_("联系电话"), max_length=50, blank=True)
    order = models.PositiveIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("政府信息查阅场所")
        verbose_name_plural = _("政府信息查阅场所")
        ordering = ["order", "pk"]

    def __str__(self):
        return self.name
