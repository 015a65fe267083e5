"""Who may do what with consultations and complaints (the items' own rules
are in ``disclosure/permissions.py``; the roles are the same).

- A consultation is drafted, edited and submitted by a clerk of its
  department or by the disclosure office's staff; published, returned and
  its feedback published by a reviewer who did not draft it or its feedback
  (the second pair of eyes, as for items).
- Comments are moderated, and complaints handled, by the disclosure office.
"""

from disclosure.models import Consultation, ParticipationEntry
from disclosure.permissions import roles
from disclosure.record_access import can_open_complaint, can_open_consultation

Action = ParticipationEntry.Action

#: Steps that make someone an author of a consultation's text or files.
DRAFT_ACTIONS = frozenset(
    {Action.CREATE, Action.EDIT, Action.ATTACH, Action.DETACH, Action.SUBMIT}
)
#: Steps that make someone an author of its feedback.
FEEDBACK_ACTIONS = frozenset({Action.FEEDBACK_EDIT, Action.FEEDBACK_SUBMIT})


def touched_by(consultation: Consultation, actions: frozenset) -> set[int]:
    """Who took any of ``actions`` on the consultation (from its trail;
    read once per instance)."""
    cache = consultation.__dict__.setdefault("_touched", {})
    if actions not in cache:
        cache[actions] = set(
            ParticipationEntry.objects.filter(
                consultation=consultation, action__in=actions
            ).values_list("actor_id", flat=True)
        )
    return cache[actions]


def is_office(user) -> bool:
    return roles(user).is_office_staff


def can_draft_for(user, department) -> bool:
    user_roles = roles(user)
    return user_roles.is_office_staff or department.pk in user_roles.clerk_of


def can_use_consultations(user) -> bool:
    user_roles = roles(user)
    return user_roles.is_office_staff or bool(user_roles.clerk_of)


def can_view(user, consultation: Consultation) -> bool:
    return can_open_consultation(user, consultation)


def is_drafter(user, consultation: Consultation) -> bool:
    """Created, edited, attached or removed a file, or submitted it: may not
    publish it."""
    return user.pk in touched_by(consultation, DRAFT_ACTIONS) | {
        consultation.created_by_id,
        consultation.updated_by_id,
        consultation.submitted_by_id,
    }


def is_feedback_author(user, consultation: Consultation) -> bool:
    return user.pk in touched_by(consultation, FEEDBACK_ACTIONS) | {
        consultation.feedback_by_id
    }


def can_edit(user, consultation: Consultation) -> bool:
    return consultation.state == Consultation.State.DRAFT and can_draft_for(
        user, consultation.department
    )


def can_submit(user, consultation: Consultation) -> bool:
    return can_edit(user, consultation)


def can_publish(user, consultation: Consultation) -> bool:
    return (
        consultation.state == Consultation.State.SUBMITTED
        and roles(user).is_reviewer
        and not is_drafter(user, consultation)
    )


def can_return(user, consultation: Consultation) -> bool:
    return can_publish(user, consultation)


def can_moderate(user) -> bool:
    return roles(user).is_office_staff


def can_write_feedback(user, consultation: Consultation) -> bool:
    return (
        consultation.phase() == "closed"
        and consultation.feedback_state
        in (Consultation.FeedbackState.NONE, Consultation.FeedbackState.DRAFT)
        and can_draft_for(user, consultation.department)
    )


def can_publish_feedback(user, consultation: Consultation) -> bool:
    return (
        consultation.feedback_state == Consultation.FeedbackState.SUBMITTED
        and roles(user).is_reviewer
        and not is_feedback_author(user, consultation)
    )


def can_link_policy(user, consultation: Consultation) -> bool:
    return consultation.has_feedback and roles(user).is_office_staff


def can_handle_complaints(user) -> bool:
    return can_open_complaint(user)


def consultation_flags(user, consultation: Consultation) -> dict:
    return {
        "can_edit": can_edit(user, consultation),
        "can_submit": can_submit(user, consultation),
        "can_publish": can_publish(user, consultation),
        "can_return": can_return(user, consultation),
        "is_drafter": is_drafter(user, consultation),
        "can_moderate": can_moderate(user),
        "can_write_feedback": can_write_feedback(user, consultation),
        "can_publish_feedback": can_publish_feedback(user, consultation),
        "is_feedback_author": is_feedback_author(user, consultation),
        "can_link_policy": can_link_policy(user, consultation),
    }
