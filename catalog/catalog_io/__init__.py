"""Import and export of the disclosure catalog as CSV and XLSX (the layout of
the standard catalogues: ``layout.py``).

- ``layout``: the columns, their aliases, the time-limit text, the errors;
- ``export``: the catalog as a file;
- ``reading``: a file's format, rows and header;
- ``cells`` and ``importer``: the all-or-nothing import.
"""

from .export import export_catalog, export_rows
from .importer import import_catalog, read_rows
from .layout import (
    FORMATS,
    HEADERS,
    MACHINE_HEADERS,
    MAX_IMPORT_BYTES,
    REQUIRED_HEADERS,
    STANDARD_HEADERS,
    CatalogImportError,
    ImportResult,
    RowError,
    parse_time_limit,
)
from .reading import detect_format

__all__ = [
    "FORMATS",
    "HEADERS",
    "MACHINE_HEADERS",
    "MAX_IMPORT_BYTES",
    "REQUIRED_HEADERS",
    "STANDARD_HEADERS",
    "CatalogImportError",
    "ImportResult",
    "RowError",
    "detect_format",
    "export_catalog",
    "export_rows",
    "import_catalog",
    "parse_time_limit",
    "read_rows",
]
