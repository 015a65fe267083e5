"""Small but valid attachments for the demo and generated data: a one-page A4
PDF that shows its title and a few lines in Chinese.

The text is set in STSong-Light, one of the Chinese fonts every PDF reader
provides (Adobe-GB1, not embedded, so the file stays a few kilobytes), and
written in UCS-2 (the UniGB-UCS2-H encoding). The file carries its title and
no author: what the portal would publish anyway.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

_PAGE_WIDTH, _PAGE_HEIGHT, _MARGIN = 595, 842, 72  # A4, in points
_TITLE_SIZE, _TEXT_SIZE = 18, 12


def _text_string(text: str) -> bytes:
    """A PDF string in UCS-2, as the UniGB-UCS2-H encoding reads it."""
    return b"<" + text.encode("utf-16-be").hex().upper().encode() + b">"


def _lines(text: str, size: int) -> list[str]:
    """``text`` broken into lines that fit the page (Chinese characters are
    one em wide, Latin letters and digits half of one)."""
    return textwrap.wrap(text, width=(_PAGE_WIDTH - 2 * _MARGIN) // size) or [""]


def pdf(title: str, lines: Sequence[str] = ()) -> bytes:
    """A one-page PDF with ``title`` on top and ``lines`` under it."""
    content = bytearray(b"BT\n")
    y = _PAGE_HEIGHT - _MARGIN
    content += b"/F1 %d Tf\n%d %d Td\n" % (_TITLE_SIZE, _MARGIN, y)
    leading = 0
    for size, text in [(_TITLE_SIZE, title)] + [(_TEXT_SIZE, line) for line in lines]:
        for part in _lines(text, size):
            if leading:
                content += b"0 %d Td\n" % -leading
            content += b"/F1 %d Tf\n" % size + _text_string(part) + b" Tj\n"
            leading = size * 9 // 5
    content += b"ET"
    info_title = b"<FEFF" + title.encode("utf-16-be").hex().upper().encode() + b">"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R /Lang (zh-CN) >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] "
        b"/Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>"
        % (_PAGE_WIDTH, _PAGE_HEIGHT),
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light-UniGB-UCS2-H "
        b"/Encoding /UniGB-UCS2-H /DescendantFonts [6 0 R] >>",
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 4 >> "
        b"/FontDescriptor 7 0 R /DW 1000 /W [1 95 500] >>",
        b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 "
        b"/FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 "
        b"/Descent -120 /CapHeight 880 /StemV 93 >>",
        b"<< /Title " + info_title + b" >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\n" % (
        len(objects) + 1,
        len(objects),
    )
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)
