"""Disclosure on request in a real browser (Chromium, under the site's
Content Security Policy, no JavaScript needed): a citizen applies online,
gets a correction notice, corrects the application on the tracking page and
downloads the reply letter; staff confirm, ask for the correction, draft the
reply and a second person reviews and sends it. The public pages pass axe
and fit a 360 px wide screen."""

import io
import re

import pytest
from pypdf import PdfReader

from catalog import demo
from disclosure.models import InformationRequest
from tests.disclosure.test_journey_browser import Journey

PASSWORD = "journey-pass-2026"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def staff_step(journey, name, fields, button):
    page = journey.page
    form = page.locator(f"form[action$='/steps/{name}/']")
    for field, value in fields.items():
        target = form.locator(f"[name='{name}-{field}']")
        if target.evaluate("e => e.tagName") == "SELECT":
            target.select_option(value)
        else:
            target.fill(value)
    form.get_by_role("button", name=button).click()
    page.wait_for_load_state()


def test_apply_correct_and_get_the_reply_letter(browser_page, live_server):
    departments = demo.seed_catalog()
    demo.seed_accounts(departments, password=PASSWORD)
    journey = Journey(browser_page, live_server)
    page = journey.page
    page.set_viewport_size({"width": 1280, "height": 900})

    # --- the citizen applies -------------------------------------------------
    journey.goto("/")
    page.click("main .sections a:has-text('依申请公开')")
    page.click("main a:has-text('在线提交申请')")
    page.wait_for_url(re.compile(r"/requests/new/$"))
    journey.axe("application form")
    journey.fits_360("application form")
    page.select_option("#id_organ", label="区财政局")
    page.check("#id_applicant_kind_0")  # 自然人
    page.fill("#id_applicant_name", "张三")
    page.select_option("#id_id_type", "resident_id")
    page.fill("#id_id_number", "11010519491231002X")
    page.fill("#id_phone", "13800000000")
    page.fill("#id_email", "zhangsan@example.com")
    page.fill("#id_description", "2025年区级财政专项资金分配结果")
    page.check("#id_delivery_form_1")  # 电子数据
    page.check("#id_delivery_method_1")  # 电子邮件
    page.click("main button:has-text('提交申请')")
    page.wait_for_url(re.compile(r"/requests/new/done/$"))
    journey.axe("submitted")
    journey.fits_360("submitted")
    number = page.inner_text("#request-number")
    code = page.inner_text("#access-code")
    request = InformationRequest.objects.get(number=number)
    assert request.state == "submitted"

    # --- the clerk confirms receipt and asks for a correction -------------------
    journey.login("clerk")
    journey.see(number)  # on the dashboard: to confirm
    journey.goto(f"/workspace/requests/{request.pk}/")
    journey.axe("request page")
    journey.fits_360("request page")
    staff_step(journey, "confirm", {}, "确认收到")
    journey.message("已确认收到申请")
    staff_step(
        journey,
        "correction",
        {"items": "请写明文件的文号或形成时间。", "period": "10"},
        "发出补正告知书",
    )
    journey.message("补正告知书已发出")

    # --- the citizen reads the notice and corrects -----------------------------
    page.context.clear_cookies()
    journey.goto("/requests/track/")
    journey.axe("tracking form")
    page.fill("#id_number", number)
    page.fill("#id_code", code)
    page.click("main button:has-text('查询')")
    page.wait_for_url(re.compile(r"/requests/track/status/$"))
    journey.see("待申请人补正")
    journey.see("请写明文件的文号或形成时间。")
    journey.axe("status with a correction")
    journey.fits_360("status with a correction")
    page.fill(
        "#id_description",
        "示财〔2025〕12号《关于下达2025年区级财政专项资金的通知》及分配结果",
    )
    page.click("main button:has-text('提交补正')")
    journey.message("补正已提交")
    journey.see("办理中")

    # --- the clerk drafts the reply, a reviewer sends it ----------------------------
    journey.login("clerk")
    journey.goto(f"/workspace/requests/{request.pk}/")
    journey.see("示财〔2025〕12号")
    staff_step(
        journey,
        "reply",
        {"reply_type": "granted", "text": "本机关以电子邮件向您提供该通知及分配结果。"},
        "提交审核",
    )
    journey.message("答复已提交审核")
    journey.login("reviewer")
    journey.goto(f"/workspace/requests/{request.pk}/")
    journey.see("待审核的答复")
    page.click("main button:has-text('审核通过并发出')")
    journey.message("答复已审核并发出")

    # --- the citizen gets the reply letter -------------------------------------------
    page.context.clear_cookies()
    journey.goto("/requests/track/")
    page.fill("#id_number", number)
    page.fill("#id_code", code)
    page.click("main button:has-text('查询')")
    page.wait_for_url(re.compile(r"/requests/track/status/$"))
    journey.see("已办结")
    journey.see("政府信息公开申请答复书")
    journey.axe("status with letters")
    journey.fits_360("status with letters")
    with page.expect_download() as download_info:
        page.click("main .letters li:has-text('答复书') a:has-text('PDF')")
    pdf = download_info.value
    text = "".join(
        p.extract_text()
        for p in PdfReader(io.BytesIO(open(pdf.path(), "rb").read())).pages
    ).replace("\n", "")
    assert "予以公开" in text and "张三" in text and "6个月内" in text
    for path in ("/requests/", "/guide/"):
        journey.goto(path)
        journey.axe(path)
        journey.fits_360(path)
    assert not journey.problems, journey.problems
