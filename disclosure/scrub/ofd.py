"""OFD (GB/T 33190-2016) packages: the document information in ``OFD.xml``
(``DocInfo``) loses the author, keywords, dates and custom data; the title,
document id, subject, abstract and creating application stay. Every other
part is copied in chunks, within the bounds of :mod:`.zipbounds`.

A signed OFD (a ``Signatures`` entry in any ``DocBody``) is returned as it
is, only checked against the bounds: its signatures may cover ``OFD.xml``,
and an official document's seal matters more than its author's name.
"""

from __future__ import annotations

import io
import zipfile

from . import ooxml_parts
from .errors import UnreadableFile
from .zipbounds import BoundedZip, Budget, ZipLimits

_DOC_INFO_DROPPED = frozenset(
    {"Author", "Keywords", "CreationDate", "ModDate", "CustomDatas"}
)
_NEUTRAL_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def scrub_ofd(data: bytes, *, limits: ZipLimits) -> bytes:
    with BoundedZip(io.BytesIO(data), Budget(limits)) as source:
        infos = {info.filename: info for info in source.members}
        if "OFD.xml" not in infos:
            raise UnreadableFile("not an OFD package")
        if infos["OFD.xml"].file_size > limits.xml_bytes:
            raise UnreadableFile("OFD.xml too large")
        root = ooxml_parts.parse_xml(source.read(infos["OFD.xml"]))
        if _local(root.tag) != "OFD":
            raise UnreadableFile("not an OFD package")
        bodies = [element for element in root if _local(element.tag) == "DocBody"]
        if any(_local(child.tag) == "Signatures" for body in bodies for child in body):
            return data
        removed = False
        for body in bodies:
            for info in body:
                if _local(info.tag) != "DocInfo":
                    continue
                for field in list(info):
                    if _local(field.tag) in _DOC_INFO_DROPPED:
                        info.remove(field)
                        removed = True
        if not removed:
            return data
        output = io.BytesIO()
        with zipfile.ZipFile(output, "w") as target:
            for name, info in infos.items():
                entry = zipfile.ZipInfo(name, date_time=_NEUTRAL_ZIP_TIME)
                entry.compress_type = info.compress_type
                if name == "OFD.xml":
                    target.writestr(entry, ooxml_parts.to_xml(root))
                    continue
                entry.file_size = info.file_size
                with target.open(entry, "w") as part:
                    source.copy(info, part)
        return output.getvalue()
