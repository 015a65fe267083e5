"""Metadata removed from the public copies of attachments (disclosure/scrub/):
real DOCX and XLSX files, made with their authors' names in every place the
format keeps them, come back without the names and still open (openpyxl,
python-docx), the documents embedded in them too; a file that cannot be
cleaned is refused, never returned as it is. PDF and images:
test_scrub_pdf.py, test_scrub_images.py; the bounds of unpacking:
test_scrub_bounds.py."""

import io
import zipfile

import docx
import openpyxl
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from lxml import etree
from openpyxl.comments import Comment
from openpyxl.packaging.custom import StringProperty

from disclosure.scrub import ScrubError, strip_metadata

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


# --- inside packages: embedded documents, photos, any namespace prefix ------------------


def with_embedded(data: bytes, name: str, content: bytes, rel_type: str) -> bytes:
    """``data`` (a DOCX) with a part under ``word/`` that its document
    relates to, with a default content type for its extension."""
    parts = parts_of(data)
    rels = etree.fromstring(parts["word/_rels/document.xml.rels"])
    etree.SubElement(
        rels,
        f"{{{REL_NS}}}Relationship",
        Id=f"rId{len(rels) + 100}",
        Type=f"http://schemas.openxmlformats.org/officeDocument/2006/relationships/{rel_type}",
        Target=name,
    )
    types = etree.fromstring(parts["[Content_Types].xml"])
    extension = name.rsplit(".", 1)[1]
    if not any(
        default.get("Extension") == extension
        for default in types.iter(f"{{{CT_NS}}}Default")
    ):
        etree.SubElement(
            types,
            f"{{{CT_NS}}}Default",
            Extension=extension,
            ContentType="application/octet-stream",
        )
    return with_parts(
        data,
        {
            f"word/{name}": content,
            "word/_rels/document.xml.rels": etree.tostring(rels, encoding="UTF-8"),
            "[Content_Types].xml": etree.tostring(types, encoding="UTF-8"),
        },
    )


def test_a_workbook_embedded_in_a_docx_loses_its_authors_too():
    embedded = xlsx_with_metadata()
    original = with_embedded(
        _plain_docx(),
        "embeddings/Microsoft_Excel_Worksheet.xlsx",
        embedded,
        "package",
    )

    scrubbed = strip_metadata(original, "docx")

    parts = assert_valid_package(scrubbed)
    inner = parts["word/embeddings/Microsoft_Excel_Worksheet.xlsx"]
    assert_no_name(assert_valid_package(inner))
    workbook = openpyxl.load_workbook(io.BytesIO(inner))
    assert workbook["补贴名单"]["A2"].value == "张三"


def test_tracked_change_authors_are_blanked_whatever_the_namespace_prefix():
    main = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<x:document xmlns:x="{main}"><x:body><x:p>'
        f'<x:ins x:id="1" x:author="{NAME}" x:date="2026-03-01T10:00:00Z">'
        "<x:r><x:t>公示期7天。</x:t></x:r></x:ins></x:p></x:body></x:document>"
    )
    original = with_parts(_plain_docx(), {"word/document.xml": document.encode()})

    scrubbed = strip_metadata(original, "docx")

    part = assert_valid_package(scrubbed)["word/document.xml"]
    assert NAME.encode() not in part
    assert "公示期7天。" in part.decode()


def _plain_docx() -> bytes:
    output = io.BytesIO()
    docx.Document().save(output)
    return output.getvalue()


# --- the other types ---------------------------------------------------------------------


def test_a_type_the_portal_does_not_accept_comes_back_unchanged():
    data = b"author " + LATIN_NAME

    assert strip_metadata(data, "txt") is data


# --- fail closed: no clean copy, no copy at all -------------------------------------------

DAMAGED = [
    (b"PK\x03\x04 not a package", "docx"),
    (b"GIF89a", "png"),
    (b"\xff\xd8\xff\xe1\x00\x40Exif", "jpg"),
    (with_parts(_plain_docx(), {"docProps/core.xml": b"<cp:coreProperties"}), "docx"),
    (b"PK\x03\x04 not a package", "ofd"),
]


@pytest.mark.parametrize(
    ("data", "extension"),
    DAMAGED,
    ids=[f"{extension}-{number}" for number, (_data, extension) in enumerate(DAMAGED)],
)
def test_a_file_that_cannot_be_cleaned_is_refused_not_returned(data, extension):
    with pytest.raises(ScrubError):
        strip_metadata(data, extension)
