"""An annual report's life: started with the portal's figures, saved as a
draft, refilled, published once consistent; and the notice of its
deadline (31 January)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import AnnualReport
from .consistency import ReportNotConsistent
from .forms import AnnualReportForm
from .layout import empty_table2, empty_table3, empty_table4
from .measurement import portal_figures, proactive_summary


def start_report(year: int, *, by, now, calendar) -> AnnualReport:
    """A new draft for ``year`` with what the portal knows filled in."""
    table2 = empty_table2()
    table2.update(portal_figures(year, now=now))
    return AnnualReport.objects.create(
        year=year,
        table2=table2,
        table3=empty_table3(),
        table4=empty_table4(),
        proactive_text=proactive_summary(year, now=now, calendar=calendar),
        requests_text=_(
            "本年度门户尚未受理网上政府信息公开申请，表内数字由政务公开办公室根据各渠道收到的申请统计填报。"
        ),
        created_by=by,
        updated_by=by,
        created_at=now,
        updated_at=now,
    )


def publish(*, report: AnnualReport, form: AnnualReportForm, by) -> AnnualReport:
    """Save the form's figures and publish the report, or change nothing and
    raise :class:`ReportNotConsistent`."""
    errors = form.consistency_errors()
    if errors:
        raise ReportNotConsistent(errors)
    with transaction.atomic():
        report = AnnualReport.objects.select_for_update().get(pk=report.pk)
        form.apply(report)
        now = timezone.now()
        report.updated_by = by
        report.updated_at = now
        if report.state != AnnualReport.State.PUBLISHED:
            report.state = AnnualReport.State.PUBLISHED
            report.published_at = now
            report.published_by = by
        report.save()
    return report


def save_draft(*, report: AnnualReport, form: AnnualReportForm, by) -> AnnualReport:
    """Save the text and figures of a draft. A published report is only
    saved when its tables stay consistent (raises :class:`ReportNotConsistent`)."""
    if report.state == AnnualReport.State.PUBLISHED:
        errors = form.consistency_errors()
        if errors:
            raise ReportNotConsistent(errors)
    with transaction.atomic():
        report = AnnualReport.objects.select_for_update().get(pk=report.pk)
        form.apply(report)
        report.updated_by = by
        report.updated_at = timezone.now()
        report.save()
    return report


def refill(*, report: AnnualReport, by, now) -> AnnualReport:
    """Put the portal's figures back into table 二 第（一）项."""
    with transaction.atomic():
        report = AnnualReport.objects.select_for_update().get(pk=report.pk)
        table2 = {**empty_table2(), **(report.table2 or {})}
        table2.update(portal_figures(report.year, now=now))
        report.table2 = table2
        report.updated_by = by
        report.updated_at = now
        report.save(update_fields=["table2", "updated_by", "updated_at"])
    return report


# --- deadline ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeadlineNotice:
    year: int
    due_on: datetime.date
    overdue: bool
    report: AnnualReport | None


def deadline_notice(today: datetime.date) -> DeadlineNotice | None:
    """From 1 January until the previous year's report is published: the
    31 January deadline (Art. 49), overdue after it."""
    year = today.year - 1
    report = AnnualReport.objects.filter(year=year).first()
    if report is not None and report.is_published:
        return None
    due_on = datetime.date(today.year, 1, 31)
    return DeadlineNotice(year, due_on, today > due_on, report)
