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

import io
import logging
import posixpath
import struct
import zipfile

from lxml import etree

logger = logging.getLogger(__name__)

#: The types :func:`strip_metadata` rewrites; any other comes back unchanged.
SCRUBBED_EXTENSIONS = frozenset({"docx", "xlsx", "pdf", "png", "jpg"})


class UnreadableFile(ValueError):
    """The file is not what its type says, or is damaged."""


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


# --- OOXML (DOCX, XLSX) ------------------------------------------------------------------

_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
_OFFICE_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DC_NS = "http://purl.org/dc/elements/1.1/"
_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_X15AC_NS = "http://schemas.microsoft.com/office/spreadsheetml/2010/11/ac"

_CORE_PROPERTIES = f"{_PACKAGE_RELS}/metadata/core-properties"
_EXTENDED_PROPERTIES = f"{_OFFICE_RELS}/extended-properties"
_ATTACHED_TEMPLATE = f"{_OFFICE_RELS}/attachedTemplate"
_OFFICE_DOCUMENT = f"{_OFFICE_RELS}/officeDocument"

#: Relationship types whose target parts are dropped from every package.
_DROPPED_EVERYWHERE = frozenset(
    {
        f"{_OFFICE_RELS}/custom-properties",
        f"{_PACKAGE_RELS}/metadata/thumbnail",
    }
)
#: … and from word processing documents: comments and who wrote them.
_DROPPED_FROM_DOCX = frozenset(
    {
        f"{_OFFICE_RELS}/comments",
        "http://schemas.microsoft.com/office/2011/relationships/people",
        "http://schemas.microsoft.com/office/2011/relationships/commentsExtended",
        "http://schemas.microsoft.com/office/2016/09/relationships/commentsIds",
        "http://schemas.microsoft.com/office/2018/08/relationships/commentsExtensible",
    }
)
_XLSX_COMMENTS = f"{_OFFICE_RELS}/comments"
_XLSX_PERSONS = "http://schemas.microsoft.com/office/2017/10/relationships/person"

_CORE_KEPT = frozenset({f"{{{_DC_NS}}}title", f"{{{_DC_NS}}}language"})
_APP_DROPPED = frozenset(
    {"Company", "Manager", "Template", "TotalTime", "HyperlinkBase"}
)
_W_COMMENT_MARKS = frozenset(
    {
        f"{{{_W_NS}}}commentRangeStart",
        f"{{{_W_NS}}}commentRangeEnd",
        f"{{{_W_NS}}}commentReference",
    }
)
_NEUTRAL_ZIP_TIME = (1980, 1, 1, 0, 0, 0)

#: No entity expansion, no network, no huge trees: the parts come from uploads.
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def _parse_xml(data: bytes):
    return etree.fromstring(data, parser=_PARSER)


def _to_xml(root) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _local(tag) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _rels_source(rels_name: str) -> str:
    """The part a relationships part belongs to ('' for the package)."""
    folder, name = posixpath.split(rels_name)
    return posixpath.join(posixpath.dirname(folder), name.removesuffix(".rels"))


def _rels_name(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{name}.rels")


def _resolve(source_part: str, target: str) -> str:
    if target.startswith("/"):
        return posixpath.normpath(target).lstrip("/")
    base = posixpath.dirname(source_part)
    return posixpath.normpath(posixpath.join(base, target)).lstrip("/")


def _scrub_ooxml(data: bytes, *, word: bool) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        infos = [info for info in source.infolist() if not info.is_dir()]
        parts = {info.filename: source.read(info) for info in infos}
    if "[Content_Types].xml" not in parts or "_rels/.rels" not in parts:
        raise UnreadableFile("not an OOXML package")

    # Relationships: find the parts to drop and those to clean.
    dropped_types = _DROPPED_EVERYWHERE | (_DROPPED_FROM_DOCX if word else frozenset())
    rels = {
        name: _parse_xml(content)
        for name, content in parts.items()
        if name.endswith(".rels")
    }
    dropped: set[str] = set()
    by_type: dict[str, set[str]] = {}
    for rels_name, root in rels.items():
        source_part = _rels_source(rels_name)
        for rel in root.iter(f"{{{_REL_NS}}}Relationship"):
            rel_type = rel.get("Type", "")
            if rel.get("TargetMode") == "External":
                continue
            target = _resolve(source_part, rel.get("Target", ""))
            by_type.setdefault(rel_type, set()).add(target)
            if rel_type in dropped_types:
                dropped.add(target)
    dropped |= {_rels_name(part) for part in dropped}
    changed: dict[str, bytes] = {}

    for rels_name, root in rels.items():
        if rels_name in dropped:
            continue
        source_part = _rels_source(rels_name)
        removed = False
        for rel in list(root.iter(f"{{{_REL_NS}}}Relationship")):
            external = rel.get("TargetMode") == "External"
            if external and rel.get("Type") == _ATTACHED_TEMPLATE:
                root.remove(rel)
                removed = True
            elif (
                not external and _resolve(source_part, rel.get("Target", "")) in dropped
            ):
                root.remove(rel)
                removed = True
        if removed:
            changed[rels_name] = _to_xml(root)

    types = _parse_xml(parts["[Content_Types].xml"])
    for override in list(types.iter(f"{{{_CT_NS}}}Override")):
        if override.get("PartName", "").lstrip("/") in dropped:
            types.remove(override)
    changed["[Content_Types].xml"] = _to_xml(types)

    for core in by_type.get(_CORE_PROPERTIES, ()):
        if core in parts:
            changed[core] = _neutral_core_properties(parts[core])
    for app in by_type.get(_EXTENDED_PROPERTIES, ()):
        if app in parts:
            changed[app] = _without_children(parts[app], _APP_DROPPED)

    if word:
        for name, content in parts.items():
            if (
                name.startswith("word/")
                and name.endswith(".xml")
                and name not in dropped
            ):
                cleaned = _clean_word_part(name, content)
                if cleaned is not None:
                    changed[name] = cleaned
    else:
        for name in by_type.get(_XLSX_COMMENTS, ()):
            if name in parts:
                changed[name] = _blank_texts(parts[name], "author")
        for name in by_type.get(_XLSX_PERSONS, ()):
            if name in parts:
                changed[name] = _blank_attributes(
                    parts[name], "person", ("displayName", "userId", "providerId")
                )
        for name in by_type.get(_OFFICE_DOCUMENT, ()):
            if name in parts:
                changed[name] = _clean_workbook(parts[name])

    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as target:
        for info in infos:
            if info.filename in dropped:
                continue
            entry = zipfile.ZipInfo(info.filename, date_time=_NEUTRAL_ZIP_TIME)
            entry.compress_type = info.compress_type
            target.writestr(entry, changed.get(info.filename, parts[info.filename]))
    return output.getvalue()


def _neutral_core_properties(data: bytes) -> bytes:
    root = _parse_xml(data)
    for child in list(root):
        if child.tag not in _CORE_KEPT:
            root.remove(child)
    return _to_xml(root)


def _without_children(data: bytes, local_names: frozenset[str]) -> bytes:
    root = _parse_xml(data)
    for child in list(root):
        if _local(child.tag) in local_names:
            root.remove(child)
    return _to_xml(root)


def _blank_texts(data: bytes, local_name: str) -> bytes:
    root = _parse_xml(data)
    for element in root.iter():
        if _local(element.tag) == local_name:
            element.text = ""
    return _to_xml(root)


def _blank_attributes(data: bytes, local_name: str, attributes) -> bytes:
    root = _parse_xml(data)
    for element in root.iter():
        if _local(element.tag) == local_name:
            for attribute in attributes:
                if attribute in element.attrib:
                    element.set(attribute, "")
    return _to_xml(root)


def _clean_workbook(data: bytes) -> bytes:
    root = _parse_xml(data)
    for element in list(root.iter(f"{{{_X15AC_NS}}}absPath")):
        holder = element.getparent()
        holder.remove(element)
        # absPath sits in <mc:AlternateContent><mc:Choice>: drop the empty shell.
        if _local(holder.tag) == "Choice" and len(holder) == 0:
            alternate = holder.getparent()
            if alternate is not None and _local(alternate.tag) == "AlternateContent":
                alternate.getparent().remove(alternate)
    for element in root.iter():
        if _local(element.tag) == "fileSharing" and "userName" in element.attrib:
            del element.attrib["userName"]
    return _to_xml(root)


def _clean_word_part(name: str, data: bytes) -> bytes | None:
    """Comment anchors out, tracked-change authors and dates blanked; in
    settings.xml the attached template and document variables out. None when
    the part has nothing to clean (it is then copied as it is)."""
    interesting = (
        b"comment",
        b"w:author",
        b"w:initials",
        b"attachedTemplate",
        b"docVars",
    )
    if not any(marker in data for marker in interesting):
        return None
    root = _parse_xml(data)
    author, initials, date = (f"{{{_W_NS}}}{a}" for a in ("author", "initials", "date"))
    for element in list(root.iter()):
        if element.tag in _W_COMMENT_MARKS:
            parent = element.getparent()
            parent.remove(element)
            # A run that held only the comment reference goes too.
            if _local(parent.tag) == "r" and all(
                _local(child.tag) == "rPr" for child in parent
            ):
                parent.getparent().remove(parent)
            continue
        if name == "word/settings.xml" and _local(element.tag) in (
            "attachedTemplate",
            "docVars",
        ):
            element.getparent().remove(element)
            continue
        if author in element.attrib:
            element.set(author, "")
            element.attrib.pop(date, None)
        if initials in element.attrib:
            element.set(initials, "")
    return _to_xml(root)


# --- PDF --------------------------------------------------------------------------------------

_PDF_KEPT_INFO = ("/Title",)
_PDF_UNMARKED_ANNOTATIONS = frozenset({"/Link", "/Widget", "/Popup"})


def _scrub_pdf(data: bytes) -> bytes:
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


# --- PNG ----------------------------------------------------------------------------------------

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
#: Ancillary chunks kept: they change how the image shows (colour, gamma,
#: transparency, pixel size, animation).
_PNG_KEPT_ANCILLARY = frozenset(
    {
        b"tRNS",
        b"cHRM",
        b"gAMA",
        b"iCCP",
        b"sBIT",
        b"sRGB",
        b"cICP",
        b"mDCV",
        b"mDCv",
        b"cLLI",
        b"cLLi",
        b"bKGD",
        b"hIST",
        b"pHYs",
        b"sPLT",
        b"acTL",
        b"fcTL",
        b"fdAT",
    }
)


def _scrub_png(data: bytes) -> bytes:
    if not data.startswith(_PNG_SIGNATURE):
        raise UnreadableFile("no PNG signature")
    output = bytearray(_PNG_SIGNATURE)
    position = len(_PNG_SIGNATURE)
    while True:
        if position + 12 > len(data):
            raise UnreadableFile("PNG ends inside a chunk")
        (length,) = struct.unpack(">I", data[position : position + 4])
        chunk_type = data[position + 4 : position + 8]
        end = position + 12 + length
        if end > len(data) or not chunk_type.isalpha():
            raise UnreadableFile("damaged PNG chunk")
        critical = chunk_type[:1].isupper()
        if critical or chunk_type in _PNG_KEPT_ANCILLARY:
            output += data[position:end]
        position = end
        if chunk_type == b"IEND":
            return bytes(output)


# --- JPEG -------------------------------------------------------------------------------------

_SOI, _EOI, _SOS = 0xD8, 0xD9, 0xDA
_APP0, _APP2, _APP14 = 0xE0, 0xE2, 0xEE
_KEPT_APP_SEGMENTS = {
    _APP0: b"JFIF\x00",
    _APP2: b"ICC_PROFILE\x00",
    _APP14: b"Adobe",
}
_ORIENTATION_TAG = 0x0112


def _scrub_jpeg(data: bytes) -> bytes:
    if not data.startswith(b"\xff\xd8"):
        raise UnreadableFile("no JPEG start of image")
    segments: list[bytes] = []
    orientation = None
    position, size = 2, len(data)
    while position < size:
        if data[position] != 0xFF:
            raise UnreadableFile("JPEG marker expected")
        while position < size and data[position] == 0xFF:  # fill bytes
            position += 1
        if position >= size:
            break
        marker = data[position]
        position += 1
        if marker == _EOI:
            segments.append(b"\xff\xd9")
            break
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:  # no length
            segments.append(bytes((0xFF, marker)))
            continue
        if position + 2 > size:
            raise UnreadableFile("JPEG ends inside a segment")
        (length,) = struct.unpack(">H", data[position : position + 2])
        end = position + length
        if length < 2 or end > size:
            raise UnreadableFile("damaged JPEG segment")
        payload = data[position + 2 : end]
        segment = bytes((0xFF, marker)) + data[position:end]
        position = end
        if marker == 0xE1 and payload.startswith(b"Exif\x00\x00"):
            orientation = _exif_orientation(payload[6:]) or orientation
        if 0xE0 <= marker <= 0xEF:
            prefix = _KEPT_APP_SEGMENTS.get(marker)
            if prefix is None or not payload.startswith(prefix):
                continue
        elif marker == 0xFE:  # COM
            continue
        segments.append(segment)
        if marker == _SOS:
            scan_end = _scan_end(data, position)
            segments.append(data[position:scan_end])
            position = scan_end
    if orientation and orientation != 1:
        at = 1 if segments and segments[0][1] == _APP0 else 0
        segments.insert(at, _exif_segment(orientation))
    return b"\xff\xd8" + b"".join(segments)


def _scan_end(data: bytes, position: int) -> int:
    """Where the entropy-coded data that starts at ``position`` ends: at the
    next marker that is neither a stuffed 0xFF00 nor a restart marker."""
    while True:
        position = data.find(b"\xff", position)
        if position == -1 or position + 1 >= len(data):
            return len(data)
        following = data[position + 1]
        if following == 0x00 or 0xD0 <= following <= 0xD7 or following == 0xFF:
            position += 1
            continue
        return position


def _exif_orientation(tiff: bytes) -> int | None:
    """The orientation tag of IFD0 of an Exif TIFF structure, if readable."""
    if len(tiff) < 8 or tiff[:2] not in (b"II", b"MM"):
        return None
    order = "<" if tiff[:2] == b"II" else ">"
    (offset,) = struct.unpack(order + "I", tiff[4:8])
    if offset + 2 > len(tiff):
        return None
    (count,) = struct.unpack(order + "H", tiff[offset : offset + 2])
    for index in range(count):
        start = offset + 2 + 12 * index
        if start + 12 > len(tiff):
            return None
        tag, kind, _count = struct.unpack(order + "HHI", tiff[start : start + 8])
        if tag == _ORIENTATION_TAG and kind == 3:
            (value,) = struct.unpack(order + "H", tiff[start + 8 : start + 10])
            return value if 1 <= value <= 8 else None
    return None


def _exif_segment(orientation: int) -> bytes:
    """An APP1 Exif segment with the orientation tag and nothing else."""
    tiff = (
        b"MM\x00\x2a"
        + struct.pack(">I", 8)
        + struct.pack(">H", 1)
        + struct.pack(">HHIHH", _ORIENTATION_TAG, 3, 1, orientation, 0)
        + struct.pack(">I", 0)
    )
    payload = b"Exif\x00\x00" + tiff
    return b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload


_SCRUBBERS = {
    "docx": lambda data: _scrub_ooxml(data, word=True),
    "xlsx": lambda data: _scrub_ooxml(data, word=False),
    "pdf": _scrub_pdf,
    "png": _scrub_png,
    "jpg": _scrub_jpeg,
}
