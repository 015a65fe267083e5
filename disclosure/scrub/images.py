"""PNG and JPEG, walked chunk by chunk and segment by segment: see
:mod:`disclosure.scrub` for what is kept."""

from __future__ import annotations

import struct

from .errors import UnreadableFile

# --- PNG ----------------------------------------------------------------------------------------

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
#: Ancillary chunks kept: they change how the image shows (colour, gamma,
#: transparency, pixel size, animation).
_PNG_KEPT_ANCILLARY = frozenset(
    {
        b"tRNS",
        b"cHRM",
        b"gAMA",
        b"iCCP",
        b"sBIT",
        b"sRGB",
        b"cICP",
        b"mDCV",
        b"mDCv",
        b"cLLI",
        b"cLLi",
        b"bKGD",
        b"hIST",
        b"pHYs",
        b"sPLT",
        b"acTL",
        b"fcTL",
        b"fdAT",
    }
)


def scrub_png(data: bytes) -> bytes:
    if not data.startswith(_PNG_SIGNATURE):
        raise UnreadableFile("no PNG signature")
    output = bytearray(_PNG_SIGNATURE)
    position = len(_PNG_SIGNATURE)
    while True:
        if position + 12 > len(data):
            raise UnreadableFile("PNG ends inside a chunk")
        (length,) = struct.unpack(">I", data[position : position + 4])
        chunk_type = data[position + 4 : position + 8]
        end = position + 12 + length
        if end > len(data) or not chunk_type.isalpha():
            raise UnreadableFile("damaged PNG chunk")
        critical = chunk_type[:1].isupper()
        if critical or chunk_type in _PNG_KEPT_ANCILLARY:
            output += data[position:end]
        position = end
        if chunk_type == b"IEND":
            return bytes(output)


# --- JPEG -------------------------------------------------------------------------------------

_SOI, _EOI, _SOS = 0xD8, 0xD9, 0xDA
_APP0, _APP2, _APP14 = 0xE0, 0xE2, 0xEE
_KEPT_APP_SEGMENTS = {
    _APP0: b"JFIF\x00",
    _APP2: b"ICC_PROFILE\x00",
    _APP14: b"Adobe",
}
_ORIENTATION_TAG = 0x0112


def scrub_jpeg(data: bytes) -> bytes:
    if not data.startswith(b"\xff\xd8"):
        raise UnreadableFile("no JPEG start of image")
    segments: list[bytes] = []
    orientation = None
    position, size = 2, len(data)
    while position < size:
        if data[position] != 0xFF:
            raise UnreadableFile("JPEG marker expected")
        while position < size and data[position] == 0xFF:  # fill bytes
            position += 1
        if position >= size:
            break
        marker = data[position]
        position += 1
        if marker == _EOI:
            segments.append(b"\xff\xd9")
            break
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:  # no length
            segments.append(bytes((0xFF, marker)))
            continue
        if position + 2 > size:
            raise UnreadableFile("JPEG ends inside a segment")
        (length,) = struct.unpack(">H", data[position : position + 2])
        end = position + length
        if length < 2 or end > size:
            raise UnreadableFile("damaged JPEG segment")
        payload = data[position + 2 : end]
        segment = bytes((0xFF, marker)) + data[position:end]
        position = end
        if marker == 0xE1 and payload.startswith(b"Exif\x00\x00"):
            orientation = _exif_orientation(payload[6:]) or orientation
        if 0xE0 <= marker <= 0xEF:
            prefix = _KEPT_APP_SEGMENTS.get(marker)
            if prefix is None or not payload.startswith(prefix):
                continue
        elif marker == 0xFE:  # COM
            continue
        segments.append(segment)
        if marker == _SOS:
            scan_end = _scan_end(data, position)
            segments.append(data[position:scan_end])
            position = scan_end
    if orientation and orientation != 1:
        at = 1 if segments and segments[0][1] == _APP0 else 0
        segments.insert(at, _exif_segment(orientation))
    return b"\xff\xd8" + b"".join(segments)


def _scan_end(data: bytes, position: int) -> int:
    """Where the entropy-coded data that starts at ``position`` ends: at the
    next marker that is neither a stuffed 0xFF00 nor a restart marker."""
    while True:
        position = data.find(b"\xff", position)
        if position == -1 or position + 1 >= len(data):
            return len(data)
        following = data[position + 1]
        if following == 0x00 or 0xD0 <= following <= 0xD7 or following == 0xFF:
            position += 1
            continue
        return position


def _exif_orientation(tiff: bytes) -> int | None:
    """The orientation tag of IFD0 of an Exif TIFF structure, if readable."""
    if len(tiff) < 8 or tiff[:2] not in (b"II", b"MM"):
        return None
    order = "<" if tiff[:2] == b"II" else ">"
    (offset,) = struct.unpack(order + "I", tiff[4:8])
    if offset + 2 > len(tiff):
        return None
    (count,) = struct.unpack(order + "H", tiff[offset : offset + 2])
    for index in range(count):
        start = offset + 2 + 12 * index
        if start + 12 > len(tiff):
            return None
        tag, kind, _count = struct.unpack(order + "HHI", tiff[start : start + 8])
        if tag == _ORIENTATION_TAG and kind == 3:
            (value,) = struct.unpack(order + "H", tiff[start + 8 : start + 10])
            return value if 1 <= value <= 8 else None
    return None


def _exif_segment(orientation: int) -> bytes:
    """An APP1 Exif segment with the orientation tag and nothing else."""
    tiff = (
        b"MM\x00\x2a"
        + struct.pack(">I", 8)
        + struct.pack(">H", 1)
        + struct.pack(">HHIHH", _ORIENTATION_TAG, 3, 1, orientation, 0)
        + struct.pack(">I", 0)
    )
    payload = b"Exif\x00\x00" + tiff
    return b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload
