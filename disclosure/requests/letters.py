"""A letter to an applicant as DOCX (python-docx) and PDF (fpdf2), made from
the content fixed when it was written (``RequestLetter.content``).

The PDF: fpdf2 is a well-kept pure-Python library (on PyPI, no system
libraries) that embeds a subset of a TrueType font, so the letter reads the
same on any reader with no Chinese font installed. The font is Debian's
``fonts-arphic-uming`` (AR PL UMing CN, a Song/Ming face as official letters
use; Arphic Public License), found at ``PORTAL_PDF_FONT``. Without it the
PDF is refused with a message and the DOCX still works; ``manage.py check``
warns (``disclosure.requests.checks``). Making the PDF from the DOCX instead
would need LibreOffice or Word on the server."""

from __future__ import annotations

import io
import logging
from pathlib import Path

from django.conf import settings

FONT_NAME = "letter"
DEFAULT_FONT = "/usr/share/fonts/truetype/arphic/uming.ttc"


class FontMissing(Exception):
    pass


def font_path() -> Path:
    return Path(getattr(settings, "PORTAL_PDF_FONT", "") or DEFAULT_FONT)


def _lines(content: dict) -> list[tuple[str, str]]:
    """The letter as (style, text) lines, shared by both formats."""
    head = content.get("letterhead", {})
    lines = [
        ("organ", head.get("organ", "")),
        ("title", content.get("title", "")),
        ("number", content.get("number", "")),
        ("addressee", f"{content.get('addressee', '')}："),
    ]
    lines += [("body", text) for text in content.get("paragraphs", [])]
    for key in ("basis", "remedies"):
        if content.get(key):
            lines.append(("body", content[key]))
    lines += [
        ("signature", content.get("signature", "")),
        ("signature", content.get("date", "")),
    ]
    contact = "　".join(
        part
        for part in (
            f"地址：{head['address']}" if head.get("address") else "",
            f"邮编：{head['postcode']}" if head.get("postcode") else "",
            f"电话：{head['phone']}" if head.get("phone") else "",
        )
        if part
    )
    if contact:
        lines.append(("contact", contact))
    return lines


def build_docx(content: dict) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    document = Document()
    normal = document.styles["Normal"]
    normal.font.name = "FangSong"
    normal.font.size = Pt(14)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "仿宋")
    sizes = {"organ": 22, "title": 18, "contact": 10}
    for style, text in _lines(content):
        paragraph = document.add_paragraph()
        run = paragraph.add_run(text)
        if style in sizes:
            run.font.size = Pt(sizes[style])
        if style == "organ":
            run.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
            run.bold = True
        if style in ("organ", "title", "number"):
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif style == "signature":
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        elif style == "body":
            paragraph.paragraph_format.first_line_indent = Pt(28)
    properties = document.core_properties
    properties.title = content.get("title", "")
    properties.author = content.get("signature", "")
    properties.comments = ""
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def build_pdf(content: dict) -> bytes:
    path = font_path()
    if not path.is_file():
        raise FontMissing(str(path))
    from fpdf import FPDF
    from fpdf.enums import WrapMode

    # fontTools reports the bitmap tables it leaves out of the subset.
    logging.getLogger("fontTools.subset").setLevel(logging.ERROR)
    pdf = FPDF(format="A4")
    pdf.set_margins(28, 30, 26)
    pdf.set_auto_page_break(True, margin=30)
    options = {"collection_font_number": 0} if path.suffix == ".ttc" else {}
    pdf.add_font(FONT_NAME, fname=str(path), **options)
    pdf.set_title(content.get("title", ""))
    pdf.set_author(content.get("signature", ""))
    pdf.set_creator("")
    pdf.set_producer("")
    pdf.add_page()
    layout = {
        "organ": (22, "C", 14, (192, 0, 0)),
        "title": (18, "C", 12, (0, 0, 0)),
        "number": (12, "C", 10, (0, 0, 0)),
        "addressee": (14, "L", 9, (0, 0, 0)),
        "body": (14, "J", 9, (0, 0, 0)),
        "signature": (14, "R", 9, (0, 0, 0)),
        "contact": (10, "C", 6, (80, 80, 80)),
    }
    for style, text in _lines(content):
        size, align, height, color = layout[style]
        pdf.set_font(FONT_NAME, size=size)
        pdf.set_text_color(*color)
        if style == "body":
            text = "\u3000\u3000" + text
        if style in ("signature", "contact") and pdf.get_y() < 200:
            pdf.ln(4)
        pdf.multi_cell(
            0, height, text, align=align, wrapmode=WrapMode.CHAR, new_x="LMARGIN"
        )
        if style == "organ":
            y = pdf.get_y() + 1
            pdf.set_draw_color(192, 0, 0)
            pdf.set_line_width(0.8)
            pdf.line(pdf.l_margin, y, pdf.w - pdf.r_margin, y)
            pdf.ln(4)
    return bytes(pdf.output())
