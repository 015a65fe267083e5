"""Complaints about disclosure (条例第四十七条): the public form, routed to the
office, tracked to a recorded outcome, and counted in the statistics, the
quarterly 通报 and the self-inspection report, whose sentence comes from the
figures."""

import datetime

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from catalog.selectors import work_calendar
from disclosure.complaint_figures import complaint_figures, complaint_sentence
from disclosure.models import Complaint, ParticipationEntry
from disclosure.oversight import periods, self_inspection
from disclosure.participation import complaints
from disclosure.workflow import NotAllowed, WorkflowError

pytestmark = pytest.mark.django_db


def filed(world, **overrides) -> Complaint:
    data = {
        "kind": Complaint.Kind.LATE,
        "department": world.department,
        "subject": "2026年耕地地力保护补贴发放结果",
        "description": "补贴发放结果超过20个工作日仍未公开。",
        "name": "赵先生",
        "contact": "13900000000",
        "email": "zhao@example.com",
    }
    data.update(overrides)
    return complaints.file_complaint(data=data)


FORM = {
    "kind": "not_published",
    "department": "",
    "subject": "城北保障性租赁住房分配结果",
    "description": "分配结果没有在网站公开。",
    "name": "",
    "contact": "",
    "email": "citizen@example.com",
}


def test_the_public_files_a_complaint_and_follows_it(client, world, committed):
    response = committed(client.post, reverse("participation:complaint"), FORM)
    complaint = Complaint.objects.get()
    assert response.status_code == 302
    assert response["Location"] == complaint.get_status_url() + "?new=1"
    year = timezone.localdate().year
    assert complaint.number == f"TS{year}-0001"
    status = client.get(response["Location"])
    text = status.content.decode()
    assert complaint.number in text and "已收到" in text
    assert status["X-Robots-Tag"] == "noindex"
    assert "no-store" in status["Cache-Control"]
    recipients = {address for message in mail.outbox for address in message.to}
    assert {world.reviewer.email, world.admin.email} <= recipients  # the office
    assert world.clerk.email not in recipients
    assert "citizen@example.com" in recipients  # acknowledged, with the link
    acknowledgement = next(m for m in mail.outbox if m.to == ["citizen@example.com"])
    assert complaint.get_status_url() in acknowledgement.body
    assert ParticipationEntry.objects.get().action == "complaint_received"


def test_numbers_are_consecutive_per_year(world):
    year = timezone.localdate().year
    numbers = [filed(world).number for _ in range(3)]
    assert numbers == [f"TS{year}-0001", f"TS{year}-0002", f"TS{year}-0003"]


def test_a_bad_form_is_kept_with_messages(client, world):
    response = client.post(
        reverse("participation:complaint"),
        {**FORM, "kind": "", "description": "", "email": "不是邮箱"},
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "请选择投诉类型" in text
    assert "请填写“投诉内容”" in text
    assert "请填写有效的电子邮箱地址" in text
    assert "城北保障性租赁住房分配结果" in text
    assert not Complaint.objects.exists()


def test_the_honeypot_and_the_rate_limit(client, world):
    response = client.post(
        reverse("participation:complaint"), {**FORM, "hp_field": "x"}
    )
    assert response.status_code == 200
    assert not Complaint.objects.exists()
    statuses = [
        client.post(reverse("participation:complaint"), FORM).status_code
        for _ in range(6)
    ]
    assert statuses == [302] * 4 + [429, 429]  # 5 an hour (the honeypot counted)
    assert Complaint.objects.count() == 4


def test_an_unknown_key_is_404(client, world):
    filed(world)
    assert client.get("/complaints/status/guess/").status_code == 404


def test_the_office_concludes_with_a_recorded_outcome(client, world, committed):
    complaint = filed(world)
    with pytest.raises(NotAllowed):
        complaints.accept_complaint(complaint=complaint, by=world.clerk)
    complaints.accept_complaint(complaint=complaint, by=world.admin)
    with pytest.raises(WorkflowError, match="核查经过"):
        complaints.conclude_complaint(
            complaint=complaint, by=world.admin, outcome="rectified", outcome_text=" "
        )
    concluded = committed(
        complaints.conclude_complaint,
        complaint=complaint,
        by=world.reviewer,
        outcome=Complaint.Outcome.RECTIFIED,
        outcome_text="经核查属实，已督促区农业农村局公开并整改。",
    )
    assert concluded.state == "concluded" and concluded.is_substantiated
    (message,) = [m for m in mail.outbox if m.to == ["zhao@example.com"]][-1:]
    assert "查证属实，已督促整改" in message.body
    status = client.get(complaint.get_status_url()).content.decode()
    assert "已督促区农业农村局公开并整改" in status
    with pytest.raises(WorkflowError, match="已经办结"):
        complaints.conclude_complaint(
            complaint=complaint, by=world.admin, outcome="unfounded", outcome_text="x"
        )
    actions = list(
        ParticipationEntry.objects.filter(complaint=complaint).values_list(
            "action", flat=True
        )
    )
    assert actions == [
        "complaint_received",
        "complaint_accepted",
        "complaint_concluded",
    ]


def test_the_database_refuses_a_conclusion_without_an_outcome(world):
    complaint = filed(world)
    with pytest.raises(IntegrityError), transaction.atomic():
        Complaint.objects.filter(pk=complaint.pk).update(state="concluded")


def test_the_staff_pages(client, world):
    complaint = filed(world)
    client.force_login(world.clerk)
    assert client.get(reverse("participation:staff-complaints")).status_code == 403
    client.force_login(world.admin)
    listing = client.get(reverse("participation:staff-complaints")).content.decode()
    assert complaint.number in listing
    response = client.post(
        reverse("participation:staff-complaint-conclude", args=[complaint.pk]),
        {"outcome": "", "outcome_text": ""},
    )
    assert response.status_code == 400
    assert "请选择办理结果" in response.content.decode()
    client.post(reverse("participation:staff-complaint-accept", args=[complaint.pk]))
    response = client.post(
        reverse("participation:staff-complaint-conclude", args=[complaint.pk]),
        {"outcome": "unfounded", "outcome_text": "经核查，该信息已按时公开。"},
    )
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.outcome == "unfounded" and complaint.handled_by == world.admin


# --- counted -------------------------------------------------------------------------------


def _in_quarter(world, clock, day):
    clock.move_to(
        timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
    )
    return filed(world)


def test_figures_and_the_sentence(world):
    today = timezone.localdate()
    empty = complaint_figures(today, today)
    assert empty.received == 0
    assert complaint_sentence(empty, "2026年") == (
        "2026年，没有收到涉及政府信息公开工作的举报、投诉。"
    )
    one = filed(world)
    filed(world, kind=Complaint.Kind.WRONG, department=world.other_department)
    complaints.conclude_complaint(
        complaint=one, by=world.admin, outcome="criticised", outcome_text="属实。"
    )
    figures = complaint_figures(today, today)
    assert (
        figures.received,
        figures.concluded,
        figures.substantiated,
        figures.open,
    ) == (
        2,
        1,
        1,
        1,
    )
    assert dict(figures.by_kind) == {
        "未在规定期限内公开": 1,
        "公开的信息不准确、不完整或有误": 1,
    }
    assert complaint_sentence(figures, "本期") == (
        "本期，收到涉及政府信息公开工作的举报、投诉2件，已办结1件，其中查证属实（含部分属实）1件，"
        "均已督促整改或通报批评；1件正在核查。"
    )
    yesterday = today - datetime.timedelta(days=1)
    assert complaint_figures(yesterday, yesterday).received == 0


def test_counted_in_the_quarterly_bulletin(client, world, clock):
    today = timezone.localdate()
    quarter = periods.quarter_of(today)
    year, last = (today.year, quarter - 1) if quarter > 1 else (today.year - 1, 4)
    period = periods.quarter_period(year, last)
    _in_quarter(world, clock, period.start + datetime.timedelta(days=3))
    _in_quarter(world, clock, period.end)
    _in_quarter(world, clock, period.end + datetime.timedelta(days=1))  # next quarter
    clock.move_to(timezone.now() + datetime.timedelta(days=1))
    client.force_login(world.reviewer)
    page = client.get(f"/workspace/oversight/bulletin/?year={year}&quarter={last}")
    text = page.content.decode()
    assert "期间收到政府信息公开投诉举报 2 件" in text


def test_counted_in_the_statistics(client, world):
    filed(world)
    client.force_login(world.reviewer)
    text = client.get("/workspace/oversight/statistics/").content.decode()
    assert "期间收到政府信息公开投诉举报 1 件" in text


def test_the_self_inspection_sentence_comes_from_the_figures(world):
    today = timezone.localdate()
    period = periods.Period(datetime.date(today.year, 1, 1), today)
    report = self_inspection.create_report(
        period=period,
        title="自查报告",
        by=world.admin,
        today=today,
        now=timezone.now(),
        calendar=work_calendar(),
    )
    assert "没有收到涉及政府信息公开工作的举报、投诉" in report.work_done
    filed(world)
    report = self_inspection.create_report(
        period=period,
        title="自查报告",
        by=world.admin,
        today=today,
        now=timezone.now(),
        calendar=work_calendar(),
    )
    assert "收到涉及政府信息公开工作的举报、投诉1件" in report.work_done
    assert "没有收到" not in report.work_done
