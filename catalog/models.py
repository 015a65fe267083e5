"""The disclosure directory: departments, topics, document types, the catalog
and the working-day calendar (see ../shared/DOMAIN.md)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import (
    MaxValueValidator,
    MinValueValidator,
    RegexValidator,
)
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from .time_limits import describe_time_limit, fixed_date_errors


class Department(models.Model):
    """A government, one of its departments or an office within one (a tree)."""

    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("人民政府")
        DEPARTMENT = "department", _("部门")
        OFFICE = "office", _("内设机构")

    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级机构"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    kind = models.CharField(
        _("机构类型"), max_length=20, choices=Kind.choices, default=Kind.DEPARTMENT
    )
    code = models.SlugField(
        _("机构代码"),
        max_length=40,
        unique=True,
        help_text=_("系统内唯一的简短代码，用于网址和导入导出，如 fgw。"),
    )
    name = models.CharField(_("机构名称"), max_length=100)
    short_name = models.CharField(_("简称"), max_length=40, blank=True)
    publisher_code = models.CharField(
        _("发布机构代码"),
        max_length=40,
        blank=True,
        help_text=_(
            "索引号的前段，如组织机构代码 000014349 或18位统一社会信用代码。"
            "为空时使用上级机构的代码。"
        ),
    )
    may_make_rules = models.BooleanField(
        _("有规章制定权"),
        default=False,
        help_text=_("《立法法》第九十三条；区县人民政府及其部门没有规章制定权。"),
    )
    is_disclosure_office = models.BooleanField(
        _("是政务公开办公室"),
        default=False,
        help_text=_("政务公开办公室负责审核和发布全部门的信息。"),
    )
    address = models.CharField(_("办公地址"), max_length=200, blank=True)
    office_hours = models.CharField(_("办公时间"), max_length=200, blank=True)
    phone = models.CharField(_("联系电话"), max_length=50, blank=True)
    fax = models.CharField(_("传真"), max_length=50, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    postcode = models.CharField(
        _("邮政编码"),
        max_length=6,
        blank=True,
        validators=[RegexValidator(r"^\d{6}$", _("邮政编码应为6位数字。"))],
    )
    website = models.URLField(_("网址"), blank=True)
    order = models.PositiveIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("机构")
        verbose_name_plural = _("机构")
        ordering = ["order", "code"]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk and self.pk is not None:
                raise ValidationError({"parent": _("上级机构不能是它自己或它的下级。")})
            ancestor = ancestor.parent

    @property
    def effective_publisher_code(self) -> str:
        """The publisher code for index numbers, inherited up the tree."""
        department = self
        while department is not None:
            if department.publisher_code:
                return department.publisher_code
            department = department.parent
        return self.code


class Membership(models.Model):
    """A staff user's role in a department (clerks may have several)."""

    class Role(models.TextChoices):
        CLERK = "clerk", _("信息员")
        HEAD = "head", _("部门负责人")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("机构"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(
        _("角色"), max_length=20, choices=Role.choices, default=Role.CLERK
    )

    class Meta:
        verbose_name = _("机构成员")
        verbose_name_plural = _("机构成员")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "department", "role"], name="unique_membership_role"
            )
        ]

    def __str__(self):
        return f"{self.user} · {self.department} · {self.get_role_display()}"


class TopicCategory(models.Model):
    """主题分类: two levels, the State Council's 22 topics and their children."""

    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级分类"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        limit_choices_to={"parent__isnull": True},
    )
    code = models.CharField(_("分类代码"), max_length=20, unique=True)
    name = models.CharField(_("分类名称"), max_length=60)
    order = models.PositiveIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("主题分类")
        verbose_name_plural = _("主题分类")
        ordering = ["order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "name"], name="unique_topic_name_per_parent"
            ),
            models.UniqueConstraint(
                fields=["name"],
                condition=Q(parent__isnull=True),
                name="unique_top_level_topic_name",
            ),
        ]

    def __str__(self):
        if self.parent_id:
            return f"{self.parent.label} / {self.label}"
        return self.label

    @property
    def label(self) -> str:
        """The name in the page's language: the standard list is translated
        (``reference_data.TOPICS``); a name staff added later is shown as
        entered."""
        return gettext(self.name)

    def clean(self):
        super().clean()
        if self.parent_id and self.parent.parent_id:
            raise ValidationError(
                {"parent": _("主题分类只有两级：上级分类必须是一级分类。")}
            )
        if self.parent_id and self.pk and self.children.exists():
            raise ValidationError(
                {"parent": _("有下级分类的一级分类不能再挂到其他分类下。")}
            )


class DocumentType(models.Model):
    """体裁: the 15 kinds of official document of GB/T 9704."""

    code = models.SlugField(_("代码"), max_length=20, unique=True)
    name = models.CharField(_("体裁名称"), max_length=20, unique=True)
    order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("体裁")
        verbose_name_plural = _("体裁")
        ordering = ["order"]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        """The name in the page's language (see ``TopicCategory.label``)."""
        return pgettext("体裁", self.name)


class Channel(models.Model):
    """公开渠道和载体: the standard list of channels."""

    code = models.SlugField(_("代码"), max_length=30, unique=True)
    name = models.CharField(_("渠道名称"), max_length=40, unique=True)
    order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("公开渠道")
        verbose_name_plural = _("公开渠道")
        ordering = ["order"]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        """The name in the page's language (see ``TopicCategory.label``)."""
        return gettext(self.name)


class CatalogArea(models.Model):
    """领域: one of the grass-roots standard catalogue areas (e.g. 涉农补贴)."""

    name = models.CharField(_("领域名称"), max_length=60, unique=True)
    description = models.TextField(_("说明"), blank=True)
    order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("目录领域")
        verbose_name_plural = _("目录领域")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class CatalogEntry(models.Model):
    """公开事项: one row of a standard disclosure catalogue."""

    class TimeLimitKind(models.TextChoices):
        WORKING_DAYS = "working_days", _("形成或变更之日起若干工作日内")
        CALENDAR_DAYS = "calendar_days", _("自某事件之日起若干日内（自然日）")
        FIXED_DATE = "fixed_date", _("每年固定日期前")
        REALTIME = "realtime", _("实时公开")
        PERIODIC = "periodic", _("定期公开")
        STANDING = "standing", _("长期公开")

    class CountedFrom(models.TextChoices):
        """The event from which the law counts the time limit."""

        FORMED = "formed", _("信息形成（成文）之日")
        CHANGED = "changed", _("信息变更之日")
        APPROVED = "approved", _("批准或批复之日")

    class Period(models.TextChoices):
        MONTHLY = "monthly", _("每月")
        QUARTERLY = "quarterly", _("每季度")
        HALF_YEARLY = "half_yearly", _("每半年")
        YEARLY = "yearly", _("每年")

    class Audience(models.TextChoices):
        PUBLIC = "public", _("全社会")
        SPECIFIC = "specific", _("特定群体")

    class Mode(models.TextChoices):
        PROACTIVE = "proactive", _("主动")
        ON_REQUEST = "on_request", _("依申请")

    area = models.ForeignKey(
        CatalogArea,
        verbose_name=_("领域"),
        on_delete=models.PROTECT,
        related_name="entries",
    )
    order = models.PositiveIntegerField(_("序号"), default=0)
    level1 = models.CharField(_("一级事项"), max_length=100)
    level2 = models.CharField(_("二级事项"), max_length=100, blank=True)
    content = models.TextField(_("公开内容（要素）"), blank=True)
    basis = models.TextField(_("公开依据"), blank=True)
    time_limit_kind = models.CharField(
        _("公开时限类型"),
        max_length=20,
        choices=TimeLimitKind.choices,
        default=TimeLimitKind.WORKING_DAYS,
    )
    time_limit_days = models.PositiveSmallIntegerField(
        _("时限日数"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(366)],
        help_text=_(
            "“形成或变更之日起”类：形成或变更后的工作日数（条例第二十六条为20）；"
            "自然日类：起算事件后的日数（预算法第十四条为20）；"
            "定期类：报告期结束后的工作日数。"
        ),
    )
    counted_from = models.CharField(
        _("时限起算事件"),
        max_length=20,
        choices=CountedFrom.choices,
        default=CountedFrom.FORMED,
        help_text=_("法律规定的起算事件，如预算批复之日；定期类自报告期结束起算。"),
    )
    fixed_month = models.PositiveSmallIntegerField(
        _("固定日期（月）"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    fixed_day = models.PositiveSmallIntegerField(
        _("固定日期（日）"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
        help_text=_("“每年3月底前”填 3 月 31 日。"),
    )
    period = models.CharField(
        _("公开周期"), max_length=20, choices=Period.choices, blank=True
    )
    time_limit_text = models.CharField(
        _("公开时限（对外表述）"),
        max_length=200,
        blank=True,
        help_text=_(
            "为空时按结构化时限自动生成，如“信息形成或者变更之日起20个工作日内”。"
        ),
    )
    responsible_department = models.ForeignKey(
        Department,
        verbose_name=_("公开主体"),
        on_delete=models.PROTECT,
        related_name="catalog_entries",
    )
    channels = models.ManyToManyField(
        Channel, verbose_name=_("公开渠道和载体"), blank=True, related_name="entries"
    )
    audience = models.CharField(
        _("公开对象"), max_length=20, choices=Audience.choices, default=Audience.PUBLIC
    )
    mode = models.CharField(
        _("公开方式"), max_length=20, choices=Mode.choices, default=Mode.PROACTIVE
    )
    level = models.CharField(
        _("公开层级"), max_length=40, blank=True, help_text=_("如 县级、乡级、村级。")
    )
    is_active = models.BooleanField(_("启用"), default=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("公开事项")
        verbose_name_plural = _("公开事项")
        ordering = ["area__order", "area__name", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        time_limit_kind__in=["working_days", "calendar_days"],
                        time_limit_days__isnull=False,
                    )
                    | Q(
                        time_limit_kind="fixed_date",
                        fixed_month__isnull=False,
                        fixed_day__isnull=False,
                    )
                    | (
                        Q(time_limit_kind="periodic", time_limit_days__isnull=False)
                        & ~Q(period="")
                    )
                    | Q(time_limit_kind__in=["realtime", "standing"])
                ),
                name="catalog_entry_time_limit_complete",
            ),
            models.UniqueConstraint(
                fields=["area", "level1", "level2"], name="unique_entry_per_area"
            ),
        ]
        indexes = [
            models.Index(fields=["responsible_department"], name="entry_dept_idx"),
        ]

    def __str__(self):
        if self.level2:
            return f"{self.level1} / {self.level2}"
        return self.level1

    def get_absolute_url(self):
        return reverse("catalog:entry", args=[self.pk])

    def clean(self):
        super().clean()
        errors = {}
        if (
            self.time_limit_kind
            in (
                self.TimeLimitKind.WORKING_DAYS,
                self.TimeLimitKind.CALENDAR_DAYS,
                self.TimeLimitKind.PERIODIC,
            )
            and not self.time_limit_days
        ):
            errors["time_limit_days"] = _("请填写时限日数。")
        if self.time_limit_kind == self.TimeLimitKind.FIXED_DATE:
            errors.update(fixed_date_errors(self.fixed_month, self.fixed_day))
        if self.time_limit_kind == self.TimeLimitKind.PERIODIC and not self.period:
            errors["period"] = _("定期公开的事项需要选择公开周期。")
        if errors:
            raise ValidationError(errors)

    @property
    def time_limit_display(self) -> str:
        """The time limit as shown to the public."""
        return self.time_limit_text or describe_time_limit(
            self.time_limit_kind,
            self.time_limit_days,
            self.period,
            counted_from=self.counted_from,
            fixed_month=self.fixed_month,
            fixed_day=self.fixed_day,
        )


from .calendar_models import CalendarDay, CalendarYear  # noqa: E402, F401
