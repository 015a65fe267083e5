"""When the demo's periodic reports and budgets are formed and published, as
the law has them (issue 12 §5): one report per period it reports on, formed
after that period ended; one budget and one set of final accounts a year
for the government and for each department, published within 20 days
(calendar) of the approval (预算法 §14). Pure: entries and dates in, plans
out."""

import datetime
from dataclasses import dataclass, field

from catalog import workdays
from catalog.models import CatalogEntry

from .deadlines import periods_in_year, reporting_period_end

QUARTERS = ["一", "二", "三", "四"]
HALVES = ["上", "下"]


@dataclass(frozen=True)
class Plan:
    published_on: datetime.date
    formed_on: datetime.date
    entry: CatalogEntry
    title: str = ""
    facts: dict = field(default_factory=dict)


def _working_day_on_or_before(day, calendar):
    while not workdays.is_working_day(day, calendar):
        day -= datetime.timedelta(days=1)
    return day


def _working_day_on_or_after(day, calendar):
    while not workdays.is_working_day(day, calendar):
        day += datetime.timedelta(days=1)
    return day


def period_words(entry: CatalogEntry, year: int, number: int | None) -> dict:
    """The words a title uses for a report period."""
    words = {"year": year, "quarter": "", "month": "", "half": ""}
    if entry.period == CatalogEntry.Period.QUARTERLY:
        words["quarter"] = QUARTERS[number - 1]
    elif entry.period == CatalogEntry.Period.MONTHLY:
        words["month"] = number
    elif entry.period == CatalogEntry.Period.HALF_YEARLY:
        words["half"] = HALVES[number - 1]
    return words


def periodic_plans(entry, start, today, calendar, rng, *, skip=()) -> list[Plan]:
    """One report for each period of ``entry`` that ended between ``start``
    and ``today``: formed in the first working days after the period's end,
    published mostly within the limit, some late, none before it is formed.
    Periods in ``skip`` ((year, number)) are left for the demo's open items."""
    plans = []
    count = periods_in_year(entry.period)
    for year in range(start.year, today.year + 1):
        for number in range(1, count + 1):
            end = reporting_period_end(entry.period, year, number)
            if end < start or end >= today or (year, number) in skip:
                continue
            formed_on = workdays.add_working_days(end, rng.randint(1, 3), calendar).due
            limit = entry.time_limit_days
            roll = rng.random()
            late_by = 0 if roll < 0.85 else rng.randint(1, 8)
            days = rng.randint(4, limit) if not late_by else limit + late_by
            published_on = workdays.add_working_days(end, days, calendar).due
            published_on = max(published_on, formed_on)
            if published_on >= today:
                continue
            number_or_none = None if count == 1 else number
            plans.append(
                Plan(
                    published_on,
                    formed_on,
                    entry,
                    facts={"report_year": year, "report_period": number_or_none},
                )
            )
    return plans


# (二级事项, the approval's month and day, the title; {year} is the budget year)
GOVERNMENT_BUDGETS = {
    "政府预算": ((1, 20), 0, "示例区{year}年一般公共预算和政府性基金预算"),
    "政府决算": ((8, 28), -1, "示例区{year}年政府决算公开"),
}
DEPARTMENT_BUDGETS = {
    "部门预算": ((2, 10), 0, "{department}{year}年部门预算公开"),
    "部门决算": ((9, 10), -1, "{department}{year}年部门决算公开"),
}


def budget_plans(entries, start, today, calendar, rng) -> list[Plan]:
    """One budget and one final account a year per organ, published within
    20 days (calendar) of the approval, counted from the approval."""
    plans = []
    for entry in entries:
        if entry.level1 == "政府预决算":
            rule = GOVERNMENT_BUDGETS.get(entry.level2)
        elif entry.level1 == "部门预决算":
            rule = DEPARTMENT_BUDGETS.get(entry.level2.split("（")[0])
        else:
            rule = None
        if rule is None:
            continue
        (month, day), offset, pattern = rule
        for year in range(start.year, today.year + 1):
            approved = _working_day_on_or_after(
                datetime.date(year, month, day), calendar
            )
            limit = approved + datetime.timedelta(days=entry.time_limit_days)
            published_on = _working_day_on_or_before(
                approved + datetime.timedelta(days=rng.randint(3, 18)), calendar
            )
            if approved < start or published_on >= today or published_on > limit:
                continue
            title = pattern.format(
                year=year + offset, department=entry.responsible_department.name
            )
            plans.append(
                Plan(published_on, approved, entry, title, {"event_on": approved})
            )
    return plans
