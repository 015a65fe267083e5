"""Attachment checks (disclosure/uploads.py): the type comes from the content,
never the name; only the formats governments publish are accepted.

Every file is built here, small but well-formed: a PDF with its xref, a PNG
with CRCs, a baseline JPEG, DOCX/XLSX/OFD packages with their parts (XLSX
written by openpyxl), and OLE2 compound files (MS-CFB version 3, which olefile
reads but cannot write) holding a ``WordDocument`` or ``Workbook`` stream, as
DOC, WPS, XLS and ET files do.
"""

import hashlib
import io
import struct
import zipfile
import zlib

import olefile
import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from disclosure import workflow
from disclosure.uploads import check_upload, type_label
from tests import factories
from tests.disclosure.test_scrub import (
    NAME,
    docx_with_metadata,
    parts_of,
    with_parts,
)
from tests.disclosure.test_scrub_bounds import write_docx_with_zeros
from tests.disclosure.test_scrub_pdf import PDF_WITHOUT_XREF, encrypted_pdf

# --- building the files -------------------------------------------------------------


def png_file() -> bytes:
    """A 1×1 grey PNG."""

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)  # 8-bit greyscale
    pixels = zlib.compress(b"\x00\x80")  # filter byte, one pixel
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", pixels)
        + chunk(b"IEND", b"")
    )


def jpeg_file() -> bytes:
    """An 8×8 mid-grey baseline JPEG: one block whose DC and AC coefficients
    are all zero, each table holding the single code it needs."""

    def segment(marker, payload):
        return marker + struct.pack(">H", len(payload) + 2) + payload

    one_code = bytes([1] + [0] * 15)  # one Huffman code, of length 1
    return (
        b"\xff\xd8"
        + segment(b"\xff\xe0", b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")
        + segment(b"\xff\xdb", b"\x00" + b"\x01" * 64)
        + segment(b"\xff\xc0", b"\x08\x00\x08\x00\x08\x01\x01\x11\x00")
        + segment(b"\xff\xc4", b"\x00" + one_code + b"\x00")  # DC: category 0
        + segment(b"\xff\xc4", b"\x10" + one_code + b"\x00")  # AC: end of block
        + segment(b"\xff\xda", b"\x01\x01\x00\x00\x3f\x00")
        + b"\x3f"  # DC 0, EOB, padded with ones
        + b"\xff\xd9"
    )


def zip_package(parts: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name, text in parts.items():
            package.writestr(name, text)
    return buffer.getvalue()


def docx_file() -> bytes:
    main = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    return zip_package(
        {
            "[Content_Types].xml": (
                '<?xml version="1.0" encoding="UTF-8"?>'
                '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                '<Default Extension="xml" ContentType="application/xml"/>'
                f'<Override PartName="/word/document.xml" ContentType="{main}"/>'
                "</Types>"
            ),
            "_rels/.rels": (
                '<?xml version="1.0" encoding="UTF-8"?>'
                '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
                "</Relationships>"
            ),
            "word/document.xml": (
                '<?xml version="1.0" encoding="UTF-8"?>'
                '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                "<w:body><w:p><w:r><w:t>补贴发放名单</w:t></w:r></w:p></w:body></w:document>"
            ),
        }
    )


def xlsx_file() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active.append(["乡镇", "面积（亩）"])
    workbook.active.append(["城关镇", 1200])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def ofd_file() -> bytes:
    """OFD (GB/T 33190-2016): a ZIP package with OFD.xml at its root."""
    return zip_package(
        {
            "OFD.xml": (
                '<?xml version="1.0" encoding="UTF-8"?>'
                '<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016" Version="1.0" DocType="OFD">'
                "<ofd:DocBody><ofd:DocInfo><ofd:DocID>0</ofd:DocID></ofd:DocInfo>"
                "<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>"
            ),
            "Doc_0/Document.xml": (
                '<?xml version="1.0" encoding="UTF-8"?>'
                '<ofd:Document xmlns:ofd="http://www.ofdspec.org/2016">'
                "<ofd:CommonData><ofd:MaxUnitID>1</ofd:MaxUnitID></ofd:CommonData>"
                "</ofd:Document>"
            ),
        }
    )


ENDOFCHAIN, FREESECT, FATSECT, NOSTREAM = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF


def _directory_entry(name, kind, *, child=NOSTREAM, start=ENDOFCHAIN, size=0):
    encoded = (name + "\0").encode("utf-16-le") if name else b""
    return (
        encoded.ljust(64, b"\0")
        + struct.pack("<HBB", len(encoded), kind, 1)  # name length, type, black
        + struct.pack("<III", NOSTREAM, NOSTREAM, child)
        + b"\0" * 16  # CLSID
        + struct.pack("<I", 0)  # state bits
        + b"\0" * 16  # creation and modification times
        + struct.pack("<IQ", start, size)
    )


def ole2_file(stream_name: str, stream_head: bytes) -> bytes:
    """A compound file holding one stream: header, FAT (sector 0), directory
    (sector 1), then the stream in regular sectors (4096 bytes, the size
    from which streams leave the mini stream)."""
    data = stream_head.ljust(4096, b"\0")
    sectors = len(data) // 512
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\0" * 16
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + b"\0" * 6
        + struct.pack("<9I", 0, 1, 1, 0, 4096, ENDOFCHAIN, 0, ENDOFCHAIN, 0)
        + struct.pack("<I", 0)  # DIFAT: the FAT is in sector 0
        + struct.pack("<I", FREESECT) * 108
    )
    fat = [FATSECT, ENDOFCHAIN, *range(3, 2 + sectors), ENDOFCHAIN]
    fat += [FREESECT] * (128 - len(fat))
    directory = (
        _directory_entry("Root Entry", 5, child=1)
        + _directory_entry(stream_name, 2, start=2, size=len(data))
        + _directory_entry("", 0)
        + _directory_entry("", 0)
    )
    return header + struct.pack("<128I", *fat) + directory + data


def doc_file() -> bytes:
    return ole2_file("WordDocument", b"\xec\xa5\xc1\x00")  # FIB magic 0xA5EC


def xls_file() -> bytes:
    return ole2_file("Workbook", b"\x09\x08\x10\x00\x00\x06\x05\x00")  # BIFF8 BOF


def upload(name, content) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def test_the_built_compound_files_are_well_formed():
    for content, stream in ((doc_file(), "WordDocument"), (xls_file(), "Workbook")):
        with olefile.OleFileIO(io.BytesIO(content)) as ole:
            assert ole.listdir() == [[stream]]
            assert len(ole.openstream(stream).read()) == 4096


# --- accepted ---------------------------------------------------------------------


ACCEPTED = [
    ("通知.pdf", factories.minimal_pdf, "pdf", "application/pdf", "PDF"),
    ("照片.png", png_file, "png", "image/png", "PNG"),
    ("照片.jpg", jpeg_file, "jpg", "image/jpeg", "JPEG"),
    ("照片.jpeg", jpeg_file, "jpg", "image/jpeg", "JPEG"),
    ("照片.JPG", jpeg_file, "jpg", "image/jpeg", "JPEG"),
    (
        "名单.docx",
        docx_file,
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "Word",
    ),
    (
        "名单.xlsx",
        xlsx_file,
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "Excel",
    ),
    ("公文.ofd", ofd_file, "ofd", "application/ofd", "OFD"),
    ("名单.doc", doc_file, "doc", "application/msword", "Word"),
    ("名单.wps", doc_file, "wps", "application/vnd.ms-works", "WPS"),
    ("名单.xls", xls_file, "xls", "application/vnd.ms-excel", "Excel"),
    ("名单.et", xls_file, "et", "application/vnd.ms-excel", "WPS 表格"),
    ("没有扩展名", factories.minimal_pdf, "pdf", "application/pdf", "PDF"),
]


@pytest.mark.parametrize(
    ("name", "build", "extension", "content_type", "label"),
    ACCEPTED,
    ids=[case[0] for case in ACCEPTED],
)
def test_accepted(name, build, extension, content_type, label):
    content = build()
    checked = check_upload(upload(name, content))
    assert checked.extension == extension
    assert checked.content_type == content_type
    assert checked.size == len(content)
    assert checked.sha256 == hashlib.sha256(content).hexdigest()
    assert type_label(checked.extension) == label


def test_the_upload_can_be_read_again_after_the_check():
    uploaded = upload("通知.pdf", factories.minimal_pdf())
    check_upload(uploaded)
    assert uploaded.read(5) == b"%PDF-"


# --- refused -------------------------------------------------------------------------

TYPE = (
    "不支持这种文件。附件只能是 PDF、OFD、Word（DOC/DOCX）、"
    "Excel（XLS/XLSX）、WPS、JPG 或 PNG 文件；系统按文件内容判断类型。"
)

EXE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 48 + b"PE\x00\x00"
)
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg">'
    b"<script>alert(1)</script></svg>"
)
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

REFUSED_TYPES = [
    ("setup.exe", EXE),
    ("通知.pdf.exe", EXE),
    ("通知.pdf", EXE),  # a program named as a PDF
    ("page.html", HTML),
    ("image.svg", SVG),
    ("archive.zip", zip_package({"readme.txt": "hello"})),
    ("名单.docx", zip_package({"word/readme.txt": "no document part"})),
    ("broken.docx", b"PK\x03\x04" + b"\x00" * 100),  # ZIP signature, no archive
    ("名单.doc", OLE_MAGIC + b"\x00" * 2000),  # OLE signature, no structure
    ("演示.ppt", ole2_file("PowerPoint Document", b"\x00" * 8)),  # OLE, not Word/Excel
    ("text.txt", "纯文本".encode()),
]


@pytest.mark.parametrize(
    ("name", "content"), REFUSED_TYPES, ids=[case[0] for case in REFUSED_TYPES]
)
def test_refused_types(name, content):
    with pytest.raises(ValidationError) as refused:
        check_upload(upload(name, content))
    assert refused.value.messages == [TYPE]
    assert refused.value.error_list[0].code == "type"


def test_empty_file_is_refused():
    with pytest.raises(ValidationError) as refused:
        check_upload(upload("空.pdf", b""))
    assert refused.value.messages == ["文件是空的。"]


def test_oversize_file_is_refused(settings):
    settings.PORTAL_MAX_UPLOAD_BYTES = 1024
    content = factories.minimal_pdf().ljust(1025, b"\n")
    with pytest.raises(ValidationError) as refused:
        check_upload(upload("大文件.pdf", content))
    assert refused.value.messages == [
        "文件太大（1.0\xa0KB），单个附件不能超过 1.0\xa0KB。"
    ]
    assert refused.value.error_list[0].code == "too_large"
    # At the limit exactly: accepted.
    assert check_upload(upload("刚好.pdf", content[:1024])).size == 1024


MISMATCHES = [
    ("照片.pdf", png_file, "PNG", "pdf"),
    ("通知.docx", factories.minimal_pdf, "PDF", "docx"),
    ("名单.xlsx", docx_file, "Word", "xlsx"),
    ("名单.xls", doc_file, "Word", "xls"),  # OLE Word content named as Excel
    ("名单.doc", docx_file, "Word", "doc"),  # a DOCX renamed .doc
    ("名单.wps", xls_file, "Excel", "wps"),
    ("名单.et", doc_file, "Word", "et"),
    ("公文.ofd", docx_file, "Word", "ofd"),
    ("照片.png", jpeg_file, "JPEG", "png"),
]


@pytest.mark.parametrize(
    ("name", "build", "kind", "extension"),
    MISMATCHES,
    ids=[case[0] for case in MISMATCHES],
)
def test_name_and_content_must_agree(name, build, kind, extension):
    with pytest.raises(ValidationError) as refused:
        check_upload(upload(name, build()))
    assert refused.value.messages == [
        f"文件内容是 {kind} 格式，与文件名的扩展名 .{extension} 不符，请检查是否选错了文件。"
    ]
    assert refused.value.error_list[0].code == "mismatch"


# --- stored under a name of the portal's choosing ---------------------------------------


def test_attachment_is_stored_under_a_random_name_with_the_detected_extension(
    db, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    department = factories.DepartmentFactory()
    clerk = factories.clerk_of(department)
    item = factories.draft_item(clerk, department)
    uploaded = upload("../../名单 (最终).wps", doc_file())
    checked = check_upload(uploaded)
    attachment = workflow.add_attachment(
        item=item, by=clerk, uploaded=uploaded, checked=checked
    )
    attachment.refresh_from_db()
    assert attachment.file.name == f"attachments/{item.pk}/{attachment.token}.wps"
    assert len(attachment.token) == 32
    assert attachment.original_name == "名单 (最终).wps"
    assert (attachment.extension, attachment.content_type) == (
        "wps",
        "application/vnd.ms-works",
    )
    assert (attachment.size, attachment.sha256) == (checked.size, checked.sha256)
    stored = tmp_path / attachment.file.name
    assert stored.read_bytes() == doc_file()
    assert [path.name for path in tmp_path.rglob("*") if path.is_file()] == [
        stored.name
    ]


# --- no clean copy, no attachment -------------------------------------------------------

UNSCRUBBABLE = (
    "无法清除文件中的作者、单位等文档属性：文件已损坏或结构不规范。为免泄露这些信息，"
    "附件未被接收。请用原软件（WPS、Office 或 PDF 软件）打开文件，另存为新文件后重新上传。"
)

#: Files that pass the type check but of which no copy without metadata can
#: be made: each was published as uploaded before (author included).
UNSCRUBBABLE_FILES = [
    ("没有交叉引用表.pdf", lambda: PDF_WITHOUT_XREF),
    ("截断.png", lambda: png_file()[:-12]),
    ("损坏.jpg", lambda: b"\xff\xd8\xff\xe1\x00\x40Exif" + b"\x00" * 20),
    (
        "属性损坏.docx",
        lambda: with_parts(docx_with_metadata(), {"docProps/core.xml": b"<broken"}),
    ),
]


@pytest.mark.parametrize(
    ("name", "build"), UNSCRUBBABLE_FILES, ids=[case[0] for case in UNSCRUBBABLE_FILES]
)
def test_a_file_of_which_no_clean_copy_can_be_made_is_refused(name, build):
    with pytest.raises(ValidationError) as refused:
        check_upload(upload(name, build()))
    assert refused.value.messages == [UNSCRUBBABLE]
    assert refused.value.error_list[0].code == "unscrubbable"


def test_an_encrypted_pdf_is_refused():
    with pytest.raises(ValidationError) as refused:
        check_upload(upload("加密.pdf", encrypted_pdf()))
    assert refused.value.messages == [
        "文件已加密（设有打开密码或权限密码），无法清除其中的作者等文档属性，"
        "附件未被接收。请取消加密，另存为新文件后重新上传。"
    ]


def test_the_check_makes_the_public_copy():
    original = docx_with_metadata()
    checked = check_upload(upload("方案.docx", original))
    assert checked.public_sha256 == hashlib.sha256(checked.public_data).hexdigest()
    assert checked.public_sha256 != checked.sha256
    assert NAME.encode() not in parts_of(checked.public_data)["docProps/core.xml"]
    clean = png_file()
    checked = check_upload(upload("照片.png", clean))
    assert checked.public_data == clean
    assert checked.public_sha256 == checked.sha256


def test_a_check_of_another_file_does_not_attach(db):
    department = factories.DepartmentFactory()
    clerk = factories.clerk_of(department)
    item = factories.draft_item(clerk, department)
    checked = check_upload(upload("照片.png", png_file()))
    with pytest.raises(ValueError, match="not the one that was checked"):
        workflow.add_attachment(
            item=item,
            by=clerk,
            uploaded=upload("另一个.png", jpeg_file()),
            checked=checked,
        )
    assert not item.attachments.exists()


@pytest.fixture
def clerk_item(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    department = factories.DepartmentFactory()
    clerk = factories.clerk_of(department)
    return clerk, factories.draft_item(clerk, department)


def uploaded_messages(client, clerk, item, name, content) -> list[str]:
    client.force_login(clerk)
    response = client.post(
        f"/workspace/items/{item.pk}/files/",
        {"files": [upload(name, content)]},
        follow=True,
    )
    assert response.status_code == 200
    return [str(message) for message in response.context["messages"]]


def test_the_clerk_sees_why_a_pdf_pypdf_cannot_read_was_not_attached(
    client, clerk_item
):
    clerk, item = clerk_item
    assert b"Wang Xinxi" in PDF_WITHOUT_XREF

    shown = uploaded_messages(client, clerk, item, "通知.pdf", PDF_WITHOUT_XREF)

    assert shown == [f"未上传 通知.pdf：{UNSCRUBBABLE}"]
    assert not item.attachments.exists()


def test_the_clerk_sees_why_a_zip_bomb_was_not_attached_in_her_language(
    client, clerk_item, settings
):
    clerk, item = clerk_item
    buffer = io.BytesIO()
    write_docx_with_zeros(buffer, 64 * 1024 * 1024)
    bomb = buffer.getvalue()
    assert len(bomb) < 1024 * 1024

    shown = uploaded_messages(client, clerk, item, "炸弹.docx", bomb)

    [message] = shown
    assert message.startswith("未上传 炸弹.docx：文件中有内容的压缩比异常（")
    assert "可能是恶意构造的“压缩炸弹”，系统不予处理" in message
    assert not item.attachments.exists()

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    shown = uploaded_messages(client, clerk, item, "bomb.docx", bomb)

    [message] = shown
    assert message.startswith("Not uploaded: bomb.docx")
    assert message.endswith(
        'to 1; at most 100 to 1): it may be a crafted "zip bomb" and was not '
        "processed. Check the file, or save it again and upload the new copy."
    )
    assert not item.attachments.exists()
