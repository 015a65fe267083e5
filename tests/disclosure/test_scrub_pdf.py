"""Metadata removed from PDF attachments (disclosure/scrub/pdf.py): the
information dictionary, XMP, note authors and earlier revisions go; a PDF that
cannot be rewritten (damaged, encrypted) is refused, never returned as it is."""

import io

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.annotations import Text
from pypdf.generic import NameObject, StreamObject, TextStringObject

from disclosure.scrub import EncryptedFile, ScrubError, strip_metadata
from tests.disclosure.test_scrub import LATIN_NAME, NAME
from tests.factories import minimal_pdf


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


# --- fail closed ------------------------------------------------------------------------


def encrypted_pdf() -> bytes:
    """A PDF with only a permissions password (it opens without one), as
    offices make them to prevent copying."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_with_metadata())))
    writer.encrypt(user_password="", owner_password="secret", algorithm="RC4-128")
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


#: What the demo attached until now: no cross-reference table, which pypdf
#: cannot read; with an author, which the public got with it.
PDF_WITHOUT_XREF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"4 0 obj<</Author(Wang Xinxi)>>endobj\n"
    b"trailer<</Root 1 0 R/Info 4 0 R>>\n%%EOF\n"
)


@pytest.mark.parametrize("data", [b"%PDF-1.4 not really a PDF", PDF_WITHOUT_XREF])
def test_a_pdf_pypdf_cannot_read_is_refused_not_returned(data):
    with pytest.raises(ScrubError):
        strip_metadata(data, "pdf")


def test_an_encrypted_pdf_is_refused():
    data = encrypted_pdf()
    assert PdfReader(io.BytesIO(data)).is_encrypted

    with pytest.raises(EncryptedFile):
        strip_metadata(data, "pdf")
