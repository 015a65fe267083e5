"""PDF, rewritten with pypdf: see :mod:`disclosure.scrub` for what is
removed."""

from __future__ import annotations

import io

from .errors import UnreadableFile

_PDF_KEPT_INFO = ("/Title",)
_PDF_UNMARKED_ANNOTATIONS = frozenset({"/Link", "/Widget", "/Popup"})


def scrub_pdf(data: bytes) -> bytes:
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject

    reader = PdfReader(io.BytesIO(data), strict=False)
    if reader.is_encrypted:
        raise UnreadableFile("encrypted PDF")
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
    return output.getvalue()
