"""When each organ's annual report is due (Regulations Art. 49), and who has
not published yet: a department's report for year Y by 31 January of Y+1, the
government's own (本级政府) by 31 March of Y+1."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _

from catalog.models import Department
from catalog.organs import is_own_government, reporting_organs

from ..models import AnnualReport
from ..periods import local_date


def due_on(organ: Department, year: int) -> datetime.date:
    if is_own_government(organ):
        return datetime.date(year + 1, 3, 31)
    return datetime.date(year + 1, 1, 31)


@dataclass(frozen=True)
class OrganStatus:
    """One organ's report for a year, as the office's overview shows it."""

    organ: Department
    year: int
    due_on: datetime.date
    report: AnnualReport | None
    today: datetime.date

    @property
    def is_government(self) -> bool:
        return is_own_government(self.organ)

    @property
    def published_on(self) -> datetime.date | None:
        if self.report is None or self.report.published_at is None:
            return None
        return local_date(self.report.published_at)

    @property
    def is_published(self) -> bool:
        return self.published_on is not None

    @property
    def days_late(self) -> int:
        """Calendar days past the deadline: at publication, or until today
        while unpublished (0: on time or not due yet)."""
        end = self.published_on or self.today
        return max(0, (end - self.due_on).days)

    @property
    def is_late(self) -> bool:
        return self.days_late > 0

    @property
    def state_label(self) -> str:
        if self.report is None:
            return _("未开始")
        return str(self.report.get_state_display())


def year_status(year: int, today: datetime.date) -> list[OrganStatus]:
    """Every active organ with its report for ``year`` (the government
    first), in two queries."""
    organs = list(reporting_organs())
    reports = {
        report.organ_id: report
        for report in AnnualReport.objects.filter(
            year=year, organ__in=organs
        ).select_related("organ")
    }
    return [
        OrganStatus(organ, year, due_on(organ, year), reports.get(organ.pk), today)
        for organ in organs
    ]


@dataclass(frozen=True)
class DeadlineNotice:
    """The reports of last year not yet published, shown from 1 January."""

    year: int
    missing: list[OrganStatus]

    @property
    def overdue(self) -> list[OrganStatus]:
        return [status for status in self.missing if status.is_late]

    @property
    def pending(self) -> list[OrganStatus]:
        return [status for status in self.missing if not status.is_late]


def deadline_notice(today: datetime.date) -> DeadlineNotice | None:
    """Last year's reports not published yet (None when all are)."""
    year = today.year - 1
    missing = [status for status in year_status(year, today) if not status.is_published]
    if not missing:
        return None
    return DeadlineNotice(year, missing)
