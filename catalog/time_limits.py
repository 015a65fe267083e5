"""The wording of a catalog entry's time limit (公开时限), and the checks of
its fixed date. Pure functions: no ORM.

Kinds (DOMAIN.md, "Time limits"): N working days from an event (Art. 26:
20 from formation or change), N calendar days from an event (预算法 §14:
20 days from approval), a fixed date in the year (每年3月31日前), periodic
(N working days after the end of the period reported on), real time,
standing."""

import calendar

from django.utils.translation import gettext_lazy as _

_EVENT_WORDS = {
    "formed": "信息形成或者变更之日起",
    "changed": "信息变更之日起",
    "approved": "批准或者批复之日起",
}
_PERIOD_WORDS = {
    "monthly": "每月",
    "quarterly": "每季度",
    "half_yearly": "每半年",
    "yearly": "每年",
}


def fixed_date_errors(month: int | None, day: int | None) -> dict:
    """Errors of a fixed date in the year (a 29 February counts as the end of
    February)."""
    if not month or not day:
        return {"fixed_day": _("每年固定日期类时限须填写月和日。")}
    if not 1 <= month <= 12 or not 1 <= day <= calendar.monthrange(2024, month)[1]:
        return {"fixed_day": _("固定日期不存在，请检查月和日。")}
    return {}


def describe_time_limit(
    kind: str,
    days: int | None,
    period: str,
    *,
    counted_from: str = "formed",
    fixed_month: int | None = None,
    fixed_day: int | None = None,
) -> str:
    """Canonical public wording of a structured time limit (round-trips through
    :func:`catalog.catalog_io.parse_time_limit`)."""
    event = _EVENT_WORDS.get(counted_from, _EVENT_WORDS["formed"])
    if kind == "working_days":
        return f"{event}{days}个工作日内"
    if kind == "calendar_days":
        return f"{event}{days}日内"
    if kind == "fixed_date":
        return f"每年{fixed_month}月{fixed_day}日前"
    if kind == "realtime":
        return "实时公开"
    if kind == "standing":
        return "长期公开"
    return f"{_PERIOD_WORDS.get(period, '')}结束后{days}个工作日内"
