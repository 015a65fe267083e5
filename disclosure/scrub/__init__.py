"""Copies of attachments without document metadata, for the public.

A file as a clerk uploads it carries more than its content: the author and
last editor (a clerk's name), the organisation, editing time, the template's
path on the clerk's computer (with the Windows user name in it), comments and
the authors of tracked changes, earlier revisions kept inside a PDF, the
camera, GPS position and thumbnail of a photo. :func:`strip_metadata` returns
a copy without them; the original stays as uploaded (``Attachment.file``).

What is removed, per type (``extension`` as ``disclosure.uploads`` names it):

- DOCX, XLSX (OOXML packages, rewritten part by part within the bounds of
  :class:`ZipLimits`; every other part is copied in chunks, its content
  unchanged):
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
  - the photos in the package (PNG and JPEG parts) are cleaned as below, and
    the packages embedded in it (the workbook behind a chart, a document
    inserted as an object) are rewritten as this one, up to
    ``ZipLimits.depth`` levels deep;
  - every zip entry gets the same neutral timestamp (1980-01-01).
- PDF (rewritten with pypdf; only the objects the document uses are written,
  so the earlier revisions an incremental save keeps in the file are gone):
  the document information dictionary except /Title (kept: screen readers
  announce it), the XMP metadata streams of the document and its pages,
  /PieceInfo (editing applications' private data) and the author (/T) of
  comment-type annotations. The copy is read back to check that it opens,
  has every page and no metadata left. Encrypted PDFs cannot be rewritten
  (:class:`EncryptedFile`); pypdf's own bounds keep a compressed stream from
  unpacking to more than 75 MB.
- PNG: the chunks that are neither critical nor known to affect how the
  image shows are dropped (tEXt, iTXt, zTXt, eXIf, tIME and private chunks),
  as is anything after IEND.
- JPEG: only the segments needed to decode and show the image are kept:
  JFIF (APP0), ICC colour profiles (APP2) and Adobe colour information
  (APP14); Exif and XMP (APP1, including the embedded thumbnail), Photoshop
  and IPTC (APP13), comments (COM) and the other APPn segments are dropped,
  as is anything after EOI. The Exif orientation is kept, in a minimal Exif
  segment of its own, so photos stay upright.
- DOC, WPS, XLS, ET (OLE2 compound files, cleaned in place by
  :mod:`.ole`): the property sets keep only the code page and the title
  (author, last saved by, company, manager, template, dates, thumbnail and
  custom properties go); in Word documents the template's path, the author
  and last reviser, the save history and the authors of comments and tracked
  changes are overwritten with spaces, in Excel workbooks the user names of
  the last save, of file sharing and of comment authors.
- OFD (:mod:`.ofd`): the DocInfo in ``OFD.xml`` loses the author, keywords,
  dates and custom data. A signed OFD is returned unchanged (its signatures
  may cover ``OFD.xml``), only checked against :class:`ZipLimits`.

Fail closed: when no clean copy can be made (the file is damaged, encrypted,
or a package over the bounds), :func:`strip_metadata` raises a
:class:`ScrubError`, and ``disclosure.uploads.check_upload`` refuses the
file: nothing reaches the public that was not cleaned (signed OFD aside,
above). No function here reads or writes anything but the bytes it is given.
"""

from __future__ import annotations

import logging

from .errors import ArchiveTooLarge, EncryptedFile, ScrubError, UnreadableFile
from .images import scrub_jpeg, scrub_png
from .ofd import scrub_ofd
from .ole import scrub_ole
from .ooxml import scrub_ooxml
from .pdf import scrub_pdf
from .zipbounds import ZipLimits

__all__ = [
    "SCRUBBED_EXTENSIONS",
    "ArchiveTooLarge",
    "EncryptedFile",
    "ScrubError",
    "UnreadableFile",
    "ZipLimits",
    "strip_metadata",
]

logger = logging.getLogger(__name__)

#: The types :func:`strip_metadata` rewrites; any other comes back unchanged.
SCRUBBED_EXTENSIONS = frozenset(
    {"docx", "xlsx", "pdf", "png", "jpg", "doc", "wps", "xls", "et", "ofd"}
)

_SCRUBBERS = {
    "docx": lambda data, limits: scrub_ooxml(data, word=True, limits=limits),
    "xlsx": lambda data, limits: scrub_ooxml(data, word=False, limits=limits),
    "pdf": lambda data, limits: scrub_pdf(data),
    "png": lambda data, limits: scrub_png(data),
    "jpg": lambda data, limits: scrub_jpeg(data),
    "doc": lambda data, limits: scrub_ole(data),
    "wps": lambda data, limits: scrub_ole(data),
    "xls": lambda data, limits: scrub_ole(data),
    "et": lambda data, limits: scrub_ole(data),
    "ofd": lambda data, limits: scrub_ofd(data, limits=limits),
}


def strip_metadata(
    data: bytes, extension: str, *, limits: ZipLimits | None = None
) -> bytes:
    """A copy of ``data`` (a file of type ``extension``: ``pdf``, ``docx``…)
    without its document metadata; ``data`` itself if there is nothing this
    module removes from that type. ZIP packages are read within ``limits``
    (the defaults of :class:`ZipLimits` if None).

    Raises :class:`ScrubError` when no clean copy can be made: the file must
    then not be published."""
    kind = extension.lower().lstrip(".")
    kind = {"jpeg": "jpg"}.get(kind, kind)
    scrubber = _SCRUBBERS.get(kind)
    if scrubber is None:
        return data
    try:
        return scrubber(data, limits or ZipLimits())
    except ScrubError as error:
        logger.info("no clean copy of a %s file: %s", kind, error)
        raise
    except Exception as error:  # any parser's error on a damaged or odd file
        logger.info("no clean copy of a %s file", kind, exc_info=True)
        raise UnreadableFile(f"{kind} file could not be read") from error
