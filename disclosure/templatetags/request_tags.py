"""Template helpers that bring requests for information into the workspace's
own pages (which the requests package may not import, nor they it): the
navigation link and the dashboard panel of requests to confirm, due soon or
overdue, and replies waiting for review."""

from django import template
from django.utils import timezone

from catalog.selectors import work_calendar
from disclosure import request_permissions as perms
from disclosure import request_tables
from disclosure.requests import selectors

register = template.Library()


@register.simple_tag
def may_use_requests(user) -> bool:
    return perms.can_use_register(user)


@register.inclusion_tag("disclosure/requests/staff/_dashboard_panel.html")
def requests_panel(user):
    if not perms.can_use_register(user):
        return {"shown": False}
    today = timezone.localdate()
    due = selectors.due_for(user, today, work_calendar())
    review = [
        request
        for request in selectors.in_review(user)[:50]
        if perms.can_review_reply(user, request)
    ]
    return {
        "shown": True,
        "due": due[:50],
        "unconfirmed": list(selectors.unconfirmed(user)[:50]),
        "review": review,
        "today": today,
    }


@register.simple_tag
def reading_places():
    """The places where government information can be read (Art. 25), for
    the disclosure guide (a catalog page: catalog may not import disclosure)."""
    from disclosure.models import ReadingPlace

    return list(ReadingPlace.objects.filter(is_active=True))


@register.simple_tag
def request_organs():
    """The organs that take applications, with their addresses."""
    from disclosure.requests.forms import organs

    return list(organs())


@register.simple_tag
def request_statistics(period) -> dict:
    """Requests in a period, for the self-inspection page (oversight)."""
    stats = request_tables.request_statistics(period.start, period.end)
    return {
        "received": stats.received,
        "closed": stats.closed,
        "groups": [
            (label, stats.by_group[key])
            for key, label, _rows in request_tables.RESULT_GROUPS
        ],
        "on_time": stats.on_time,
        "answered": stats.on_time + stats.late,
        "reviews": stats.reviews,
        "lawsuits": stats.lawsuits,
    }
