"""Who may do what with a request (disclosure/request_permissions.py), every
predicate for every role, the forbidden ones included; and the workflow
refuses what the predicates refuse."""

import pytest
from django.contrib.auth.models import AnonymousUser

from disclosure import request_permissions as perms
from disclosure.models import ReplyType
from disclosure.workflow import NotAllowed
from disclosure.workflow import requests as steps

from .helpers import received, submitted, world

pytestmark = pytest.mark.django_db

ROLES = (
    "anonymous",
    "stranger",
    "auditor",
    "head",
    "office_clerk",
    "other_clerk",
    "clerk",
    "reviewer",
    "reviewer2",
    "admin",
)


def build(state, w):
    if state == "submitted":
        return submitted(w)[0]
    request = received(w)
    if state == "processing":
        return request
    if state == "correction":
        steps.request_correction(request=request, by=w["clerk"], items="文号", period=5)
    elif state == "fee":
        steps.issue_fee_notice(request=request, by=w["clerk"], method="pages", pages=40)
    elif state == "review":  # drafted by reviewer2
        steps.draft_reply(
            request=request,
            by=w["reviewer2"],
            reply_type=ReplyType.GRANTED,
            text="提供",
        )
    elif state == "closed":
        steps.draft_reply(
            request=request, by=w["clerk"], reply_type=ReplyType.GRANTED, text="提供"
        )
        steps.send_reply(request=request, by=w["reviewer"])
    request.refresh_from_db()
    return request


def allowed(*names):
    return frozenset(names)


OFFICE = ("reviewer", "reviewer2", "admin")
HANDLERS = ("clerk", *OFFICE)

# (predicate, state of the request, the roles that may)
TABLE = [
    ("can_view", "processing", allowed(*HANDLERS)),
    ("can_confirm", "submitted", allowed(*HANDLERS)),
    ("can_confirm", "processing", allowed()),
    ("can_discard", "submitted", allowed(*OFFICE)),
    ("can_assign", "processing", allowed(*HANDLERS)),
    ("can_assign", "closed", allowed()),
    ("can_request_correction", "processing", allowed(*HANDLERS)),
    ("can_request_correction", "correction", allowed()),
    ("can_record_correction", "correction", allowed(*HANDLERS)),
    ("can_consult", "processing", allowed(*HANDLERS)),
    ("can_consult", "fee", allowed()),
    ("can_extend", "processing", allowed("admin")),
    ("can_extend", "correction", allowed()),
    ("can_charge", "processing", allowed(*HANDLERS)),
    ("can_confirm_payment", "fee", allowed(*HANDLERS)),
    ("can_draft_reply", "processing", allowed(*HANDLERS)),
    ("can_draft_reply", "review", allowed()),
    ("can_review_reply", "review", allowed("reviewer")),  # not its drafter
    ("can_review_reply", "processing", allowed()),
    ("can_record_withdrawal", "review", allowed(*HANDLERS)),
    ("can_make_proactive", "closed", allowed("clerk")),
    ("can_make_proactive", "processing", allowed()),
]


@pytest.mark.parametrize(("predicate", "state", "expected"), TABLE)
def test_every_role(predicate, state, expected):
    w = world()
    w["anonymous"] = AnonymousUser()
    request = build(state, w)
    got = {role for role in ROLES if getattr(perms, predicate)(w[role], request)}
    assert got == set(expected)


@pytest.mark.parametrize(
    ("predicate", "expected"),
    [
        ("can_use_register", {"clerk", "office_clerk", "other_clerk", *OFFICE}),
        ("can_keep_appeals", set(OFFICE)),
        ("can_see_tables", set(OFFICE)),
        ("can_register", {"clerk", "office_clerk", "other_clerk", *OFFICE}),
    ],
)
def test_register_wide_rights(predicate, expected):
    w = world()
    w["anonymous"] = AnonymousUser()
    assert {role for role in ROLES if getattr(perms, predicate)(w[role])} == expected


def test_the_register_shows_each_clerk_the_requests_of_their_departments():
    w = world()
    mine, theirs = received(w), received(w)
    steps.assign(request=theirs, by=w["reviewer"], department=w["other"])
    office_one = received(w)
    steps.assign(request=office_one, by=w["reviewer"], department=w["office"])
    visible = {
        role: set(perms.visible_requests(w[role]).values_list("pk", flat=True))
        for role in ("clerk", "other_clerk", "office_clerk", "head", "reviewer")
    }
    assert visible["clerk"] == {mine.pk, office_one.pk}  # its office's too
    assert visible["other_clerk"] == {theirs.pk}
    assert visible["office_clerk"] == {office_one.pk}
    assert visible["head"] == set()
    assert visible["reviewer"] == {mine.pk, theirs.pk, office_one.pk}


@pytest.mark.parametrize("role", ["stranger", "head", "other_clerk", "auditor"])
def test_the_workflow_refuses_whom_the_predicates_refuse(role):
    w = world()
    request = received(w)
    with pytest.raises(NotAllowed):
        steps.draft_reply(
            request=request, by=w[role], reply_type=ReplyType.GRANTED, text="提供"
        )
    with pytest.raises(NotAllowed):
        steps.issue_fee_notice(request=request, by=w[role], method="pages", pages=40)
