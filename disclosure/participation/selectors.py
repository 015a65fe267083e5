"""Reads for the participation pages. They own their ``select_related`` and
counts, so that no template makes a query per row."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from catalog.models import CatalogEntry, Department
from disclosure.models import (
    Complaint,
    Consultation,
    ConsultationAttachment,
    ConsultationComment,
    Item,
    PublicRecord,
)
from disclosure.permissions import roles

State = Consultation.State
CommentState = ConsultationComment.State

#: The public list's tabs.
PHASES = ("open", "upcoming", "closed", "feedback")


def _with_counts(queryset: QuerySet) -> QuerySet:
    return queryset.select_related("department").annotate(
        shown_comments=Count(
            "comments", filter=Q(comments__state=CommentState.PUBLISHED)
        ),
        received_comments=Count(
            "comments",
            filter=Q(comments__state__in=[CommentState.PUBLISHED, CommentState.HIDDEN]),
        ),
    )


def public_consultations(phase: str, today: datetime.date | None = None) -> QuerySet:
    """Published consultations in one phase: open (now), upcoming, closed
    awaiting feedback, or with feedback published."""
    today = today or timezone.localdate()
    published = Consultation.objects.filter(state=State.PUBLISHED)
    if phase == "open":
        found = published.filter(opens_on__lte=today, closes_on__gte=today).order_by(
            "closes_on", "pk"
        )
    elif phase == "upcoming":
        found = published.filter(opens_on__gt=today).order_by("opens_on", "pk")
    elif phase == "closed":
        found = published.filter(closes_on__lt=today).exclude(
            feedback_state=Consultation.FeedbackState.PUBLISHED
        )
        found = found.order_by("-closes_on", "-pk")
    elif phase == "feedback":
        found = published.filter(
            feedback_state=Consultation.FeedbackState.PUBLISHED
        ).order_by("-feedback_published_at", "-pk")
    else:
        raise ValueError(f"unknown phase {phase!r}")
    return _with_counts(found).defer("draft_text", "explanation")


def phase_counts(today: datetime.date | None = None) -> dict[str, int]:
    return {phase: public_consultations(phase, today).count() for phase in PHASES}


def public_consultation(pk: int) -> Consultation | None:
    """A published consultation with its files and counts, or None."""
    consultation = (
        _with_counts(Consultation.objects.filter(pk=pk, state=State.PUBLISHED))
        .select_related("adopted_policy")
        .first()
    )
    if consultation is None:
        return None
    consultation.files = list(consultation.attachments.all())
    consultation.adopted_record = (
        PublicRecord.objects.filter(
            pk=consultation.adopted_policy_id,
            status=PublicRecord.Status.LIVE,
            published_at__lte=timezone.now(),
        )
        .only("item_id", "title", "index_number")
        .first()
        if consultation.adopted_policy_id
        else None
    )
    return consultation


def shown_comments(consultation: Consultation) -> QuerySet:
    return ConsultationComment.objects.filter(
        consultation=consultation, state=CommentState.PUBLISHED
    ).only("name", "body", "submitted_at", "reply")


def received_count(consultation: Consultation) -> int:
    """The comments counted in the feedback: those kept after moderation
    (shown or not), and those received by other means."""
    return consultation.received_comments + consultation.offline_comment_count


def public_file(pk: int, token: str):
    return (
        ConsultationAttachment.objects.filter(
            consultation_id=pk,
            token=token,
            consultation__state=State.PUBLISHED,
        )
        .select_related("consultation")
        .first()
    )


# --- staff ---------------------------------------------------------------------------------


def staff_consultations(user) -> QuerySet:
    found = Consultation.objects.all()
    user_roles = roles(user)
    if not user_roles.is_office_staff:
        found = found.filter(department_id__in=user_roles.clerk_of)
    return (
        _with_counts(found)
        .annotate(
            pending_comments=Count(
                "comments", filter=Q(comments__state=CommentState.PENDING)
            )
        )
        .defer("draft_text", "explanation")
        .order_by("-updated_at", "-pk")
    )


def draftable_departments(user) -> QuerySet:
    user_roles = roles(user)
    departments = Department.objects.filter(is_active=True)
    if user_roles.is_office_staff:
        return departments
    return departments.filter(pk__in=user_roles.clerk_of)


def pending_comments() -> QuerySet:
    return (
        ConsultationComment.objects.filter(state=CommentState.PENDING)
        .select_related("consultation")
        .order_by("submitted_at", "pk")
    )


def staff_complaints(state: str = "") -> QuerySet:
    found = Complaint.objects.select_related("department", "handled_by")
    if state:
        found = found.filter(state=state)
    return found.defer("description", "outcome_text")


# --- a department's column ------------------------------------------------------------------


def department_column(department: Department, *, now: datetime.datetime) -> dict:
    """What a department's own column shows: its catalog entries, its latest
    records, its open consultations and this year's figures (items first
    published this year; on time: published by their due date)."""
    ids = [department.pk] + list(
        Department.objects.filter(
            parent=department, kind=Department.Kind.OFFICE
        ).values_list("pk", flat=True)
    )
    live = PublicRecord.objects.filter(
        status=PublicRecord.Status.LIVE, published_at__lte=now, department_id__in=ids
    )
    year = timezone.localtime(now).year
    start = datetime.datetime(year, 1, 1, tzinfo=timezone.get_current_timezone())
    first_published = Item.objects.filter(
        department_id__in=ids,
        first_published_at__gte=start,
        first_published_at__lte=now,
    ).exclude(public_record__status=PublicRecord.Status.REMOVED)
    figures = first_published.aggregate(
        published=Count("pk"),
        with_deadline=Count("pk", filter=Q(due_on__isnull=False)),
        on_time=Count("pk", filter=Q(due_on__isnull=False, late_working_days=0)),
    )
    rate = (
        f"{100 * figures['on_time'] / figures['with_deadline']:.1f}%"
        if figures["with_deadline"]
        else ""
    )
    return {
        "entries": list(
            CatalogEntry.objects.filter(
                responsible_department=department, is_active=True
            )
            .select_related("area")
            .order_by("area__order", "order", "pk")
        ),
        "latest": list(
            live.defer("body", "title_tokens", "search_tokens", "status_reason")
            .select_related("department")
            .order_by("-published_at", "-item_id")[:10]
        ),
        "live_total": live.count(),
        "year": year,
        "figures": figures,
        "on_time_rate": rate,
        "consultations": list(
            public_consultations("open").filter(department=department)[:5]
        ),
    }
