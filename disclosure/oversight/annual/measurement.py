"""What the portal knows for an organ's annual report: table 二 第（一）项
from the register of 规章 and 行政规范性文件, and the summary of proactive
disclosure.

The register is the public records marked 规章 or 行政规范性文件 by the clerk
(``Item.document_class``; never guessed from the 体裁 or the 发文字号), of
the organ and its offices, not removed as 错发, published by ``now``. For
year Y:

- 本年制发件数: 成文日期 in Y.
- 本年废止件数: the first day out of force (废止 or 失效 from its date, or
  the day after 有效期至; ``disclosure/validity.py``) in Y; both end a
  document's force and the format has one column for them.
- 现行有效件数: formed by 31 December of Y and not out of force on that day
  (in force, or issued and not yet in force: a document's force is decided
  once it is issued), and not withdrawn (撤销) by then. So last year's
  figure plus this year's issued minus this year's ended gives this year's.
- 规章 only for an organ with rule-making power (``Department.may_make_rules``,
  立法法 Art. 93): a district government and its departments count none.

The request figures (table 三, 四 and the fees) come from ``sources`` when a
register of requests is installed; the office enters them until then."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.organs import is_own_government, organ_members
from disclosure.models import DocumentClass, PublicRecord
from disclosure.validity import Standing, ended_on, standing_on

from .. import periods, timeliness
from .layout import AUTO_CELLS

KINDS = {DocumentClass.RULES: "rules", DocumentClass.NORMATIVE: "normative"}


def portal_figures(organ, year: int, *, now: datetime.datetime) -> dict[str, int]:
    """Table 二 第（一）项 of the organ's report, in two queries."""
    year_end = datetime.date(year, 12, 31)
    figures = dict.fromkeys(AUTO_CELLS, 0)
    classes = [DocumentClass.NORMATIVE]
    if organ.may_make_rules:
        classes.append(DocumentClass.RULES)
    records = (
        PublicRecord.objects.exclude(status=PublicRecord.Status.REMOVED)
        .filter(
            published_at__lte=now,
            document_class__in=classes,
            department_id__in=list(organ_members([organ])),
        )
        .values_list(
            "document_class",
            "formed_on",
            "validity",
            "validity_changed_on",
            "effective_on",
            "expires_on",
            "status",
            "status_changed_at",
        )
    )
    for (
        document_class,
        formed_on,
        validity,
        changed_on,
        effective_on,
        expires_on,
        status,
        status_changed_at,
    ) in records:
        kind = KINDS[document_class]
        if formed_on.year == year:
            figures[f"{kind}.issued"] += 1
        end = ended_on(validity=validity, changed_on=changed_on, expires_on=expires_on)
        if end is not None and end.year == year:
            figures[f"{kind}.repealed"] += 1
        standing = standing_on(
            year_end,
            validity=validity,
            changed_on=changed_on,
            effective_on=effective_on,
            expires_on=expires_on,
        )
        withdrawn_by_year_end = (
            status == PublicRecord.Status.WITHDRAWN
            and status_changed_at is not None
            and periods.local_date(status_changed_at) <= year_end
        )
        if (
            formed_on <= year_end
            and standing in (Standing.IN_FORCE, Standing.PENDING)
            and not withdrawn_by_year_end
        ):
            figures[f"{kind}.in_force"] += 1
    return figures


def proactive_summary(organ, year: int, *, now, calendar) -> str:
    """A first paragraph for section 二, from the timeliness figures of the
    organ (and its offices); the government's report speaks for all organs."""
    period = periods.year_period(year)
    report = timeliness.timeliness(
        period,
        today=min(timezone.localdate(now), period.end),
        now=now,
        calendar=calendar,
        as_of=period.end,
    )
    rows = report.rows
    name = _("全区各部门")
    if not is_own_government(organ):
        members = organ_members([organ])
        rows = [row for row in rows if row.department_id in members]
        name = organ.name
    total = timeliness.Timeliness(None)
    for row in rows:
        total.add(row, calendar)
    return _(
        "%(year)s年，%(organ)s通过政府信息公开专栏主动公开政府信息%(published)s条，"
        "其中有法定公开时限的%(due)s条，按时公开%(on_time)s条，按时公开率%(rate)s；"
        "从成文到公开所用工作日的中位数为%(median)s个工作日。"
    ) % {
        "year": year,
        "organ": name,
        "published": len(total.published),
        "due": len(total.with_deadline),
        "on_time": len(total.on_time),
        "rate": total.on_time_rate,
        "median": total.median_days,
    }
