"""Reads about requests that several parts share (the register, the
dashboard panel, the reminders, the tables): the clock of a request from its
rows, and the open requests that are due soon or overdue."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch

from catalog.workdays import WorkCalendar

from . import request_clock
from .models import InformationRequest, RequestPause

State = InformationRequest.State
#: States in which the answer clock runs or is stopped for the applicant.
CLOCK_STATES = (State.PROCESSING, State.CORRECTION, State.FEE, State.REVIEW)


#: Consultations whose answer is due within 15 working days, after which the
#: time is counted again: a third party (Art. 32) and another organ that
#: made the information too (Art. 34; the same limit is applied to the
#: confirmations of Art. 18, which set none).
CAPPED = (RequestPause.Kind.THIRD_PARTY, RequestPause.Kind.OTHER_ORGAN)


def pauses_of(request: InformationRequest, calendar: WorkCalendar) -> list:
    return [
        request_clock.Pause(
            pause.started_on,
            pause.ended_on,
            request_clock.third_party_due(pause.started_on, calendar)
            if pause.kind in CAPPED
            else None,
        )
        for pause in request.pauses.all()
    ]


def clock_of(
    request: InformationRequest, today: datetime.date, calendar: WorkCalendar
) -> request_clock.Clock | None:
    """The answer clock as of ``today``; None before receipt (or for a
    discarded submission). Reads ``request.pauses`` (prefetch it)."""
    if request.received_on is None:
        return None
    return request_clock.answer_clock(
        received_on=request.received_on,
        today=today,
        calendar=calendar,
        correction_requested_on=request.correction_requested_on,
        corrected_on=request.corrected_on,
        extension_days=request.extension_days,
        pauses=pauses_of(request, calendar),
        closed_on=request.closed_on,
    )


def with_pauses(queryset):
    return queryset.select_related("organ", "assigned_department").prefetch_related(
        Prefetch("pauses", queryset=RequestPause.objects.order_by("started_on", "pk"))
    )


@dataclass(frozen=True)
class DueRow:
    request: InformationRequest
    clock: request_clock.Clock
    overdue: bool


def due_rows(queryset, today: datetime.date, calendar: WorkCalendar) -> list[DueRow]:
    """Open requests of ``queryset`` whose answer is overdue or due within
    5 working days, most urgent first; requests whose correction or fee
    period has run out (to be closed as （六）1 or （六）2) count as overdue."""
    rows = []
    for request in with_pauses(queryset.filter(state__in=CLOCK_STATES)):
        clock = clock_of(request, today, calendar)
        lapsed = (
            request.state == State.CORRECTION
            and request.correction_due_on
            and today > request.correction_due_on
        ) or (
            request.state == State.FEE
            and request.fee_due_on
            and today > request.fee_due_on
        )
        if clock.overdue or lapsed:
            rows.append(DueRow(request, clock, True))
        elif request_clock.due_soon(clock, today, calendar):
            rows.append(DueRow(request, clock, False))
    rows.sort(
        key=lambda row: (
            not row.overdue,
            row.clock.due or datetime.date.max,
            row.request.pk,
        )
    )
    return rows


def monthly_ordinal(request: InformationRequest) -> int:
    """Which of its applicant's applications to the same organ in the
    calendar month of its receipt this one is (1 = the first), for a fee by
    count (国办函〔2020〕109号). The applicant is known by the identity
    number, or by name and phone when there is none."""
    day = request.received_on
    same = InformationRequest.objects.filter(
        organ_id=request.organ_id,
        received_on__year=day.year,
        received_on__month=day.month,
    ).exclude(state=State.DISCARDED)
    if request.id_number:
        same = same.filter(id_number=request.id_number)
    else:
        same = same.filter(applicant_name=request.applicant_name, phone=request.phone)
    earlier = same.filter(received_on__lt=day).count()
    same_day = same.filter(received_on=day, pk__lte=request.pk).count()
    return earlier + same_day
