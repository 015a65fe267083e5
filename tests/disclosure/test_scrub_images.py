"""Metadata removed from images (disclosure/scrub/images.py), walked chunk by
chunk and segment by segment, also where a DOCX holds them; a damaged image is
refused, never returned as it is."""

import struct
import zlib

import pytest

from disclosure.scrub import ScrubError, strip_metadata
from tests.disclosure.test_scrub import (
    LATIN_NAME,
    NAME,
    _plain_docx,
    assert_valid_package,
    parts_of,
    with_embedded,
)

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


def test_a_damaged_png_is_refused_not_returned():
    with pytest.raises(ScrubError):
        strip_metadata(PNG_SIGNATURE + PNG_IHDR[:10], "png")


def test_a_photo_in_a_docx_loses_its_exif_and_keeps_its_orientation():
    original = with_embedded(
        _plain_docx(), "media/image1.jpeg", jpeg_with_metadata(), "image"
    )
    assert LATIN_NAME in parts_of(original)["word/media/image1.jpeg"]

    scrubbed = strip_metadata(original, "docx")

    photo = assert_valid_package(scrubbed)["word/media/image1.jpeg"]
    assert LATIN_NAME not in photo
    assert NAME.encode() not in photo
    assert photo.endswith(IMAGE)
    [(_marker, payload)] = [s for s in jpeg_segments(photo) if s[0] == APP1]
    assert orientation_of(payload) == 6
