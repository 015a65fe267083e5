"""Keyset pages past the numbered ones ("more" pages): every match of a
search and every row of a listing is reachable, with no count and at the
cost of a first page.

The numbered pages stop at a cap (a search at ``PORTAL_SEARCH_COUNT_CAP``
rows, a listing at ``PORTAL_LIST_MAX_PAGE`` pages). The last of them links
on with a cursor in the URL (``?after=``): the position of its last row in
the display order, ``(tier, published_at, id)``. The next page is the rows
after that position in the same order: the rest of the row's tier, older
than it (one index range, ``(published_at, id) < (…, …)``, read newest
first), then the following tiers from their newest rows. A listing has one
tier (0); a search has its ranking tiers (``results.tier_specs``). So the
continuation keeps the ranking and repeats no row, and no page needs to
know how many rows come before it.

A cursor is not a secret: a made-up one that parses is just another
position. One that does not parse (or names a tier the search does not have)
is ``None``: the page says so and shows the first page."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.db.models import BooleanField, Expression, F
from django.utils import timezone

#: The query parameter of a "more" page.
CURSOR_PARAM = "after"
#: ``<tier>.<published_at in microseconds since the epoch, UTC>.<id>``
_CURSOR_RE = re.compile(r"(\d{1,2})\.(-?\d{1,17})\.(\d{1,18})")
_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


@dataclass(frozen=True)
class Cursor:
    """The position of a row in a display order: its tier, publication time
    and primary key."""

    tier: int
    published_at: datetime.datetime
    pk: int

    @classmethod
    def of(cls, record, tier: int = 0) -> Cursor:
        return cls(tier, record.published_at, record.pk)

    def __str__(self):
        delta = self.published_at - _EPOCH
        micros = (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds
        return f"{self.tier}.{micros}.{self.pk}"

    @classmethod
    def parse(cls, raw: str | None, *, tiers: int = 1) -> Cursor | None:
        """The cursor written as ``str(cursor)``, or ``None`` if ``raw`` is
        not one (or names a tier past ``tiers``)."""
        match = _CURSOR_RE.fullmatch((raw or "").strip())
        if match is None:
            return None
        tier, micros, pk = (int(group) for group in match.groups())
        if tier >= tiers or pk > 2**63 - 1:
            return None
        try:
            published_at = _EPOCH + datetime.timedelta(microseconds=micros)
        except OverflowError:
            return None
        if not 1 <= published_at.year <= 9998:
            return None
        return cls(tier, published_at.astimezone(timezone.get_current_timezone()), pk)

    def before(self) -> Before:
        return Before(self.published_at, self.pk)


class Before(Expression):
    """``(published_at, pk) < (at, pk)``: the rows after a position in
    newest-first order. The first clause alone (``published_at <= at``) is a
    range of the date indexes on both databases; the row comparison then
    drops the rows of the same instant already shown."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, published_at: datetime.datetime, pk: int):
        super().__init__()
        self.published_at = published_at
        self.pk = pk
        self.columns = [F("published_at"), F("pk")]

    def get_source_expressions(self):
        return self.columns

    def set_source_expressions(self, exprs):
        self.columns = list(exprs)

    def as_sql(self, compiler, connection):
        (at_sql, at_params), (pk_sql, pk_params) = (
            compiler.compile(column) for column in self.columns
        )
        at = connection.ops.adapt_datetimefield_value(self.published_at)
        sql = f"({at_sql} <= %s AND ({at_sql}, {pk_sql}) < (%s, %s))"
        return sql, (*at_params, at, *at_params, *pk_params, at, self.pk)
