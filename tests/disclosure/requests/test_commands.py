"""The daily commands: reminders of requests due soon or overdue (to the
handlers and the office, once a day) and the erasure of identity numbers
after the retention period."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from disclosure.models import InformationRequest, RequestEvent, RequestReminder

from .helpers import backdate, received, world

pytestmark = pytest.mark.django_db


def test_reminders_go_to_the_handlers_and_the_office_once_a_day():
    w = world()
    overdue = backdate(received(w), 60)
    received(w)  # fresh: not due
    out = io.StringIO()
    call_command("send_due_reminders", stdout=out)
    recipients = {m.to[0] for m in mail.outbox if "依申请公开" in m.subject}
    assert recipients == {
        "clerk@example.gov.cn",
        "reviewer@example.gov.cn",
        "reviewer2@example.gov.cn",
        "officehead@example.gov.cn",
    }
    body = next(
        m.body
        for m in mail.outbox
        if m.to == ["clerk@example.gov.cn"] and "依申请公开" in m.subject
    )
    assert overdue.number in body and "已逾期" in body
    mail.outbox.clear()
    call_command("send_due_reminders", stdout=io.StringIO())
    assert not [m for m in mail.outbox if "依申请公开" in m.subject]
    assert RequestReminder.objects.count() == 4


def test_identity_numbers_are_erased_after_the_retention_period(settings):
    settings.PORTAL_REQUEST_ID_RETENTION_DAYS = 30
    w = world()
    old, recent, open_one = received(w), received(w), received(w)
    today = timezone.localdate()
    InformationRequest.objects.filter(pk=old.pk).update(
        state="closed", result="granted", closed_on=today - datetime.timedelta(days=31)
    )
    InformationRequest.objects.filter(pk=recent.pk).update(
        state="closed", result="granted", closed_on=today - datetime.timedelta(days=29)
    )
    dry = io.StringIO()
    call_command("erase_request_identities", "--dry-run", stdout=dry)
    assert "1 identity number(s) would be erased" in dry.getvalue()
    call_command("erase_request_identities", stdout=io.StringIO())
    old.refresh_from_db()
    assert (old.id_number, old.id_erased_on, old.applicant_name) == ("", today, "张三")
    assert InformationRequest.objects.get(pk=recent.pk).id_number
    assert InformationRequest.objects.get(pk=open_one.pk).id_number
    assert RequestEvent.objects.filter(request=old, action="erase_id").count() == 1
