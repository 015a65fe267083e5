"""The archive (disclosure/archive/) keeps the register of requests whole:
requests with their personal data, pauses, letters, trail, serials,
appeals, reminders and reading places round-trip into a new installation,
and the applicant's access code, letters and numbering still work there."""

import datetime

import pytest
from django.utils import timezone

from disclosure import request_access
from disclosure.models import (
    AppealCase,
    InformationRequest,
    ReadingPlace,
    ReplyType,
    RequestEvent,
    RequestLetter,
    RequestReminder,
)
from disclosure.workflow import requests as steps
from tests.disclosure.archive.test_archive import (  # noqa: F401 - fixtures
    export,
    fresh_installation,
    import_,
    installed,
    media,
    snapshot,
)

from .helpers import received, submitted, world

LABELS = (
    "disclosure.informationrequest",
    "disclosure.requestpause",
    "disclosure.requestletter",
    "disclosure.requestevent",
    "disclosure.requestserial",
    "disclosure.appealcase",
    "disclosure.requestreminder",
    "disclosure.readingplace",
)


@pytest.mark.django_db(transaction=True)
def test_the_request_register_round_trips(installed, media, tmp_path):  # noqa: F811
    w = world()
    request, code = submitted(w)
    steps.confirm_receipt(request=request, by=w["clerk"])
    steps.request_correction(request=request, by=w["clerk"], items="文号", period=10)
    steps.correct(request=request, description="示财〔2025〕12号")
    pause = steps.start_consultation(
        request=request, by=w["clerk"], kind="third_party", party="某公司"
    )
    steps.end_consultation(
        pause=pause, by=w["clerk"], answer="同意", answered_on=timezone.localdate()
    )
    steps.draft_reply(
        request=request, by=w["clerk"], reply_type=ReplyType.GRANTED, text="提供"
    )
    steps.send_reply(request=request, by=w["reviewer"])
    other = received(w)
    steps.issue_fee_notice(request=other, by=w["clerk"], method="pages", pages=50)
    AppealCase.objects.create(
        organ=w["organ"],
        kind="review",
        case_number="示政复〔2026〕1号",
        request=request,
        filed_on=timezone.localdate(),
        created_by=w["admin"],
    )
    ReadingPlace.objects.create(name="区档案馆查阅室", address="文化路12号")
    RequestReminder.objects.create(
        recipient=w["clerk"], sent_on=datetime.date(2026, 3, 2)
    )
    before = snapshot()
    for label in LABELS:
        assert before[label], label
    path = tmp_path / "portal.zip"
    export(path)
    fresh_installation()
    media.switch()
    assert not InformationRequest.objects.exists()

    _out, err = import_(path)

    assert err == ""
    after = snapshot()
    for label in LABELS:
        assert after[label] == before[label], label
    restored = InformationRequest.objects.get(pk=request.pk)
    assert request_access.matches(restored.access_code_hash, code)
    assert restored.id_number == "11010519491231002X"
    assert RequestLetter.objects.filter(request=restored, kind="reply").exists()
    # Numbering goes on where it stopped.
    new, _code = submitted(w | {"organ": restored.organ})
    assert int(new.number[-5:]) == int(other.number[-5:]) + 1
    assert RequestEvent.objects.filter(request=new).count() == 1
