"""Statistics of what was published in a period: counts per department,
topic, document type, catalog entry or channel, by month, quarter or year."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from catalog.models import CatalogEntry, Department, DocumentType, TopicCategory

from .catalog_gaps import cycles
from .periods import Period, quarter_of
from .timeliness import published_rows

# --- statistics -------------------------------------------------------------------------

DIMENSIONS = {
    "department": gettext_lazy("部门"),
    "topic": gettext_lazy("主题分类（一级）"),
    "entry": gettext_lazy("公开事项"),
    "document_type": gettext_lazy("体裁"),
    "channel": gettext_lazy("公开渠道"),
}
BUCKETS = {
    "month": gettext_lazy("按月"),
    "quarter": gettext_lazy("按季度"),
    "year": gettext_lazy("按年"),
}
NONE_KEY = "none"


def bucket_of(day: datetime.date, bucket: str) -> str:
    if bucket == "month":
        return f"{day.year}-{day.month:02d}"
    if bucket == "quarter":
        return f"{day.year}-Q{quarter_of(day)}"
    return str(day.year)


def bucket_label(key: str, bucket: str) -> str:
    if bucket == "month":
        year, month = key.split("-")
        return _("%(year)s年%(month)s月") % {"year": year, "month": int(month)}
    if bucket == "quarter":
        year, quarter = key.split("-Q")
        return _("%(year)s年第%(quarter)s季度") % {"year": year, "quarter": quarter}
    return _("%(year)s年") % {"year": key}


def buckets_in(period: Period, bucket: str) -> list[tuple[str, Period]]:
    kind = {"month": "monthly", "quarter": "quarterly", "year": "yearly"}[bucket]
    result = []
    for start, end in cycles(kind, period.start, period.end):
        key = bucket_of(start, bucket)
        result.append(
            (key, Period(max(start, period.start), min(end, period.end), bucket))
        )
    return result


@dataclass
class StatisticsRow:
    key: str
    label: str
    counts: list[int]
    total: int


@dataclass
class StatisticsTable:
    period: Period
    dimension: str
    bucket: str
    buckets: list[tuple[str, str, Period]]
    rows: list[StatisticsRow]
    column_totals: list[int]
    total: int
    items: int

    @property
    def dimension_label(self) -> str:
        return DIMENSIONS[self.dimension]

    @property
    def labels_are_data(self) -> bool:
        """Rows named by data entered in Chinese (organs, catalog entries),
        not by a translated list."""
        return self.dimension in {"department", "entry"}


def _dimension_keys(rows, dimension) -> tuple[dict[int, list[str]], dict[str, str]]:
    """For each published row, the keys it counts under, and the label of
    every key (one query)."""
    labels: dict[str, str] = {}
    keys: dict[int, list[str]] = {}
    if dimension == "department":
        ids = {r.department_id for r in rows}
        for pk, name in Department.objects.filter(pk__in=ids).values_list("pk", "name"):
            labels[str(pk)] = name
        keys = {r.item_id: [str(r.department_id)] for r in rows}
    elif dimension == "topic":
        ids = {r.top_topic_id for r in rows}
        for pk, name in TopicCategory.objects.filter(pk__in=ids).values_list(
            "pk", "name"
        ):
            labels[str(pk)] = _(name)  # the standard list, translated
        keys = {r.item_id: [str(r.top_topic_id)] for r in rows}
    elif dimension == "entry":
        ids = {r.catalog_entry_id for r in rows} - {None}
        for entry in CatalogEntry.objects.filter(pk__in=ids).select_related("area"):
            labels[str(entry.pk)] = f"{entry.area.name} · {entry}"
        labels[NONE_KEY] = _("未关联公开事项")
        keys = {r.item_id: [str(r.catalog_entry_id or NONE_KEY)] for r in rows}
    elif dimension == "document_type":
        ids = {r.document_type_id for r in rows} - {None}
        for pk, name in DocumentType.objects.filter(pk__in=ids).values_list(
            "pk", "name"
        ):
            labels[str(pk)] = pgettext("体裁", name)
        labels[NONE_KEY] = _("未标注体裁")
        keys = {r.item_id: [str(r.document_type_id or NONE_KEY)] for r in rows}
    elif dimension == "channel":
        ids = {r.catalog_entry_id for r in rows} - {None}
        channels: dict[int, list[str]] = defaultdict(list)
        for entry_id, channel_id, name in CatalogEntry.channels.through.objects.filter(
            catalogentry_id__in=ids
        ).values_list("catalogentry_id", "channel_id", "channel__name"):
            channels[entry_id].append(str(channel_id))
            labels[str(channel_id)] = _(name)
        labels[NONE_KEY] = _("未关联公开事项")
        keys = {r.item_id: channels.get(r.catalog_entry_id) or [NONE_KEY] for r in rows}
    else:
        raise ValueError(f"unknown dimension {dimension!r}")
    return keys, labels


def statistics_table(
    period: Period, dimension: str, bucket: str, *, now: datetime.datetime
) -> StatisticsTable:
    """Counts of items published in the period, by one dimension and per
    month, quarter or year. By channel, an item counts once under each
    channel of its catalog entry."""
    if bucket not in BUCKETS:
        raise ValueError(f"unknown bucket {bucket!r}")
    rows = published_rows(period, now=now)
    keys, labels = _dimension_keys(rows, dimension)
    buckets = [
        (key, bucket_label(key, bucket), sub) for key, sub in buckets_in(period, bucket)
    ]
    position = {key: index for index, (key, _label, _sub) in enumerate(buckets)}
    counts: dict[str, list[int]] = defaultdict(lambda: [0] * len(buckets))
    for row in rows:
        column = position[bucket_of(row.published_on, bucket)]
        for key in keys[row.item_id]:
            counts[key][column] += 1
    table_rows = [
        StatisticsRow(key, labels.get(key, key), values, sum(values))
        for key, values in counts.items()
    ]
    table_rows.sort(key=lambda r: (-r.total, r.key == NONE_KEY, r.label))
    column_totals = [sum(r.counts[i] for r in table_rows) for i in range(len(buckets))]
    return StatisticsTable(
        period,
        dimension,
        bucket,
        buckets,
        table_rows,
        column_totals,
        sum(column_totals),
        len(rows),
    )
