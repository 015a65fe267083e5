"""PDF, rewritten with pypdf: see :mod:`disclosure.scrub` for what is
removed."""

from __future__ import annotations

import io

from .errors import EncryptedFile, UnreadableFile

_PDF_KEPT_INFO = ("/Title",)
_PDF_UNMARKED_ANNOTATIONS = frozenset({"/Link", "/Widget", "/Popup"})


def scrub_pdf(data: bytes) -> bytes:
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject

    reader = PdfReader(io.BytesIO(data), strict=False)
    if reader.is_encrypted:
        raise EncryptedFile("encrypted PDF")
    page_count = len(reader.pages)
    if page_count == 0:
        raise UnreadableFile("PDF without pages")
    info = reader.metadata or {}
    kept = {key: info[key] for key in _PDF_KEPT_INFO if info.get(key)}
    writer = PdfWriter(clone_from=reader)
    writer.metadata = kept  # replaces the whole information dictionary
    root = writer.root_object
    for key in ("/Metadata", "/PieceInfo"):
        if NameObject(key) in root:
            del root[NameObject(key)]
    for page in writer.pages:
        for key in ("/Metadata", "/PieceInfo"):
            if NameObject(key) in page:
                del page[NameObject(key)]
        annotations = page.get("/Annots")
        for annotation in annotations.get_object() if annotations else []:
            annotation = annotation.get_object()
            if annotation.get("/Subtype") in _PDF_UNMARKED_ANNOTATIONS:
                continue
            for key in ("/T", "/M", "/CreationDate"):
                if NameObject(key) in annotation:
                    del annotation[NameObject(key)]
    # The cloned objects no longer referenced (the XMP stream…) are dropped
    # here, or the writer would still write them.
    writer.compress_identical_objects()
    output = io.BytesIO()
    writer.write(output)
    cleaned = output.getvalue()
    _check_copy(cleaned, page_count)
    return cleaned


def _check_copy(cleaned: bytes, page_count: int) -> None:
    """The copy opens, has every page and nothing of the metadata left."""
    from pypdf import PdfReader

    copy = PdfReader(io.BytesIO(cleaned), strict=False)
    if len(copy.pages) != page_count:
        raise UnreadableFile("pages lost in the copy")
    left = set(copy.metadata or {}) - set(_PDF_KEPT_INFO)
    if left or "/Metadata" in copy.trailer["/Root"]:
        raise UnreadableFile(f"metadata left in the copy: {sorted(left)}")
