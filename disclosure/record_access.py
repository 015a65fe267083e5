"""Who may open the staff page of a record: an item, a request for
information, a consultation, a complaint. One place for the pages that link
to records of another part (the assessment's organ page lists an organ's
records of every kind): a record the user may not open is shown as text,
never as a link that answers 403 or 404.

- An item: its department's clerks and heads (``permissions.can_view``).
- A request: its handlers (``request_permissions.can_view``).
- A consultation: its department's clerks (a department's clerks cover its
  offices); heads do not use the consultation pages.
- A complaint: the disclosure office only (it handles complaints).

The office's staff open all of them."""

from .models import Consultation, InformationRequest, Item
from .permissions import can_view, roles
from .request_permissions import can_view as can_view_request

__all__ = [
    "can_open_complaint",
    "can_open_consultation",
    "can_open_item",
    "can_open_request",
]


def can_open_item(user, item: Item) -> bool:
    return can_view(user, item)


def can_open_request(user, request: InformationRequest) -> bool:
    return can_view_request(user, request)


def can_open_consultation(user, consultation: Consultation) -> bool:
    user_roles = roles(user)
    return (
        user_roles.is_office_staff or consultation.department_id in user_roles.clerk_of
    )


def can_open_complaint(user) -> bool:
    return roles(user).is_office_staff
