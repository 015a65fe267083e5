"""What an item records so that its due date follows the law (DOMAIN.md,
"Time limits"): the period a periodic item reports on (报告期) and the date
of the event a time limit counts from when that is not 成文日期 (e.g. the
批复日期 of a department budget, 预算法 §14)."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

#: The content fields below, in the order the editor shows them.
DEADLINE_FIELDS = ("report_year", "report_period", "event_on")


class DeadlineFacts(models.Model):
    report_year = models.PositiveSmallIntegerField(
        _("报告期（年度）"),
        null=True,
        blank=True,
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        help_text=_("定期公开的信息所报告的年度，如三季度报告填报告所属年度。"),
    )
    report_period = models.PositiveSmallIntegerField(
        _("报告期（季度、月或半年）"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text=_(
            "按公开事项的周期填写：季度 1-4，月份 1-12，上半年 1、下半年 2；"
            "年度报告不填。应公开日期自报告期结束起算。"
        ),
    )
    event_on = models.DateField(
        _("时限起算日期"),
        null=True,
        blank=True,
        help_text=_(
            "公开事项的时限自批准、批复或变更之日起算时填写，如部门预算的批复日期。"
        ),
    )

    class Meta:
        abstract = True

    @property
    def report_period_display(self) -> str:
        """The 报告期 in words, e.g. 2026年第3季度, as the entry's period has it."""
        if not self.report_year:
            return ""
        period = self.catalog_entry.period if self.catalog_entry_id else ""
        words = {
            "quarterly": _("%(year)s年第%(n)s季度"),
            "monthly": _("%(year)s年%(n)s月"),
            "half_yearly": _("%(year)s年上半年")
            if self.report_period == 1
            else _("%(year)s年下半年"),
        }
        if self.report_period and period in words:
            return words[period] % {"year": self.report_year, "n": self.report_period}
        return _("%(year)s年度") % {"year": self.report_year}
