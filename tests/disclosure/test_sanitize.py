"""The rich-text body as clerks paste it from Word and WPS: formatting junk and
anything active removed, the structure kept."""

import pytest

from disclosure.sanitize import clean_html, html_to_text

# What Word puts on the clipboard (abridged from a real paste of a notice).
WORD_PASTE = """<html xmlns:o="urn:schemas-microsoft-com:office:office"
xmlns:w="urn:schemas-microsoft-com:office:word"><head>
<meta name=Generator content="Microsoft Word 15">
<title>通知</title>
<!--[if gte mso 9]><xml><w:WordDocument><w:View>Normal</w:View></w:WordDocument></xml><![endif]-->
<style><!-- p.MsoNormal {font-family:仿宋_GB2312;} --></style>
</head><body lang=ZH-CN style='tab-interval:21.0pt'>
<!--StartFragment-->
<h1 class=MsoTitle style='text-align:center'><span style='font-family:方正小标宋简体'>关于做好补贴发放工作的通知<o:p></o:p></span></h1>
<p class=MsoNormal style='text-indent:32.0pt'><span lang=EN-US style='font-size:16.0pt'>各乡镇人民政府：</span><o:p></o:p></p>
<h2 class=MsoHeading2>一、发放对象</h2>
<p class=MsoListParagraph style='mso-list:l0 level1 lfo1'><![if !supportLists]><span>1.<span style='font:7.0pt'>&nbsp;&nbsp;</span></span><![endif]>承包耕地的农户。</p>
<ol start="2"><li class=MsoNormal>实际种粮者。</li></ol>
<ul><li><b>不含</b>已改变用途的耕地。</li></ul>
<table class=MsoTableGrid border=1 cellspacing=0 style='border-collapse:collapse'>
<tr><th scope=col style='width:100pt'>乡镇</th><th>面积（亩）</th></tr>
<tr><td width=100 valign=top rowspan=1 colspan=1>城关镇</td><td class=xl65>1200</td></tr>
</table>
<p><strong>特此通知。</strong><em>（此件公开发布）</em><u>联系人</u>：张三 <font color=red>0571-88888888</font></p>
<!--EndFragment-->
</body></html>"""


def test_word_paste_keeps_the_structure():
    html = clean_html(WORD_PASTE)
    # The page's own <h1> is the item title: Word's title becomes a heading 2.
    assert "<h2>关于做好补贴发放工作的通知</h2>" in html
    assert "<h2>一、发放对象</h2>" in html
    assert "<p>各乡镇人民政府：</p>" in html
    assert '<ol start="2"><li>实际种粮者。</li></ol>' in html
    assert "<ul><li><b>不含</b>已改变用途的耕地。</li></ul>" in html
    assert '<th scope="col">乡镇</th>' in html
    assert '<td rowspan="1" colspan="1">城关镇</td>' in html
    assert "<td>1200</td>" in html
    assert "<strong>特此通知。</strong><em>（此件公开发布）</em><u>联系人</u>" in html
    assert "0571-88888888" in html


@pytest.mark.parametrize(
    "junk",
    [
        "class=",
        "style=",
        "lang=",
        "<span",
        "<font",
        "o:p",
        "<!--",
        "mso",
        "supportLists",
        "<xml",
        "w:WordDocument",
        "<style",
        "font-family",
        "<title",
        "<meta",
        "<html",
        "<body",
        "width=",
        "border=",
    ],
)
def test_word_paste_loses_its_formatting_junk(junk):
    assert junk not in clean_html(WORD_PASTE)


@pytest.mark.parametrize(
    ("dirty", "clean"),
    [
        ("<p>a<script>alert(1)</script>b</p>", "<p>ab</p>"),
        ('<p>a<iframe src="https://evil.example/">x</iframe>b</p>', "<p>ab</p>"),
        ('<p onclick="steal()" onmouseover="x()">正文</p>', "<p>正文</p>"),
        ('<img src="x" onerror="alert(1)">', ""),
        ("<p>a<noscript>x</noscript><object data=x>y</object>b</p>", "<p>ab</p>"),
        ("<svg><script>alert(1)</script><text>t</text></svg>", ""),
        (
            '<a href="javascript:alert(1)">点击</a>',
            '<a rel="noopener noreferrer nofollow">点击</a>',
        ),
        (
            '<a href="JaVaScRiPt:alert(1)">点击</a>',
            '<a rel="noopener noreferrer nofollow">点击</a>',
        ),
        (
            '<a href="&#106;avascript:alert(1)">点击</a>',
            '<a rel="noopener noreferrer nofollow">点击</a>',
        ),
        (
            '<a href="data:text/html,<script>alert(1)</script>">x</a>',
            '<a rel="noopener noreferrer nofollow">x</a>',
        ),
        ("<form action=/x><input name=a><button>提交</button></form>", "提交"),
    ],
)
def test_anything_active_is_removed(dirty, clean):
    assert clean_html(dirty) == clean


@pytest.mark.parametrize(
    ("link", "expected"),
    [
        (
            '<a href="https://www.gov.cn/zhengce/" target="_blank">政策</a>',
            '<a href="https://www.gov.cn/zhengce/" rel="noopener noreferrer nofollow">政策</a>',
        ),
        (
            '<a href="mailto:gkb@example.gov.cn" rel="opener">来信</a>',
            '<a href="mailto:gkb@example.gov.cn" rel="noopener noreferrer nofollow">来信</a>',
        ),
        (
            '<a href="/catalog/" title="目录">目录</a>',
            '<a href="/catalog/" title="目录" rel="noopener noreferrer nofollow">目录</a>',
        ),
    ],
)
def test_links_are_kept_with_rel(link, expected):
    assert clean_html(link) == expected


def test_cleaning_is_idempotent():
    once = clean_html(WORD_PASTE)
    assert clean_html(once) == once


def test_empty_body():
    assert clean_html("") == ""
    assert clean_html(None) == ""


def test_plain_text_for_search_and_diffs():
    assert html_to_text(clean_html(WORD_PASTE)).startswith(
        "关于做好补贴发放工作的通知 各乡镇人民政府： 一、发放对象"
    )
    assert html_to_text("<p>A&amp;B&nbsp;</p>") == "A&B"
