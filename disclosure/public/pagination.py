"""Pages of a listing or of search results whose count is capped: a page
knows whether another follows without an exact count, and deep pages read
their keys first."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import EmptyPage, Page, Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property

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
    """A page that knows whether another follows without an exact count."""

    def __init__(self, object_list, number, paginator, more: bool):
        super().__init__(object_list, number, paginator)
        self.more = more

    def has_next(self):
        return self.more


class CappedPaginator(Paginator):
    """A paginator whose count stops at :func:`count_cap`. When the count
    reaches the cap, pages go on past it to :func:`list_max_page` as long as
    rows remain (``num_pages`` is then the pages counted so far, and
    ``count_capped`` says so)."""

    count_capped = False

    @cached_property
    def count(self):
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
        # search stops at its count cap even when more rows match).
        more = len(rows) > self.per_page and number < self.max_page
        return CappedPage(rows[: self.per_page], number, self, more)

    def get_page(self, number):
        """A page that exists: the first for a bad number, the last counted
        one past the rows (as Django's ``get_page``)."""
        try:
            return super().get_page(number)
        except EmptyPage:
            return self.page(self.num_pages)

    def _rows(self, start: int, stop: int) -> list:
        rows = self.object_list
        if not isinstance(rows, QuerySet) or start < KEYS_FIRST_OFFSET:
            return list(rows[start:stop])
        keys = list(rows.values_list("pk", flat=True)[start:stop])
        by_key = rows.filter(pk__in=keys).order_by().in_bulk()
        return [by_key[key] for key in keys if key in by_key]
