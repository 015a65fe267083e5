"""The records behind a figure of the assessment sheet, for the organ's
page: each indicator's records with whether they passed, labelled, and
linked to their staff page for a user who may open it
(``disclosure.record_access``; a department's head sees a complaint, which
only the office opens, as text). Items come through the drill-down's
``items_for``; one query per kind."""

from __future__ import annotations

from dataclasses import dataclass

from disclosure.models import Complaint, Consultation, InformationRequest
from disclosure.record_access import (
    can_open_complaint,
    can_open_consultation,
    can_open_item,
    can_open_request,
)

from . import drilldown
from .assessment import Indicator, Measure


@dataclass(frozen=True)
class Record:
    label: str
    url: str
    passed: bool


def _items(ids, user):
    return {
        item.pk: (
            item.title,
            item.get_absolute_url() if can_open_item(user, item) else "",
        )
        for item in drilldown.items_for(ids)
    }


def _requests(ids, user):
    return {
        request.pk: (
            str(request),
            request.get_absolute_url() if can_open_request(user, request) else "",
        )
        for request in InformationRequest.objects.filter(pk__in=ids)
    }


def _complaints(ids, user):
    opens = can_open_complaint(user)
    return {
        complaint.pk: (
            f"{complaint}（{complaint.get_outcome_display()}）",
            complaint.get_staff_url() if opens else "",
        )
        for complaint in Complaint.objects.filter(pk__in=ids)
    }


def _consultations(ids, user):
    return {
        consultation.pk: (
            consultation.title,
            consultation.get_staff_url()
            if can_open_consultation(user, consultation)
            else "",
        )
        for consultation in Consultation.objects.filter(pk__in=ids)
    }


LOADERS = {
    "on_time": _items,
    "completeness": _items,
    "interpretation": _items,
    "periodic": _items,
    "requests": _requests,
    "complaints": _complaints,
    "consultations": _consultations,
}


def records(indicator: Indicator, measure: Measure, *, user) -> list[Record]:
    """Failed first, then passed, each in the order counted; ``url`` is ''
    for a record ``user`` may not open."""
    loader = LOADERS.get(indicator.key)
    if loader is None:
        return []
    found = loader(measure.failed + measure.passed, user)
    result = []
    for ids, passed in ((measure.failed, False), (measure.passed, True)):
        for pk in ids:
            label, url = found.get(pk, (str(pk), ""))
            result.append(Record(label, url, passed))
    return result
