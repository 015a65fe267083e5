"""信息处理费 (《政府信息公开信息处理费管理办法》, 国办函〔2020〕109号).

Pure functions: numbers in, yuan out. The organ charges only when the number
or frequency of applications clearly exceeds a reasonable range (Art. 42),
and chooses one of two methods for an application:

- by count (按件计收), per applicant and calendar month: the 1st to 10th
  application are free; the 11th to 30th cost 100 yuan each; above 30, each
  further band of 10 applications costs 100 yuan more per application (31st
  to 40th: 200, 41st to 50th: 300, ...);
- by volume (按量计收), per application: up to 30 pages free; pages 31 to 100
  10 yuan a page; 101 to 200 20 yuan a page; above 200 40 yuan a page.

The applicant pays within 20 working days of the notice
(``request_clock.fee_due``), else the application is not processed further
(table 三 （六）2); the time until payment is not counted.
"""

from __future__ import annotations

from decimal import Decimal

FREE_APPLICATIONS_PER_MONTH = 10
FIRST_BAND_END = 30
FIRST_BAND_FEE = 100
BAND_SIZE = 10
BAND_STEP = 100

FREE_PAGES = 30
#: (last page of the band, yuan per page); the last band has no end.
PAGE_BANDS = ((100, 10), (200, 20), (None, 40))


def fee_by_count(ordinal: int) -> Decimal:
    """The fee for an applicant's ``ordinal``-th application (1 = the first)
    in a calendar month."""
    if ordinal < 1:
        raise ValueError("ordinal starts at 1")
    if ordinal <= FREE_APPLICATIONS_PER_MONTH:
        return Decimal(0)
    if ordinal <= FIRST_BAND_END:
        return Decimal(FIRST_BAND_FEE)
    band = (ordinal - FIRST_BAND_END - 1) // BAND_SIZE + 1
    return Decimal(FIRST_BAND_FEE + band * BAND_STEP)


def fee_by_pages(pages: int) -> Decimal:
    """The fee for ``pages`` pages of information provided for one
    application (each band charged at its own rate)."""
    if pages < 0:
        raise ValueError("pages cannot be negative")
    total = 0
    lower = FREE_PAGES
    for upper, rate in PAGE_BANDS:
        if pages <= lower:
            break
        top = pages if upper is None else min(pages, upper)
        total += (top - lower) * rate
        if upper is None:
            break
        lower = upper
    return Decimal(total)


def fee_explanation(method: str, *, ordinal: int = 0, pages: int = 0) -> str:
    """How the fee was reached, in the words of the notice."""
    if method == "count":
        return (
            f"按件计收：本申请为申请人本自然月内向本机关提出的第{ordinal}件申请，"
            f"收费标准为每件{fee_by_count(ordinal)}元（每月10件以下不收费，"
            "11至30件每件100元，30件以上每10件为一档、每档每件提高100元）。"
        )
    return (
        f"按量计收：本申请提供的信息共{pages}页，收费{fee_by_pages(pages)}元"
        "（30页以下不收费，31至100页每页10元，101至200页每页20元，"
        "200页以上每页40元）。"
    )
