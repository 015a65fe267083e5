"""Requests at the same moment, with real threads and transactions
(PostgreSQL): tracking and letter numbers stay unique and gap-free, and two
reviewers sending the same reply at once send it once."""

import pytest

from disclosure.models import InformationRequest, ReplyType, RequestLetter
from disclosure.workflow import InvalidTransition
from disclosure.workflow import requests as steps
from tests.disclosure.test_concurrency import _reference_data, errors, run_at_once  # noqa: F401

from .helpers import applicant_data, received, world

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_tracking_numbers_are_unique_and_gap_free():
    w = world()
    results = run_at_once(
        8, lambda i: steps.submit_online(data=applicant_data(w["organ"]))[0].number
    )
    assert not errors(results)
    serials = sorted(int(number[-5:]) for number in results)
    assert serials == list(range(serials[0], serials[0] + 8))
    assert InformationRequest.objects.count() == 8


def test_a_reply_is_sent_once_however_many_reviewers_click():
    w = world()
    request = received(w)
    steps.draft_reply(
        request=request, by=w["clerk"], reply_type=ReplyType.GRANTED, text="提供"
    )
    reviewers = [w["reviewer"], w["reviewer2"], w["admin"]]
    w["admin"].groups.add(w["reviewer"].groups.first())
    results = run_at_once(
        3, lambda i: steps.send_reply(request=request, by=reviewers[i])
    )
    sent = [r for r in results if isinstance(r, RequestLetter)]
    assert len(sent) == 1
    assert all(isinstance(e, InvalidTransition) for e in errors(results))
    assert RequestLetter.objects.filter(request=request, kind="reply").count() == 1
