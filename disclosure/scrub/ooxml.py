"""DOCX and XLSX (OOXML packages): see :mod:`disclosure.scrub` for what is
removed. The package is rewritten part by part, within the bounds of
:mod:`.zipbounds`: the parts that hold names are rewritten in memory
(:mod:`.ooxml_parts`), the photos in it lose their Exif data, the packages
embedded in it (a chart's workbook…) are rewritten the same way, and every
other part is copied in chunks, never whole in memory."""

from __future__ import annotations

import io
import posixpath
import tempfile
import zipfile

from . import ooxml_parts
from .errors import ArchiveTooLarge, UnreadableFile
from .images import scrub_jpeg, scrub_png
from .zipbounds import CHUNK, BoundedZip, Budget, MiB, ZipLimits

_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
_OFFICE_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"

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
_PPTX_COMMENT_AUTHORS = f"{_OFFICE_RELS}/commentAuthors"

#: Packages embedded in a package (by the extension of the part's name), and
#: whether they are word processing documents.
_EMBEDDED_PACKAGES = {
    ".docx": True,
    ".docm": True,
    ".xlsx": False,
    ".xlsm": False,
    ".pptx": False,
    ".pptm": False,
}
_IMAGES = {".png": scrub_png, ".jpg": scrub_jpeg, ".jpeg": scrub_jpeg}
_NEUTRAL_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
#: An embedded package is unpacked to a temporary file from this size on.
_SPOOL_BYTES = 8 * MiB


def scrub_ooxml(data: bytes, *, word: bool, limits: ZipLimits | None = None) -> bytes:
    output = io.BytesIO()
    _Package(io.BytesIO(data), Budget(limits or ZipLimits()), depth=0).write(
        output, word=word
    )
    return output.getvalue()


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


class _Package:
    def __init__(self, file, budget: Budget, depth: int):
        self.file = file
        self.budget = budget
        self.depth = depth

    def write(self, output, *, word: bool) -> None:
        with BoundedZip(self.file, self.budget, self.depth) as source:
            self.source = source
            self.infos = {info.filename: info for info in source.members}
            if (
                "[Content_Types].xml" not in self.infos
                or "_rels/.rels" not in self.infos
            ):
                raise UnreadableFile("not an OOXML package")
            dropped, changed = self._plan(word)
            with zipfile.ZipFile(output, "w") as target:
                for name, info in self.infos.items():
                    if name not in dropped:
                        self._write_part(target, info, changed.get(name), word=word)

    def _xml(self, name: str) -> bytes:
        """A part that is parsed, counted against ``ZipLimits.xml_bytes``."""
        info = self.infos[name]
        budget, limit = self.budget, self.budget.limits.xml_bytes
        budget.xml_bytes += info.file_size
        if budget.xml_bytes > limit:
            raise ArchiveTooLarge("xml_bytes", limit=limit, found=budget.xml_bytes)
        return self.source.read(info)

    def _plan(self, word: bool) -> tuple[set[str], dict[str, bytes]]:
        """The parts to drop and the rewritten relationships, content types,
        properties and comment parts."""
        dropped_types = _DROPPED_EVERYWHERE | (_DROPPED_FROM_DOCX if word else set())
        rels = {
            name: ooxml_parts.parse_xml(self._xml(name))
            for name in self.infos
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
                    not external
                    and _resolve(source_part, rel.get("Target", "")) in dropped
                ):
                    root.remove(rel)
                    removed = True
            if removed:
                changed[rels_name] = ooxml_parts.to_xml(root)

        types = ooxml_parts.parse_xml(self._xml("[Content_Types].xml"))
        for override in list(types.iter(f"{{{_CT_NS}}}Override")):
            if override.get("PartName", "").lstrip("/") in dropped:
                types.remove(override)
        changed["[Content_Types].xml"] = ooxml_parts.to_xml(types)

        rewrites = [
            (_CORE_PROPERTIES, ooxml_parts.core_properties),
            (_EXTENDED_PROPERTIES, ooxml_parts.app_properties),
        ]
        if not word:
            rewrites += [
                (_XLSX_COMMENTS, lambda data: ooxml_parts.blank_texts(data, "author")),
                (
                    _XLSX_PERSONS,
                    lambda data: ooxml_parts.blank_attributes(
                        data, "person", ("displayName", "userId", "providerId")
                    ),
                ),
                (
                    _PPTX_COMMENT_AUTHORS,
                    lambda data: ooxml_parts.blank_attributes(
                        data, "cmAuthor", ("name", "initials")
                    ),
                ),
                (_OFFICE_DOCUMENT, ooxml_parts.workbook),
            ]
        for rel_type, rewrite in rewrites:
            for name in sorted(by_type.get(rel_type, ())):
                if name in self.infos and name not in dropped:
                    changed[name] = rewrite(self._xml(name))
        return dropped, changed

    def _write_part(self, target, info, content: bytes | None, *, word: bool):
        name = info.filename
        entry = zipfile.ZipInfo(name, date_time=_NEUTRAL_ZIP_TIME)
        entry.compress_type = info.compress_type
        extension = posixpath.splitext(name)[1].lower()
        if content is None and word and name.startswith("word/"):
            if extension == ".xml" and self._has_word_markers(info):
                content = ooxml_parts.word_part(name, self._xml(name))
        if content is None and extension in _IMAGES:
            content = _IMAGES[extension](self.source.read(info))
        if content is None and extension in _EMBEDDED_PACKAGES:
            with self._embedded(info, word=_EMBEDDED_PACKAGES[extension]) as cleaned:
                entry.file_size = cleaned.seek(0, io.SEEK_END)
                cleaned.seek(0)
                with target.open(entry, "w") as part:
                    _copy(cleaned, part)
            return
        if content is not None:
            target.writestr(entry, content)
            return
        entry.file_size = info.file_size
        with target.open(entry, "w") as part:
            self.source.copy(info, part)

    def _has_word_markers(self, info) -> bool:
        """Whether a part contains a marker of :data:`ooxml_parts.WORD_MARKERS`,
        read in chunks."""
        overlap = max(len(marker) for marker in ooxml_parts.WORD_MARKERS) - 1
        tail = b""
        with self.source.open(info) as reader:
            while chunk := reader.read(CHUNK):
                window = tail + chunk
                if any(marker in window for marker in ooxml_parts.WORD_MARKERS):
                    return True
                tail = window[-overlap:]
        return False

    def _embedded(self, info, *, word: bool):
        """A package inside this one, rewritten: a temporary file."""
        unpacked = tempfile.SpooledTemporaryFile(max_size=_SPOOL_BYTES)
        cleaned = tempfile.SpooledTemporaryFile(max_size=_SPOOL_BYTES)
        try:
            self.source.copy(info, unpacked)
            unpacked.seek(0)
            _Package(unpacked, self.budget, self.depth + 1).write(cleaned, word=word)
        except BaseException:
            cleaned.close()
            raise
        finally:
            unpacked.close()
        return cleaned


def _copy(source, target) -> None:
    while chunk := source.read(CHUNK):
        target.write(chunk)
