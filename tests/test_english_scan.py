"""The scanner of English pages (``tests/english_scan.py``) finds the site's
own text left in Chinese and lets data marked lang="zh-Hans" through."""

from tests.english_scan import untranslated


def page(body: str, title: str = "Items") -> str:
    return (
        f'<!DOCTYPE html><html lang="en"><head><title>{title}</title></head>'
        f"<body>{body}</body></html>"
    )


def found(html: str, **options) -> list[str]:
    return [finding.text for finding in untranslated(html, **options)]


def test_flags_an_untranslated_string_and_full_width_punctuation():
    assert found(page("<h1>信息检索</h1>")) == ["信息检索"]
    assert found(page("<p>Publisher：<span lang='zh-Hans'>区财政局</span></p>")) == [
        "Publisher："
    ]


def test_ignores_chinese_data_marked_as_such_and_its_descendants():
    html = page(
        '<h1 lang="zh-Hans">关于做好<mark>补贴</mark>工作的通知</h1>'
        '<table><tr><th>Publisher</th><td lang="zh-Hans">区农业农村局</td></tr></table>'
        '<select><option value="">All</option><option lang="zh" value="1">区财政局</option></select>'
    )
    assert found(html) == []


def test_english_inside_chinese_data_is_english_again():
    html = page('<div lang="zh-Hans">正文<p lang="en">未翻译</p></div>')
    assert found(html) == ["未翻译"]


def test_attributes_and_title_pass_only_with_chinese_shown_as_data():
    html = page(
        '<a href="/f" aria-label="Download 附件.pdf" lang="zh-Hans">附件.pdf</a>'
        '<img alt="图解" src="/x.png"><input placeholder="请输入关键词">'
        '<button type="submit" value="检索">Search</button>',
        title="附件.pdf - Portal",
    )
    assert found(html) == ["图解", "请输入关键词", "检索"]


def test_form_values_and_quoted_examples_are_not_the_sites_text():
    html = page(
        '<textarea aria-label="Body">正文草稿</textarea>'
        "<p>E.g. 国办发〔2020〕26号.</p>"
        "<script>var a = '脚本';</script>"
    )
    assert found(html, examples=("国办发〔2020〕26号",)) == []
    assert found(html) == ["E.g. 国办发〔2020〕26号."]
