"""The self-inspection report counts requests from the register: received,
closed by result, answered on time, reviews and lawsuits."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from catalog.selectors import work_calendar
from disclosure.models import AppealCase, InformationRequest, ReplyType
from disclosure.oversight import self_inspection
from disclosure.oversight.periods import Period
from disclosure.workflow import requests as steps

from .helpers import received, world

pytestmark = pytest.mark.django_db


def test_the_draft_and_the_page_count_requests(client):
    w = world()
    granted, late, _open = received(w), received(w), received(w)
    steps.draft_reply(
        request=granted, by=w["clerk"], reply_type=ReplyType.GRANTED, text="提供"
    )
    steps.send_reply(request=granted, by=w["reviewer"])
    steps.draft_reply(
        request=late, by=w["clerk"], reply_type=ReplyType.REJECTED_REPEATED
    )
    steps.send_reply(request=late, by=w["reviewer"])
    InformationRequest.objects.filter(pk=late.pk).update(
        received_on=timezone.localdate() - datetime.timedelta(days=60)
    )
    today = timezone.localdate()
    AppealCase.objects.create(
        organ=w["organ"],
        kind="review",
        case_number="c1",
        filed_on=today,
        created_by=w["admin"],
    )
    period = Period(today - datetime.timedelta(days=90), today)
    report = self_inspection.create_report(
        period=period,
        title="自查报告",
        by=w["admin"],
        today=today,
        now=timezone.now(),
        calendar=work_calendar(),
    )
    assert (
        "本期收到政府信息公开申请3件，办结2件（予以公开1件、不予处理1件），按时答复率50.0%"
        in report.work_done
    )
    assert "行政复议1件、行政诉讼0件" in report.work_done
    client.force_login(w["admin"])
    page = client.get(
        reverse("oversight:self-inspection", args=[report.pk])
    ).content.decode()
    assert "按时答复" in page and "予以公开 1" in page


def test_the_statistics_page_counts_requests_of_the_period(client):
    w = world()
    granted, _open = received(w), received(w)
    steps.draft_reply(
        request=granted, by=w["clerk"], reply_type=ReplyType.GRANTED, text="提供"
    )
    steps.send_reply(request=granted, by=w["reviewer"])
    client.force_login(w["admin"])
    today = timezone.localdate()
    page = client.get(
        reverse("oversight:statistics"),
        {"start": (today - datetime.timedelta(days=30)).isoformat(), "end": today},
    ).content.decode()
    assert '<dl class="contact" data-figures="requests">' in page
    assert "<dt>收到申请</dt><dd>2</dd>" in page
    assert "予以公开 1" in page
    assert reverse("requests_staff:tables") in page
    # a period before any request: said so, not zeros
    page = client.get(
        reverse("oversight:statistics"), {"start": "2001-01-01", "end": "2001-12-31"}
    ).content.decode()
    assert "本期门户尚未受理政府信息公开申请，暂无数据。" in page
