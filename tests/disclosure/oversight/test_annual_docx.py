"""The DOCX looks like the published format (国办公开办函〔2021〕30号), read
back with python-docx at the level of the Word XML: table 二 is one table
whose article rows and single-figure cells span the columns (gridSpan);
table 三's label area is three columns, with 三、本年度办理结果 and each
group merged down over its rows (vMerge); table 四 has its two header
levels."""

import datetime
import io
from decimal import Decimal

import pytest
from django.utils import timezone
from docx import Document

from disclosure.oversight.annual.docx_writer import build_docx
from disclosure.oversight.annual.layout import empty_table2, empty_table3, empty_table4
from disclosure.oversight.annual.text import ReportText
from tests.disclosure.oversight.annual_helpers import TABLE3_LABELS


def _report(**changes) -> ReportText:
    table2 = empty_table2()
    table2.update({"normative.issued": 4, "licensing.decisions": 120})
    table2["fees.amount"] = "12.5"
    table3 = empty_table3()
    table3["new"] = [5, 1, 0, 0, 0, 0, 6]
    table3["refused_secret"] = [1, 0, 0, 0, 0, 0, 1]
    table4 = empty_table4()
    table4["direct"] = [1, 0, 0, 1, 2]
    fields = {
        "title": "区测试局2025年政府信息公开工作年度报告",
        "year": 2025,
        "organ_name": "区测试局",
        "organ_code": "test-dept",
        "overview": "总体情况。",
        "proactive_text": "",
        "requests_text": "",
        "appeals_text": "",
        "problems": "",
        "other_matters": "",
        "table2": table2,
        "table3": table3,
        "table4": table4,
        "fees_charged": Decimal("0"),
    }
    fields.update(changes)
    return ReportText(**fields)


def _layout(table) -> list[list[tuple[str, int, str | None]]]:
    """Each row as its cells in the XML: (text, gridSpan, vMerge)."""
    return [
        [
            (
                "".join(t.text or "" for t in tc.iter(tc.tag.replace("}tc", "}t"))),
                tc.grid_span,
                tc.vMerge,
            )
            for tc in row._tr.tc_lst
        ]
        for row in table.rows
    ]


@pytest.fixture
def tables():
    document = Document(io.BytesIO(build_docx(_report())))
    assert len(document.tables) == 3
    return [_layout(table) for table in document.tables], document.tables


def test_table2_is_one_table_with_spanning_article_rows(tables):
    layout, docx_tables = tables
    table2 = layout[0]
    assert len(docx_tables[0]._tbl.tblGrid.gridCol_lst) == 4
    assert table2[0] == [("第二十条第（一）项", 4, None)]
    assert [cell[0] for cell in table2[1]] == [
        "信息内容",
        "本年制发件数",
        "本年废止件数",
        "现行有效件数",
    ]
    assert table2[2] == [
        ("规章", 1, None),
        ("0", 1, None),
        ("0", 1, None),
        ("0", 1, None),
    ]
    assert table2[3][:2] == [("行政规范性文件", 1, None), ("4", 1, None)]
    assert table2[4] == [("第二十条第（五）项", 4, None)]
    assert table2[5] == [("信息内容", 1, None), ("本年处理决定数量", 3, None)]
    assert table2[6] == [("行政许可", 1, None), ("120", 3, None)]
    assert table2[7] == [("第二十条第（六）项", 4, None)]
    assert [row[0][0] for row in table2[9:11]] == ["行政处罚", "行政强制"]
    assert table2[11] == [("第二十条第（八）项", 4, None)]
    assert table2[12] == [
        ("信息内容", 1, None),
        ("本年收费金额（单位：万元）", 3, None),
    ]
    assert table2[13] == [("行政事业性收费", 1, None), ("12.5", 3, None)]
    assert len(table2) == 14


def test_table3_has_a_label_area_of_three_merged_columns(tables):
    layout, docx_tables = tables
    table3 = layout[1]
    assert len(docx_tables[1]._tbl.tblGrid.gridCol_lst) == 10
    corner = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    assert table3[0][0] == (corner, 3, "restart")
    assert table3[1][0] == ("", 3, "continue")
    assert table3[2][0] == ("", 3, "continue")
    assert table3[0][1] == ("申请人情况", 7, None)
    assert [cell[:2] for cell in table3[1][1:]] == [
        ("自然人", 1),
        ("法人或其他组织", 5),
        ("总计", 1),
    ]
    body = table3[3:]
    assert len(body) == 25  # one row per figure row of the format
    # 一、 and 二、 span the three label columns, then their seven figures
    assert body[0][0] == ("一、本年新收申请数量", 3, None)
    assert [cell[0] for cell in body[0][1:]] == ["5", "1", "0", "0", "0", "0", "6"]
    assert body[1][0] == ("二、上年结转申请数量", 3, None)
    # 三、本年度办理结果 runs down the first column over （一）…（七）
    assert body[2][0] == ("三、本年度办理结果", 1, "restart")
    for row in body[3:24]:
        assert row[0] == ("", 1, "continue")
    assert body[2][1] == ("（一）予以公开", 2, None)
    assert body[3][1] == (
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        2,
        None,
    )
    # （三）不予公开 runs down the second column over its eight reasons
    assert body[4][1] == ("（三）不予公开", 1, "restart")
    for row in body[5:12]:
        assert row[1] == ("", 1, "continue")
    assert [row[2][0] for row in body[4:12]] == TABLE3_LABELS[6:14]
    assert [cell[0] for cell in body[4][3:]] == ["1", "0", "0", "0", "0", "0", "1"]
    assert body[12][1] == ("（四）无法提供", 1, "restart")
    assert body[15][1] == ("（五）不予处理", 1, "restart")
    assert body[20][1] == ("（六）其他处理", 1, "restart")
    assert body[21][2][0] == (
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"
    )
    assert body[23][1] == ("（七）总计", 2, None)
    assert body[24][0] == ("四、结转下年度继续办理", 3, None)
    # every row has ten grid columns
    for row in table3:
        assert sum(cell[1] for cell in row) == 10


def test_table4_has_two_header_levels(tables):
    layout, _docx_tables = tables
    table4 = layout[2]
    assert table4[0] == [("行政复议", 5, None), ("行政诉讼", 10, None)]
    assert list(table4[1][:5]) == [
        (label, 1, "restart")
        for label in ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    ]
    assert table4[1][5:] == [("未经复议直接起诉", 5, None), ("复议后起诉", 5, None)]
    assert [cell[2] for cell in table4[2][:5]] == ["continue"] * 5
    assert [cell[0] for cell in table4[3]][5:10] == ["1", "0", "0", "1", "2"]


def test_section_six_states_the_fees_and_a_correction_its_note():
    report = _report(
        fees_charged=Decimal("1200"),
        correction_note="表三第一项数字有误，已更正。",
        number=2,
        published_at=timezone.make_aware(datetime.datetime(2026, 2, 3, 10)),
    )
    paragraphs = [p.text for p in Document(io.BytesIO(build_docx(report))).paragraphs]
    assert "本年度收取信息处理费1,200.00元。" in paragraphs
    assert "更正说明（2026-02-03）：表三第一项数字有误，已更正。" in paragraphs
    assert paragraphs.index("六、其他需要报告的事项") < paragraphs.index(
        "本年度收取信息处理费1,200.00元。"
    )
