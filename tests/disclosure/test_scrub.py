"""Metadata removed from the public copies of attachments
(disclosure/scrub.py): real files of each type, made with their authors' names
in every place the format keeps them, come back without the names and still
open (openpyxl, python-docx, pypdf; PNG and JPEG walked chunk by chunk and
segment by segment)."""

import io
import logging
import struct
import zipfile
import zlib

import docx
import openpyxl
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from lxml import etree
from openpyxl.comments import Comment
from openpyxl.packaging.custom import StringProperty
from pypdf import PdfReader, PdfWriter
from pypdf.annotations import Text
from pypdf.generic import NameObject, StreamObject, TextStringObject

from disclosure.scrub import strip_metadata
from tests.factories import minimal_pdf

NAME = "王信息"
LATIN_NAME = b"Wang Xinxi"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
ATTACHED_TEMPLATE = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
    "attachedTemplate"
)
CUSTOM_PROPERTIES = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
    "custom-properties"
)


# --- OOXML helpers ----------------------------------------------------------------


def parts_of(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return {name: package.read(name) for name in package.namelist()}


def with_parts(data: bytes, changes: dict[str, bytes]) -> bytes:
    """The package with parts replaced or added."""
    parts = {**parts_of(data), **changes}
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as package:
        for name, content in parts.items():
            package.writestr(name, content)
    return output.getvalue()


def with_app_properties(data: bytes) -> bytes:
    """app.xml naming the company, the manager, the template and the editing
    time, as Word and Excel write them."""
    app = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        'extended-properties" xmlns:vt="http://schemas.openxmlformats.org/'
        'officeDocument/2006/docPropsVTypes">'
        f"<Template>C:\\Users\\{NAME}\\Normal.dotm</Template><TotalTime>47</TotalTime>"
        "<Application>Microsoft Office Word</Application>"
        f"<Manager>{NAME}</Manager><Company>示例区农业农村局</Company>"
        "</Properties>"
    )
    return with_parts(data, {"docProps/app.xml": app.encode()})


def with_custom_properties(data: bytes) -> bytes:
    """docProps/custom.xml with its relationship and content type."""
    custom = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        'custom-properties" xmlns:vt="http://schemas.openxmlformats.org/'
        'officeDocument/2006/docPropsVTypes"><property '
        'fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="拟稿人">'
        f"<vt:lpwstr>{NAME}</vt:lpwstr></property></Properties>"
    )
    parts = parts_of(data)
    rels = etree.fromstring(parts["_rels/.rels"])
    etree.SubElement(
        rels,
        f"{{{REL_NS}}}Relationship",
        Id="rIdCustom",
        Type=CUSTOM_PROPERTIES,
        Target="docProps/custom.xml",
    )
    types = etree.fromstring(parts["[Content_Types].xml"])
    etree.SubElement(
        types,
        f"{{{CT_NS}}}Override",
        PartName="/docProps/custom.xml",
        ContentType="application/vnd.openxmlformats-officedocument.custom-properties+xml",
    )
    return with_parts(
        data,
        {
            "docProps/custom.xml": custom.encode(),
            "_rels/.rels": etree.tostring(rels, encoding="UTF-8"),
            "[Content_Types].xml": etree.tostring(types, encoding="UTF-8"),
        },
    )


def with_people(data: bytes) -> bytes:
    """word/people.xml (the authors of comments and changes, as Word 2013+
    writes it), with its relationship and content type."""
    people = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<w15:people xmlns:w15="http://schemas.microsoft.com/office/word/2012/'
        f'wordml"><w15:person w15:author="{NAME}"><w15:presenceInfo '
        f'w15:providerId="None" w15:userId="{NAME}"/></w15:person></w15:people>'
    )
    parts = parts_of(data)
    rels = etree.fromstring(parts["word/_rels/document.xml.rels"])
    etree.SubElement(
        rels,
        f"{{{REL_NS}}}Relationship",
        Id="rIdPeople",
        Type="http://schemas.microsoft.com/office/2011/relationships/people",
        Target="people.xml",
    )
    types = etree.fromstring(parts["[Content_Types].xml"])
    etree.SubElement(
        types,
        f"{{{CT_NS}}}Override",
        PartName="/word/people.xml",
        ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.people+xml",
    )
    return with_parts(
        data,
        {
            "word/people.xml": people.encode(),
            "word/_rels/document.xml.rels": etree.tostring(rels, encoding="UTF-8"),
            "[Content_Types].xml": etree.tostring(types, encoding="UTF-8"),
        },
    )


def assert_valid_package(data: bytes) -> dict[str, bytes]:
    """A sound zip whose XML parts parse, whose content types name only
    parts that exist and whose relationships point only at parts that exist."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert package.testzip() is None
    parts = parts_of(data)
    for name, content in parts.items():
        if name.endswith((".xml", ".rels")):
            etree.fromstring(content)
    types = etree.fromstring(parts["[Content_Types].xml"])
    for override in types.iter(f"{{{CT_NS}}}Override"):
        assert override.get("PartName").lstrip("/") in parts
    for name, content in parts.items():
        if not name.endswith(".rels"):
            continue
        folder = name.rsplit("_rels/", 1)[0]
        for rel in etree.fromstring(content).iter(f"{{{REL_NS}}}Relationship"):
            if rel.get("TargetMode") == "External":
                continue
            target = rel.get("Target")
            resolved = (
                target.lstrip("/")
                if target.startswith("/")
                else _normalise(folder + target)
            )
            assert resolved in parts, (name, target)
    return parts


def _normalise(path: str) -> str:
    out = []
    for piece in path.split("/"):
        if piece == "..":
            out.pop()
        elif piece not in ("", "."):
            out.append(piece)
    return "/".join(out)


def assert_no_name(parts: dict[str, bytes]) -> None:
    """Neither in the bytes nor in the XML as parsed (character references
    such as ``&#29579;`` resolved)."""
    for name, content in parts.items():
        assert NAME.encode() not in content, name
        if name.endswith((".xml", ".rels")):
            text = etree.tostring(etree.fromstring(content), encoding="unicode")
            assert NAME not in text, name


# --- DOCX -----------------------------------------------------------------------------


def docx_with_metadata() -> bytes:
    document = docx.Document()
    properties = document.core_properties
    properties.author = NAME
    properties.last_modified_by = NAME
    properties.title = "关于耕地地力保护补贴发放的公示"
    properties.comments = f"{NAME}起草，待科长审核"
    properties.keywords = "内部"
    properties.revision = 7
    paragraph = document.add_paragraph("现将补贴发放情况公示如下。")
    document.add_comment(
        paragraph.runs, text="第3户金额请再核对", author=NAME, initials="王"
    )
    # A tracked insertion by the clerk.
    insertion = OxmlElement("w:ins")
    insertion.set(qn("w:id"), "90")
    insertion.set(qn("w:author"), NAME)
    insertion.set(qn("w:date"), "2026-03-01T10:00:00Z")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "公示期7天。"
    run.append(text)
    insertion.append(run)
    paragraph._p.append(insertion)
    # The template on the clerk's computer, as Word records it.
    settings = document.part._settings_part
    template = settings.relate_to(
        f"file:///C:/Users/{NAME}/AppData/Roaming/Microsoft/Templates/Normal.dotm",
        ATTACHED_TEMPLATE,
        is_external=True,
    )
    attached = OxmlElement("w:attachedTemplate")
    attached.set(qn("r:id"), template)
    settings.element.append(attached)
    output = io.BytesIO()
    document.save(output)
    return with_people(with_custom_properties(with_app_properties(output.getvalue())))


def test_docx_loses_authors_comments_template_path_and_properties():
    original = docx_with_metadata()
    before = parts_of(original)
    assert NAME.encode() in before["docProps/core.xml"]
    assert NAME.encode() in before["word/comments.xml"]
    assert NAME.encode() in before["word/document.xml"]
    assert NAME.encode() in before["word/_rels/settings.xml.rels"]
    assert NAME.encode() in before["word/people.xml"]

    scrubbed = strip_metadata(original, "docx")

    parts = assert_valid_package(scrubbed)
    assert_no_name(parts)
    assert "word/comments.xml" not in parts
    assert "word/people.xml" not in parts
    assert "docProps/custom.xml" not in parts
    assert "docProps/thumbnail.jpeg" not in parts
    assert b"commentReference" not in parts["word/document.xml"]
    assert b"w:date" not in parts["word/document.xml"]
    assert b"attachedTemplate" not in parts["word/settings.xml"]
    app = parts["docProps/app.xml"]
    for element in (b"Company", b"Manager", b"Template", b"TotalTime"):
        assert element not in app
    assert b"Microsoft Office Word" in app
    document = docx.Document(io.BytesIO(scrubbed))
    assert document.paragraphs[0].text == "现将补贴发放情况公示如下。"
    assert "公示期7天。" in parts["word/document.xml"].decode()
    properties = document.core_properties
    assert properties.title == "关于耕地地力保护补贴发放的公示"
    assert properties.author == ""
    assert properties.last_modified_by == ""
    assert properties.comments == ""
    assert properties.revision == 0
    assert properties.created is None
    assert len(list(document.comments)) == 0


def test_zip_entries_get_a_neutral_time():
    scrubbed = strip_metadata(docx_with_metadata(), "docx")

    with zipfile.ZipFile(io.BytesIO(scrubbed)) as package:
        assert {info.date_time for info in package.infolist()} == {
            (1980, 1, 1, 0, 0, 0)
        }


# --- XLSX -----------------------------------------------------------------------------


def xlsx_with_metadata() -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "补贴名单"
    sheet.append(["姓名", "金额（元）"])
    sheet.append(["张三", 120.5])
    sheet["B2"].comment = Comment("金额待核", NAME)
    workbook.properties.creator = NAME
    workbook.properties.lastModifiedBy = NAME
    workbook.properties.title = "2026年耕地地力保护补贴名单"
    workbook.custom_doc_props.append(StringProperty(name="审核人", value=NAME))
    output = io.BytesIO()
    workbook.save(output)
    data = with_app_properties(output.getvalue())
    # Where Excel saved it and who shares it, as Excel records them.
    book = etree.fromstring(parts_of(data)["xl/workbook.xml"])
    sharing = etree.Element(f"{{{book.nsmap[None]}}}fileSharing", userName=NAME)
    alternate = etree.fromstring(
        '<mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/'
        'markup-compatibility/2006"><mc:Choice Requires="x15">'
        '<x15ac:absPath xmlns:x15ac="http://schemas.microsoft.com/office/'
        f'spreadsheetml/2010/11/ac" url="C:\\Users\\{NAME}\\Desktop\\"/>'
        "</mc:Choice></mc:AlternateContent>"
    )
    book.insert(0, alternate)
    book.insert(0, sharing)
    return with_parts(data, {"xl/workbook.xml": etree.tostring(book, encoding="UTF-8")})


def test_xlsx_loses_authors_company_and_custom_properties_and_still_opens():
    original = xlsx_with_metadata()
    before = parts_of(original)
    assert NAME.encode() in before["docProps/core.xml"]
    assert NAME.encode() in before["docProps/custom.xml"]
    assert NAME.encode() in before["xl/workbook.xml"]
    assert "示例区农业农村局".encode() in before["docProps/app.xml"]

    scrubbed = strip_metadata(original, "xlsx")

    parts = assert_valid_package(scrubbed)
    assert_no_name(parts)
    assert "docProps/custom.xml" not in parts
    assert b"absPath" not in parts["xl/workbook.xml"]
    assert "示例区农业农村局".encode() not in parts["docProps/app.xml"]
    workbook = openpyxl.load_workbook(io.BytesIO(scrubbed))
    sheet = workbook["补贴名单"]
    assert [[cell.value for cell in row] for row in sheet.iter_rows()] == [
        ["姓名", "金额（元）"],
        ["张三", 120.5],
    ]
    assert sheet["B2"].comment.text == "金额待核"
    assert sheet["B2"].comment.author in ("", "None")  # openpyxl reads "" as "None"
    assert workbook.properties.title == "2026年耕地地力保护补贴名单"
    assert workbook.properties.lastModifiedBy is None
    assert workbook.properties.creator != NAME


# --- PDF --------------------------------------------------------------------------------


def pdf_with_metadata() -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(minimal_pdf("Subsidy list"))))
    writer.add_metadata(
        {
            "/Title": "补贴名单",
            "/Author": f"Wang Xinxi {NAME}",
            "/Creator": "WPS Writer (Wang Xinxi)",
            "/Producer": "Draft Producer",
            "/CreationDate": "D:20260301100000+08'00'",
            "/ModDate": "D:20260302100000+08'00'",
        }
    )
    xmp = (
        '<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/'
        '1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator><rdf:Seq>'
        f"<rdf:li>Wang Xinxi</rdf:li><rdf:li>{NAME}</rdf:li></rdf:Seq></dc:creator>"
        '</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
    ).encode()
    stream = StreamObject()
    stream.set_data(xmp)
    stream[NameObject("/Type")] = NameObject("/Metadata")
    stream[NameObject("/Subtype")] = NameObject("/XML")
    writer.root_object[NameObject("/Metadata")] = writer._add_object(stream)
    note = Text(text="金额待核", rect=(50, 550, 200, 650))
    note[NameObject("/T")] = TextStringObject("Wang Xinxi")
    writer.add_annotation(0, note)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def test_pdf_loses_information_dictionary_xmp_and_note_authors_keeps_title():
    original = pdf_with_metadata()
    assert LATIN_NAME in original
    assert PdfReader(io.BytesIO(original)).metadata["/Author"].startswith("Wang")

    scrubbed = strip_metadata(original, "pdf")

    assert LATIN_NAME not in scrubbed
    assert NAME.encode() not in scrubbed
    assert NAME.encode("utf-16-be") not in scrubbed
    assert b"Draft Producer" not in scrubbed
    reader = PdfReader(io.BytesIO(scrubbed))
    assert dict(reader.metadata) == {"/Title": "补贴名单"}
    assert "/Metadata" not in reader.trailer["/Root"]
    assert len(reader.pages) == 1
    assert reader.pages[0].extract_text() == "Subsidy list"
    note = reader.pages[0]["/Annots"][0].get_object()
    assert note["/Contents"] == "金额待核"
    assert "/T" not in note


def with_incremental_update(pdf: bytes, text: str) -> bytes:
    """``pdf`` with an incremental update replacing the page's content
    stream (object 4): the old content stays in the file, unused."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("ascii")
    previous_xref = int(pdf.rsplit(b"startxref", 1)[1].split()[0])
    update = bytearray(pdf)
    offset = len(update)
    update += b"4 0 obj\n<< /Length %d >>\nstream\n" % len(stream)
    update += stream + b"\nendstream\nendobj\n"
    xref = len(update)
    update += b"xref\n0 1\n0000000000 65535 f \n4 1\n%010d 00000 n \n" % offset
    update += b"trailer\n<< /Size 6 /Root 1 0 R /Prev %d >>\n" % previous_xref
    update += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(update)


def test_pdf_loses_the_earlier_revisions_an_incremental_save_keeps():
    original = with_incremental_update(minimal_pdf("Draft with a secret"), "Final")
    assert b"Draft with a secret" in original
    assert PdfReader(io.BytesIO(original)).pages[0].extract_text() == "Final"

    scrubbed = strip_metadata(original, "pdf")

    assert b"Draft with a secret" not in scrubbed
    assert PdfReader(io.BytesIO(scrubbed)).pages[0].extract_text() == "Final"


# --- PNG --------------------------------------------------------------------------------

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_chunk(kind: bytes, body: bytes) -> bytes:
    return (
        struct.pack(">I", len(body))
        + kind
        + body
        + struct.pack(">I", zlib.crc32(kind + body))
    )


def png_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    """The chunks of a PNG, each CRC checked; nothing may follow IEND."""
    assert data.startswith(PNG_SIGNATURE)
    chunks, position = [], len(PNG_SIGNATURE)
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        body = data[position + 8 : position + 8 + length]
        (crc,) = struct.unpack(
            ">I", data[position + 8 + length : position + 12 + length]
        )
        assert crc == zlib.crc32(kind + body)
        chunks.append((kind, body))
        position += 12 + length
    assert position == len(data)
    assert chunks[0][0] == b"IHDR"
    assert chunks[-1][0] == b"IEND"
    return chunks


PNG_IHDR = png_chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 1, 8, 2, 0, 0, 0))
PNG_GAMA = png_chunk(b"gAMA", struct.pack(">I", 45455))
PNG_PHYS = png_chunk(b"pHYs", struct.pack(">IIB", 3780, 3780, 1))
PNG_IDAT = png_chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00\x00\x00\xff"))
PNG_IEND = png_chunk(b"IEND", b"")


def png_with_metadata() -> bytes:
    return (
        PNG_SIGNATURE
        + PNG_IHDR
        + PNG_GAMA
        + png_chunk(b"tEXt", b"Author\x00" + LATIN_NAME)
        + png_chunk(b"iTXt", b"Author\x00\x00\x00\x00\x00" + NAME.encode())
        + png_chunk(b"zTXt", b"Comment\x00\x00" + zlib.compress(b"draft"))
        + png_chunk(b"eXIf", b"MM\x00\x2a\x00\x00\x00\x08\x00\x00\x00\x00\x00\x00")
        + png_chunk(b"tIME", struct.pack(">HBBBBB", 2026, 3, 1, 10, 0, 0))
        + png_chunk(b"prVt", LATIN_NAME)  # a private chunk
        + PNG_PHYS
        + PNG_IDAT
        + PNG_IEND
        + b"appended: "
        + LATIN_NAME
    )


def test_png_loses_text_exif_time_and_private_chunks_and_keeps_the_image():
    scrubbed = strip_metadata(png_with_metadata(), "png")

    assert LATIN_NAME not in scrubbed
    assert NAME.encode() not in scrubbed
    assert [kind for kind, _body in png_chunks(scrubbed)] == [
        b"IHDR",
        b"gAMA",
        b"pHYs",
        b"IDAT",
        b"IEND",
    ]
    assert (
        scrubbed == PNG_SIGNATURE + PNG_IHDR + PNG_GAMA + PNG_PHYS + PNG_IDAT + PNG_IEND
    )


def test_a_png_without_metadata_comes_back_byte_for_byte():
    clean = PNG_SIGNATURE + PNG_IHDR + PNG_GAMA + PNG_IDAT + PNG_IEND

    assert strip_metadata(clean, "png") == clean


# --- JPEG --------------------------------------------------------------------------------

SOI, EOI, SOS = 0xD8, 0xD9, 0xDA
APP0, APP1, APP13, COM = 0xE0, 0xE1, 0xED, 0xFE
DQT, SOF0, DHT = 0xDB, 0xC0, 0xC4


def segment(marker: int, payload: bytes) -> bytes:
    return bytes((0xFF, marker)) + struct.pack(">H", len(payload) + 2) + payload


def exif(orientation: int) -> bytes:
    """Exif with an orientation and an Artist (IFD0, little-endian)."""
    artist = LATIN_NAME + b"\x00"
    artist_offset = 8 + 2 + 2 * 12 + 4
    tiff = (
        b"II\x2a\x00"
        + struct.pack("<I", 8)
        + struct.pack("<H", 2)
        + struct.pack("<HHIHH", 0x0112, 3, 1, orientation, 0)
        + struct.pack("<HHII", 0x013B, 2, len(artist), artist_offset)
        + struct.pack("<I", 0)
        + artist
    )
    return b"Exif\x00\x00" + tiff


JFIF = segment(APP0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")
#: An 8×8 grey baseline image: one quantisation table, one-code Huffman
#: tables, one block whose DC difference and AC coefficients are all zero.
IMAGE = (
    segment(DQT, b"\x00" + bytes([1] * 64))
    + segment(SOF0, b"\x08" + struct.pack(">HH", 8, 8) + b"\x01\x01\x11\x00")
    + segment(DHT, b"\x00" + bytes([1] + [0] * 15) + b"\x00")
    + segment(DHT, b"\x10" + bytes([1] + [0] * 15) + b"\x00")
    + segment(SOS, b"\x01\x01\x00\x00\x3f\x00")
    + b"\x3f"
    + b"\xff\xd9"
)


def jpeg_with_metadata(orientation: int = 6) -> bytes:
    xmp = (
        b"http://ns.adobe.com/xap/1.0/\x00"
        + f'<x:xmpmeta xmlns:x="adobe:ns:meta/">{NAME}</x:xmpmeta>'.encode()
    )
    return (
        b"\xff\xd8"
        + JFIF
        + segment(APP1, exif(orientation))
        + segment(APP1, xmp)
        + segment(APP13, b"Photoshop 3.0\x008BIM\x04\x04\x00\x00" + LATIN_NAME)
        + segment(COM, b"draft by " + LATIN_NAME)
        + IMAGE
        + b"appended: "
        + LATIN_NAME
    )


def jpeg_segments(data: bytes) -> list[tuple[int, bytes]]:
    """(marker, payload) of each segment up to EOI, which must end the file;
    the entropy-coded data after SOS is given as a pseudo-segment ``-1``."""
    assert data[:2] == b"\xff\xd8"
    segments, position = [], 2
    while True:
        assert data[position] == 0xFF
        marker = data[position + 1]
        position += 2
        if marker == EOI:
            assert position == len(data)
            return segments
        (length,) = struct.unpack(">H", data[position : position + 2])
        segments.append((marker, data[position + 2 : position + length]))
        position += length
        if marker == SOS:
            end = position
            while not (
                data[end] == 0xFF and data[end + 1] not in (0x00, *range(0xD0, 0xD8))
            ):
                end += 1
            segments.append((-1, data[position:end]))
            position = end


def orientation_of(payload: bytes) -> int:
    assert payload.startswith(b"Exif\x00\x00")
    tiff = payload[6:]
    order = "<" if tiff[:2] == b"II" else ">"
    (offset,) = struct.unpack(order + "I", tiff[4:8])
    (count,) = struct.unpack(order + "H", tiff[offset : offset + 2])
    tags = {}
    for index in range(count):
        start = offset + 2 + 12 * index
        tag, _kind, _count, value = struct.unpack(
            order + "HHIH", tiff[start : start + 10]
        )
        tags[tag] = value
    assert set(tags) == {0x0112}
    return tags[0x0112]


def test_jpeg_loses_exif_xmp_iptc_and_comments_and_keeps_orientation_and_image():
    original = jpeg_with_metadata(orientation=6)

    scrubbed = strip_metadata(original, "jpg")

    assert LATIN_NAME not in scrubbed
    assert NAME.encode() not in scrubbed
    segments = jpeg_segments(scrubbed)
    assert [marker for marker, _payload in segments] == [
        APP0,
        APP1,
        DQT,
        SOF0,
        DHT,
        DHT,
        SOS,
        -1,
    ]
    assert orientation_of(segments[1][1]) == 6
    assert scrubbed.endswith(IMAGE)
    assert scrubbed.startswith(b"\xff\xd8" + JFIF)


def test_an_upright_jpeg_gets_no_exif_at_all():
    scrubbed = strip_metadata(jpeg_with_metadata(orientation=1), "jpeg")

    assert scrubbed == b"\xff\xd8" + JFIF + IMAGE


def test_the_scan_data_is_copied_exactly_across_stuffed_bytes_and_restarts():
    scan = b"\x12\xff\x00\x34\xff\xd0\x56\xff\xd1\x78"
    image = IMAGE.replace(b"\x3f\xff\xd9", scan + b"\xff\xd9")
    original = b"\xff\xd8" + JFIF + segment(COM, LATIN_NAME) + image

    assert strip_metadata(original, "jpg") == b"\xff\xd8" + JFIF + image


# --- the other types, damaged files ------------------------------------------------------


@pytest.mark.parametrize("extension", ["ofd", "doc", "wps", "xls", "et", "txt"])
def test_types_that_are_not_rewritten_come_back_unchanged(extension):
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 author " + LATIN_NAME

    assert strip_metadata(data, extension) is data


@pytest.mark.parametrize(
    ("data", "extension"),
    [
        (b"%PDF-1.4 not really a PDF", "pdf"),
        (PNG_SIGNATURE + PNG_IHDR[:10], "png"),
        (b"\xff\xd8\xff\xe1\x00\x40Exif", "jpg"),
        (b"PK\x03\x04 not a package", "docx"),
        (b"GIF89a", "png"),
    ],
)
def test_a_file_that_cannot_be_read_comes_back_unchanged_with_a_warning(
    data, extension, caplog
):
    with caplog.at_level(logging.WARNING, logger="disclosure.scrub"):
        assert strip_metadata(data, extension) is data

    assert any(
        record.name == "disclosure.scrub" and record.levelno == logging.WARNING
        for record in caplog.records
    )
