"""Pages of a listing or of search results whose count is capped: a page
knows whether another follows without an exact count, and deep pages read
their keys first. Past the last numbered page, "more" pages go on by cursor
(``continuation``)."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import EmptyPage, Page, Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property

from .continuation import Cursor
from .selectors import capped_count, count_cap, search_count_cap


def list_max_page() -> int:
    """The deepest page of a listing whose count is capped (deeper: narrow the
    filters). Each page costs about the same up to here: the page's keys are
    read from an index first, then its rows."""
    return int(getattr(settings, "PORTAL_LIST_MAX_PAGE", 2_500))


#: From this offset on, a page's keys are read first (an index-only scan),
#: then its rows, instead of joining every skipped row.
KEYS_FIRST_OFFSET = 200


class CappedPage(Page):
    """A page that knows whether another follows without an exact count.
    ``next_cursor``: where the "more" page after it starts, when this is the
    last numbered page and rows remain (``continuation``)."""

    #: A "more" page (after a cursor): no number, no count.
    continued = False

    def __init__(self, object_list, number, paginator, more: bool, next_cursor=""):
        super().__init__(object_list, number, paginator)
        self.more = more
        self.next_cursor = next_cursor

    def has_next(self):
        """Whether a numbered page follows."""
        return self.more


class ContinuedPage(CappedPage):
    """A "more" page: the rows after a cursor."""

    continued = True

    def __init__(self, rows: list[tuple[int, object]], paginator):
        per_page = paginator.per_page
        shown = [row for _tier, row in rows[:per_page]]
        next_cursor = ""
        if len(rows) > per_page:
            tier, last = rows[per_page - 1]
            next_cursor = str(Cursor.of(last, tier))
        super().__init__(shown, None, paginator, False, next_cursor)

    def has_next(self):
        return bool(self.next_cursor)

    def has_previous(self):
        return True  # the first page, at least

    def has_other_pages(self):
        return True


class CappedPaginator(Paginator):
    """A paginator whose count stops at :func:`count_cap`. When the count
    reaches the cap, pages go on past it to :func:`list_max_page` as long as
    rows remain (``num_pages`` is then the pages counted so far, and
    ``count_capped`` says so)."""

    count_capped = False

    def __init__(self, object_list, per_page, *args, counted: bool = True, **kwargs):
        super().__init__(object_list, per_page, *args, **kwargs)
        #: ``False``: a search's pages are shown without counting its matches
        #: (the count comes with the facets, on their own request:
        #: ``views.RecordSummaryView``); its numbered pages stop at the count
        #: cap all the same, then go on by cursor.
        self.counted = counted or isinstance(object_list, QuerySet)

    @cached_property
    def count(self):
        if not self.counted:
            self.count_capped = True  # not counted: shown as no total
            return search_count_cap()
        if isinstance(self.object_list, QuerySet):
            cap = count_cap()
            total = capped_count(self.object_list, cap)
        else:  # search results
            cap = search_count_cap()
            total = self.object_list.count()
        self.count_capped = total > cap
        return min(total, cap)

    @property
    def max_page(self) -> int:
        """The deepest page that may have rows."""
        if self.count and self.count_capped and isinstance(self.object_list, QuerySet):
            return max(self.num_pages, list_max_page())
        return self.num_pages

    def validate_number(self, number):
        """Django's, with :attr:`max_page` as the last page."""
        try:
            return super().validate_number(number)
        except EmptyPage:
            number = int(number)  # an integer: Django's checks passed that far
            if 1 <= number <= self.max_page:
                return number
            raise

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = self._rows(bottom, bottom + self.per_page + 1)
        if not rows and number > 1:
            raise EmptyPage(self.error_messages["no_results"])
        # Another page follows if a row does and the page may be shown (a
        # search stops at its count cap even when more rows match); past the
        # last page that may be shown, a "more" page does.
        more = len(rows) > self.per_page and number < self.max_page
        next_cursor = ""
        if len(rows) > self.per_page and not more:
            tier, last = rows[self.per_page - 1]
            next_cursor = str(Cursor.of(last, tier))
        shown = [row for _tier, row in rows[: self.per_page]]
        return CappedPage(shown, number, self, more, next_cursor)

    @property
    def tier_count(self) -> int:
        """How many tiers a cursor may name (``continuation``)."""
        return len(getattr(self.object_list, "tiers", ())) or 1

    def page_after(self, cursor: Cursor) -> ContinuedPage:
        """The "more" page after ``cursor``: no count, no offset."""
        limit = self.per_page + 1
        if isinstance(self.object_list, QuerySet):
            found = self.object_list.filter(cursor.before())[:limit]
            return ContinuedPage([(0, row) for row in found], self)
        return ContinuedPage(self.object_list.after(cursor, limit), self)

    def get_page(self, number):
        """A page that exists: the first for a bad number, the last counted
        one past the rows (as Django's ``get_page``)."""
        try:
            return super().get_page(number)
        except EmptyPage:
            return self.page(self.num_pages)

    def _rows(self, start: int, stop: int) -> list[tuple[int, object]]:
        """``(tier number, record)`` of the rows ``start:stop``."""
        rows = self.object_list
        if not isinstance(rows, QuerySet):
            return rows.slice(start, stop)
        if start < KEYS_FIRST_OFFSET:
            return [(0, row) for row in rows[start:stop]]
        keys = list(rows.values_list("pk", flat=True)[start:stop])
        by_key = rows.filter(pk__in=keys).order_by().in_bulk()
        return [(0, by_key[key]) for key in keys if key in by_key]
