"""信息处理费 by count and by pages (国办函〔2020〕109号, DOMAIN.md)."""

from decimal import Decimal

import pytest

from disclosure.request_fees import fee_by_count, fee_by_pages, fee_explanation


@pytest.mark.parametrize(
    ("ordinal", "fee"),
    [(1, 0), (10, 0), (11, 100), (30, 100), (31, 200), (40, 200), (41, 300), (55, 400)],
)
def test_by_count_per_applicant_and_month(ordinal, fee):
    assert fee_by_count(ordinal) == Decimal(fee)


@pytest.mark.parametrize(
    ("pages", "fee"),
    [
        (0, 0),
        (30, 0),
        (31, 10),
        (100, 700),  # 70 pages at 10
        (101, 720),  # + 1 page at 20
        (200, 2700),  # 700 + 100 at 20
        (201, 2740),  # + 1 page at 40
        (250, 4700),  # 700 + 2000 + 50 at 40
    ],
)
def test_by_pages_each_band_at_its_rate(pages, fee):
    assert fee_by_pages(pages) == Decimal(fee)


def test_the_notice_explains_the_figure():
    assert "第12件" in fee_explanation("count", ordinal=12)
    assert "100元" in fee_explanation("count", ordinal=12)
    assert "共150页，收费1700元" in fee_explanation("pages", pages=150)


def test_nonsense_is_refused():
    with pytest.raises(ValueError):
        fee_by_count(0)
    with pytest.raises(ValueError):
        fee_by_pages(-1)
