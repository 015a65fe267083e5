"""Who may do what with requests for information (依申请公开): one place to
read, used by the views, the templates (as flags) and the workflow alike.
The roles are those of ``disclosure.permissions`` (read once per request).

- Handlers (承办人): the clerks of the department the request is assigned to
  (the organ it was sent to until it is assigned; a department's clerks
  cover its offices). They register, correct, consult, charge and draft.
- The disclosure office (reviewers and office administrators): everything a
  handler does, for every request; they also confirm online applications,
  set aside spam, assign requests and keep the appeals register.
- Reviewers (审核员): review a drafted reply; never one they drafted
  (second pair of eyes, superusers included).
- Office administrators (the office head): approve an extension (Art. 33).

Applicant data are visible only to the handlers and the office; every view
of them is written to the request's trail (``RequestEvent``). Department
heads and auditors do not see them.
"""

from django.db.models import Q

from .models import InformationRequest, ReplyType
from .permissions import roles

State = InformationRequest.State
OPEN_STATES = frozenset({State.PROCESSING, State.CORRECTION, State.FEE})


def is_office(user) -> bool:
    return roles(user).is_office_staff


def is_handler(user, request: InformationRequest) -> bool:
    """A clerk of the department handling the request."""
    return request.handling_department_id in roles(user).clerk_of


def may_handle(user, request: InformationRequest) -> bool:
    return is_office(user) or is_handler(user, request)


def can_use_register(user) -> bool:
    """Open /workspace/requests/ (the office sees every request, clerks
    those of their departments)."""
    user_roles = roles(user)
    return user_roles.is_office_staff or bool(user_roles.clerk_of)


def visible_requests(user, queryset=None):
    queryset = InformationRequest.objects.all() if queryset is None else queryset
    user_roles = roles(user)
    if user_roles.is_office_staff:
        return queryset
    if not user_roles.clerk_of:
        return queryset.none()
    return queryset.filter(
        Q(assigned_department_id__in=user_roles.clerk_of)
        | Q(assigned_department__isnull=True, organ_id__in=user_roles.clerk_of)
    )


def can_view(user, request: InformationRequest) -> bool:
    """See the request and its applicant's data (logged)."""
    return may_handle(user, request)


def can_register(user, organ=None) -> bool:
    """Register an application received on paper, in person or by fax."""
    user_roles = roles(user)
    if user_roles.is_office_staff:
        return True
    if organ is None:
        return bool(user_roles.clerk_of)
    return organ.pk in user_roles.clerk_of


def can_confirm(user, request: InformationRequest) -> bool:
    return request.state == State.SUBMITTED and may_handle(user, request)


def can_discard(user, request: InformationRequest) -> bool:
    return request.state == State.SUBMITTED and is_office(user)


def can_assign(user, request: InformationRequest) -> bool:
    user_roles = roles(user)
    return request.state in OPEN_STATES | {State.SUBMITTED} and (
        user_roles.is_office_staff or request.organ_id in user_roles.clerk_of
    )


def can_request_correction(user, request: InformationRequest) -> bool:
    return (
        request.state == State.PROCESSING
        and request.correction_requested_on is None
        and may_handle(user, request)
    )


def can_record_correction(user, request: InformationRequest) -> bool:
    return request.state == State.CORRECTION and may_handle(user, request)


def can_consult(user, request: InformationRequest) -> bool:
    return request.state == State.PROCESSING and may_handle(user, request)


def can_extend(user, request: InformationRequest) -> bool:
    """The office head approves the one extension (Art. 33 ¶2)."""
    return (
        request.state == State.PROCESSING
        and request.extension_days == 0
        and roles(user).is_office_admin
    )


def can_charge(user, request: InformationRequest) -> bool:
    return (
        request.state == State.PROCESSING
        and request.fee_notified_on is None
        and may_handle(user, request)
    )


def can_confirm_payment(user, request: InformationRequest) -> bool:
    return request.state == State.FEE and may_handle(user, request)


def can_draft_reply(user, request: InformationRequest) -> bool:
    return request.state in OPEN_STATES and may_handle(user, request)


def is_reply_author(user, request: InformationRequest) -> bool:
    return (
        user is not None
        and user.pk is not None
        and (user.pk == request.reply_drafted_by_id)
    )


def can_review_reply(user, request: InformationRequest) -> bool:
    return (
        request.state == State.REVIEW
        and roles(user).is_reviewer
        and not is_reply_author(user, request)
    )


def can_record_withdrawal(user, request: InformationRequest) -> bool:
    return request.state in OPEN_STATES | {State.REVIEW} and may_handle(user, request)


def can_make_proactive(user, request: InformationRequest) -> bool:
    """Art. 44: released information becomes a proactive draft item, by a
    clerk of the organ (who may draft its items)."""
    return (
        request.state == State.CLOSED
        and request.result in (ReplyType.GRANTED, ReplyType.PARTLY_GRANTED)
        and request.proactive_item_id is None
        and request.organ_id in roles(user).clerk_of
    )


def can_keep_appeals(user) -> bool:
    return is_office(user)


def can_see_tables(user) -> bool:
    return is_office(user)


def request_flags(user, request: InformationRequest) -> dict:
    """Every predicate for one request, for templates."""
    return {
        "can_confirm": can_confirm(user, request),
        "can_discard": can_discard(user, request),
        "can_assign": can_assign(user, request),
        "can_request_correction": can_request_correction(user, request),
        "can_record_correction": can_record_correction(user, request),
        "can_consult": can_consult(user, request),
        "can_extend": can_extend(user, request),
        "can_charge": can_charge(user, request),
        "can_confirm_payment": can_confirm_payment(user, request),
        "can_draft_reply": can_draft_reply(user, request),
        "can_review_reply": can_review_reply(user, request),
        "is_reply_author": is_reply_author(user, request),
        "can_record_withdrawal": can_record_withdrawal(user, request),
        "can_make_proactive": can_make_proactive(user, request),
    }
