"""Reads that the staff workspace pages share.

They own ``select_related`` / ``prefetch_related``, so that no template
triggers a query per row, and the working-day arithmetic for the "due" and
"waiting" columns (through ``catalog.workdays``, with the calendar passed in).
"""

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog import workdays
from catalog.models import CatalogEntry, Department, TopicCategory
from disclosure import permissions
from disclosure.deadlines import complete_deadline_facts, due_date
from disclosure.models import Attachment, AuditEntry, Item, ItemKind, PublicRecord
from disclosure.models.deadline_facts import DEADLINE_FIELDS
from portal.data_lang import mark_data_in

State = Item.State

#: How many working days ahead the dashboard warns of a due date.
DUE_SOON_WORKING_DAYS = 5

#: States in which an item that was never published still owes its
#: publication (DOMAIN.md: Art. 26, within 20 working days).
PENDING_STATES = (State.DRAFT, State.SUBMITTED, State.RETURNED, State.APPROVED)

_LIST_RELATED = (
    "department",
    "catalog_entry",
    "catalog_entry__area",
    "topic",
    "topic__parent",
    "created_by",
    "updated_by",
    "submitted_by",
)


def workspace_items(user):
    """The items the user may see, with what list rows show."""
    return permissions.visible_items(user, Item.objects.select_related(*_LIST_RELATED))


def item_for_page(user, pk) -> Item:
    """One item for its workspace pages; 404 when the user may not see it."""
    queryset = workspace_items(user).select_related(
        "document_type",
        "public_record",
    )
    return get_object_or_404(queryset, pk=pk)


def item_for_action(user, pk) -> Item:
    """The item a transition acts on (the workflow re-reads and locks it)."""
    return get_object_or_404(
        permissions.visible_items(user).select_related("department", "public_record"),
        pk=pk,
    )


def item_attachments(item: Item) -> list[Attachment]:
    """Every attachment of the item, in the working copy or published."""
    return list(item.attachments.select_related("uploaded_by"))


def attachment_for_download(user, pk, token) -> Attachment:
    item = get_object_or_404(permissions.visible_items(user), pk=pk)
    return get_object_or_404(Attachment.objects.filter(item=item), token=token)


def history(item: Item) -> list[AuditEntry]:
    """The item's audit trail, oldest first (newest last)."""
    return list(
        AuditEntry.objects.filter(item=item)
        .select_related("actor", "revision")
        .order_by("at", "pk")
    )


def public_record(item: Item) -> PublicRecord | None:
    return (
        PublicRecord.objects.filter(item=item)
        .select_related(
            "department",
            "catalog_entry",
            "catalog_entry__area",
            "topic",
            "topic__parent",
            "document_type",
        )
        .first()
    )


# --- choices for the editor and the filters --------------------------------------


def catalog_entries_by_area():
    """Active catalog entries, in catalog order, with their area."""
    return CatalogEntry.objects.filter(is_active=True).select_related("area")


def topics_with_parents():
    return TopicCategory.objects.filter(is_active=True).select_related("parent")


def interpretable_items(user, exclude=None, keep=None):
    """The policies a clerk may write an interpretation of: ordinary items
    of their departments, not withdrawn or removed, newest first (and
    ``keep``, the policy an interpretation being edited names already)."""
    items = Item.objects.filter(
        Q(
            department_id__in=permissions.roles(user).clerk_of,
            kind=ItemKind.ORDINARY,
        )
        & ~Q(
            state__in=[
                Item.State.WITHDRAWN,
                Item.State.REMOVED,
                Item.State.DISCARDED,
            ]
        )
        | Q(pk=keep or 0)
    )
    if exclude is not None:
        items = items.exclude(pk=exclude)
    return items.only("pk", "title").order_by("-pk")


def visible_departments(user):
    user_roles = permissions.roles(user)
    departments = Department.objects.filter(is_active=True)
    if user_roles.is_office_staff:
        return departments
    return departments.filter(pk__in=user_roles.clerk_of | user_roles.head_of)


# --- working days -------------------------------------------------------------


@dataclass(frozen=True)
class DueStatus:
    """Where an item stands against its due date, in working days."""

    due_on: datetime.date
    overdue: bool
    working_days: int

    @property
    def label(self) -> str:
        if self.overdue:
            return _("已逾期 %(n)s 个工作日") % {"n": self.working_days}
        if self.working_days == 0:
            return _("今天到期")
        return _("还剩 %(n)s 个工作日") % {"n": self.working_days}


def due_status(
    due_on: datetime.date, today: datetime.date, calendar: workdays.WorkCalendar
) -> DueStatus:
    if today > due_on:
        late = workdays.working_days_between(due_on, today, calendar)
        # Late on a day off after the due date still counts as late.
        return DueStatus(due_on, True, max(late, 1))
    return DueStatus(
        due_on, False, workdays.working_days_between(today, due_on, calendar)
    )


@dataclass(frozen=True)
class Waiting:
    """How long an item has waited in review."""

    since: datetime.datetime
    working_days: int
    hours: int

    @property
    def label(self) -> str:
        if self.hours < 1:
            return _("不到 1 小时")
        return _("%(days)s 个工作日（共 %(hours)s 小时）") % {
            "days": self.working_days,
            "hours": self.hours,
        }


def waiting(
    since: datetime.datetime | None,
    now: datetime.datetime,
    calendar: workdays.WorkCalendar,
) -> Waiting | None:
    if since is None:
        return None
    hours = max(int((now - since).total_seconds() // 3600), 0)
    days = workdays.working_days_between(
        timezone.localtime(since).date(), timezone.localtime(now).date(), calendar
    )
    return Waiting(since, max(days, 0), hours)


# --- dashboard ----------------------------------------------------------------


def my_drafts(user):
    return (
        workspace_items(user)
        .filter(state=State.DRAFT)
        .filter(Q(created_by=user) | Q(updated_by=user))
        .order_by("-updated_at", "-pk")
    )


def returned_items(user):
    """Returned items of the departments the user drafts for."""
    departments = permissions.roles(user).clerk_of
    return (
        workspace_items(user)
        .filter(state=State.RETURNED, department_id__in=departments)
        .order_by("-updated_at", "-pk")
    )


def my_items_in_review(user):
    return (
        workspace_items(user)
        .filter(state=State.SUBMITTED)
        .filter(Q(submitted_by=user) | Q(created_by=user))
        .order_by("submitted_at", "pk")
    )


def _stage_filter(user) -> Q | None:
    user_roles = permissions.roles(user)
    conditions = Q(pk__in=[])
    any_stage = False
    if user_roles.is_reviewer:
        conditions |= Q(review_stage=permissions.STAGE_OFFICE)
        any_stage = True
    if user_roles.head_of:
        conditions |= Q(
            review_stage=permissions.STAGE_HEAD,
            department_id__in=user_roles.head_of,
        )
        any_stage = True
    return conditions if any_stage else None


def review_queue(user):
    """Submitted items whose current stage the user holds, oldest first.
    Items the user authored are included (the page marks them)."""
    condition = _stage_filter(user)
    if condition is None:
        return Item.objects.none()
    return (
        Item.objects.select_related(*_LIST_RELATED)
        .filter(condition, state=State.SUBMITTED)
        .order_by("submitted_at", "pk")
    )


def awaiting_publication(user):
    """Approved items a reviewer may publish."""
    if not permissions.roles(user).is_reviewer:
        return Item.objects.none()
    return (
        Item.objects.select_related(*_LIST_RELATED)
        .filter(state=State.APPROVED)
        .order_by("updated_at", "pk")
    )


def due_items(user, today: datetime.date, calendar: workdays.WorkCalendar):
    """Never-published items due within the next working days, or overdue,
    soonest first."""
    horizon = workdays.add_working_days(today, DUE_SOON_WORKING_DAYS, calendar).due
    return (
        workspace_items(user)
        .filter(
            state__in=PENDING_STATES,
            first_published_at__isnull=True,
            due_on__isnull=False,
            due_on__lte=horizon,
        )
        .order_by("due_on", "pk")
    )


# --- audit log ----------------------------------------------------------------


def audit_entries(start: datetime.date, end: datetime.date):
    """Audit entries from ``start`` to ``end`` inclusive (local dates)."""
    tz = timezone.get_current_timezone()
    begin = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz)
    stop = datetime.datetime.combine(
        end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz
    )
    return (
        AuditEntry.objects.filter(at__gte=begin, at__lt=stop)
        .select_related("actor", "item", "revision")
        .order_by("at", "pk")
    )


@dataclass(frozen=True)
class DuePreview:
    """The due date the editor shows for a catalog entry and 成文日期."""

    due_on: datetime.date | None
    text: str
    #: The catalog entry's time limit quoted in ``text``: data in Chinese.
    limit: str = ""

    @property
    def html(self):
        """``text`` with the quoted time limit marked lang="zh-Hans"."""
        return mark_data_in(self.text, self.limit)

    def as_dict(self) -> dict:
        return {
            "due": self.due_on.isoformat() if self.due_on else None,
            "text": self.text,
        }


def due_preview(
    entry: CatalogEntry | None,
    formed_on: datetime.date | None,
    calendar: workdays.WorkCalendar,
    **facts,
) -> DuePreview:
    """The editor's due-date line; ``facts`` are the item's 报告期 and
    时限起算日期 (``disclosure/models/deadline_facts.py``)."""
    if formed_on is None:
        return DuePreview(None, _("应公开日期：填写成文日期后自动计算。"))
    values, _errors = complete_deadline_facts(
        entry,
        timezone.localdate(),
        **{name: facts.get(name) for name in DEADLINE_FIELDS},
    )
    deadline = due_date(entry, formed_on, calendar, **values)
    if deadline is None:
        return DuePreview(
            None,
            _("应公开日期：无（按目录时限“%(limit)s”，不设截止日期）。")
            % {"limit": entry.time_limit_display},
            entry.time_limit_display,
        )
    limit = (
        entry.time_limit_display
        if entry is not None
        else _("条例第二十六条：信息形成或者变更之日起20个工作日内")
    )
    if deadline.working_days:
        text = _(
            "应公开日期：%(due)s（按目录时限“%(limit)s”，自 %(start)s 起算，"
            "共 %(n)s 个工作日）"
        ) % {
            "due": deadline.due.isoformat(),
            "limit": limit,
            "start": deadline.start.isoformat(),
            "n": deadline.working_days,
        }
    else:
        text = _("应公开日期：%(due)s（按目录时限“%(limit)s”）") % {
            "due": deadline.due.isoformat(),
            "limit": limit,
        }
    if not deadline.calendar_complete:
        text += _("。注意：%(years)s年的节假日安排尚未录入，只扣除了周末。") % {
            "years": "、".join(str(year) for year in deadline.incomplete_years)
        }
    return DuePreview(deadline.due, text, limit if entry is not None else "")
