"""The account trail: every change of an account, its roles (groups, single
permissions, superuser), its department memberships and its authenticator is
written to ``AccountAuditEntry``, whichever path made it (the admin, a
service function, a management command), by the model signals in
``portal.accounts.receivers``.

Who did it comes from the request (``ActorMiddleware``) or from the service
function that acts (``acting_as``); outside both (a management command, the
shell) the actor is empty: the operator at the server.

Those receivers are also the last line of the separation of duties
(``portal.accounts.duties``): where someone acts, nobody gives a role or a
membership to themselves, and nobody gives one at all except by applying a
request that another administrator approved. The admin turns additions into
requests before they get here; anything that forgets to is refused here.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from ..models import AccountAuditEntry
from ..ratelimit import client_ip

security_log = logging.getLogger("portal.security")
Action = AccountAuditEntry.Action


class DutyRefused(PermissionError):
    """A change of roles the rules refuse; ``str()`` is the message for the
    person who tried, in their language."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self):
        return self.message


# --- who acts ------------------------------------------------------------------------


@dataclass(frozen=True)
class Actor:
    user: object | None  # a signed-in user, or None (anonymous, or the system)
    address: str | None
    guarded: bool  # True: a person acts (web or service): the rules apply


_actor: contextvars.ContextVar = contextvars.ContextVar("portal_actor", default=None)
_applying: contextvars.ContextVar = contextvars.ContextVar(
    "portal_applying_grant", default=None
)

SYSTEM = Actor(user=None, address=None, guarded=False)


def current_actor() -> Actor:
    value = _actor.get()
    if value is None:
        return SYSTEM
    if isinstance(value, Actor):
        return value
    request = value  # set by ActorMiddleware: the user may change mid-request
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        user = None
    return Actor(user=user, address=client_ip(request), guarded=True)


@contextlib.contextmanager
def acting_as(user, address: str | None = None):
    """Changes inside are made by ``user`` (for the trail and the rules)."""
    outer = current_actor()
    token = _actor.set(Actor(user=user, address=address or outer.address, guarded=True))
    try:
        yield
    finally:
        _actor.reset(token)


@contextlib.contextmanager
def applying(grant):
    """Inside: the approved request ``grant`` is being carried out."""
    token = _applying.set(grant)
    try:
        yield
    finally:
        _applying.reset(token)


class ActorMiddleware:
    """Who acts in this request, for the account trail. After
    ``AuthenticationMiddleware``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _actor.set(request)
        try:
            return self.get_response(request)
        finally:
            _actor.reset(token)


# --- writing the trail ----------------------------------------------------------------


def record(
    action: str,
    *,
    subject=None,
    subject_id=None,
    subject_username: str = "",
    detail: str = "",
    actor: Actor | None = None,
) -> AccountAuditEntry:
    actor = actor or current_actor()
    if subject is not None:
        subject_id, subject_username = subject.pk, subject.get_username()
    return AccountAuditEntry.objects.create(
        actor=actor.user,
        actor_address=actor.address,
        subject_id=subject_id,
        subject_username=subject_username or "",
        action=action,
        detail=detail,
    )


def in_records_language(function, *args, **kwargs):
    """The trail is written in the portal's language (Chinese), whatever the
    language of the person acting."""
    with translation.override(settings.LANGUAGE_CODE):
        return function(*args, **kwargs)


# --- the rules, where someone acts ----------------------------------------------------------


def guard_addition(subject_pk, what: str) -> None:
    """Refuse giving ``what`` to the account ``subject_pk`` unless an approved
    request for that account is being carried out, and never to oneself.
    (The refusal rolls back with the transaction: it goes to the security
    log; the admin and the services record refusals in the trail before
    they get here.)"""
    actor = current_actor()
    if not actor.guarded:
        return
    if actor.user is not None and actor.user.pk == subject_pk:
        refusal = _(
            "不能给自己授予角色或权限（%(what)s）：授权须由其他管理员办理。"
        ) % {"what": what}
    else:
        grant = _applying.get()
        if grant is not None and grant.user_id == subject_pk:
            return
        refusal = _(
            "授予角色或权限（%(what)s）须先提交授权申请，并由另一名管理员批准。"
        ) % {"what": what}
    security_log.warning(
        "refused: %s gives %s to account %s",
        actor.user.pk if actor.user else "anonymous",
        what,
        subject_pk,
    )
    raise DutyRefused(refusal)


def guard_role_definition() -> None:
    if current_actor().guarded:
        raise DutyRefused(_("角色的权限由系统定义，不能在运行中修改。"))
