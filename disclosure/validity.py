"""有效性 on a given day, computed when it is read.

An item stores what the office decided (有效, or 失效/废止 from a date) and
the document's own dates: 施行日期 (``effective_on``) and 有效期至
(``expires_on``, the last day in force; 国办发〔2018〕37号). What a page shows
is derived from them for the day it is shown, so a document becomes 失效 by
itself the day after its 有效期至, with no job to run and nobody to forget it
(fail safe: no public page can show 有效 for an expired document).

On day D a document is:

- 废止 (repealed): stored 废止 with its date on or before D;
- 失效 (expired): stored 失效 with its date on or before D, or D is after its
  有效期至;
- 尚未施行 (pending): none of the above and its 施行日期 is after D;
- 有效 (in force, 现行有效): otherwise.

A stored 失效/废止 without a date counts as ended since always. The first
day a document is no longer in force (:func:`ended_on`) decides the year it
counts as 废止 in the annual report's table 二.

Plain functions (values in, values out) and the same rules as query
conditions (:func:`standing_q`), so listings filter in SQL exactly as pages
display.
"""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# The stored values of ``Validity`` (disclosure/models/items.py).
VALID, EXPIRED, REPEALED = "valid", "expired", "repealed"


class Standing(models.TextChoices):
    """有效性 as shown on a day. The values of the stored validity are kept
    (``valid`` means in force), so ``?validity=valid`` filters 现行有效."""

    IN_FORCE = VALID, _("有效")
    PENDING = "pending", _("尚未施行")
    EXPIRED = EXPIRED, _("失效")
    REPEALED = REPEALED, _("废止")


def _ended_by_decision(validity: str, changed_on, day: datetime.date) -> bool:
    return validity != VALID and (changed_on is None or changed_on <= day)


def standing_on(
    day: datetime.date,
    *,
    validity: str,
    changed_on: datetime.date | None,
    effective_on: datetime.date | None,
    expires_on: datetime.date | None,
) -> str:
    """The :class:`Standing` value of a document on ``day``."""
    if validity == REPEALED and _ended_by_decision(validity, changed_on, day):
        return Standing.REPEALED
    if validity == EXPIRED and _ended_by_decision(validity, changed_on, day):
        return Standing.EXPIRED
    if expires_on is not None and expires_on < day:
        return Standing.EXPIRED
    if effective_on is not None and effective_on > day:
        return Standing.PENDING
    return Standing.IN_FORCE


def ended_on(
    *,
    validity: str,
    changed_on: datetime.date | None,
    expires_on: datetime.date | None,
) -> datetime.date | None:
    """The first day the document is no longer in force (None: open ended;
    ``date.min`` for a stored 失效/废止 without a date)."""
    candidates = []
    if validity != VALID:
        candidates.append(changed_on or datetime.date.min)
    if expires_on is not None:
        candidates.append(expires_on + datetime.timedelta(days=1))
    return min(candidates, default=None)


# --- the same rules as query conditions ------------------------------------------------


def _not_ended_q(day: datetime.date, prefix: str) -> Q:
    return (
        Q(**{f"{prefix}validity": VALID})
        | Q(**{f"{prefix}validity_changed_on__gt": day})
    ) & (
        Q(**{f"{prefix}expires_on__isnull": True})
        | Q(**{f"{prefix}expires_on__gte": day})
    )


def _decided_q(validity: str, day: datetime.date, prefix: str) -> Q:
    return Q(**{f"{prefix}validity": validity}) & (
        Q(**{f"{prefix}validity_changed_on__isnull": True})
        | Q(**{f"{prefix}validity_changed_on__lte": day})
    )


def standing_q(standing: str, day: datetime.date, prefix: str = "") -> Q:
    """Rows whose :func:`standing_on` on ``day`` is ``standing``. ``prefix``
    reaches the fields through a relation (e.g. ``"public_record__"``)."""
    if standing == Standing.IN_FORCE:
        return _not_ended_q(day, prefix) & (
            Q(**{f"{prefix}effective_on__isnull": True})
            | Q(**{f"{prefix}effective_on__lte": day})
        )
    if standing == Standing.PENDING:
        return _not_ended_q(day, prefix) & Q(**{f"{prefix}effective_on__gt": day})
    if standing == Standing.REPEALED:
        return _decided_q(REPEALED, day, prefix)
    if standing == Standing.EXPIRED:
        not_repealed = ~Q(**{f"{prefix}validity": REPEALED}) | Q(
            **{f"{prefix}validity_changed_on__gt": day}
        )
        return _decided_q(EXPIRED, day, prefix) | (
            Q(**{f"{prefix}expires_on__lt": day}) & not_repealed
        )
    raise ValueError(f"unknown standing {standing!r}")
