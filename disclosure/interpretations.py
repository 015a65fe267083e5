"""政策解读 in figures: the published policies that need an interpretation
and have none, and the interpretations published after their policy.

国办发〔2016〕80号 asks that policy documents be interpreted, the
interpretation published together with the document (同步). Which documents
need one is the office's setting (``SiteSettings.interpretation_types``, by
体裁). "Together" is read as the same day: an interpretation first published
on a later day than its policy is late, by that many calendar days.

The oversight dashboard shows these lists; the functions take the period as
dates so that any part may ask.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import connections
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from .models import (
    Consultation,
    DocumentClass,
    InterpretationForm,
    Item,
    ItemKind,
    PublicRecord,
    SiteSettings,
)

Status = PublicRecord.Status


def interpretation_type_ids() -> set[int]:
    """The document types (体裁) the office marked as needing an
    interpretation."""
    return set(
        SiteSettings.interpretation_types.through.objects.values_list(
            "documenttype_id", flat=True
        )
    )


def needs_interpretation(type_ids: set[int]) -> Q:
    """The records (or items) that need an interpretation: ordinary ones that
    are 行政规范性文件 (marked on the item, the register of
    国办发〔2018〕37号) or of a document type the office marks."""
    return Q(kind=ItemKind.ORDINARY) & (
        Q(document_class=DocumentClass.NORMATIVE) | Q(document_type_id__in=type_ids)
    )


def _day_bounds(start: datetime.date, end: datetime.date):
    zone = timezone.get_current_timezone()
    return (
        datetime.datetime.combine(start, datetime.time.min, tzinfo=zone),
        datetime.datetime.combine(
            end + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
        ),
    )


def _live(now: datetime.datetime) -> QuerySet:
    return PublicRecord.objects.filter(status=Status.LIVE, published_at__lte=now)


def policies_without_interpretation(
    start: datetime.date, end: datetime.date, *, now: datetime.datetime
) -> list[PublicRecord]:
    """Live policies published in the period (行政规范性文件, or of a type the
    office marks) that no live interpretation explains (as of ``now``),
    oldest first."""
    type_ids = interpretation_type_ids()
    since, until = _day_bounds(start, end)
    policies = list(
        _live(now)
        .filter(needs_interpretation(type_ids), published_at__gte=since)
        .filter(published_at__lt=until)
        .select_related("department", "document_type")
        .defer("body", "title_tokens", "search_tokens")
        .order_by("published_at", "item_id")
    )
    explained = set(
        _live(now)
        .filter(kind=ItemKind.INTERPRETATION)
        .filter(interprets_id__in=[policy.pk for policy in policies])
        .values_list("interprets_id", flat=True)
    )
    return [policy for policy in policies if policy.pk not in explained]


@dataclass(frozen=True)
class LateInterpretation:
    interpretation: PublicRecord
    policy: PublicRecord

    @property
    def days_late(self) -> int:
        return (
            timezone.localdate(self.interpretation.published_at)
            - timezone.localdate(self.policy.published_at)
        ).days


def late_interpretations(
    start: datetime.date, end: datetime.date, *, now: datetime.datetime
) -> list[LateInterpretation]:
    """Live interpretations first published in the period on a later day
    than their (live) policy, the latest first."""
    since, until = _day_bounds(start, end)
    interpretations = list(
        _live(now)
        .filter(kind=ItemKind.INTERPRETATION, published_at__gte=since)
        .filter(published_at__lt=until)
        .select_related("department")
        .defer("body", "title_tokens", "search_tokens")
    )
    policies = {
        record.pk: record
        for record in _live(now)
        .filter(pk__in={record.interprets_id for record in interpretations})
        .select_related("department")
        .defer("body", "title_tokens", "search_tokens")
    }
    late = [
        LateInterpretation(record, policies[record.interprets_id])
        for record in interpretations
        if record.interprets_id in policies
    ]
    late = [pair for pair in late if pair.days_late > 0]
    late.sort(key=lambda pair: (-pair.days_late, pair.interpretation.pk))
    return late


def interpretations_awaiting_publication(policy: Item) -> QuerySet:
    """The approved, unpublished interpretations of ``policy``: what the
    review may publish together with it."""
    return Item.objects.filter(
        kind=ItemKind.INTERPRETATION, interprets=policy, state=Item.State.APPROVED
    ).order_by("pk")


@dataclass(frozen=True)
class RelatedLink:
    """A row linked from a record's page: an interpretation, the policy or a
    consultation."""

    tag: str
    pk: int
    title: str
    form: str = ""
    doc_number: str = ""

    def get_absolute_url(self) -> str:
        if self.tag == "consultation":
            return reverse("participation:feedback", args=[self.pk])
        return reverse("disclosure:item", args=[self.pk])

    def get_interpretation_form_display(self) -> str:
        return str(dict(InterpretationForm.choices).get(self.form, self.form))


@dataclass
class Related:
    interpretations: list[RelatedLink] = field(default_factory=list)
    policy: RelatedLink | None = None
    consultations: list[RelatedLink] = field(default_factory=list)


#: The query of :func:`related_to_record`, written out once: the ORM spent
#: 3-4 ms compiling this union for every item page, whose SQL runs in 0.1 ms.
#: The conditions are those of :func:`_live` (interpretations), a visible
#: page (the policy) and a published feedback (consultations);
#: tests/disclosure/participation/test_interpretations.py checks each.
_RELATED_SQL = (
    "SELECT 'interpretation', item_id, title, interpretation_form, '' "
    "FROM disclosure_publicrecord WHERE status = %s AND published_at <= %s "
    "AND kind = %s AND interprets_id = %s "
    "UNION ALL SELECT 'policy', item_id, title, '', doc_number "
    "FROM disclosure_publicrecord "
    "WHERE item_id = %s AND status IN (%s, %s) AND published_at <= %s "
    "UNION ALL SELECT 'consultation', id, title, '', '' FROM disclosure_consultation "
    "WHERE adopted_policy_id = %s AND state = %s AND feedback_state = %s"
)


def related_to_record(record: PublicRecord, now: datetime.datetime) -> Related:
    """In one query: the live interpretations of ``record``, the policy it
    interprets (if its page is visible) and the consultations whose published
    feedback names it as the adopted policy."""
    params = [
        Status.LIVE,
        now,
        ItemKind.INTERPRETATION,
        record.pk,
        record.interprets_id or 0,
        Status.LIVE,
        Status.WITHDRAWN,
        now,
        record.pk,
        Consultation.State.PUBLISHED,
        Consultation.FeedbackState.PUBLISHED,
    ]
    with connections[PublicRecord.objects.db].cursor() as cursor:  # a replica?
        cursor.execute(_RELATED_SQL, params)
        rows = cursor.fetchall()
    found = Related()
    for row in sorted(rows, key=lambda row: (row[0], row[1])):
        link = RelatedLink(*row)
        if link.tag == "interpretation":
            found.interpretations.append(link)
        elif link.tag == "policy":
            found.policy = link
        else:
            found.consultations.append(link)
    return found
