"""Attachment checks: the type is decided by the file's content, never by its
name; only the document and image formats governments publish are accepted.

PDF, PNG and JPEG are recognised by their signatures; DOC, XLS and WPS are OLE2
compound files told apart by their streams (olefile); DOCX, XLSX and OFD are
ZIP packages told apart by their parts, read within the bounds of the
``PORTAL_UPLOAD_ZIP_*`` settings.

The copy the public downloads, without document metadata, is made here
(``disclosure.scrub``): a file of which no clean copy can be made is refused
with a message for the clerk, so nothing unscrubbed is ever attached.
"""

import hashlib
import io
from dataclasses import dataclass, field

import olefile
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from .scrub import (
    ArchiveTooLarge,
    EncryptedFile,
    ScrubError,
    ZipLimits,
    strip_metadata,
)
from .scrub.zipbounds import part_names

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
    #: what the public downloads: the file without its document metadata
    #: (the uploaded bytes themselves when there is nothing to remove)
    public_data: bytes = field(repr=False, compare=False)
    public_sha256: str


def max_upload_bytes() -> int:
    return getattr(settings, "PORTAL_MAX_UPLOAD_BYTES", DEFAULT_MAX_BYTES)


def zip_limits() -> ZipLimits:
    """The bounds for unpacking ZIP packages, from the settings."""
    defaults = ZipLimits()
    return ZipLimits(
        members=getattr(settings, "PORTAL_UPLOAD_ZIP_MAX_PARTS", defaults.members),
        member_bytes=getattr(
            settings, "PORTAL_UPLOAD_ZIP_MAX_PART_BYTES", defaults.member_bytes
        ),
        total_bytes=getattr(
            settings, "PORTAL_UPLOAD_ZIP_MAX_TOTAL_BYTES", defaults.total_bytes
        ),
        ratio=getattr(settings, "PORTAL_UPLOAD_ZIP_MAX_RATIO", defaults.ratio),
        depth=getattr(settings, "PORTAL_UPLOAD_ZIP_MAX_DEPTH", defaults.depth),
        xml_bytes=getattr(
            settings, "PORTAL_UPLOAD_ZIP_MAX_XML_BYTES", defaults.xml_bytes
        ),
    )


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
            names = part_names(stream, zip_limits())
        except ArchiveTooLarge:
            raise
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
    try:
        kind = sniff(data[:16], io.BytesIO(data))
    except ArchiveTooLarge as error:
        raise _too_large(error) from error
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
    public_data = _public_copy(data, kind)
    return CheckedFile(
        extension=kind,
        content_type=KINDS[kind][0],
        size=size,
        sha256=hashlib.sha256(data).hexdigest(),
        public_data=public_data,
        public_sha256=hashlib.sha256(public_data).hexdigest(),
    )


def _public_copy(data: bytes, kind: str) -> bytes:
    """The copy without document metadata, or ValidationError: fail closed."""
    try:
        return strip_metadata(data, kind, limits=zip_limits())
    except ArchiveTooLarge as error:
        raise _too_large(error) from error
    except EncryptedFile as error:
        raise ValidationError(
            _(
                "文件已加密（设有打开密码或权限密码），无法清除其中的作者等"
                "文档属性，附件未被接收。请取消加密，另存为新文件后重新上传。"
            ),
            code="encrypted",
        ) from error
    except ScrubError as error:
        raise ValidationError(
            _(
                "无法清除文件中的作者、单位等文档属性：文件已损坏或结构不规范。"
                "为免泄露这些信息，附件未被接收。请用原软件（WPS、Office 或 PDF "
                "软件）打开文件，另存为新文件后重新上传。"
            ),
            code="unscrubbable",
        ) from error


def _too_large(error: ArchiveTooLarge) -> ValidationError:
    """The message for a package over one of the bounds of unpacking."""
    found, limit = error.found, error.limit
    if error.bound == "members":
        message = _(
            "文件包含的部件过多（%(found)s 个，上限 %(limit)s 个），系统不予处理。"
            "请检查文件，或另存后重新上传。"
        )
    elif error.bound == "ratio":
        message = _(
            "文件中有内容的压缩比异常（%(found)s 倍，上限 %(limit)s 倍），可能是"
            "恶意构造的“压缩炸弹”，系统不予处理。请检查文件，或另存后重新上传。"
        )
    elif error.bound == "depth":
        message = _(
            "文件中嵌套的文档层数过多（上限 %(limit)s 层），系统不予处理。"
            "请把嵌入的文档单独上传。"
        )
    elif error.bound == "xml_bytes":
        found, limit = filesizeformat(found), filesizeformat(limit)
        message = _(
            "文件中需要清除作者等属性的部分过大（%(found)s，上限 %(limit)s），"
            "无法处理。请删除批注、接受修订后另存，或另存为 PDF 后重新上传。"
        )
    else:  # member_bytes, total_bytes
        found, limit = filesizeformat(found), filesizeformat(limit)
        message = _(
            "文件解压后过大（至少 %(found)s，上限 %(limit)s），可能是恶意构造的"
            "“压缩炸弹”，系统不予处理。请检查文件，或另存后重新上传。"
        )
    return ValidationError(
        message % {"found": found, "limit": limit}, code="archive_bounds"
    )


def type_label(extension: str) -> str:
    return KINDS.get(extension, ("", extension.upper()))[1]
