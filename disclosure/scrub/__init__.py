"""Copies of attachments without document metadata, for the public.

A file as a clerk uploads it carries more than its content: the author and
last editor (a clerk's name), the organisation, editing time, the template's
path on the clerk's computer (with the Windows user name in it), comments and
the authors of tracked changes, earlier revisions kept inside a PDF, the
camera, GPS position and thumbnail of a photo. :func:`strip_metadata` returns
a copy without them; the original stays as uploaded (``Attachment.file``).

What is removed, per type (``extension`` as ``disclosure.uploads`` names it):

- DOCX, XLSX (OOXML packages, rewritten part by part; every other part is
  copied byte for byte):
  - ``docProps/core.xml``: everything but the title and language (creator,
    last modified by, revision, dates, keywords, description, category…);
  - ``docProps/app.xml``: Company, Manager, Template, TotalTime,
    HyperlinkBase;
  - custom properties (``docProps/custom.xml``) and the thumbnail, dropped
    with their relationships and content-type entries;
  - DOCX: comments (the comment parts, the people list, and the comment
    anchors and references in the text), the attached template's path
    (``w:attachedTemplate`` and its external relationship) and document
    variables (``w:docVars``); the author and date of tracked changes are
    blanked. Tracked changes themselves are *not* accepted or rejected: the
    text shows as the reviewer approved it. Revision-session ids (``w:rsid``)
    stay: they name no one.
  - XLSX: the names of comment authors and of threaded-comment persons are
    blanked and the workbook's ``absPath`` (the folder it was saved in) and
    ``fileSharing`` user name removed. Comments themselves stay (Excel may
    have put the author's name into a comment's text: reviewers should ask
    for comments to be removed before publishing).
  - every zip entry gets the same neutral timestamp (1980-01-01).
- PDF (rewritten with pypdf; only the objects the document uses are written,
  so the earlier revisions an incremental save keeps in the file are gone):
  the document information dictionary except /Title (kept: screen readers
  announce it), the XMP metadata streams of the document and its pages,
  /PieceInfo (editing applications' private data) and the author (/T) of
  comment-type annotations. Encrypted PDFs are returned unchanged.
- PNG: the chunks that are neither critical nor known to affect how the
  image shows are dropped (tEXt, iTXt, zTXt, eXIf, tIME and private chunks),
  as is anything after IEND.
- JPEG: only the segments needed to decode and show the image are kept:
  JFIF (APP0), ICC colour profiles (APP2) and Adobe colour information
  (APP14); Exif and XMP (APP1, including the embedded thumbnail), Photoshop
  and IPTC (APP13), comments (COM) and the other APPn segments are dropped,
  as is anything after EOI. The Exif orientation is kept, in a minimal Exif
  segment of its own, so photos stay upright.
- OFD, DOC, WPS, XLS, ET: returned unchanged. OFD packages carry an
  ``OFD.xml`` DocInfo (author, creation date) that could be blanked the same
  way as OOXML's core properties, but the signatures of signed OFD documents
  cover it; the OLE2 formats (DOC/WPS/XLS/ET) keep their properties in
  binary streams that cannot be rewritten safely without a full parser.

A file that cannot be parsed is returned unchanged, and a warning is logged
(``disclosure.scrub``): the caller decides whether to publish it as it is.
No function here reads or writes anything but the bytes it is given.
"""

from __future__ import annotations

import logging

from .errors import UnreadableFile
from .images import scrub_jpeg, scrub_png
from .ooxml import scrub_ooxml
from .pdf import scrub_pdf

__all__ = ["SCRUBBED_EXTENSIONS", "UnreadableFile", "strip_metadata"]

logger = logging.getLogger(__name__)

#: The types :func:`strip_metadata` rewrites; any other comes back unchanged.
SCRUBBED_EXTENSIONS = frozenset({"docx", "xlsx", "pdf", "png", "jpg"})

_SCRUBBERS = {
    "docx": lambda data: scrub_ooxml(data, word=True),
    "xlsx": lambda data: scrub_ooxml(data, word=False),
    "pdf": scrub_pdf,
    "png": scrub_png,
    "jpg": scrub_jpeg,
}


def strip_metadata(data: bytes, extension: str) -> bytes:
    """A copy of ``data`` (a file of type ``extension``: ``pdf``, ``docx``…)
    without its document metadata; ``data`` itself if there is nothing this
    module removes from that type or the file cannot be read."""
    kind = extension.lower().lstrip(".")
    kind = {"jpeg": "jpg"}.get(kind, kind)
    scrubber = _SCRUBBERS.get(kind)
    if scrubber is None:
        return data
    try:
        return scrubber(data)
    except Exception:  # a damaged or unusual file of any kind: kept as it is
        logger.warning(
            "metadata not removed from a %s file of %d bytes: it could not be read",
            kind,
            len(data),
            exc_info=True,
        )
        return data
