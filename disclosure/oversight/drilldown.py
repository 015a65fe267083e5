"""Drill-down from a figure to the items behind it: the link of each figure
(metric, period, filters) and the items that link lists."""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalog import workdays
from catalog.models import (
    CatalogEntry,
    Channel,
    Department,
    DocumentType,
    TopicCategory,
)
from disclosure.models import Item

from . import completeness
from .periods import Period
from .statistics import NONE_KEY
from .timeliness import (
    PublishedRow,
    due_soon,
    open_rows,
    overdue,
    published_rows,
    withdrawals,
)

# --- drill-down ------------------------------------------------------------------------------

METRICS = {
    "published": gettext_lazy("发布的信息"),
    "with_deadline": gettext_lazy("有公开时限的信息"),
    "on_time": gettext_lazy("按时发布的信息"),
    "late": gettext_lazy("逾期发布的信息"),
    "overdue": gettext_lazy("逾期未发布的信息"),
    "due_soon": gettext_lazy("五个工作日内到期的信息"),
    "withdrawn": gettext_lazy("撤销或删除的信息"),
    "elements_scope": gettext_lazy("有必备公开要素的信息"),
    "elements_complete": gettext_lazy("公开要素齐全的信息"),
    "elements_incomplete": gettext_lazy("缺少必备公开要素的信息"),
}


def drilldown_url(metric: str, period: Period | None = None, **filters) -> str:
    """The URL of the list of items behind a number."""
    params = {"metric": metric}
    if period is not None:
        params.update(period.params)
    params.update({k: v for k, v in filters.items() if v not in (None, "")})
    return reverse("oversight:items") + "?" + urlencode(params)


def matches(row: PublishedRow, filters: dict, entry_channels: dict) -> bool:
    def same(value, wanted):
        return (str(value) if value is not None else NONE_KEY) == wanted

    checks = {
        "department": lambda v: same(row.department_id, v),
        "topic": lambda v: same(row.top_topic_id, v),
        "entry": lambda v: same(row.catalog_entry_id, v),
        "document_type": lambda v: same(row.document_type_id, v),
        "channel": lambda v: (
            v in entry_channels.get(row.catalog_entry_id, [])
            if v != NONE_KEY
            else not entry_channels.get(row.catalog_entry_id)
        ),
    }
    return all(checks[name](value) for name, value in filters.items())


def drilldown_ids(
    metric: str,
    period: Period,
    filters: dict,
    *,
    today: datetime.date,
    now: datetime.datetime,
    calendar: workdays.WorkCalendar,
    as_of: datetime.date | None = None,
) -> list[int]:
    """The ids of the items behind a number, by the same definitions as the
    numbers themselves."""
    filters = {k: v for k, v in filters.items() if v}
    if metric in ("overdue", "due_soon"):
        as_of = as_of or today
        pending = open_rows(as_of)
        chosen = (
            overdue(pending, as_of)
            if metric == "overdue"
            else due_soon(pending, as_of, calendar)
        )
        department = filters.get("department")
        return [
            row.item_id
            for row in chosen
            if department is None or str(row.department_id) == department
        ]
    if metric == "withdrawn":
        department = filters.get("department")
        ids = []
        for entry in withdrawals(period):
            if entry.item_id not in ids:
                ids.append(entry.item_id)
        if department:
            allowed = set(
                Item.objects.filter(pk__in=ids, department_id=department).values_list(
                    "pk", flat=True
                )
            )
            ids = [pk for pk in ids if pk in allowed]
        return ids
    rows = published_rows(period, now=now)
    entry_channels: dict[int, list[str]] = defaultdict(list)
    if "channel" in filters:
        for entry_id, channel_id in CatalogEntry.channels.through.objects.values_list(
            "catalogentry_id", "channel_id"
        ):
            entry_channels[entry_id].append(str(channel_id))
    if metric in completeness.METRICS:
        chosen = [row for row in rows if matches(row, filters, entry_channels)]
        return completeness.element_ids(metric, chosen)
    test = {
        "published": lambda r: True,
        "with_deadline": lambda r: r.has_deadline,
        "on_time": lambda r: r.on_time,
        "late": lambda r: r.late,
    }[metric]
    return [
        row.item_id
        for row in rows
        if test(row) and matches(row, filters, entry_channels)
    ]


def drilldown_filter_labels(filters: dict) -> list[tuple[str, str]]:
    """Human labels of the filters of a drill-down, for its heading."""
    labels = []
    models_by_filter = {
        "department": (Department, _("部门")),
        "topic": (TopicCategory, _("主题分类")),
        "entry": (CatalogEntry, _("公开事项")),
        "document_type": (DocumentType, _("体裁")),
        "channel": (Channel, _("公开渠道")),
    }
    for name, (model, caption) in models_by_filter.items():
        value = filters.get(name)
        if not value:
            continue
        if value == NONE_KEY:
            labels.append((str(caption), _("未关联")))
            continue
        instance = model.objects.filter(pk=value).first() if value.isdigit() else None
        labels.append((str(caption), str(instance) if instance else value))
    return labels


def items_for(ids: list[int]):
    """The items of a drill-down, in the order given, with what the list
    shows (one query)."""
    items = Item.objects.filter(pk__in=ids).select_related(
        "department", "catalog_entry", "public_record"
    )
    order = {pk: index for index, pk in enumerate(ids)}
    return sorted(items, key=lambda item: order[item.pk])


def channel_counts(rows: list[PublishedRow]) -> Counter:
    """How many of the rows each channel carried (through their entries)."""
    ids = {r.catalog_entry_id for r in rows} - {None}
    channels: dict[int, list[int]] = defaultdict(list)
    for entry_id, channel_id in CatalogEntry.channels.through.objects.filter(
        catalogentry_id__in=ids
    ).values_list("catalogentry_id", "channel_id"):
        channels[entry_id].append(channel_id)
    counts: Counter = Counter()
    for row in rows:
        for channel_id in channels.get(row.catalog_entry_id, []):
            counts[channel_id] += 1
    return counts
