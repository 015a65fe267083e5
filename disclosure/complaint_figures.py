"""Complaints (条例第四十七条) in figures, for the statistics, the quarterly
通报 and the self-inspection report: how many were received in a period, of
which kinds, against which organs, how many are concluded and how many were
found true. The sentence of a report ("全年没有收到…举报、投诉") is written
from these figures, never by hand."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Complaint


@dataclass
class ComplaintFigures:
    start: datetime.date
    end: datetime.date
    received: int = 0
    concluded: int = 0
    substantiated: int = 0
    open: int = 0
    by_kind: list[tuple[str, int]] = field(default_factory=list)
    by_department: list[tuple[str, int]] = field(default_factory=list)
    by_outcome: list[tuple[str, int]] = field(default_factory=list)


def complaint_figures(start: datetime.date, end: datetime.date) -> ComplaintFigures:
    """The complaints received from ``start`` to ``end`` (inclusive, Beijing
    time), as they stand now."""
    zone = timezone.get_current_timezone()
    since = datetime.datetime.combine(start, datetime.time.min, tzinfo=zone)
    until = datetime.datetime.combine(
        end + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
    )
    rows = list(
        Complaint.objects.filter(received_at__gte=since, received_at__lt=until)
        .select_related("department")
        .only("kind", "state", "outcome", "department__name")
    )
    figures = ComplaintFigures(start, end, received=len(rows))
    kinds, departments, outcomes = Counter(), Counter(), Counter()
    for row in rows:
        kinds[row.kind] += 1
        departments[row.department.name if row.department else _("未指明机关")] += 1
        if row.state == Complaint.State.CONCLUDED:
            figures.concluded += 1
            outcomes[row.outcome] += 1
            if row.is_substantiated:
                figures.substantiated += 1
    figures.open = figures.received - figures.concluded
    labels = dict(Complaint.Kind.choices)
    figures.by_kind = [
        (str(labels[kind]), kinds[kind])
        for kind in Complaint.Kind.values
        if kinds[kind]
    ]
    figures.by_department = sorted(departments.items(), key=lambda p: (-p[1], p[0]))
    outcome_labels = dict(Complaint.Outcome.choices)
    figures.by_outcome = [
        (str(outcome_labels[key]), outcomes[key])
        for key in Complaint.Outcome.values
        if outcomes[key]
    ]
    return figures


def complaint_sentence(figures: ComplaintFigures, period_label: str) -> str:
    """The sentence of a report about the complaints of the period."""
    if not figures.received:
        return _("%(period)s，没有收到涉及政府信息公开工作的举报、投诉。") % {
            "period": period_label
        }
    text = _(
        "%(period)s，收到涉及政府信息公开工作的举报、投诉%(received)s件，"
        "已办结%(concluded)s件"
    ) % {
        "period": period_label,
        "received": figures.received,
        "concluded": figures.concluded,
    }
    if figures.concluded:
        text += _("，其中查证属实（含部分属实）%(count)s件") % {
            "count": figures.substantiated
        }
        if figures.substantiated:
            text += _("，均已督促整改或通报批评")
    if figures.open:
        text += _("；%(open)s件正在核查") % {"open": figures.open}
    return text + "。"
