"""The XML parts of OOXML packages that hold names, rewritten in memory (each
bounded by ``ZipLimits.xml_bytes``): core and extended properties, comment
authors, the workbook's folder, and in Word documents comment anchors,
tracked-change authors, the attached template and document variables."""

from __future__ import annotations

from lxml import etree

_DC_NS = "http://purl.org/dc/elements/1.1/"
_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_X15AC_NS = "http://schemas.microsoft.com/office/spreadsheetml/2010/11/ac"

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
#: A Word part without any of these has nothing to clean and is only copied
#: (any namespace prefix: the attribute names are looked for without one).
WORD_MARKERS = (b"comment", b"author", b"initials", b"attachedTemplate", b"docVars")

#: No entity expansion, no network, no huge trees: the parts come from uploads.
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def parse_xml(data: bytes):
    return etree.fromstring(data, parser=_PARSER)


def to_xml(root) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _local(tag) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def core_properties(data: bytes) -> bytes:
    root = parse_xml(data)
    for child in list(root):
        if child.tag not in _CORE_KEPT:
            root.remove(child)
    return to_xml(root)


def app_properties(data: bytes) -> bytes:
    root = parse_xml(data)
    for child in list(root):
        if _local(child.tag) in _APP_DROPPED:
            root.remove(child)
    return to_xml(root)


def blank_texts(data: bytes, local_name: str) -> bytes:
    root = parse_xml(data)
    for element in root.iter():
        if _local(element.tag) == local_name:
            element.text = ""
    return to_xml(root)


def blank_attributes(data: bytes, local_name: str, attributes) -> bytes:
    root = parse_xml(data)
    for element in root.iter():
        if _local(element.tag) == local_name:
            for attribute in attributes:
                if attribute in element.attrib:
                    element.set(attribute, "")
    return to_xml(root)


def workbook(data: bytes) -> bytes:
    root = parse_xml(data)
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
    return to_xml(root)


def word_part(name: str, data: bytes) -> bytes | None:
    """Comment anchors out, tracked-change authors and dates blanked; in
    settings.xml the attached template and document variables out. None when
    the part has nothing to clean (it is then copied as it is)."""
    if not any(marker in data for marker in WORD_MARKERS):
        return None
    root = parse_xml(data)
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
    return to_xml(root)
