"""What a subscription is to: the filters of ``/items/`` and its feeds that
make sense for what is published from now on (a department with its offices,
a topic with its children, a catalog entry, a document type, a search), in
the same query-string form, applied the same way (the public listing's
``RecordFilter`` and ``results.matching``; ``tests/disclosure/participation``
checks that both find the same records). Dates, years and validity are left
out: they describe what was published, not what will be."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import CatalogEntry, Department, DocumentType, TopicCategory
from disclosure import search
from disclosure.models import PublicRecord
from disclosure.reference import reference

#: The parameters a subscription keeps, in this order.
PARAMS = ("q", "department", "topic", "entry", "type")
#: Parameters of a listing that a subscription leaves out.
LEFT_OUT = ("validity", "year", "date_from", "date_to", "page")


@dataclass
class SubscriptionQuery:
    """A checked query: its canonical query string and how to describe it."""

    query_string: str = ""
    labels: list[tuple[str, str]] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)
    department_id: int | None = None
    topic_id: int | None = None
    entry_id: int | None = None
    type_id: int | None = None
    search_text: str = ""

    @property
    def label(self) -> str:
        if not self.labels:
            return _("全部公开信息")
        return "，".join(f"{name}：{value}" for name, value in self.labels)[:300]


def parse_query(data) -> SubscriptionQuery:
    """Read ``data`` (a QueryDict or a dict of strings); values that name
    nothing are left out and reported, never an error."""

    def get(key):
        # PostgreSQL refuses a NUL byte in a query; a value holding one names
        # nothing, so it becomes a character that matches nothing either.
        return (data.get(key) or "").replace("\x00", "\ufffd")

    result = SubscriptionQuery()
    canonical = QueryDict(mutable=True)
    text = search.clean_query(get("q") or "")
    if text and search.parse(text):
        result.search_text = text
        canonical["q"] = text
        result.labels.append((_("关键词"), text))
    code = (get("department") or "").strip()
    if code:
        department = Department.objects.filter(code=code).first()
        if department is None:
            result.left_out.append(_("发布机构"))
        else:
            result.department_id = department.pk
            canonical["department"] = department.code
            result.labels.append((_("发布机构"), department.name))
    code = (get("topic") or "").strip()
    if code:
        topic = TopicCategory.objects.select_related("parent").filter(code=code).first()
        if topic is None:
            result.left_out.append(_("主题分类"))
        else:
            result.topic_id = topic.pk
            canonical["topic"] = topic.code
            result.labels.append((_("主题分类"), str(topic)))
    key = (get("entry") or "").strip()
    if key:
        # At most 18 digits: a longer number would overflow the query.
        valid = key.isdigit() and len(key) <= 18
        entry = CatalogEntry.objects.filter(pk=key).first() if valid else None
        if entry is None:
            result.left_out.append(_("公开事项"))
        else:
            result.entry_id = entry.pk
            canonical["entry"] = str(entry.pk)
            result.labels.append((_("公开事项"), str(entry)))
    code = (get("type") or "").strip()
    if code:
        document_type = DocumentType.objects.filter(code=code).first()
        if document_type is None:
            result.left_out.append(_("体裁"))
        else:
            result.type_id = document_type.pk
            canonical["type"] = document_type.code
            result.labels.append((_("体裁"), document_type.name))
    names = {
        "validity": _("有效性"),
        "year": _("发布年份"),
        "date_from": _("发布日期自"),
        "date_to": _("发布日期至"),
    }
    result.left_out += [names[name] for name in names if (get(name) or "").strip()]
    result.query_string = canonical.urlencode()
    return result


def matching_records(
    query: SubscriptionQuery,
    *,
    since: datetime.datetime,
    now: datetime.datetime | None = None,
) -> QuerySet:
    """The records public now (live, their time come) published after
    ``since`` that the query finds, newest first."""
    now = now or timezone.now()
    records = PublicRecord.objects.filter(
        status=PublicRecord.Status.LIVE, published_at__lte=now, published_at__gt=since
    )
    ref = reference()
    if query.department_id:
        records = records.filter(
            department_id__in=ref.department_ids(query.department_id)
        )
    if query.topic_id:
        records = records.filter(topic_id__in=ref.topic_ids(query.topic_id))
    if query.entry_id:
        records = records.filter(catalog_entry_id=query.entry_id)
    if query.type_id:
        records = records.filter(document_type_id=query.type_id)
    if query.search_text:
        parsed = search.parse(query.search_text)
        records = records.filter(search.TokensMatch("search_tokens", parsed))
    return records.order_by("-published_at", "-item_id")
