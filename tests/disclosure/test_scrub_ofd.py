"""Metadata removed from OFD packages (disclosure/scrub/ofd.py): the DocInfo
loses the author, keywords, dates and custom data; a signed OFD is left as it
is (its signatures may cover OFD.xml)."""

import io
import zipfile

from lxml import etree

from disclosure.scrub import strip_metadata
from tests.disclosure.test_scrub import NAME, parts_of

OFD_NS = "http://www.ofdspec.org/2016"


def ofd_package(*, signed: bool = False) -> bytes:
    signatures = "<ofd:Signatures>Doc_0/Signs/Signatures.xml</ofd:Signatures>"
    parts = {
        "OFD.xml": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            f'<ofd:OFD xmlns:ofd="{OFD_NS}" Version="1.0" DocType="OFD">'
            "<ofd:DocBody><ofd:DocInfo><ofd:DocID>a1b2</ofd:DocID>"
            "<ofd:Title>关于耕地地力保护补贴发放的公示</ofd:Title>"
            f"<ofd:Author>{NAME}</ofd:Author>"
            "<ofd:CreationDate>2026-03-01</ofd:CreationDate>"
            "<ofd:Keywords><ofd:Keyword>内部</ofd:Keyword></ofd:Keywords>"
            "<ofd:Creator>数科OFD版式办公套件</ofd:Creator>"
            '<ofd:CustomDatas><ofd:CustomData Name="拟稿人">'
            f"{NAME}</ofd:CustomData></ofd:CustomDatas>"
            "</ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot>"
            + (signatures if signed else "")
            + "</ofd:DocBody></ofd:OFD>"
        ),
        "Doc_0/Document.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document xmlns:ofd="{OFD_NS}">'
            "<ofd:CommonData><ofd:MaxUnitID>1</ofd:MaxUnitID></ofd:CommonData>"
            "</ofd:Document>"
        ),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name, text in parts.items():
            package.writestr(name, text)
    return buffer.getvalue()


def test_an_ofd_loses_its_author_dates_keywords_and_custom_data():
    original = ofd_package()

    scrubbed = strip_metadata(original, "ofd")

    parts = parts_of(scrubbed)
    assert NAME.encode() not in parts["OFD.xml"]
    info = etree.fromstring(parts["OFD.xml"]).find(f"{{{OFD_NS}}}DocBody")[0]
    assert [etree.QName(field).localname for field in info] == [
        "DocID",
        "Title",
        "Creator",
    ]
    assert info[1].text == "关于耕地地力保护补贴发放的公示"
    assert parts["Doc_0/Document.xml"] == parts_of(original)["Doc_0/Document.xml"]


def test_a_signed_ofd_comes_back_unchanged():
    original = ofd_package(signed=True)

    assert strip_metadata(original, "ofd") is original


def test_an_ofd_without_anything_to_remove_comes_back_unchanged():
    from tests.disclosure.test_uploads import ofd_file

    original = ofd_file()

    assert strip_metadata(original, "ofd") is original
