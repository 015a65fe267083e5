"""意见征集: drafting and the 30-day rule for major decisions (《重大行政决策
程序暂行条例》第十五条), the second pair of eyes on publication, comments and
their moderation, the feedback after closing, files, the public pages and
feeds."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from catalog.models import Membership
from disclosure import workflow
from disclosure.models import (
    Consultation,
    ConsultationComment,
    ParticipationEntry,
    PublicRecord,
)
from disclosure.participation import consultations, feedback
from disclosure.uploads import check_upload
from disclosure.workflow import NotAllowed, WorkflowError
from tests import factories
from tests.disclosure.public_fixtures import publish

from .conftest import consultation_data, move_clock, published_consultation

pytestmark = pytest.mark.django_db


def page(response) -> str:
    return response.content.decode()


# --- the period (条例第十五条) ----------------------------------------------------------


@pytest.mark.parametrize(
    ("days", "major", "reason", "accepted"),
    [
        (30, True, "", True),
        (29, True, "", False),
        (10, True, "防汛形势紧急，须在汛期前出台。", True),
        (10, False, "", True),
        (45, True, "", True),
    ],
)
def test_major_decisions_need_thirty_days_unless_a_reason_is_recorded(
    world, days, major, reason, accepted
):
    today = timezone.localdate()
    data = consultation_data(
        world,
        closes_on=today + datetime.timedelta(days=days),
        is_major_decision=major,
        short_period_reason=reason,
    )
    if accepted:
        consultation = consultations.create_consultation(by=world.clerk, data=data)
        assert consultation.days == days
    else:
        with pytest.raises(WorkflowError, match="不少于30日"):
            consultations.create_consultation(by=world.clerk, data=data)
        assert not Consultation.objects.exists()


def test_the_opening_day_is_not_counted(world):
    today = timezone.localdate()
    consultation = consultations.create_consultation(
        by=world.clerk,
        data=consultation_data(
            world, opens_on=today, closes_on=today + datetime.timedelta(days=30)
        ),
    )
    # From the 1st to the 31st of a month: the 1st is not counted, 30 days.
    assert consultation.days == 30
    assert not consultation.period_too_short


def test_shortening_after_drafting_is_refused_at_publication_too(world):
    consultation = consultations.create_consultation(
        by=world.clerk, data=consultation_data(world)
    )
    consultations.submit_consultation(consultation=consultation, by=world.clerk)
    # Someone shortens the period in the database behind the form's back.
    Consultation.objects.filter(pk=consultation.pk).update(
        closes_on=timezone.localdate() + datetime.timedelta(days=5)
    )
    with pytest.raises(WorkflowError, match="不少于30日"):
        consultations.publish_consultation(consultation=consultation, by=world.reviewer)
    consultation.refresh_from_db()
    assert consultation.state == Consultation.State.SUBMITTED


def test_the_reason_for_a_short_period_is_shown_to_the_public(client, world):
    today = timezone.localdate()
    consultation = published_consultation(
        world,
        closes_on=today + datetime.timedelta(days=10),
        short_period_reason="防汛形势紧急，须在汛期前出台。",
    )
    response = client.get(consultation.get_absolute_url())
    assert "征集期不足30日的理由" in page(response)
    assert "防汛形势紧急" in page(response)


# --- who may do what ----------------------------------------------------------------------


def test_the_drafter_may_not_publish_even_as_a_reviewer(world):
    drafter = factories.reviewer()
    Membership.objects.create(user=drafter, department=world.department)
    consultation = consultations.create_consultation(
        by=drafter, data=consultation_data(world)
    )
    consultations.submit_consultation(consultation=consultation, by=drafter)
    with pytest.raises(NotAllowed):
        consultations.publish_consultation(consultation=consultation, by=drafter)
    published = consultations.publish_consultation(
        consultation=consultation, by=world.reviewer
    )
    assert published.state == Consultation.State.PUBLISHED


def test_whoever_attached_a_file_may_not_publish(world):
    uploader = factories.reviewer()
    Membership.objects.create(user=uploader, department=world.department)
    consultation = consultations.create_consultation(
        by=world.clerk, data=consultation_data(world)
    )
    upload = factories.pdf_upload("征求意见稿.pdf")
    consultations.add_attachment(
        consultation=consultation,
        by=uploader,
        uploaded=upload,
        checked=check_upload(upload),
    )
    consultations.submit_consultation(consultation=consultation, by=world.clerk)
    with pytest.raises(NotAllowed):
        consultations.publish_consultation(consultation=consultation, by=uploader)


@pytest.mark.parametrize("who", ["other_clerk", "head", "plain_user"])
def test_others_may_not_draft_for_a_department(world, who):
    user = {
        "other_clerk": world.other_clerk,
        "head": factories.head_of(world.department),
        "plain_user": factories.UserFactory(),
    }[who]
    with pytest.raises(NotAllowed):
        consultations.create_consultation(by=user, data=consultation_data(world))


def test_a_consultation_may_not_open_in_the_past(world, clock):
    consultation = consultations.create_consultation(
        by=world.clerk, data=consultation_data(world)
    )
    consultations.submit_consultation(consultation=consultation, by=world.clerk)
    move_clock(clock, 2)
    with pytest.raises(WorkflowError, match="开始日期"):
        consultations.publish_consultation(consultation=consultation, by=world.reviewer)


def test_return_needs_a_reason_and_sends_it_back_to_draft(world):
    consultation = consultations.create_consultation(
        by=world.clerk, data=consultation_data(world)
    )
    consultations.submit_consultation(consultation=consultation, by=world.clerk)
    with pytest.raises(WorkflowError):
        consultations.return_consultation(
            consultation=consultation, by=world.reviewer, comment=" "
        )
    returned = consultations.return_consultation(
        consultation=consultation, by=world.reviewer, comment="请补充起草说明。"
    )
    assert returned.state == Consultation.State.DRAFT
    assert returned.return_comment == "请补充起草说明。"
    actions = list(returned.trail.values_list("action", flat=True))
    assert actions == ["create", "submit", "return"]


def test_the_trail_is_append_only(world):
    consultation = published_consultation(world)
    entry = consultation.trail.first()
    entry.note = "改写"
    with pytest.raises(Exception, match="never changed"):
        entry.save()
    with pytest.raises(Exception, match="never"):
        ParticipationEntry.objects.filter(pk=entry.pk).update(note="x")
    with pytest.raises(Exception, match="never deleted"):
        entry.delete()


# --- comments ------------------------------------------------------------------------------


def test_comments_are_shown_only_after_moderation(client, world):
    consultation = published_consultation(world)
    response = client.post(
        reverse("participation:comment", args=[consultation.pk]),
        {"body": "建议增加奖励措施。", "name": "张先生", "contact": "13800000000"},
    )
    assert response.status_code == 302
    assert response["Location"].endswith(
        f"/consultations/{consultation.pk}/comment/thanks/"
    )
    comment = ConsultationComment.objects.get()
    assert comment.state == ConsultationComment.State.PENDING
    assert "建议增加奖励措施" not in page(client.get(consultation.get_absolute_url()))

    feedback.moderate_comment(comment=comment, by=world.reviewer, state="published")
    shown = page(client.get(consultation.get_absolute_url()))
    assert "建议增加奖励措施" in shown
    assert "张先生" in shown
    assert "13800000000" not in shown  # the contact is never shown


def test_hidden_comments_count_spam_does_not(client, world):
    consultation = published_consultation(world)
    for body, state in [("甲", "published"), ("乙", "hidden"), ("广告", "spam")]:
        comment = feedback.add_comment(
            consultation=consultation, name="", contact="", body=body
        )
        feedback.moderate_comment(comment=comment, by=world.admin, state=state)
    response = client.get(consultation.get_absolute_url())
    assert "2 条（公开 1 条）" in page(response)
    assert "广告" not in page(response)


def test_comment_text_is_sanitised(world):
    consultation = published_consultation(world)
    comment = feedback.add_comment(
        consultation=consultation,
        name="王\u202e先生",
        contact="",
        body="<script>alert(1)</script>\x00意见\u202e内容\r\n\r\n\r\n\r\n第二段",
    )
    assert comment.name == "王先生"
    assert comment.body == "<script>alert(1)</script>意见内容\n\n第二段"


def test_a_comment_with_script_is_shown_escaped(client, world):
    consultation = published_consultation(world)
    comment = feedback.add_comment(
        consultation=consultation, name="", contact="", body="<script>alert(1)</script>"
    )
    feedback.moderate_comment(comment=comment, by=world.admin, state="published")
    shown = page(client.get(consultation.get_absolute_url()))
    assert "<script>alert(1)</script>" not in shown
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in shown


def test_a_too_long_comment_keeps_the_form_and_says_why(client, world):
    consultation = published_consultation(world)
    response = client.post(
        reverse("participation:comment", args=[consultation.pk]),
        {"body": "长" * 5001, "name": "张先生"},
    )
    assert response.status_code == 400
    assert "意见内容最多5000字" in page(response)
    assert 'value="张先生"' in page(response)
    assert not ConsultationComment.objects.exists()


def test_the_honeypot_stores_nothing_but_looks_sent(client, world):
    consultation = published_consultation(world)
    response = client.post(
        reverse("participation:comment", args=[consultation.pk]),
        {"body": "买药", "hp_field": "http://spam.example"},
    )
    assert response.status_code == 302
    assert not ConsultationComment.objects.exists()


def test_comments_are_rate_limited_per_address(client, world):
    consultation = published_consultation(world)
    url = reverse("participation:comment", args=[consultation.pk])
    statuses = [client.post(url, {"body": f"意见{n}"}).status_code for n in range(7)]
    assert statuses[:5] == [302] * 5
    assert statuses[5:] == [429, 429]
    assert ConsultationComment.objects.count() == 5


def test_no_comments_before_opening_or_after_closing(client, world, clock):
    today = timezone.localdate()
    consultation = published_consultation(
        world,
        opens_on=today + datetime.timedelta(days=2),
        closes_on=today + datetime.timedelta(days=40),
    )
    url = reverse("participation:comment", args=[consultation.pk])
    assert "将于" in page(client.get(url))
    assert client.post(url, {"body": "早到的意见"}).status_code == 409
    with pytest.raises(WorkflowError):
        feedback.add_comment(consultation=consultation, name="", contact="", body="x")
    move_clock(clock, 2)
    assert client.post(url, {"body": "征集期内的意见"}).status_code == 302
    move_clock(clock, 39)
    assert client.post(url, {"body": "迟到的意见"}).status_code == 409
    assert list(ConsultationComment.objects.values_list("body", flat=True)) == [
        "征集期内的意见"
    ]


# --- feedback -------------------------------------------------------------------------------


def _closed(world, clock):
    today = timezone.localdate()
    consultation = published_consultation(
        world, closes_on=today + datetime.timedelta(days=10), is_major_decision=False
    )
    comment = feedback.add_comment(
        consultation=consultation, name="", contact="", body="建议明确收运频次。"
    )
    move_clock(clock, 11)
    return consultation, comment


FEEDBACK = {
    "offline_comment_count": 2,
    "feedback_summary": "共收到意见建议3条。",
    "feedback_adopted": "采纳2条：明确收运频次。",
    "feedback_not_adopted": "未采纳1条：按户收费，与上位法不符。",
}


def test_feedback_only_after_closing(world):
    consultation = published_consultation(world)
    with pytest.raises(NotAllowed):
        feedback.save_feedback(consultation=consultation, by=world.clerk, data=FEEDBACK)


def test_feedback_waits_for_every_comment_to_be_moderated(world, clock):
    consultation, comment = _closed(world, clock)
    feedback.save_feedback(consultation=consultation, by=world.clerk, data=FEEDBACK)
    with pytest.raises(WorkflowError, match="未审核的意见"):
        feedback.submit_feedback(consultation=consultation, by=world.clerk)
    feedback.moderate_comment(comment=comment, by=world.admin, state="published")
    submitted = feedback.submit_feedback(consultation=consultation, by=world.clerk)
    assert submitted.feedback_state == Consultation.FeedbackState.SUBMITTED


def test_feedback_is_published_by_someone_who_did_not_write_it(
    client, world, clock, second_reviewer
):
    consultation, comment = _closed(world, clock)
    feedback.moderate_comment(comment=comment, by=world.admin, state="hidden")
    feedback.save_feedback(consultation=consultation, by=second_reviewer, data=FEEDBACK)
    feedback.submit_feedback(consultation=consultation, by=world.clerk)
    with pytest.raises(NotAllowed):
        feedback.publish_feedback(consultation=consultation, by=second_reviewer)
    url = reverse("participation:feedback", args=[consultation.pk])
    assert client.get(url).status_code == 404
    feedback.publish_feedback(consultation=consultation, by=world.reviewer)
    response = client.get(url)
    assert response.status_code == 200
    text = page(response)
    assert "采纳2条：明确收运频次。" in text
    assert "按户收费，与上位法不符" in text
    # 1 comment kept online (hidden, still counted) + 2 by other means.
    assert '<th scope="row">收到意见</th><td>3 条</td>' in text
    assert "查看意见采纳情况反馈" in page(client.get(consultation.get_absolute_url()))


def _feedback_published_and_a_policy(world, clock):
    """A closed consultation whose feedback is published, and a published
    policy not yet linked to it."""
    consultation, comment = _closed(world, clock)
    feedback.moderate_comment(comment=comment, by=world.admin, state="published")
    feedback.save_feedback(consultation=consultation, by=world.clerk, data=FEEDBACK)
    feedback.submit_feedback(consultation=consultation, by=world.clerk)
    feedback.publish_feedback(consultation=consultation, by=world.reviewer)
    return consultation, publish(world, title="示例区农村生活垃圾分类管理办法")


def test_the_adopted_policy_links_the_feedback_and_back(client, world, clock):
    consultation, policy = _feedback_published_and_a_policy(world, clock)
    with pytest.raises(WorkflowError, match="没有找到"):
        feedback.link_policy(
            consultation=consultation, by=world.admin, index_number="X/1"
        )
    feedback.link_policy(
        consultation=consultation, by=world.admin, index_number=policy.index_number
    )
    policy_page = page(client.get(policy.get_absolute_url()))
    assert reverse("participation:feedback", args=[consultation.pk]) in policy_page
    feedback_page = page(
        client.get(reverse("participation:feedback", args=[consultation.pk]))
    )
    assert policy.get_absolute_url() in feedback_page
    # A withdrawn policy is no longer linked from the feedback.
    workflow.withdraw(
        item=policy.item, by=world.admin, reason="已被新文件替代，停止执行。"
    )
    assert PublicRecord.objects.get(pk=policy.pk).status == "withdrawn"
    feedback_page = page(
        client.get(reverse("participation:feedback", args=[consultation.pk]))
    )
    assert policy.get_absolute_url() not in feedback_page


# --- files ----------------------------------------------------------------------------------


def test_files_are_checked_and_public_only_once_published(client, world):
    consultation = consultations.create_consultation(
        by=world.clerk, data=consultation_data(world)
    )
    upload = factories.pdf_upload("征求意见稿.pdf")
    attachment = consultations.add_attachment(
        consultation=consultation,
        by=world.clerk,
        uploaded=upload,
        checked=check_upload(upload),
    )
    url = attachment.get_absolute_url()
    assert client.get(url).status_code == 404
    consultations.submit_consultation(consultation=consultation, by=world.clerk)
    consultations.publish_consultation(consultation=consultation, by=world.reviewer)
    response = client.get(url)
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_a_file_that_is_not_what_it_says_is_refused_in_the_staff_page(client, world):
    consultation = consultations.create_consultation(
        by=world.clerk, data=consultation_data(world)
    )
    client.force_login(world.clerk)
    fake = SimpleUploadedFile("通知.pdf", b"<html><script>x</script></html>")
    response = client.post(
        reverse("participation:staff-consultation-upload", args=[consultation.pk]),
        {"files": [fake]},
        follow=True,
    )
    assert "未上传 通知.pdf" in page(response)
    assert not consultation.attachments.exists()


# --- public pages and feeds -----------------------------------------------------------------


def test_the_list_by_phase_with_a_query_guard(
    client, world, django_assert_max_num_queries
):
    today = timezone.localdate()
    for number in range(12):
        published_consultation(world, title=f"征求意见稿第{number}号")
    published_consultation(
        world,
        title="即将开始的征集",
        opens_on=today + datetime.timedelta(days=3),
        closes_on=today + datetime.timedelta(days=40),
    )
    draft = consultations.create_consultation(
        by=world.clerk, data=consultation_data(world, title="未发布的草稿")
    )
    with django_assert_max_num_queries(8):
        response = client.get("/consultations/")
    text = page(response)
    assert "征求意见稿第11号" in text
    assert "即将开始的征集" not in text
    assert draft.title not in text
    assert "正在征集（12）" in text
    upcoming = page(client.get("/consultations/?status=upcoming"))
    assert "即将开始的征集" in upcoming
    assert client.get(f"/consultations/{draft.pk}/").status_code == 404
    assert client.get("/consultations/?status=nonsense").status_code == 200


def test_the_feeds_list_consultations_and_feedback(client, world):
    consultation = published_consultation(world, title="供热管理办法（征求意见稿）")
    consultations.create_consultation(
        by=world.clerk, data=consultation_data(world, title="草稿不进订阅源")
    )
    response = client.get("/consultations/feed.atom")
    assert response.status_code == 200
    root = ET.fromstring(response.content)  # noqa: S314 - our own feed
    titles = [
        entry.findtext("{http://www.w3.org/2005/Atom}title")
        for entry in root.iter("{http://www.w3.org/2005/Atom}entry")
    ]
    assert titles == ["【征求意见】供热管理办法（征求意见稿）"]
    assert client.get("/consultations/feed.rss").status_code == 200
    assert consultation.get_absolute_url() in response.content.decode()


def test_staff_pages_are_for_clerks_and_the_office(client, world):
    consultation = published_consultation(world)
    url = reverse("participation:staff-consultation", args=[consultation.pk])
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(factories.UserFactory())
    assert client.get(url).status_code == 403
    client.force_login(world.other_clerk)
    assert client.get(url).status_code == 404  # another department's
    client.force_login(world.clerk)
    assert client.get(url).status_code == 200
    client.force_login(world.other_clerk)
    assert client.get(reverse("participation:staff-comments")).status_code == 403


def test_a_consultation_through_the_staff_pages(client, world):
    client.force_login(world.clerk)
    today = timezone.localdate()
    response = client.post(
        reverse("participation:staff-consultation-new"),
        {
            "department": world.department.pk,
            "title": "示例区供热管理办法（征求意见稿）",
            "draft_text": "第一条",
            "explanation": "",
            "opens_on": today.isoformat(),
            "closes_on": (today + datetime.timedelta(days=20)).isoformat(),
            "is_major_decision": "on",
            "short_period_reason": "",
            "offline_contact": "",
        },
    )
    assert response.status_code == 400
    assert "不少于30日" in page(response)
    assert 'value="示例区供热管理办法（征求意见稿）"' in page(response)
    response = client.post(
        reverse("participation:staff-consultation-new"),
        {
            "department": world.department.pk,
            "title": "示例区供热管理办法（征求意见稿）",
            "draft_text": "第一条",
            "opens_on": today.isoformat(),
            "closes_on": (today + datetime.timedelta(days=31)).isoformat(),
            "is_major_decision": "on",
        },
    )
    consultation = Consultation.objects.get()
    assert response["Location"] == consultation.get_staff_url()
    client.post(
        reverse("participation:staff-consultation-submit", args=[consultation.pk])
    )
    client.force_login(world.reviewer)
    response = client.post(
        reverse("participation:staff-consultation-publish", args=[consultation.pk]),
        follow=True,
    )
    assert "已发布" in page(response)
    assert client.get(consultation.get_absolute_url()).status_code == 200
    assert not mail.outbox  # nothing is mailed to the public


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("sql", "operation"),
    [
        (
            "UPDATE disclosure_participationentry SET note = 'forged' WHERE id = %s",
            "UPDATE",
        ),
        ("DELETE FROM disclosure_participationentry WHERE id = %s", "DELETE"),
    ],
)
def test_postgres_refuses_to_change_the_trail(world, sql, operation):
    consultation = published_consultation(world)
    entry = consultation.trail.first()
    with pytest.raises(DatabaseError) as refused:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [entry.pk])
    assert f"participation entries are append-only ({operation} refused)" in str(
        refused.value
    )
    assert ParticipationEntry.objects.get(pk=entry.pk).note == entry.note


def test_only_a_published_feedback_is_linked_from_the_policy(
    client, world, clock, settings
):
    settings.PORTAL_PAGE_CACHE_SECONDS = 0  # the change below bumps nothing
    consultation, policy = _feedback_published_and_a_policy(world, clock)
    feedback.link_policy(
        consultation=consultation, by=world.admin, index_number=policy.index_number
    )
    link = reverse("participation:feedback", args=[consultation.pk])
    assert link in page(client.get(policy.get_absolute_url()))
    Consultation.objects.filter(pk=consultation.pk).update(
        feedback_state=Consultation.FeedbackState.SUBMITTED
    )
    assert link not in page(client.get(policy.get_absolute_url()))
