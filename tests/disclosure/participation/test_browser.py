"""Public participation in Chromium, under the site's Content Security Policy
(every page checked for console errors, the public ones for axe, 360 px and
the keyboard): a citizen subscribes and gets an item once; a consultation is
opened, commented, moderated, closed and its feedback published; a policy
and its interpretation are published together and link both ways; a
complaint is filed and counted in the 通报."""

import datetime
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from catalog import demo
from disclosure import workflow
from disclosure.models import (
    Complaint,
    Consultation,
    ConsultationComment,
    Item,
    ItemKind,
    PublicRecord,
    Subscription,
)
from disclosure.oversight import periods
from disclosure.participation import consultations
from disclosure.participation.demo import seed_identity
from tests import factories
from tests.disclosure.public_fixtures import ensure_reference_data
from tests.disclosure.test_journey_browser import PASSWORD, Journey

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def site(db):
    ensure_reference_data()
    departments = demo.seed_catalog()
    demo.seed_accounts(departments, password=PASSWORD)
    seed_identity()
    from django.contrib.auth import get_user_model

    users = {user.username: user for user in get_user_model().objects.all()}
    return departments, users


@pytest.fixture
def journey(browser_page, live_server):
    browser_page.set_viewport_size({"width": 1280, "height": 900})
    return Journey(browser_page, live_server)


def public_checks(journey, name):
    """axe (nothing serious or critical), 360 px without scrolling sideways."""
    journey.axe(name)
    journey.fits_360(name)


def send_digests() -> list:
    before = len(mail.outbox)
    call_command("send_subscriptions", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return mail.outbox[before:]


def approved_item(users, department, clerk="clerk", **fields) -> Item:
    data = factories.item_data(department, **fields)
    item = workflow.create_item(by=users[clerk], data=data)
    workflow.submit(item=item, by=users[clerk])
    return workflow.approve(
        item=item, by=users["reviewer"], confidentiality_checked=True
    )


def test_a_citizen_subscribes_and_gets_a_new_item_once(journey, site):
    departments, users = site
    page = journey.page
    journey.goto("/items/?department=nyj")
    page.click("a:has-text('邮件订阅')")
    page.wait_for_url(re.compile(r"/subscriptions/\?department=nyj"))
    journey.see("发布机构：区农业农村局")
    public_checks(journey, "subscribe")
    page.fill("#id_email", "citizen@example.com")
    page.check("#id_frequency_0")  # 有新信息即发送
    page.click("main button:has-text('订阅')")
    page.wait_for_url(re.compile(r"/subscriptions/sent/$"))
    journey.see("请查收确认邮件")
    public_checks(journey, "subscription sent")

    (confirmation,) = mail.outbox
    assert confirmation.to == ["citizen@example.com"]
    link = re.search(
        r"https?://\S+/subscriptions/confirm/\S+", confirmation.body
    ).group(0)
    journey.goto(re.sub(r"^https?://[^/]+", "", link))
    public_checks(journey, "confirm")
    page.click("main button:has-text('确认订阅')")
    journey.see("订阅已确认")
    assert Subscription.objects.get().confirmed_at is not None

    item = approved_item(
        users, departments["nyj"], title="关于2026年农机购置补贴的通知"
    )
    workflow.publish(item=item, by=users["admin"])
    (digest,) = send_digests()
    assert "关于2026年农机购置补贴的通知" in digest.body
    assert digest.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert send_digests() == []  # once

    unsubscribe = re.search(r"https?://\S+/unsubscribe/\S+", digest.body).group(0)
    journey.goto(re.sub(r"^https?://[^/]+", "", unsubscribe))
    public_checks(journey, "unsubscribe")
    page.click("main button:has-text('确认退订')")
    journey.see("已退订")
    assert Subscription.objects.get().unsubscribed_at is not None
    assert journey.problems == []


def test_a_consultation_from_opening_to_feedback(journey, site, clock):
    departments, users = site
    page = journey.page
    today = timezone.localdate()
    consultation = consultations.create_consultation(
        by=users["clerk2"],
        data={
            "department": departments["zjj"],
            "title": "示例区养老服务设施布局专项规划（征求意见稿）",
            "draft_text": "<p>第一条 为完善养老服务设施布局，制定本规划。</p>",
            "explanation": "<p>起草说明。</p>",
            "opens_on": today,
            "closes_on": today + datetime.timedelta(days=30),
            "is_major_decision": True,
            "short_period_reason": "",
            "offline_contact": "",
        },
    )
    consultations.submit_consultation(consultation=consultation, by=users["clerk2"])

    # The office opens it (the drafter may not).
    journey.login("reviewer")
    journey.goto(consultation.get_staff_url())
    page.click("button:has-text('发布意见征集')")
    journey.message("已发布")
    journey.axe("staff consultation")

    # A citizen comments, with the keyboard only.
    page.context.clear_cookies()
    journey.goto("/consultations/")
    journey.see(consultation.title)
    public_checks(journey, "consultation list")
    page.click(f"a:has-text('{consultation.title}')")
    public_checks(journey, "consultation")
    page.click("a:has-text('发表意见')")
    page.wait_for_url(re.compile(rf"/consultations/{consultation.pk}/comment/$"))
    public_checks(journey, "comment form")
    page.focus("#id_body")
    page.keyboard.type("建议每个社区设置一处日间照料中心。")
    page.keyboard.press("Tab")
    page.keyboard.type("张先生")
    page.keyboard.press("Tab")
    page.keyboard.type("13800000000")
    for _ in range(5):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.type") == "submit":
            break
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/comment/thanks/$"))
    journey.see("意见经审核后在征集页面公开")
    comment = ConsultationComment.objects.get()
    assert comment.state == "pending"

    # The office moderates it.
    journey.login("admin")
    journey.goto("/workspace/comments/")
    journey.see("建议每个社区设置一处日间照料中心。")
    journey.axe("moderation queue")
    page.check(f"#m{comment.pk}-published")
    page.click("main form.moderation-form button[type=submit]")
    journey.message("已审核")
    page.context.clear_cookies()
    journey.goto(consultation.get_absolute_url())
    journey.see("建议每个社区设置一处日间照料中心。")
    assert "13800000000" not in page.inner_text("main")

    # It closes; the clerk writes the feedback, a reviewer publishes it.
    clock.move_to(timezone.now() + datetime.timedelta(days=31))
    journey.goto(f"/consultations/{consultation.pk}/comment/")
    journey.see("不再接收意见")
    journey.login("clerk2")
    journey.goto(consultation.get_staff_url())
    page.fill("#id_offline_comment_count", "2")
    page.fill("#id_feedback_summary", "共收到意见建议3条。")
    page.fill("#id_feedback_adopted", "采纳：增设日间照料中心。")
    page.fill("#id_feedback_not_adopted", "未采纳：无。")
    page.click("button:has-text('保存反馈')")
    journey.message("反馈已保存")
    page.click("button:has-text('提交反馈审核')")
    journey.message("反馈已提交审核")
    journey.login("reviewer")
    journey.goto(consultation.get_staff_url())
    page.click("button:has-text('公布反馈')")
    journey.message("反馈已公布")

    page.context.clear_cookies()
    journey.goto(consultation.get_absolute_url())
    page.click("a:has-text('查看意见采纳情况反馈')")
    page.wait_for_url(re.compile(rf"/consultations/{consultation.pk}/feedback/$"))
    journey.see("采纳：增设日间照料中心。")
    journey.see("3 条")
    public_checks(journey, "feedback")
    assert Consultation.objects.get().feedback_state == "published"
    assert journey.problems == []


def test_a_policy_and_its_interpretation_published_together(journey, site):
    departments, users = site
    page = journey.page
    policy = approved_item(
        users, departments["nyj"], title="示例区关于促进乡村产业振兴的实施意见"
    )
    interpretation = approved_item(
        users,
        departments["nyj"],
        title="《示例区关于促进乡村产业振兴的实施意见》政策解读",
        kind=ItemKind.INTERPRETATION,
        interprets=policy,
        interpretation_form="qa",
    )
    journey.login("admin")  # a reviewer with no hand in either
    journey.goto("/workspace/interpretations/")
    page.click(f"a:has-text('{policy.title}')")
    journey.axe("publish together")
    assert page.is_checked(f"input[value='{interpretation.pk}']")
    page.click("main button:has-text('同步发布')")
    journey.message("政策和解读已同步发布")
    records = PublicRecord.objects.filter(pk__in=[policy.pk, interpretation.pk])
    assert records.count() == 2

    page.context.clear_cookies()
    journey.goto(f"/items/{policy.pk}/")
    public_checks(journey, "policy page")
    page.click("section.related-interpretations a:has-text('政策解读')")
    page.wait_for_url(re.compile(rf"/items/{interpretation.pk}/$"))
    journey.see("问答解读")
    public_checks(journey, "interpretation page")
    page.click(f"section.related-policy a:has-text('{policy.title}')")
    page.wait_for_url(re.compile(rf"/items/{policy.pk}/$"))
    assert journey.problems == []


def test_a_complaint_is_filed_and_counted_in_the_bulletin(journey, site):
    departments, users = site
    page = journey.page
    journey.goto("/")
    page.click("footer a:has-text('投诉举报')")
    page.wait_for_url(re.compile(r"/complaints/$"))
    public_checks(journey, "complaint form")
    page.check("input[name=kind][value=late]")
    page.select_option("#id_department", label="区住房和城乡建设局")
    page.fill("#id_subject", "城北保障性租赁住房项目施工招标公告")
    page.fill("#id_description", "招标公告超过20个工作日仍未公开。")
    page.click("main button:has-text('提交')")
    page.wait_for_url(re.compile(r"/complaints/status/"))
    complaint = Complaint.objects.get()
    journey.see(complaint.number)
    public_checks(journey, "complaint status")

    today = timezone.localdate()
    quarter = periods.quarter_of(today)
    journey.login("reviewer")
    journey.goto(f"/workspace/oversight/bulletin/?year={today.year}&quarter={quarter}")
    journey.see("期间收到政府信息公开投诉举报 1 件")
    journey.see("被投诉机关：区住房和城乡建设局")
    journey.axe("bulletin")
    assert journey.problems == []


def test_the_other_public_pages_pass_axe_and_fit_a_small_screen(journey, site):
    departments, users = site
    journey.goto("/departments/nyj/")
    journey.see("区农业农村局政府信息公开")
    public_checks(journey, "department")
    journey.goto("/subscriptions/manage/")
    public_checks(journey, "manage link")
    journey.goto("/consultations/?status=feedback")
    public_checks(journey, "consultations with feedback")
    journey.goto("/accounts/login/")
    journey.see("示例区人民政府 · 示例区人民政府信息公开专栏")
    journey.fits_360("login")
    # The keyboard reaches the footer's registration links.
    page = journey.page
    journey.goto("/")
    for _ in range(80):
        page.keyboard.press("Tab")
        if "beian.miit.gov.cn" in (page.evaluate("document.activeElement.href") or ""):
            break
    else:
        pytest.fail("the ICP link is not reachable with Tab")
    assert journey.problems == []
