"""DOCX and XLSX (OOXML packages): see :mod:`disclosure.scrub` for what is
removed. The package is rewritten part by part; every other part is copied
byte for byte."""

from __future__ import annotations

import io
import posixpath
import zipfile

from lxml import etree

from .errors import UnreadableFile

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


def scrub_ooxml(data: bytes, *, word: bool) -> bytes:
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
