"""The periods oversight measures over (a year, a quarter, a month or any
range of days) and how figures over them are shown."""

from __future__ import annotations

import datetime
import statistics
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import CatalogEntry
from disclosure.deadlines import period_end

# --- periods ----------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """A closed range of dates ``start``..``end`` with its name."""

    start: datetime.date
    end: datetime.date
    kind: str = "custom"
    label: str = ""

    def __post_init__(self):
        if self.end < self.start:
            raise ValueError("period ends before it starts")
        if not self.label:
            object.__setattr__(
                self,
                "label",
                _("%(start)s至%(end)s")
                % {"start": date_zh(self.start), "end": date_zh(self.end)},
            )

    @property
    def params(self) -> dict:
        return {"start": self.start.isoformat(), "end": self.end.isoformat()}

    def contains(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end

    def bounds(self) -> tuple[datetime.datetime, datetime.datetime]:
        """Aware datetimes: the start of the first day and of the day after
        the last, in the portal's time zone."""
        start = timezone.make_aware(datetime.datetime.combine(self.start, _MIDNIGHT))
        end = timezone.make_aware(
            datetime.datetime.combine(self.end + ONE_DAY, _MIDNIGHT)
        )
        return start, end


_MIDNIGHT = datetime.time(0, 0)
ONE_DAY = datetime.timedelta(days=1)


def date_zh(day: datetime.date) -> str:
    return _("%(y)s年%(m)s月%(d)s日") % {"y": day.year, "m": day.month, "d": day.day}


def year_period(year: int) -> Period:
    return Period(
        datetime.date(year, 1, 1),
        datetime.date(year, 12, 31),
        "year",
        _("%(year)s年") % {"year": year},
    )


def quarter_period(year: int, quarter: int) -> Period:
    if not 1 <= quarter <= 4:
        raise ValueError("quarter is 1 to 4")
    start = datetime.date(year, 3 * quarter - 2, 1)
    return Period(
        start,
        period_end(start, CatalogEntry.Period.QUARTERLY),
        "quarter",
        _("%(year)s年第%(quarter)s季度") % {"year": year, "quarter": quarter},
    )


def month_period(year: int, month: int) -> Period:
    start = datetime.date(year, month, 1)
    return Period(
        start,
        period_end(start, CatalogEntry.Period.MONTHLY),
        "month",
        _("%(year)s年%(month)s月") % {"year": year, "month": month},
    )


def quarter_of(day: datetime.date) -> int:
    return (day.month - 1) // 3 + 1


def local_date(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date()


def percent(part: int, whole: int) -> str:
    """A rate as shown everywhere: one decimal and a per cent sign; a dash
    when there is nothing to divide by."""
    if not whole:
        return "—"
    return f"{100 * part / whole:.1f}%"


def median_display(values: list[int]) -> str:
    if not values:
        return "—"
    value = statistics.median(values)
    return f"{value:g}"
