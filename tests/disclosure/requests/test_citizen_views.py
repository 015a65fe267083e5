"""The citizens' pages (/requests/): the application without an account or
JavaScript, the number and code shown and mailed, tracking with the code,
the bounds on abuse (honeypot, size, rate limits, locked numbers), and that
nothing of an applicant is public or cached."""

import pytest
from django.core import mail
from django.urls import reverse

from disclosure.models import InformationRequest, RequestEvent, RequestLetter
from disclosure.workflow import requests as steps

from .helpers import RESIDENT_ID, received, submitted, world

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return world()


def form_data(w, **overrides):
    data = {
        "organ": w["organ"].pk,
        "applicant_kind": "natural",
        "applicant_name": "李四",
        "id_type": "resident_id",
        "id_number": RESIDENT_ID,
        "phone": "13900000000",
        "email": "lisi@example.com",
        "address": "示例区幸福路2号",
        "postcode": "310000",
        "description": "2025年耕地地力保护补贴发放名单（东湖镇）",
        "document_number": "",
        "delivery_form": "electronic",
        "delivery_method": "email",
        "website": "",
    }
    data.update(overrides)
    return data


def track(client, number, code):
    return client.post(reverse("requests:track"), {"number": number, "code": code})


def test_the_form_asks_for_what_article_29_asks(client, w):
    response = client.get(reverse("requests:new"))
    page = response.content.decode()
    assert response.status_code == 200
    for text in (
        "姓名或者名称",
        "身份证明类型",
        "联系电话",
        "特征性描述",
        "提供信息的形式",
        "获取信息的方式",
    ):
        assert text in page
    for kind in ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构"):
        assert kind in page
    assert "<script" not in page
    assert response["Cache-Control"] == "no-store"


def test_an_application_shows_and_mails_its_number_and_code(
    client, w, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("requests:new"), form_data(w))
    assert response.status_code == 302
    request = InformationRequest.objects.get()
    assert (request.state, request.applicant_name) == ("submitted", "李四")
    page = client.get(response["Location"]).content.decode()
    assert request.number in page
    code = page.split('id="access-code">')[1].split("<")[0]
    assert len(code.replace("-", "")) == 16
    applicant_mail = [m for m in mail.outbox if m.to == ["lisi@example.com"]][0]
    assert code in applicant_mail.body and request.number in applicant_mail.body
    # shown once only
    assert client.get(reverse("requests:done")).status_code == 302


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"id_number": "110105194912310021"}, "居民身份证号码有误"),
        (
            {
                "applicant_kind": "business",
                "id_type": "credit_code",
                "id_number": "123",
            },
            "统一社会信用代码应为18位",
        ),
        (
            {
                "applicant_kind": "business",
                "id_type": "credit_code",
                "id_number": "91330110MA2B3C4D5E",
            },
            "法定代表人或负责人",
        ),
        ({"description": ""}, "这个字段是必填项"),
        ({"email": ""}, "这个字段是必填项"),
        ({"phone": "call me"}, "有效的联系电话"),
        ({"website": "http://spam.example"}, "应当留空"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_the_form_kept(
    client, w, overrides, message
):
    response = client.post(reverse("requests:new"), form_data(w, **overrides))
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert "示例区幸福路2号" in page  # what was typed is kept
    assert not InformationRequest.objects.exists()


def test_a_body_too_large_is_refused(client, w):
    response = client.post(
        reverse("requests:new"), form_data(w, description="补" * 40000)
    )
    assert response.status_code == 413
    assert not InformationRequest.objects.exists()


def test_submissions_per_address_are_limited(client, w, settings):
    limit = settings.PORTAL_REQUEST_SUBMISSIONS_PER_HOUR
    # Mistakes do not count: a visitor correcting the form is not locked out.
    for _n in range(limit + 1):
        client.post(reverse("requests:new"), form_data(w, phone="x"))
    for _n in range(limit):
        assert client.post(reverse("requests:new"), form_data(w)).status_code == 302
    response = client.post(reverse("requests:new"), form_data(w))
    assert response.status_code == 429
    assert InformationRequest.objects.count() == limit


def test_tracking_with_the_code_shows_the_status_and_letters(client, w):
    request, code = submitted(w)
    steps.confirm_receipt(request=request, by=w["clerk"])
    letter = steps.request_correction(
        request=request, by=w["clerk"], items="请写明文件名称。", period=10
    )
    response = track(client, request.number.lower(), code.lower())
    assert response.status_code == 302
    page = client.get(reverse("requests:status")).content.decode()
    assert "待申请人补正" in page and "请写明文件名称。" in page
    assert letter.number in page
    pdf = client.get(reverse("requests:letter", args=[letter.pk, "docx"]))
    assert pdf.status_code == 200
    assert pdf["Cache-Control"] == "no-store"
    assert RequestEvent.objects.filter(
        request=request, action="applicant_view"
    ).exists()


def test_the_applicant_corrects_on_the_tracking_page(client, w):
    request, code = submitted(w)
    steps.confirm_receipt(request=request, by=w["clerk"])
    steps.request_correction(request=request, by=w["clerk"], items="文号", period=10)
    track(client, request.number, code)
    response = client.post(
        reverse("requests:correct"), {"description": "示财〔2025〕12号"}
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.state, request.corrected_description) == (
        "processing",
        "示财〔2025〕12号",
    )


def test_a_wrong_code_says_nothing_about_the_request(client, w):
    request, _code = submitted(w)
    response = track(client, request.number, "AAAA-BBBB-CCCC-DDDD")
    page = response.content.decode()
    assert "申请编号或查询码不正确" in page
    assert "张三" not in page
    unknown = track(client, "YSQ209900001", "AAAA-BBBB-CCCC-DDDD")
    assert "申请编号或查询码不正确" in unknown.content.decode()
    assert client.get(reverse("requests:status")).status_code == 302


def test_a_number_with_too_many_wrong_codes_is_locked(client, w, settings):
    settings.PORTAL_REQUEST_TRACK_FAILURES = 3
    request, code = submitted(w)
    for n in range(3):
        client.post(
            reverse("requests:track"),
            {"number": request.number, "code": "WRONG"},
            REMOTE_ADDR=f"10.0.0.{n}",
        )
    response = track(client, request.number, code)
    assert "失败次数过多" in response.content.decode()
    assert client.get(reverse("requests:status")).status_code == 302


def test_tracking_attempts_per_address_are_limited(client, w):
    request, _code = submitted(w)
    statuses = [track(client, request.number, "WRONG").status_code for _n in range(11)]
    assert statuses[-1] == 429


def test_letters_of_other_requests_are_not_reachable(client, w):
    mine, code = submitted(w)
    other = received(w)
    letter = steps.request_correction(request=other, by=w["clerk"], items="x", period=5)
    track(client, mine.number, code)
    response = client.get(reverse("requests:letter", args=[letter.pk, "pdf"]))
    assert response.status_code == 404


def test_the_applicant_withdraws(client, w):
    request, code = submitted(w)
    steps.confirm_receipt(request=request, by=w["clerk"])
    track(client, request.number, code)
    client.post(reverse("requests:withdraw"), {})
    request.refresh_from_db()
    assert request.state == "processing"
    client.post(reverse("requests:withdraw"), {"confirm": "yes"})
    request.refresh_from_db()
    assert (request.state, request.result) == ("closed", "other_other")


def test_the_fee_answer(client, w):
    request, code = submitted(w)
    steps.confirm_receipt(request=request, by=w["clerk"])
    steps.issue_fee_notice(request=request, by=w["clerk"], method="pages", pages=60)
    track(client, request.number, code)
    page = client.get(reverse("requests:status")).content.decode()
    assert "300" in page
    bad = client.post(reverse("requests:fee"), {"answer": "pay", "reference": ""})
    assert bad.status_code == 400 and "请填写缴费凭证号" in bad.content.decode()
    client.post(reverse("requests:fee"), {"answer": "pay", "reference": "PAY-9"})
    request.refresh_from_db()
    assert request.fee_reference == "PAY-9"
    assert RequestLetter.objects.filter(request=request, kind="fee").exists()


def test_public_pages_link_to_the_application(client, w):
    home = client.get("/").content.decode()
    assert reverse("requests:index") in home
    guide = client.get(reverse("catalog:guide")).content.decode()
    assert reverse("requests:new") in guide
    assert "信函申请" in guide and "区财政局" in guide and "示例区人民大道4号" in guide
