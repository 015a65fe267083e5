"""The office's assessment scheme (考核方案) per year: which indicators count,
with which weight and in which order, the manual indicators (培训, 公开栏 …)
with their maximum points, the points each organ got for them with the
evidence, and the append-only trail of every change.

Registered by ``DisclosureConfig.ready()`` (app label ``disclosure``). The
computation lives in ``oversight/assessment.py`` and ``oversight/indicators.py``,
the office's actions in ``oversight/schemes.py``."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog.models import Department
from portal.append_only import AuditTrail, action_field, actor_field, at_field

__all__ = [
    "AssessmentAuditEntry",
    "AssessmentScheme",
    "ManualScore",
    "SchemeIndicator",
]


class Computed(models.TextChoices):
    """The indicators computed from the portal's records
    (definitions in ``oversight/assessment.py``)."""

    ON_TIME = "on_time", _("按时公开率")
    COMPLETENESS = "completeness", _("公开要素齐全率")
    INTERPRETATION = "interpretation", _("政策解读同步率")
    REQUESTS = "requests", _("依申请按时答复率")
    COMPLAINTS = "complaints", _("投诉举报查证不属实率")
    CONSULTATIONS = "consultations", _("意见征集按时反馈率")
    PERIODIC = "periodic", _("定期公开按时率")


class AssessmentScheme(models.Model):
    """考核方案 of one year."""

    year = models.PositiveSmallIntegerField(
        _("年度"),
        unique=True,
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
    )
    note = models.TextField(_("说明"), blank=True)
    published_at = models.DateTimeField(
        _("公布时间"),
        null=True,
        blank=True,
        help_text=_("公布后考核表按此方案计分；此后的修改须说明理由并记录。"),
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("公布人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        verbose_name = _("考核方案")
        verbose_name_plural = _("考核方案")
        ordering = ["-year"]

    def __str__(self):
        return _("%(year)s年度政务公开考核方案") % {"year": self.year}

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class SchemeIndicator(models.Model):
    """One indicator of a scheme: a computed one (``key``) or a manual one
    (``name`` and ``max_points``, scored by the office per organ)."""

    scheme = models.ForeignKey(
        AssessmentScheme,
        verbose_name=_("考核方案"),
        on_delete=models.CASCADE,
        related_name="indicators",
    )
    key = models.CharField(
        _("计算指标"), max_length=20, choices=Computed.choices, blank=True
    )
    name = models.CharField(_("人工指标名称"), max_length=50, blank=True)
    weight = models.PositiveSmallIntegerField(
        _("权重"), validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    max_points = models.DecimalField(
        _("满分"),
        max_digits=6,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.1"))],
    )
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("考核指标")
        verbose_name_plural = _("考核指标")
        ordering = ["scheme", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "key"],
                condition=~Q(key=""),
                name="scheme_indicator_key_once",
            ),
            models.CheckConstraint(
                condition=Q(weight__gte=1, weight__lte=100),
                name="scheme_indicator_weight_range",
            ),
            models.CheckConstraint(
                condition=(~Q(key="") & Q(name="") & Q(max_points__isnull=True))
                | (Q(key="") & ~Q(name="") & Q(max_points__gt=0)),
                name="scheme_indicator_computed_or_manual",
            ),
        ]

    def __str__(self):
        return str(self.label)

    @property
    def is_manual(self) -> bool:
        return not self.key

    @property
    def label(self) -> str:
        return self.name if self.is_manual else Computed(self.key).label


def evidence_path(instance, filename):
    return f"assessment/{instance.token}.{instance.evidence_extension}"


class ManualScore(models.Model):
    """The points an organ got for a manual indicator, with the evidence
    (seen by the office and the organ concerned only, never public)."""

    indicator = models.ForeignKey(
        SchemeIndicator,
        verbose_name=_("考核指标"),
        on_delete=models.PROTECT,
        related_name="scores",
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("机关"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    points = models.DecimalField(
        _("得分"),
        max_digits=6,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0"))],
    )
    note = models.CharField(_("评分说明"), max_length=300, blank=True)
    token = models.CharField(_("存储标识"), max_length=32, unique=True, editable=False)
    evidence = models.FileField(
        _("佐证材料"), upload_to=evidence_path, max_length=200, blank=True
    )
    evidence_name = models.CharField(_("原文件名"), max_length=200, blank=True)
    evidence_extension = models.CharField(_("文件类型"), max_length=10, blank=True)
    evidence_content_type = models.CharField(_("MIME 类型"), max_length=100, blank=True)
    evidence_sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("评分人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    entered_at = models.DateTimeField(_("评分时间"), default=timezone.now)

    class Meta:
        verbose_name = _("人工指标得分")
        verbose_name_plural = _("人工指标得分")
        ordering = ["indicator", "department"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "department"], name="manual_score_once"
            ),
            models.CheckConstraint(
                condition=Q(points__gte=0), name="manual_score_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.indicator} {self.department}: {self.points}"


class AssessmentAuditEntry(AuditTrail):
    """One change of a scheme or of a manual score (append-only)."""

    class Action(models.TextChoices):
        CREATE = "create", _("创建方案")
        EDIT = "edit", _("修改指标和权重")
        PUBLISH = "publish", _("公布方案")
        SCORE = "score", _("录入人工指标得分")

    scheme = models.ForeignKey(
        AssessmentScheme,
        verbose_name=_("考核方案"),
        on_delete=models.PROTECT,
        related_name="audit_entries",
    )
    actor = actor_field()
    at = at_field()
    action = action_field(Action.choices)
    after_publication = models.BooleanField(_("公布后修改"), default=False)
    changes = models.TextField(_("变更内容"), blank=True)
    reason = models.TextField(_("理由"), blank=True)

    class Meta(AuditTrail.Meta):
        verbose_name = _("考核方案操作记录")
        verbose_name_plural = _("考核方案操作记录")
