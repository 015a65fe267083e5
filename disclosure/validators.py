"""Validation of item metadata."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_ISSUER = r"[\u4e00-\u9fffA-Za-z]{1,20}"

# GB/T 9704-2012 7.2.4: issuer's abbreviation, the year in full inside 六角括号
# 〔〕, a serial without leading zeros or 第, then 号. E.g. 国办发〔2020〕26号.
DOC_NUMBER_RE = re.compile(rf"^{_ISSUER}〔(\d{{4}})〕([1-9]\d{{0,5}})号$")

# Orders (命令（令）) are numbered without a year, with 第: 国令第711号 (the
# Regulations themselves), 财政部令第104号.
ORDER_NUMBER_RE = re.compile(rf"^{_ISSUER}令第[1-9]\d{{0,5}}号$")

# Brackets that clerks type instead of 六角括号, and full-width digits.
_BRACKETS = str.maketrans(
    {
        "[": "〔",
        "]": "〕",
        "［": "〔",
        "］": "〕",
        "【": "〔",
        "】": "〕",
        "(": "〔",
        ")": "〕",
        "（": "〔",
        "）": "〕",
        "〖": "〔",
        "〗": "〕",
        "﹝": "〔",
        "﹞": "〕",
        "〘": "〔",
        "〙": "〕",
    }
)
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def normalize_doc_number(value: str) -> str:
    """Fix the common variants (square or round brackets, full-width digits,
    spaces) so that a clerk's 财预[2024]3号 becomes 财预〔2024〕3号."""
    value = "".join(value.split()).translate(_FULLWIDTH_DIGITS)
    return value.translate(_BRACKETS)


def validate_doc_number(value: str) -> None:
    """Check a (normalised) 发文字号; the message says what to fix."""
    if not value:
        return
    if ORDER_NUMBER_RE.match(value):
        return
    match = DOC_NUMBER_RE.match(value)
    if not match:
        if "令第" in value and "〔" not in value:
            raise ValidationError(
                _(
                    "令的编号格式为“发文机关代字令第序号号”，序号不加前导0，如：国令第711号。"
                ),
                code="doc_number",
            )
        if "〔" not in value or "〕" not in value:
            raise ValidationError(
                _("发文字号中的年份须用六角括号“〔〕”括入，如：国办发〔2020〕26号。"),
                code="doc_number",
            )
        if "第" in value:
            raise ValidationError(
                _("发文字号的序号前不加“第”字，如：国办发〔2020〕26号。"),
                code="doc_number",
            )
        if re.search(r"〔(\d{1,3}|\d{5,})〕", value):
            raise ValidationError(
                _("发文字号中的年份应写全称（4位数字），如：国办发〔2020〕26号。"),
                code="doc_number",
            )
        if re.search(r"〕0\d*号$", value):
            raise ValidationError(
                _("发文字号的序号不编虚位（不加前导0），如：国办发〔2020〕6号。"),
                code="doc_number",
            )
        raise ValidationError(
            _(
                "发文字号格式应为“发文机关代字〔年份〕序号号”，"
                "年份用4位数字并用六角括号括入，如：国办发〔2020〕26号。"
            ),
            code="doc_number",
        )
    year = int(match.group(1))
    if not 1949 <= year <= 2200:
        raise ValidationError(_("发文字号中的年份不正确。"), code="doc_number")


def doc_number_year_warning(doc_number: str, formed_on) -> str:
    """A warning (not an error) when a 发文字号's year differs from 成文日期's:
    a number given in one year may be signed in the next, but it is more often
    a typing slip."""
    match = DOC_NUMBER_RE.match(doc_number or "")
    if not match or formed_on is None or int(match.group(1)) == formed_on.year:
        return ""
    return _(
        "请核对：发文字号“%(number)s”的年份是%(year)s年，成文日期是%(formed)s。"
    ) % {"number": doc_number, "year": match.group(1), "formed": formed_on.isoformat()}
