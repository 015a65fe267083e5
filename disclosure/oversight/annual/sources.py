"""Where the figures of tables 三 and 四 and the 信息处理费 come from.

Today the office enters them. The register of requests (依申请公开, another
package) will know them per organ and year: it registers a function here
(from the wiring, ``DisclosureConfig.ready()``, since packages never import
each other) that returns :class:`RequestFigures` for an organ and a year.
Starting or refilling a report then fills those cells from the register and
keeps what the register said (``AnnualReport.register_figures``); the office
may still enter other figures, but only with a recorded reason
(``AnnualReport.override_reason``, checked by ``reports.save``), so that a
figure that differs from the register never goes unexplained.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from catalog.models import Department

from .layout import (
    TABLE3_COLUMNS,
    TABLE4_COLUMNS,
    TABLE4_GROUPS,
    table3_label,
)


@dataclass(frozen=True)
class RequestFigures:
    """Figures from the register of requests; ``None`` for a part it does
    not provide. Tables as stored: row key → list of numbers."""

    table3: dict[str, list[int]] | None = None
    table4: dict[str, list[int]] | None = None
    fees_charged: Decimal | None = None

    def as_json(self) -> dict:
        data: dict = {}
        if self.table3 is not None:
            data["table3"] = self.table3
        if self.table4 is not None:
            data["table4"] = self.table4
        if self.fees_charged is not None:
            data["fees_charged"] = str(self.fees_charged)
        return data


Provider = Callable[[Department, int], "RequestFigures | None"]
_providers: list[Provider] = []


def register(provider: Provider) -> None:
    """Make the register's figures available to the annual reports."""
    if provider not in _providers:
        _providers.append(provider)


def unregister(provider: Provider) -> None:
    if provider in _providers:
        _providers.remove(provider)


def request_figures(organ: Department, year: int) -> RequestFigures | None:
    """The register's figures for the organ's report (the last provider
    that answers wins; None while no register is installed)."""
    figures = None
    for provider in _providers:
        figures = provider(organ, year) or figures
    return figures


def overridden_cells(register: dict, table3, table4, fees_charged) -> list[str]:
    """The cells (as labels) where the entered figures differ from what the
    register said."""
    changed = []
    for key, values in (register.get("table3") or {}).items():
        for index, (_column, column_label) in enumerate(TABLE3_COLUMNS):
            if table3.get(key, [0] * len(TABLE3_COLUMNS))[index] != values[index]:
                changed.append(f"表三“{table3_label(key)}”{column_label}")
    groups = dict(TABLE4_GROUPS)
    for key, values in (register.get("table4") or {}).items():
        for index, (_column, column_label) in enumerate(TABLE4_COLUMNS):
            if table4.get(key, [0] * len(TABLE4_COLUMNS))[index] != values[index]:
                changed.append(f"表四“{groups[key]}”{column_label}")
    if "fees_charged" in register and Decimal(register["fees_charged"]) != Decimal(
        fees_charged
    ):
        changed.append("信息处理费")
    return changed
