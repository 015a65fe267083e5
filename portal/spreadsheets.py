"""Cells for CSV and XLSX downloads that spreadsheet programs will not run.

A cell that starts with ``=``, ``+``, ``-``, ``@`` or a control character is
read as a formula by Excel and WPS (CSV/formula injection); such text gets a
leading apostrophe. Numbers, dates and ``None`` pass through unchanged.
"""

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def safe_cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value
