"""What generated items are spread over (publishers, topics, catalog
entries) and when (working days over ``--years`` years up to now)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.db import DEFAULT_DB_ALIAS
from django.utils import timezone

from catalog import demo as catalog_demo
from catalog.models import (
    CatalogEntry,
    Department,
    DocumentType,
    Membership,
    TopicCategory,
)
from disclosure.management.bulk_items.vocabulary import DEFAULT_DOMAIN, DOMAINS

# --- what the items are spread over -------------------------------------------------


@dataclass
class Publisher:
    department_id: int
    code: str
    name: str
    publisher_code: str
    topic_id: int
    subjects: list[str]
    abbreviation: str
    clerk_ids: list[int]
    entry_ids: list[int] = field(default_factory=list)


@dataclass
class Directory:
    publishers: list[Publisher]
    by_department: dict[int, Publisher]
    entries: list[tuple[int, int]]  # (entry id, responsible department id)
    entry_days: dict[int, int | None]  # entry id → working-day time limit
    document_types: dict[str, int]
    uploader_id: int


def ensure_catalog(using: str) -> None:
    """The demo catalog and accounts, when the database has no departments."""
    users = get_user_model().objects.using(using)
    if Department.objects.using(using).exists() and users.exists():
        return
    if using != DEFAULT_DB_ALIAS:
        raise CommandError(f"database {using!r} has no catalog: seed it first")
    departments = catalog_demo.seed_catalog()
    catalog_demo.seed_accounts(departments, password=None)


def load_directory(using: str) -> Directory:
    departments = list(Department.objects.using(using).filter(is_active=True))
    if not departments:
        raise CommandError("no active departments: seed the catalog first")
    topics = dict(TopicCategory.objects.using(using).values_list("code", "pk"))
    if not topics:
        raise CommandError("no topic categories: run the migrations first")
    users = get_user_model().objects.using(using)
    any_user = users.order_by("pk").values_list("pk", flat=True).first()
    if any_user is None:
        raise CommandError("no users: create one first")
    clerks: dict[int, list[int]] = {}
    for department_id, user_id in Membership.objects.using(using).values_list(
        "department_id", "user_id"
    ):
        clerks.setdefault(department_id, []).append(user_id)
    by_pk = {d.pk: d for d in departments}
    publishers = []
    for department in departments:
        # An office (内设机构) writes about its department's subjects.
        domain_code = department.code
        if department.kind == Department.Kind.OFFICE and department.parent_id:
            domain_code = by_pk.get(department.parent_id, department).code
        topic_code, subjects = DOMAINS.get(domain_code, DEFAULT_DOMAIN)
        topic_id = topics.get(topic_code) or next(iter(topics.values()))
        short = (department.short_name or department.name).removeprefix("区")
        publishers.append(
            Publisher(
                department_id=department.pk,
                code=department.code,
                name=department.name,
                publisher_code=department.effective_publisher_code,
                topic_id=topic_id,
                subjects=subjects,
                abbreviation="示" + short[:2],
                clerk_ids=clerks.get(department.pk)
                or clerks.get(department.parent_id)
                or [any_user],
            )
        )
    by_department = {p.department_id: p for p in publishers}
    entries = []
    entry_days = {}
    for entry in CatalogEntry.objects.using(using).filter(is_active=True):
        if entry.responsible_department_id in by_department:
            entries.append((entry.pk, entry.responsible_department_id))
            by_department[entry.responsible_department_id].entry_ids.append(entry.pk)
            entry_days[entry.pk] = (
                entry.time_limit_days
                if entry.time_limit_kind == CatalogEntry.TimeLimitKind.WORKING_DAYS
                else None
            )
    document_types = dict(DocumentType.objects.using(using).values_list("code", "pk"))
    return Directory(
        publishers=publishers,
        by_department=by_department,
        entries=entries,
        entry_days=entry_days,
        document_types=document_types,
        uploader_id=any_user,
    )


# --- dates ---------------------------------------------------------------------------


def add_weekdays(day: datetime.date, days: int) -> datetime.date:
    """``day`` plus ``days`` Monday-to-Friday days (holidays ignored: the
    generated due dates are approximate)."""
    weeks, rest = divmod(days, 5)
    day += datetime.timedelta(weeks=weeks)
    while rest:
        day += datetime.timedelta(days=1)
        if day.weekday() < 5:
            rest -= 1
    return day


def weekdays_between(start: datetime.date, end: datetime.date) -> int:
    """Monday-to-Friday days after ``start`` up to ``end`` (0 if not later)."""
    if end <= start:
        return 0
    total = (end - start).days
    weeks, rest = divmod(total, 7)
    count = weeks * 5
    day = start + datetime.timedelta(weeks=weeks)
    for _ in range(rest):
        day += datetime.timedelta(days=1)
        count += day.weekday() < 5
    return count


class Timeline:
    """Publication times for N items over the last ``years`` years, oldest
    first: working days, office hours, strictly increasing."""

    def __init__(self, count: int, years: int, now: datetime.datetime):
        local_now = timezone.localtime(now)
        end = local_now.date() - datetime.timedelta(days=1)
        start = end - datetime.timedelta(days=round(365.25 * years))
        self.days = [
            start + datetime.timedelta(days=offset)
            for offset in range((end - start).days + 1)
            if (start + datetime.timedelta(days=offset)).weekday() < 5
        ]
        self.count = max(count, 1)
        self.zone = timezone.get_current_timezone()
        self.today = local_now.date()

    def at(self, index: int, jitter: float) -> datetime.datetime:
        position = (index + jitter) * len(self.days) / self.count
        day = self.days[min(int(position), len(self.days) - 1)]
        minutes = int((position % 1) * 9 * 60)  # 08:30 to 17:30
        moment = datetime.datetime.combine(
            day, datetime.time(8, 30), tzinfo=self.zone
        ) + datetime.timedelta(minutes=minutes, seconds=int(jitter * 59))
        return moment.astimezone(datetime.UTC)
