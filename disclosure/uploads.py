"""Attachment checks: the type is decided by the file's content, never by its
name; only the document and image formats governments publish are accepted.

PDF, PNG and JPEG are recognised by their signatures; DOC, XLS and WPS are OLE2
compound files told apart by their streams (olefile); DOCX, XLSX and OFD are
ZIP packages told apart by their parts.
"""

import hashlib
import io
import zipfile
from dataclasses import dataclass

import olefile
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

DEFAULT_MAX_BYTES = 50 * 1024 * 1024

KINDS = {
    "pdf": ("application/pdf", "PDF"),
    "ofd": ("application/ofd", "OFD"),
    "doc": ("application/msword", "Word"),
    "wps": ("application/vnd.ms-works", "WPS"),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "Word",
    ),
    "xls": ("application/vnd.ms-excel", "Excel"),
    "et": ("application/vnd.ms-excel", "WPS 表格"),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "Excel",
    ),
    "jpg": ("image/jpeg", "JPEG"),
    "png": ("image/png", "PNG"),
}

# Names whose extension may differ from the detected kind: a WPS document is an
# OLE2 Word-format file, a .jpeg a JPEG.
_EQUIVALENT = {"jpeg": "jpg", "wps": "doc", "et": "xls"}


@dataclass(frozen=True)
class CheckedFile:
    extension: str
    content_type: str
    size: int
    sha256: str


def max_upload_bytes() -> int:
    return getattr(settings, "PORTAL_MAX_UPLOAD_BYTES", DEFAULT_MAX_BYTES)


def sniff(head: bytes, stream) -> str | None:
    """The kind of a file from its content, or None if it is not accepted."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        stream.seek(0)
        try:
            with olefile.OleFileIO(stream) as ole:
                if ole.exists("WordDocument"):
                    return "doc"
                if ole.exists("Workbook") or ole.exists("Book"):
                    return "xls"
        except Exception:  # any malformed compound file is refused
            return None
        return None
    if head.startswith(b"PK\x03\x04"):
        stream.seek(0)
        try:
            with zipfile.ZipFile(stream) as package:
                names = set(package.namelist())
        except Exception:  # any malformed package is refused
            return None
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
        if "OFD.xml" in names:
            return "ofd"
    return None


def check_upload(uploaded) -> CheckedFile:
    """Check an uploaded file; raise ValidationError with a message for the
    clerk if it is refused."""
    size = uploaded.size
    limit = max_upload_bytes()
    if size == 0:
        raise ValidationError(_("文件是空的。"), code="empty")
    if size > limit:
        raise ValidationError(
            _("文件太大（%(size)s），单个附件不能超过 %(limit)s。")
            % {"size": filesizeformat(size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    uploaded.seek(0)
    data = uploaded.read()
    uploaded.seek(0)
    kind = sniff(data[:16], io.BytesIO(data))
    if kind is None:
        raise ValidationError(
            _(
                "不支持这种文件。附件只能是 PDF、OFD、Word（DOC/DOCX）、"
                "Excel（XLS/XLSX）、WPS、JPG 或 PNG 文件；系统按文件内容判断类型。"
            ),
            code="type",
        )
    name_extension = (
        uploaded.name.rsplit(".", 1)[-1].lower() if "." in uploaded.name else ""
    )
    if name_extension:
        claimed = _EQUIVALENT.get(name_extension, name_extension)
        if claimed != kind and name_extension != kind:
            raise ValidationError(
                _(
                    "文件内容是 %(kind)s 格式，与文件名的扩展名 .%(ext)s 不符，请检查是否选错了文件。"
                )
                % {"kind": KINDS[kind][1], "ext": name_extension},
                code="mismatch",
            )
        if name_extension in ("wps", "et"):
            kind = name_extension
    return CheckedFile(
        extension=kind,
        content_type=KINDS[kind][0],
        size=size,
        sha256=hashlib.sha256(data).hexdigest(),
    )


def type_label(extension: str) -> str:
    return KINDS.get(extension, ("", extension.upper()))[1]
