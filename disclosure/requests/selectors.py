"""Reads of the request pages: they own their select_related and
prefetch_related, so no list runs a query per row."""

from __future__ import annotations

import datetime

from django.db.models import Prefetch, Q

from catalog.models import Department
from catalog.workdays import WorkCalendar
from disclosure import request_permissions as perms
from disclosure.models import (
    AppealCase,
    InformationRequest,
    RequestEvent,
    RequestLetter,
    RequestPause,
)
from disclosure.request_queries import clock_of, due_rows, with_pauses

from .forms import organs


def organs_for_guide():
    return organs()


def applicant_letters(request: InformationRequest):
    return RequestLetter.objects.filter(request=request).select_related("request")


def register(user):
    """The requests a user may see, for the register list."""
    return perms.visible_requests(user, with_pauses(InformationRequest.objects.all()))


def with_clocks(requests, today: datetime.date, calendar: WorkCalendar) -> list:
    rows = list(requests)
    for request in rows:
        request.clock = clock_of(request, today, calendar)
    return rows


def due_for(user, today: datetime.date, calendar: WorkCalendar):
    return due_rows(perms.visible_requests(user), today, calendar)


def unconfirmed(user):
    return (
        perms.visible_requests(user)
        .filter(state=InformationRequest.State.SUBMITTED)
        .select_related("organ")
        .order_by("submitted_at", "pk")
    )


def in_review(user):
    return (
        perms.visible_requests(user)
        .filter(state=InformationRequest.State.REVIEW)
        .select_related("organ", "reply_drafted_by")
        .order_by("pk")
    )


def request_detail(pk: int):
    return (
        InformationRequest.objects.select_related(
            "organ",
            "organ__parent",
            "assigned_department",
            "registered_by",
            "reply_drafted_by",
            "reply_reviewed_by",
            "extension_approved_by",
            "proactive_item",
        )
        .prefetch_related(
            Prefetch("pauses", queryset=RequestPause.objects.order_by("started_on")),
            Prefetch(
                "events",
                queryset=RequestEvent.objects.select_related("actor").order_by(
                    "at", "pk"
                ),
            ),
            Prefetch(
                "letters",
                queryset=RequestLetter.objects.select_related("issued_by"),
            ),
            Prefetch("appeals", queryset=AppealCase.objects.order_by("filed_on")),
        )
        .get(pk=pk)
    )


def assignable_departments():
    return Department.objects.filter(is_active=True).order_by("order", "code")


def appeals():
    return AppealCase.objects.select_related("organ", "request").order_by(
        "-filed_on", "-pk"
    )


def search(queryset, text: str):
    text = (text or "").strip()
    if not text:
        return queryset
    return queryset.filter(Q(number__icontains=text) | Q(description__icontains=text))
