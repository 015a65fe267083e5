"""The records behind a figure of the assessment sheet, for the organ's
page: each indicator's records with whether they passed, labelled and
linked (items through the drill-down's ``items_for``, one query per kind)."""

from __future__ import annotations

from dataclasses import dataclass

from disclosure.models import Complaint, Consultation, InformationRequest

from . import drilldown
from .assessment import Indicator, Measure


@dataclass(frozen=True)
class Record:
    label: str
    url: str
    passed: bool


def _items(ids):
    return {
        item.pk: (item.title, item.get_absolute_url())
        for item in drilldown.items_for(ids)
    }


def _requests(ids):
    return {
        request.pk: (str(request), request.get_absolute_url())
        for request in InformationRequest.objects.filter(pk__in=ids)
    }


def _complaints(ids):
    return {
        complaint.pk: (
            f"{complaint}（{complaint.get_outcome_display()}）",
            complaint.get_staff_url(),
        )
        for complaint in Complaint.objects.filter(pk__in=ids)
    }


def _consultations(ids):
    return {
        consultation.pk: (consultation.title, consultation.get_staff_url())
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


def records(indicator: Indicator, measure: Measure) -> list[Record]:
    """Failed first, then passed, each in the order counted."""
    loader = LOADERS.get(indicator.key)
    if loader is None:
        return []
    found = loader(measure.failed + measure.passed)
    result = []
    for ids, passed in ((measure.failed, False), (measure.passed, True)):
        for pk in ids:
            label, url = found.get(pk, (str(pk), ""))
            result.append(Record(label, url, passed))
    return result
