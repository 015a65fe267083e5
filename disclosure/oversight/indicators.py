"""The records behind each computed indicator of the assessment sheet
(``oversight/assessment.py``): for a period, a list of
``(department id, record id, passed, day)`` per indicator, ``day`` the date
that places the record in the period (so that the records of a year give
those of its quarters); the sheet counts an office's records under its
organ. Definitions (the tests recompute each
with plain loops):

- ``on_time`` *按时公开率*: the items first published in the period that
  have a deadline (``timeliness.published_rows``); passed: published on
  time (no working day late). Records: items.
- ``completeness`` *公开要素齐全率*: the items first published in the
  period whose entry has required content elements; passed: every one
  answered (``completeness.missing_elements``). Records: items.
- ``interpretation`` *政策解读同步率*: the live policies needing an
  interpretation (``interpretations.needs_interpretation``) published in the
  period; passed: a live interpretation explains it. Records: the
  policies' items.
- ``requests`` *依申请按时答复率*: the requests (not discarded) closed in the
  period; passed: answered within the statutory clock (``request_clock``,
  pauses and extension included). Records: requests.
- ``complaints`` *投诉举报查证不属实率*: the complaints (条例第四十七条)
  against the organ concluded in the period (办结时间), except those found
  not to be about open government information (``out_of_scope``); passed:
  found not true (``unfounded``); failed: found true or partly true. An
  organ without such complaints has nothing to count. Records: complaints.
- ``consultations`` *意见征集按时反馈率*: the published consultations
  (意见征集) of the organ whose feedback was due in the period — due
  ``FEEDBACK_WORKING_DAYS`` working days after the day the consultation
  closed — counted once the due date has passed or the feedback is out;
  passed: the feedback (反馈) published by the end of the due date. Records:
  consultations.
- ``periodic`` *定期公开按时率*: the items first published in the period
  with a deadline whose catalog entry is periodic (定期公开, e.g. 每季度结束后
  10个工作日内); passed: published on time. Records: items. (Periods left
  without any item are listed by ``catalog_gaps``.)
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from catalog import workdays
from catalog.models import CatalogEntry
from catalog.selectors import work_calendar
from disclosure import interpretations
from disclosure.models import (
    Complaint,
    Consultation,
    InformationRequest,
    ItemKind,
    PublicRecord,
)
from disclosure.request_queries import clock_of, with_pauses

from .completeness import missing_elements
from .periods import Period, local_date
from .timeliness import published_rows

#: The office's rule for consultations: the feedback is information formed
#: when the consultation closes, published within the 20 working days of
#: 条例第二十六条.
FEEDBACK_WORKING_DAYS = 20

Rows = Iterable[tuple[int | None, int, bool, datetime.date]]


def item_indicators(period: Period, *, now: datetime.datetime) -> dict[str, list]:
    """``on_time``, ``completeness`` and ``periodic`` from one read of the
    items published in the period."""
    published = published_rows(period, now=now)
    missing = missing_elements(published)
    periodic = set(
        CatalogEntry.objects.filter(
            time_limit_kind=CatalogEntry.TimeLimitKind.PERIODIC
        ).values_list("pk", flat=True)
    )
    result: dict[str, list] = {"on_time": [], "completeness": [], "periodic": []}
    for row in published:
        if row.has_deadline:
            record = (row.department_id, row.item_id, row.on_time, row.published_on)
            result["on_time"].append(record)
            if row.catalog_entry_id in periodic:
                result["periodic"].append(record)
        if row.item_id in missing:
            result["completeness"].append(
                (
                    row.department_id,
                    row.item_id,
                    not missing[row.item_id],
                    row.published_on,
                )
            )
    return result


def interpretation_rows(period: Period, *, now: datetime.datetime) -> list:
    start, end = period.bounds()
    live = PublicRecord.objects.filter(
        status=PublicRecord.Status.LIVE, published_at__lte=now
    )
    policies = list(
        live.filter(
            interpretations.needs_interpretation(
                interpretations.interpretation_type_ids()
            )
        )
        .filter(published_at__gte=start, published_at__lt=end)
        .order_by("published_at", "pk")
        .values_list("pk", "department_id", "item_id", "published_at")
    )
    explained = set(
        live.filter(
            kind=ItemKind.INTERPRETATION,
            interprets_id__in=[row[0] for row in policies],
        ).values_list("interprets_id", flat=True)
    )
    return [
        (department, item, pk in explained, local_date(published_at))
        for pk, department, item, published_at in policies
    ]


def request_rows(period: Period) -> list:
    closed = with_pauses(
        InformationRequest.objects.exclude(state=InformationRequest.State.DISCARDED)
        .filter(closed_on__range=(period.start, period.end))
        .order_by("closed_on", "pk")
    )
    calendar = work_calendar()
    return [
        (
            request.organ_id,
            request.pk,
            not clock_of(request, request.closed_on, calendar).late,
            request.closed_on,
        )
        for request in closed
    ]


def complaint_rows(period: Period, *, now: datetime.datetime) -> list:
    start, end = period.bounds()
    complaints = (
        Complaint.objects.filter(
            state=Complaint.State.CONCLUDED,
            concluded_at__gte=start,
            concluded_at__lt=end,
            concluded_at__lte=now,
            department__isnull=False,
        )
        .exclude(outcome=Complaint.Outcome.OUT_OF_SCOPE)
        .order_by("concluded_at", "pk")
        .values_list("department_id", "pk", "outcome", "concluded_at")
    )
    return [
        (department, pk, outcome == Complaint.Outcome.UNFOUNDED, local_date(at))
        for department, pk, outcome, at in complaints
    ]


def feedback_due(closes_on: datetime.date, calendar) -> datetime.date:
    return workdays.add_working_days(closes_on, FEEDBACK_WORKING_DAYS, calendar).due


def consultation_rows(period: Period, *, now: datetime.datetime) -> list:
    today = local_date(now)
    calendar = work_calendar()
    rows = []
    for consultation in (
        Consultation.objects.filter(
            state=Consultation.State.PUBLISHED,
            closes_on__lte=period.end,
            closes_on__gte=period.start - datetime.timedelta(days=62),
        )
        .order_by("closes_on", "pk")
        .only(
            "pk",
            "department_id",
            "closes_on",
            "feedback_state",
            "feedback_published_at",
        )
    ):
        due = feedback_due(consultation.closes_on, calendar)
        published = (
            consultation.feedback_state == Consultation.FeedbackState.PUBLISHED
            and consultation.feedback_published_at is not None
            and consultation.feedback_published_at <= now
        )
        if not period.contains(due) or (due >= today and not published):
            continue
        in_time = published and local_date(consultation.feedback_published_at) <= due
        rows.append((consultation.department_id, consultation.pk, in_time, due))
    return rows


def computed_rows(period: Period, *, now: datetime.datetime, keys) -> dict[str, list]:
    """The rows of the computed indicators ``keys`` over the period."""
    result: dict[str, list] = {}
    keys = set(keys)
    if keys & {"on_time", "completeness", "periodic"}:
        result.update(item_indicators(period, now=now))
    if "interpretation" in keys:
        result["interpretation"] = interpretation_rows(period, now=now)
    if "requests" in keys:
        result["requests"] = request_rows(period)
    if "complaints" in keys:
        result["complaints"] = complaint_rows(period, now=now)
    if "consultations" in keys:
        result["consultations"] = consultation_rows(period, now=now)
    return {key: result[key] for key in keys}
