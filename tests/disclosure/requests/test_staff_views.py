"""The staff's request pages (/workspace/requests/): the register with its
query-count guard, exports without personal data and safe cells, each view
of applicant data in the trail, the steps through the page, the tables with
links to their requests, the appeals register, the dashboard panel."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from disclosure.models import AppealCase, InformationRequest, RequestEvent
from disclosure.workflow import requests as steps

from .helpers import backdate, received, submitted, world

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return world()


def test_the_register_lists_without_a_query_per_row(
    client, w, django_assert_max_num_queries
):
    for _n in range(30):
        request = received(w)
        steps.start_consultation(
            request=request, by=w["clerk"], kind="third_party", party="某公司"
        )
    client.force_login(w["reviewer"])
    client.get(reverse("requests_staff:list"))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("requests_staff:list"))
    assert response.status_code == 200
    assert response.content.decode().count("YSQ") >= 30


def test_the_register_is_for_handlers_and_the_office(client, w):
    received(w)
    client.force_login(w["head"])
    assert client.get(reverse("requests_staff:list")).status_code == 403
    client.force_login(w["other_clerk"])
    page = client.get(reverse("requests_staff:list")).content.decode()
    assert "没有符合条件的申请" in page
    client.logout()
    assert client.get(reverse("requests_staff:list")).status_code == 302


def test_every_view_of_applicant_data_is_in_the_trail(client, w):
    request = received(w)
    client.force_login(w["clerk"])
    url = reverse("requests_staff:detail", args=[request.pk])
    page = client.get(url).content.decode()
    assert "张三" in page and "11010519491231002X" in page
    client.get(url)
    views = RequestEvent.objects.filter(request=request, action="view_personal")
    assert list(views.values_list("actor__username", flat=True)) == ["clerk", "clerk"]
    letter = steps.request_correction(
        request=request, by=w["clerk"], items="文号", period=5
    )
    client.get(reverse("requests_staff:letter", args=[request.pk, letter.pk, "docx"]))
    assert views.count() == 3
    assert views.last().comment == letter.number
    client.force_login(w["other_clerk"])
    assert client.get(url).status_code == 404
    client.force_login(w["head"])
    assert client.get(url).status_code == 403
    assert views.count() == 3


def test_exports_carry_no_personal_data_and_no_formulas(client, w):
    received(w, description='=HYPERLINK("http://evil.example")')
    client.force_login(w["reviewer"])
    response = client.get(reverse("requests_staff:export", args=["csv"]))
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0] == "申请编号"
    assert (
        "张三" not in text
        and "11010519491231002X" not in text
        and "13800000000" not in text
    )
    xlsx = client.get(reverse("requests_staff:export", args=["xlsx"]))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = [cell.value for row in sheet.iter_rows() for cell in row]
    assert "区财政局" in values and "张三" not in values


def test_steps_through_the_page_and_bad_input_keeps_the_form(client, w):
    request, _code = submitted(w)
    client.force_login(w["clerk"])
    step = lambda name: reverse("requests_staff:step", args=[request.pk, name])  # noqa: E731
    response = client.post(step("confirm"), {"confirm-received_on": ""})
    assert response.status_code == 302
    response = client.post(
        step("correction"), {"correction-items": "缺少文号", "correction-period": "99"}
    )
    assert response.status_code == 400
    assert "缺少文号" in response.content.decode()
    response = client.post(
        step("reply"), {"reply-reply_type": "granted", "reply-text": ""}
    )
    assert response.status_code == 400
    assert "这类答复须写明具体内容" in response.content.decode()
    client.post(
        step("reply"), {"reply-reply_type": "granted", "reply-text": "以电子邮件提供。"}
    )
    request.refresh_from_db()
    assert request.state == "review"
    client.force_login(w["reviewer"])
    page = client.get(
        reverse("requests_staff:detail", args=[request.pk])
    ).content.decode()
    assert "待审核的答复" in page and "6个月内" in page
    assert client.post(step("send")).status_code == 302
    request.refresh_from_db()
    assert request.state == "closed"
    letter = request.letters.get(kind="reply")
    docx = client.get(
        reverse("requests_staff:letter", args=[request.pk, letter.pk, "docx"])
    )
    assert docx.status_code == 200
    assert client.post(step("nonsense")).status_code == 404


def test_registering_a_paper_application_shows_its_code_once(client, w):
    client.force_login(w["clerk"])
    today = timezone.localdate().isoformat()
    data = {
        "channel": "in_person",
        "handed_in_on": today,
        "organ": w["organ"].pk,
        "applicant_kind": "natural",
        "applicant_name": "王五",
        "id_type": "passport",
        "id_number": "E12345678",
        "phone": "13700000000",
        "description": "示例区2025年政府决算",
        "delivery_form": "paper",
        "delivery_method": "post",
    }
    missing = client.post(reverse("requests_staff:new"), {**data, "handed_in_on": ""})
    assert missing.status_code == 400 and "当面提交的申请" in missing.content.decode()
    response = client.post(reverse("requests_staff:new"), data)
    request = InformationRequest.objects.get()
    assert request.received_on == timezone.localdate()
    assert request.number in response.content.decode()


def test_tables_link_each_figure_to_its_requests(client, w):
    year = timezone.localdate().year - 1
    old = backdate(received(w), 400)
    steps.draft_reply(request=old, by=w["clerk"], reply_type="refused_process")
    steps.send_reply(request=old, by=w["reviewer"])
    InformationRequest.objects.filter(pk=old.pk).update(
        closed_on=datetime.date(year, 6, 1), received_on=datetime.date(year, 5, 1)
    )
    client.force_login(w["reviewer"])
    page = client.get(
        reverse("requests_staff:tables"), {"organ": w["organ"].pk, "year": year}
    ).content.decode()
    assert "（七）总计" in page and "6.属于四类过程性信息" in page
    link = "figure_row=refused_process&amp;figure_column=natural"
    assert link in page
    listed = client.get(
        reverse("requests_staff:list"),
        {
            "figure_organ": w["organ"].pk,
            "figure_year": year,
            "figure_row": "refused_process",
            "figure_column": "natural",
        },
    ).content.decode()
    assert old.number in listed
    overview = client.get(reverse("requests_staff:tables"), {"year": year})
    assert "全部机关合计" in overview.content.decode()
    assert "figure_organ=0&amp;figure_year" in overview.content.decode()
    client.force_login(w["clerk"])
    assert client.get(reverse("requests_staff:tables")).status_code == 403


def test_the_appeals_register(client, w):
    request = received(w)
    client.force_login(w["reviewer"])
    today = timezone.localdate().isoformat()
    data = {
        "organ": w["organ"].pk,
        "kind": "review",
        "case_number": "示政复〔2026〕3号",
        "filed_on": today,
        "result": "upheld",
        "decided_on": "",
        "summary": "",
        "request_number": request.number,
    }
    bad = client.post(reverse("requests_staff:appeal-new"), data)
    assert bad.status_code == 400 and "请填写审结日期" in bad.content.decode()
    response = client.post(
        reverse("requests_staff:appeal-new"), {**data, "decided_on": today}
    )
    assert response.status_code == 302
    case = AppealCase.objects.get()
    assert (case.request, case.created_by) == (request, w["reviewer"])
    client.force_login(w["clerk"])
    assert client.get(reverse("requests_staff:appeals")).status_code == 403


def test_the_dashboard_shows_requests_due_soon_or_overdue(
    client, w, django_assert_max_num_queries
):
    overdue = backdate(received(w), 60)
    fresh = received(w)
    waiting, _code = submitted(w)
    for _n in range(20):
        backdate(received(w), 60)
    client.force_login(w["clerk"])
    client.get(reverse("workspace:dashboard"))
    with django_assert_max_num_queries(16):
        page = client.get(reverse("workspace:dashboard")).content.decode()
    assert overdue.number in page and "已逾期" in page
    assert fresh.number not in page
    assert waiting.number in page  # to confirm
