"""发文字号 per GB/T 9704-2012 7.2.4: 发文机关代字〔年份〕序号号."""

import pytest
from django.core.exceptions import ValidationError

from disclosure.validators import normalize_doc_number, validate_doc_number

BRACKETS = "发文字号中的年份须用六角括号“〔〕”括入，如：国办发〔2020〕26号。"
NO_DI = "发文字号的序号前不加“第”字，如：国办发〔2020〕26号。"
NO_LEADING_ZERO = "发文字号的序号不编虚位（不加前导0），如：国办发〔2020〕6号。"
FULL_YEAR = "发文字号中的年份应写全称（4位数字），如：国办发〔2020〕26号。"
ORDER = "令的编号格式为“发文机关代字令第序号号”，序号不加前导0，如：国令第711号。"
GENERAL = (
    "发文字号格式应为“发文机关代字〔年份〕序号号”，"
    "年份用4位数字并用六角括号括入，如：国办发〔2020〕26号。"
)


@pytest.mark.parametrize(
    "value",
    [
        "国办发〔2020〕26号",
        "国办函〔2021〕30号",
        "国办发明电〔2020〕5号",
        "浙政办发〔2024〕1号",
        "财预〔2024〕123号",
        # Orders are numbered with 第 and no year: 国令第711号 is the
        # Regulations on Open Government Information themselves.
        "国令第711号",
        "财政部令第104号",
        "",  # optional
    ],
)
def test_valid_document_numbers(value):
    validate_doc_number(value)  # raises nothing


@pytest.mark.parametrize(
    ("typed", "normalised"),
    [
        ("国办发[2020]26号", "国办发〔2020〕26号"),
        ("国办发［2020］26号", "国办发〔2020〕26号"),
        ("国办发【2020】26号", "国办发〔2020〕26号"),
        ("国办发（2020）26号", "国办发〔2020〕26号"),
        ("国办发(2020)26号", "国办发〔2020〕26号"),
        ("国办发﹝2020﹞26号", "国办发〔2020〕26号"),
        ("国办发〔２０２０〕２６号", "国办发〔2020〕26号"),
        (" 国办发 〔2020〕 26号 ", "国办发〔2020〕26号"),
        ("国办发〔2020〕26号", "国办发〔2020〕26号"),  # already right
    ],
)
def test_common_variants_are_normalised_to_hexagonal_brackets(typed, normalised):
    assert normalize_doc_number(typed) == normalised
    validate_doc_number(normalize_doc_number(typed))


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("国办发〔2020〕第26号", NO_DI),
        ("国办发〔2020〕026号", NO_LEADING_ZERO),
        ("国办发〔2020〕0号", NO_LEADING_ZERO),
        ("国办发〔20〕26号", FULL_YEAR),
        ("国办发〔202〕26号", FULL_YEAR),
        ("国办发2020 26号", BRACKETS),
        ("国办发202026号", BRACKETS),
        ("国办发[2020]26号", BRACKETS),  # not normalised: refused, not guessed
        ("〔2020〕26号", GENERAL),  # no issuer
        ("国办发〔2020〕26", GENERAL),  # no 号
        ("国办发〔2020〕二十六号", GENERAL),
        ("国令第0711号", ORDER),
        ("国令第711", ORDER),
    ],
)
def test_invalid_document_numbers_say_what_to_fix(value, message):
    with pytest.raises(ValidationError) as refused:
        validate_doc_number(value)
    assert refused.value.messages == [message]
    assert refused.value.error_list[0].code == "doc_number"


def test_the_year_must_be_plausible():
    with pytest.raises(ValidationError) as refused:
        validate_doc_number("国办发〔1900〕26号")
    assert refused.value.messages == ["发文字号中的年份不正确。"]
