"""意见征集: public consultation on a draft, the comments the public sends
and the feedback the office publishes after it closes.

A consultation is drafted in a department, submitted, and published by a
reviewer of the disclosure office who did not draft it (the second pair of
eyes). It is open from the start of ``opens_on`` to the end of ``closes_on``
(Beijing time). For a major administrative decision (重大行政决策) the period is
at least 30 days unless a reason is recorded and shown (《重大行政决策程序暂行条例》
第十五条); the day it opens is not counted (《民法典》第二百零一条).
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog.models import Department

from .items import Authored, Item

#: 《重大行政决策程序暂行条例》第十五条: 征求意见期限一般不少于30日.
MAJOR_DECISION_MIN_DAYS = 30


def period_days(opens_on: datetime.date, closes_on: datetime.date) -> int:
    """Days of the period: the opening day is not counted, the closing day
    is (《民法典》第二百零一条)."""
    return (closes_on - opens_on).days


def _start_of(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(
        day, datetime.time.min, tzinfo=timezone.get_current_timezone()
    )


class Consultation(Authored):
    """意见征集: a draft put out for comment."""

    class State(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("待审核")
        PUBLISHED = "published", _("已发布")

    class FeedbackState(models.TextChoices):
        NONE = "", _("未起草")
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("待审核")
        PUBLISHED = "published", _("已公布")

    department = models.ForeignKey(
        Department,
        verbose_name=_("征集单位"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField(_("标题"), max_length=200)
    draft_text = models.TextField(_("征求意见稿"))
    explanation = models.TextField(_("起草说明"), blank=True)
    opens_on = models.DateField(_("开始日期"))
    closes_on = models.DateField(_("截止日期"))
    is_major_decision = models.BooleanField(
        _("属于重大行政决策"),
        default=False,
        help_text=_(
            "重大行政决策征求意见期限一般不少于30日（《重大行政决策程序暂行条例》第十五条）。"
        ),
    )
    short_period_reason = models.TextField(
        _("缩短征求意见期限的理由"),
        blank=True,
        help_text=_("重大行政决策征求意见不足30日的，须写明理由，并向社会公开说明。"),
    )
    offline_contact = models.TextField(
        _("其他提交方式"),
        blank=True,
        help_text=_("如信函地址、电子邮箱、传真；将在征集页面公开。"),
    )
    state = models.CharField(
        _("状态"), max_length=20, choices=State.choices, default=State.DRAFT
    )
    return_comment = models.TextField(_("退回意见"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提交人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发布人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)

    feedback_state = models.CharField(
        _("反馈状态"),
        max_length=20,
        choices=FeedbackState.choices,
        blank=True,
        default=FeedbackState.NONE,
    )
    offline_comment_count = models.PositiveIntegerField(
        _("通过其他方式收到的意见（条）"), default=0
    )
    feedback_summary = models.TextField(_("意见总体情况"), blank=True)
    feedback_adopted = models.TextField(_("采纳情况"), blank=True)
    feedback_not_adopted = models.TextField(_("未采纳的意见及理由"), blank=True)
    feedback_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("反馈起草人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    feedback_published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("反馈发布人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    feedback_published_at = models.DateTimeField(
        _("反馈公布时间"), null=True, blank=True
    )
    adopted_policy = models.ForeignKey(
        Item,
        verbose_name=_("正式出台的文件"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consultations",
    )

    class Meta:
        verbose_name = _("意见征集")
        verbose_name_plural = _("意见征集")
        ordering = ["-opens_on", "-pk"]
        indexes = [
            models.Index(
                fields=["state", "closes_on"], name="consultation_state_close"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gt=models.F("opens_on")),
                name="consultation_closes_after_opening",
            ),
            models.CheckConstraint(
                condition=~Q(feedback_state="published") | Q(state="published"),
                name="consultation_feedback_after_publication",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("participation:consultation", args=[self.pk])

    def get_staff_url(self):
        return reverse("participation:staff-consultation", args=[self.pk])

    def clean(self):
        super().clean()
        errors = {}
        if self.opens_on and self.closes_on:
            if self.closes_on <= self.opens_on:
                errors["closes_on"] = _("截止日期须晚于开始日期。")
            elif self.period_too_short and not self.short_period_reason.strip():
                errors["short_period_reason"] = _(
                    "重大行政决策征求意见期限一般不少于30日（本次%(days)s日）；"
                    "确需缩短的，请写明理由，理由将向社会公开。"
                ) % {"days": self.days}
        if errors:
            raise ValidationError(errors)

    @property
    def days(self) -> int:
        return period_days(self.opens_on, self.closes_on)

    @property
    def period_too_short(self) -> bool:
        return self.is_major_decision and self.days < MAJOR_DECISION_MIN_DAYS

    @property
    def opens_at(self) -> datetime.datetime:
        return _start_of(self.opens_on)

    @property
    def closes_at(self) -> datetime.datetime:
        """The first moment comments are refused: the end of ``closes_on``."""
        return _start_of(self.closes_on + datetime.timedelta(days=1))

    def phase(self, now: datetime.datetime | None = None) -> str:
        """upcoming, open or closed (for a published consultation); the
        state otherwise."""
        if self.state != self.State.PUBLISHED:
            return self.state
        now = now or timezone.now()
        if now < self.opens_at:
            return "upcoming"
        if now < self.closes_at:
            return "open"
        return "closed"

    @property
    def is_open(self) -> bool:
        return self.phase() == "open"

    @property
    def has_feedback(self) -> bool:
        return self.feedback_state == self.FeedbackState.PUBLISHED


def consultation_file_path(instance, filename):
    return f"consultations/{instance.consultation_id}/{instance.token}.{instance.extension}"


def consultation_public_file_path(instance, filename):
    return (
        f"consultations/{instance.consultation_id}/"
        f"{instance.token}.public.{instance.extension}"
    )


class ConsultationAttachment(models.Model):
    """A file of a consultation (the draft as a document, a table), checked
    like an item's attachment (``disclosure.uploads.check_upload``): the
    public downloads the copy without document metadata."""

    consultation = models.ForeignKey(
        Consultation,
        verbose_name=_("意见征集"),
        on_delete=models.PROTECT,
        related_name="attachments",
    )
    token = models.CharField(_("存储标识"), max_length=32, unique=True, editable=False)
    file = models.FileField(_("文件"), upload_to=consultation_file_path, max_length=200)
    public_file = models.FileField(
        _("公开副本"),
        upload_to=consultation_public_file_path,
        max_length=200,
        blank=True,
    )
    public_sha256 = models.CharField(_("公开副本 SHA-256"), max_length=64)
    original_name = models.CharField(_("原文件名"), max_length=200)
    extension = models.CharField(_("文件类型"), max_length=10)
    content_type = models.CharField(_("MIME 类型"), max_length=100)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    class Meta:
        verbose_name = _("意见征集附件")
        verbose_name_plural = _("意见征集附件")
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse(
            "participation:consultation-file", args=[self.consultation_id, self.token]
        )

    @property
    def public_copy(self):
        """The copy without metadata, or the original when the check found
        nothing to remove (``public_sha256`` is then its hash)."""
        if self.public_file:
            return self.public_file
        return self.file if self.public_sha256 == self.sha256 else self.public_file


class ConsultationComment(models.Model):
    """One comment from the public. Nothing is shown before a moderator has
    looked at it; the contact is for a reply and is never shown."""

    class State(models.TextChoices):
        PENDING = "pending", _("待审核")
        PUBLISHED = "published", _("已公开")
        HIDDEN = "hidden", _("不公开（计入意见数）")
        SPAM = "spam", _("无效（不计入意见数）")

    consultation = models.ForeignKey(
        Consultation,
        verbose_name=_("意见征集"),
        on_delete=models.PROTECT,
        related_name="comments",
    )
    name = models.CharField(_("姓名或称呼"), max_length=50, blank=True)
    contact = models.CharField(_("联系方式"), max_length=100, blank=True)
    body = models.TextField(_("意见内容"))
    submitted_at = models.DateTimeField(_("提交时间"), default=timezone.now)
    state = models.CharField(
        _("状态"), max_length=20, choices=State.choices, default=State.PENDING
    )
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    moderated_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    moderation_note = models.CharField(
        _("审核说明（不公开）"), max_length=300, blank=True
    )
    reply = models.TextField(_("答复（公开）"), blank=True)

    class Meta:
        verbose_name = _("征集意见")
        verbose_name_plural = _("征集意见")
        ordering = ["submitted_at", "pk"]
        indexes = [
            models.Index(
                fields=["consultation", "state", "submitted_at"],
                name="comment_consultation_state",
            ),
        ]

    def __str__(self):
        return self.body[:30]

    @property
    def counts(self) -> bool:
        """Counted among the comments received (spam is not)."""
        return self.state in (self.State.PUBLISHED, self.State.HIDDEN)
