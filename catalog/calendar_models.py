"""The working-day calendar's data: holidays, adjusted working days and the
years whose schedule is complete (re-exported by ``catalog.models``)."""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarDay(models.Model):
    """An exception to the Monday-to-Friday week: a public holiday on a weekday
    or a weekend day declared a working day (调休)."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("法定节假日（休息）")
        WORKDAY = "workday", _("调休上班日")

    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("节日名称"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("节假日与调休")
        verbose_name_plural = _("节假日与调休")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()} {self.name}".strip()

    def clean(self):
        super().clean()
        if not self.date:
            return
        weekend = self.date.weekday() >= 5
        if self.kind == self.Kind.WORKDAY and not weekend:
            raise ValidationError({"kind": _("调休上班日必须是周六或周日。")})
        if self.kind == self.Kind.HOLIDAY and weekend:
            raise ValidationError(
                {"kind": _("周末本来就休息，只需登记落在工作日的法定节假日。")}
            )


class CalendarYear(models.Model):
    """Marks a year whose holiday schedule has been entered in full. For a year
    not marked, deadlines count weekends only and say the calendar is
    incomplete."""

    year = models.PositiveSmallIntegerField(
        _("年份"), unique=True, validators=[MinValueValidator(2000)]
    )
    is_complete = models.BooleanField(
        _("已录入全年安排"),
        default=True,
        help_text=_("国务院办公厅公布当年节假日安排并录入后勾选。"),
    )
    source = models.CharField(_("依据"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("日历年度")
        verbose_name_plural = _("日历年度")
        ordering = ["-year"]

    def __str__(self):
        return str(self.year)
