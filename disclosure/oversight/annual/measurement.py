"""What the portal knows for the annual report: the figures of table 二 and
the summary of proactive disclosure, measured from the public records.

Figures the portal fills (table 二, 第二十条第（一）项) come from the public
records (what the public sees; records removed as 错发 never count). Item has
no "rule"/"normative document" field, so the class of a document is read from
its metadata by a documented rule (:func:`document_class`):

- 规章: the 体裁 is 命令（令） — rules of a government are promulgated by order
  (e.g. 示例市人民政府令第3号).
- 行政规范性文件: not a 规章, and either its 主题词 contain "规范性文件", or its
  体裁 is 决定, 意见 or 通知 *and* it carries a 发文字号 (a numbered
  决定/意见/通知 published for the public is how normative documents appear
  on disclosure sites; un-numbered notices are announcements).

For year Y:
- 本年制发件数: 成文日期 in Y.
- 本年废止件数: 有效性 废止 or 失效 with the change dated in Y (both end
  the document's force; the official table has one column for them).
- 现行有效件数: formed by 31 December of Y, in force on that day (有效, or its
  废止/失效 dated later) and not withdrawn (撤销) by then.

The request figures (table 三) are zero until the portal handles requests;
the office enters them, and table 四, in the form."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from disclosure.models import PublicRecord, Validity

from .. import periods, timeliness
from .layout import AUTO_CELLS

# --- what the portal knows ----------------------------------------------------------------

RULE_TYPE_CODES = frozenset({"order"})
NORMATIVE_TYPE_CODES = frozenset({"decision", "opinion", "notice"})
NORMATIVE_KEYWORD = "规范性文件"


def document_class(type_code: str | None, doc_number: str, keywords: str) -> str:
    """ "rules" (规章), "normative" (行政规范性文件) or "" (see the module's
    docstring)."""
    if type_code in RULE_TYPE_CODES:
        return "rules"
    if NORMATIVE_KEYWORD in (keywords or ""):
        return "normative"
    if type_code in NORMATIVE_TYPE_CODES and (doc_number or "").strip():
        return "normative"
    return ""


def portal_figures(year: int, *, now: datetime.datetime) -> dict[str, int]:
    """Table 二 第（一）项 from the public records, in one query."""
    year_end = datetime.date(year, 12, 31)
    figures = dict.fromkeys(AUTO_CELLS, 0)
    records = (
        PublicRecord.objects.exclude(status=PublicRecord.Status.REMOVED)
        .filter(published_at__lte=now)
        .values_list(
            "document_type__code",
            "doc_number",
            "keywords",
            "formed_on",
            "validity",
            "validity_changed_on",
            "status",
            "status_changed_at",
        )
    )
    for (
        type_code,
        doc_number,
        keywords,
        formed_on,
        validity,
        changed_on,
        status,
        status_changed_at,
    ) in records:
        kind = document_class(type_code, doc_number, keywords)
        if not kind:
            continue
        if formed_on.year == year:
            figures[f"{kind}.issued"] += 1
        ended = validity in (Validity.REPEALED, Validity.EXPIRED) and changed_on
        if ended and changed_on.year == year:
            figures[f"{kind}.repealed"] += 1
        withdrawn_by_year_end = (
            status == PublicRecord.Status.WITHDRAWN
            and status_changed_at is not None
            and periods.local_date(status_changed_at) <= year_end
        )
        valid_at_year_end = not ended or changed_on > year_end
        if formed_on <= year_end and valid_at_year_end and not withdrawn_by_year_end:
            figures[f"{kind}.in_force"] += 1
    return figures


def proactive_summary(year: int, *, now, calendar) -> str:
    """A first paragraph for section 二, from the timeliness figures."""
    period = periods.year_period(year)
    report = timeliness.timeliness(
        period,
        today=min(timezone.localdate(now), period.end),
        now=now,
        calendar=calendar,
        as_of=period.end,
    )
    total = report.total
    return _(
        "%(year)s年，通过政府信息公开专栏主动公开政府信息%(published)s条，"
        "其中有法定公开时限的%(due)s条，按时公开%(on_time)s条，按时公开率%(rate)s；"
        "从成文到公开所用工作日的中位数为%(median)s个工作日。"
    ) % {
        "year": year,
        "published": len(total.published),
        "due": len(total.with_deadline),
        "on_time": len(total.on_time),
        "rate": total.on_time_rate,
        "median": total.median_days,
    }
