"""举报、投诉 under Art. 47 of the Regulations: a citizen reports that an
organ did not disclose what it had to, did so late or wrongly, or did not
answer a request; the disclosure office (政府信息公开工作主管部门) looks into it
and records the outcome. Counted in the statistics, the quarterly 通报 and the
self-inspection report (``disclosure/complaint_figures.py``)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog.models import Department


class Complaint(models.Model):
    """One complaint (投诉举报), from receipt to a recorded outcome."""

    class Kind(models.TextChoices):
        NOT_PUBLISHED = "not_published", _("应当主动公开的信息未公开")
        LATE = "late", _("未在规定期限内公开")
        WRONG = "wrong", _("公开的信息不准确、不完整或有误")
        REQUEST_UNANSWERED = "request_unanswered", _("政府信息公开申请未依法答复处理")
        OTHER = "other", _("其他违反政府信息公开规定的情形")

    class State(models.TextChoices):
        RECEIVED = "received", _("已收到")
        ACCEPTED = "accepted", _("核查中")
        CONCLUDED = "concluded", _("已办结")

    class Outcome(models.TextChoices):
        RECTIFIED = "rectified", _("查证属实，已督促整改")
        CRITICISED = "criticised", _("查证属实，已通报批评")
        PARTLY = "partly", _("部分属实，已督促整改")
        UNFOUNDED = "unfounded", _("查证不属实")
        OUT_OF_SCOPE = "out_of_scope", _("不属于政府信息公开投诉，已告知其他途径")

    #: Outcomes in which the office found the complaint (partly) true
    #: (条例第四十七条第二款: 查证属实的，应当予以督促整改或者通报批评).
    SUBSTANTIATED = frozenset({"rectified", "criticised", "partly"})

    number = models.CharField(_("编号"), max_length=20, unique=True)
    access_key = models.CharField(
        _("查询密钥"), max_length=64, unique=True, editable=False
    )
    kind = models.CharField(_("投诉类型"), max_length=30, choices=Kind.choices)
    department = models.ForeignKey(
        Department,
        verbose_name=_("被投诉机关"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    subject = models.CharField(
        _("涉及的信息或申请"),
        max_length=300,
        blank=True,
        help_text=_("如信息标题、网址、索引号，或申请的提交日期和编号。"),
    )
    description = models.TextField(_("投诉内容"))
    name = models.CharField(_("姓名或名称"), max_length=100, blank=True)
    contact = models.CharField(_("联系电话或地址"), max_length=200, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    received_at = models.DateTimeField(_("收到时间"), default=timezone.now)
    state = models.CharField(
        _("状态"), max_length=20, choices=State.choices, default=State.RECEIVED
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("承办人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    concluded_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    outcome = models.CharField(
        _("办理结果"), max_length=20, choices=Outcome.choices, blank=True
    )
    outcome_text = models.TextField(
        _("办理情况（告知投诉人）"),
        blank=True,
        help_text=_("核查经过和处理结果，投诉人可通过查询页面看到。"),
    )

    class Meta:
        verbose_name = _("政府信息公开投诉举报")
        verbose_name_plural = _("政府信息公开投诉举报")
        ordering = ["-received_at", "-pk"]
        indexes = [
            models.Index(fields=["received_at"], name="complaint_received"),
            models.Index(fields=["state", "received_at"], name="complaint_state"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="concluded")
                | (
                    ~Q(outcome="") & ~Q(outcome_text="") & Q(concluded_at__isnull=False)
                ),
                name="complaint_concluded_has_outcome",
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.get_kind_display()}"

    def get_staff_url(self):
        return reverse("participation:staff-complaint", args=[self.pk])

    def get_status_url(self):
        return reverse("participation:complaint-status", args=[self.access_key])

    @property
    def is_substantiated(self) -> bool:
        return self.outcome in self.SUBSTANTIATED
