"""The self-inspection report (自查报告): the measurements of a period, a
first draft of its three sections written from them, and the DOCX.

The figures are recomputed from the items whenever the report is shown, and
each comes with the drill-down URL of the items behind it; the text is the
office's to edit (a draft is written once, when the report is created).
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from catalog import workdays
from catalog.models import Channel, Department, TopicCategory
from disclosure import request_tables
from disclosure.complaint_figures import (
    ComplaintFigures,
    complaint_figures,
    complaint_sentence,
)

from . import catalog_gaps, drilldown, periods, timeliness
from .models import SelfInspectionReport

#: What the portal itself offers the public for every item.
PORTAL_CHANNELS = (
    "政府信息公开专栏网站",
    "RSS订阅",
    "开放数据接口（API）",
)


@dataclass(frozen=True)
class Figure:
    """A number and the list of items behind it."""

    label: str
    value: int
    url: str
    extra: str = ""


@dataclass
class Measurements:
    period: periods.Period
    as_of: datetime.date
    published: Figure
    with_deadline: Figure
    on_time: Figure
    late: Figure
    overdue: Figure
    on_time_rate: str
    median_days: str
    by_department: list[Figure] = field(default_factory=list)
    by_topic: list[Figure] = field(default_factory=list)
    by_channel: list[Figure] = field(default_factory=list)
    department_rates: list[dict] = field(default_factory=list)
    worst_delays: list[dict] = field(default_factory=list)
    gaps: catalog_gaps.CatalogGaps | None = None
    withdrawals: list[timeliness.Withdrawal] = field(default_factory=list)
    withdrawals_figure: Figure | None = None
    complaints: ComplaintFigures | None = None
    portal_channels: tuple[str, ...] = PORTAL_CHANNELS


def measure(
    period: periods.Period,
    *,
    today: datetime.date,
    now: datetime.datetime,
    calendar: workdays.WorkCalendar,
) -> Measurements:
    as_of = min(period.end, today)
    report = timeliness.timeliness(
        period, today=today, now=now, calendar=calendar, as_of=as_of
    )
    total = report.total
    url = drilldown.drilldown_url

    def overdue_url(**filters):
        return url("overdue", period, as_of=as_of.isoformat(), **filters)

    rows = report.rows
    topics = dict(
        TopicCategory.objects.filter(pk__in={r.top_topic_id for r in rows}).values_list(
            "pk", "name"
        )
    )
    topic_counts: dict[int, int] = {}
    for row in rows:
        topic_counts[row.top_topic_id] = topic_counts.get(row.top_topic_id, 0) + 1
    channel_counts = drilldown.channel_counts(rows)
    channels = Channel.objects.filter(pk__in=channel_counts).order_by("order")
    department_names = dict(
        Department.objects.filter(pk__in={r.department_id for r in rows}).values_list(
            "pk", "name"
        )
    )
    delays = [
        {
            "item_id": row.item_id,
            "title": row.title,
            "department": department_names.get(row.department_id, ""),
            "late": row.late_working_days,
            "due_on": row.due_on,
            "published_on": row.published_on,
        }
        for row in timeliness.worst_delays(rows)
    ]
    withdrawn = timeliness.withdrawals(period)
    return Measurements(
        period=period,
        as_of=as_of,
        published=Figure(_("发布信息"), len(total.published), url("published", period)),
        with_deadline=Figure(
            _("有法定公开时限"), len(total.with_deadline), url("with_deadline", period)
        ),
        on_time=Figure(_("按时发布"), len(total.on_time), url("on_time", period)),
        late=Figure(_("逾期发布"), len(total.late), url("late", period)),
        overdue=Figure(_("逾期未发布"), len(total.overdue), overdue_url()),
        on_time_rate=total.on_time_rate,
        median_days=total.median_days,
        by_department=[
            Figure(
                figures.department.name,
                len(figures.published),
                url("published", period, department=figures.department.pk),
            )
            for figures in report.departments
            if figures.published
        ],
        by_topic=sorted(
            (
                Figure(
                    topics.get(pk, str(pk)),
                    count,
                    url("published", period, topic=pk),
                )
                for pk, count in topic_counts.items()
            ),
            key=lambda f: (-f.value, f.label),
        ),
        by_channel=[
            Figure(
                channel.name,
                channel_counts[channel.pk],
                url("published", period, channel=channel.pk),
            )
            for channel in channels
        ],
        department_rates=[
            {
                "department": figures.department,
                "published": Figure(
                    "",
                    len(figures.published),
                    url("published", period, department=figures.department.pk),
                ),
                "with_deadline": Figure(
                    "",
                    len(figures.with_deadline),
                    url("with_deadline", period, department=figures.department.pk),
                ),
                "on_time": Figure(
                    "",
                    len(figures.on_time),
                    url("on_time", period, department=figures.department.pk),
                ),
                "late": Figure(
                    "",
                    len(figures.late),
                    url("late", period, department=figures.department.pk),
                ),
                "overdue": Figure(
                    "",
                    len(figures.overdue),
                    overdue_url(department=figures.department.pk),
                ),
                "rate": figures.on_time_rate,
            }
            for figures in report.departments
        ],
        worst_delays=delays,
        gaps=catalog_gaps.catalog_gaps(period, today=today),
        withdrawals=withdrawn,
        withdrawals_figure=Figure(
            _("撤销或删除"),
            len({w.item_id for w in withdrawn}),
            url("withdrawn", period),
        ),
        complaints=complaint_figures(period.start, period.end),
    )


def _listing(figures: list[Figure]) -> str:
    return "、".join(
        _("%(label)s%(value)s条") % {"label": f.label, "value": f.value}
        for f in figures
    )


def _requests_sentence(period) -> str:
    """依申请公开 in the period, from the register (request_tables)."""
    stats = request_tables.request_statistics(period.start, period.end)
    if not (stats.received or stats.closed):
        return _("依申请公开：本期门户尚未受理政府信息公开申请，暂无数据。")
    groups = "、".join(
        f"{label}{stats.by_group[key]}件"
        for key, label, _rows in request_tables.RESULT_GROUPS
        if stats.by_group[key]
    )
    rate = "—" if stats.on_time_rate is None else f"{stats.on_time_rate:.1%}"
    return _(
        "依申请公开：本期收到政府信息公开申请%(received)s件，办结%(closed)s件"
        "（%(groups)s），按时答复率%(rate)s；因政府信息公开引起的行政复议%(reviews)s件、"
        "行政诉讼%(lawsuits)s件。"
    ) % {
        "received": stats.received,
        "closed": stats.closed,
        "groups": groups or "—",
        "rate": rate,
        "reviews": stats.reviews,
        "lawsuits": stats.lawsuits,
    }


def draft_text(m: Measurements) -> dict[str, str]:
    """A first draft of the three sections, written from the figures."""
    period = m.period.label
    work_done = [
        _("%(period)s，通过政府信息公开专栏主动公开政府信息%(published)s条。")
        % {"period": period, "published": m.published.value}
    ]
    if m.by_department:
        work_done.append(_("分部门：%(list)s。") % {"list": _listing(m.by_department)})
    if m.by_topic:
        work_done.append(_("分主题：%(list)s。") % {"list": _listing(m.by_topic)})
    work_done.append(
        _(
            "其中有法定公开时限的%(due)s条，按时公开%(on_time)s条，按时公开率%(rate)s；"
            "从成文到公开所用工作日的中位数为%(median)s个工作日。"
        )
        % {
            "due": m.with_deadline.value,
            "on_time": m.on_time.value,
            "rate": m.on_time_rate,
            "median": m.median_days,
        }
    )
    channels = _("公开渠道：每条信息均在%(portal)s同步提供") % {
        "portal": "、".join(m.portal_channels)
    }
    if m.by_channel:
        channels += _("；按公开事项确定的渠道，%(list)s") % {
            "list": _listing(m.by_channel)
        }
    work_done.append(channels + "。")
    work_done.append(_requests_sentence(m.period))
    if m.complaints is not None:
        work_done.append(complaint_sentence(m.complaints, period))

    problems = []
    if m.late.value:
        problem = _("逾期公开%(late)s条信息") % {"late": m.late.value}
        if m.worst_delays:
            worst = m.worst_delays[0]
            problem += _(
                "，其中逾期最长的是《%(title)s》（%(department)s，逾期%(days)s个工作日）"
            ) % {
                "title": worst["title"],
                "department": worst["department"],
                "days": worst["late"],
            }
        problems.append(problem + "。")
    if m.overdue.value:
        problems.append(
            _("截至%(date)s，仍有%(count)s条信息超过公开时限未发布。")
            % {"date": periods.date_zh(m.as_of), "count": m.overdue.value}
        )
    if m.gaps and m.gaps.periodic:
        problems.append(
            _("%(count)s个定期公开事项在应公开的周期内没有发布信息：%(list)s。")
            % {
                "count": len({gap.entry.pk for gap in m.gaps.periodic}),
                "list": "；".join(
                    f"{gap.entry.area.name}·{gap.entry}（{gap.label}）"
                    for gap in m.gaps.periodic
                ),
            }
        )
    if m.withdrawals:
        problems.append(
            _("撤销或删除已发布信息%(count)s次，原因：%(reasons)s。")
            % {
                "count": len(m.withdrawals),
                "reasons": "；".join(
                    f"《{w.title}》{w.action_label}：{w.reason}" for w in m.withdrawals
                ),
            }
        )
    if not problems:
        problems.append(_("本期未发现逾期公开、漏报或撤销的情况。"))
    numbered = [
        _("%(n)s是%(text)s") % {"n": NUMBERS[i], "text": text}
        for i, text in enumerate(problems)
    ]
    next_steps = [
        _("一是用好到期提醒，信息形成后及时提交审核，确保在法定时限内公开。"),
        _("二是对定期公开事项建立台账，按周期及时发布，避免漏报。"),
        _("三是加强发布前的保密审查和内容审核，减少撤销和错发。"),
    ]
    return {
        "work_done": "\n".join(work_done),
        "problems": "\n".join(numbered),
        "next_steps": "\n".join(next_steps),
    }


NUMBERS = "一二三四五六七八九十"


def create_report(
    *,
    period: periods.Period,
    title: str,
    by,
    today: datetime.date,
    now: datetime.datetime,
    calendar: workdays.WorkCalendar,
) -> SelfInspectionReport:
    text = draft_text(measure(period, today=today, now=now, calendar=calendar))
    with transaction.atomic():
        return SelfInspectionReport.objects.create(
            title=title,
            period_start=period.start,
            period_end=period.end,
            created_by=by,
            updated_by=by,
            created_at=now,
            updated_at=now,
            **text,
        )


def report_period(report: SelfInspectionReport) -> periods.Period:
    return periods.Period(report.period_start, report.period_end)


def build_docx(report: SelfInspectionReport, m: Measurements) -> bytes:
    from docx import Document

    document = Document()
    document.add_heading(report.title, level=0)
    document.add_paragraph(_("统计期间：%(period)s") % {"period": m.period.label})
    sections = (
        (_("一、工作开展情况"), report.work_done),
        (_("二、存在问题"), report.problems),
        (_("三、下一步打算"), report.next_steps),
    )
    for title, text in sections:
        document.add_heading(str(title), level=1)
        for paragraph in (text or "").splitlines():
            if paragraph.strip():
                document.add_paragraph(paragraph.strip())
    document.add_heading(_("附表：各部门公开时效"), level=1)
    table = document.add_table(rows=1, cols=6)
    table.style = "Table Grid"
    for cell, text in zip(
        table.rows[0].cells,
        [
            _("部门"),
            _("发布"),
            _("有公开时限"),
            _("按时"),
            _("按时公开率"),
            _("逾期未发布"),
        ],
        strict=True,
    ):
        cell.text = str(text)
    for row in m.department_rates:
        cells = table.add_row().cells
        values = [
            row["department"].name,
            row["published"].value,
            row["with_deadline"].value,
            row["on_time"].value,
            row["rate"],
            row["overdue"].value,
        ]
        for cell, value in zip(cells, values, strict=True):
            cell.text = str(value)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
