"""The portal archive: all disclosure data of an installation in one
self-describing zip file (``manage.py export_archive`` / ``import_archive``).

- ``format``: the layout of the zip file, what is archived, the errors;
- ``export``: writing an archive;
- ``verify``: reading and checking one before anything is written;
- ``importer``: loading it into a database with no disclosure data.
"""

from .export import export_archive
from .format import (
    ARCHIVED_APPS,
    DATA_DIR,
    FILES_DIR,
    FORMAT_NAME,
    FORMAT_VERSION,
    MANIFEST_NAME,
    REFERENCE_MODELS,
    ArchiveError,
    ExportResult,
    ImportResult,
    archived_models,
)
from .importer import import_archive

__all__ = [
    "ARCHIVED_APPS",
    "DATA_DIR",
    "FILES_DIR",
    "FORMAT_NAME",
    "FORMAT_VERSION",
    "MANIFEST_NAME",
    "REFERENCE_MODELS",
    "ArchiveError",
    "ExportResult",
    "ImportResult",
    "archived_models",
    "export_archive",
    "import_archive",
]
