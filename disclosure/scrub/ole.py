"""DOC, WPS, XLS and ET (OLE2 compound files), cleaned in place: every stream
keeps its size (olefile rewrites streams only so), names are overwritten with
spaces, so that no offset in the file changes.

- the property sets (``\\x05SummaryInformation``, ``\\x05DocumentSummary
  Information``, wherever they are in the file, those of embedded objects
  included) are replaced by one holding only the code page and, for the
  summary, the title: author, last saved by, company, manager, template,
  editing time, dates, the thumbnail and custom properties are gone;
- Word binary documents (DOC, WPS; MS-DOC): in the table stream, the
  associated strings (the template's path, author, last revised by), the save
  history (who saved it where), the names of the authors of tracked changes
  and of comments;
- Excel binary workbooks (XLS, ET; BIFF8): the user name of the last save
  (WRITEACCESS), of a read-only recommendation (FILESHARING) and the authors
  of comments (NOTE); in BIFF5 (Excel 95) workbooks the user name of the
  last save.

An encrypted file (Word's fEncrypted, Excel's FILEPASS) cannot be cleaned
(:class:`EncryptedFile`), nor can one whose structures do not add up
(:class:`UnreadableFile`).
"""

from __future__ import annotations

import io
import struct

import olefile

from .errors import EncryptedFile, UnreadableFile

_SUMMARY = "\x05SummaryInformation"
_DOCUMENT_SUMMARY = "\x05DocumentSummaryInformation"
_PID_CODEPAGE, _PID_TITLE = 1, 2
_VT_I2, _VT_LPSTR, _VT_LPWSTR = 2, 30, 31

_WORD_MAGIC = 0xA5EC
_F_ENCRYPTED, _F_WHICH_TABLE = 0x0100, 0x0200
#: FibRgFcLcb97 pairs (MS-DOC 2.5.6) that hold names: index, and whether the
#: structure is an STTB (else a group of Xst strings).
_WORD_NAMES = {
    32: True,  # SttbfAssoc: template path, title, author, last revised by…
    36: False,  # GrpXstAtnOwners: authors of comments
    51: True,  # SttbfRMark: authors of tracked changes
    71: True,  # SttbSavedBy: who saved the document, and where
}

_BIFF_FILEPASS, _BIFF_WRITEACCESS, _BIFF_FILESHARING, _BIFF_NOTE = (
    0x002F,
    0x005C,
    0x005B,
    0x001C,
)


def scrub_ole(data: bytes) -> bytes:
    buffer = io.BytesIO(data)
    try:
        ole = olefile.OleFileIO(buffer, write_mode=True)
    except Exception as error:  # olefile raises many kinds on damaged files
        raise UnreadableFile("damaged compound file") from error
    with ole:
        paths = ole.listdir(streams=True, storages=False)
        for path in paths:
            name = "/".join(path)
            if path[-1] in (_SUMMARY, _DOCUMENT_SUMMARY):
                _write(ole, name, _property_set(ole.openstream(name).read(), path[-1]))
            elif path[-1] == "WordDocument":
                _clean_word(ole, path[:-1])
            elif path[-1] in ("Workbook", "Book"):
                biff8 = path[-1] == "Workbook"  # "Book": BIFF5 (Excel 5/95)
                _write(ole, name, _clean_biff(ole.openstream(name).read(), biff8))
    return buffer.getvalue()


def _write(ole, name: str, content: bytes) -> None:
    size = ole.get_size(name)
    if len(content) > size:
        raise UnreadableFile(f"{name!r}: the cleaned stream would be longer")
    ole.write_stream(name, content.ljust(size, b"\0"))


# --- property sets (MS-OLEPS) -----------------------------------------------------------


def _property_set(data: bytes, stream: str) -> bytes:
    """A property set with the first section's FMTID, holding only the code
    page and (in the summary) the title of ``data``."""
    try:
        byte_order, _version, system, _clsid, sections = struct.unpack_from(
            "<HHI16sI", data
        )
        fmtid, offset = struct.unpack_from("<16sI", data, 28)
        if byte_order != 0xFFFE or sections < 1:
            raise UnreadableFile("not a property set")
        _size, count = struct.unpack_from("<II", data, offset)
        entries = dict(
            struct.unpack_from("<II", data, offset + 8 + 8 * index)
            for index in range(count)
        )
    except struct.error as error:
        raise UnreadableFile("damaged property set") from error
    kept = [_PID_CODEPAGE] + ([_PID_TITLE] if stream == _SUMMARY else [])
    values = []
    for pid in kept:
        if pid in entries:
            value = _raw_value(data, offset + entries[pid], pid)
            if value is not None:
                values.append((pid, value))
    section = bytearray()
    position = 8 + 8 * len(values)
    for pid, value in values:
        section += struct.pack("<II", pid, position)
        position += len(value)
    for _pid, value in values:
        section += value
    section = struct.pack("<II", 8 + len(section), len(values)) + section
    header = struct.pack("<HHI16sI", 0xFFFE, 0, system, bytes(16), 1)
    return header + struct.pack("<16sI", fmtid, 48) + bytes(section)


def _raw_value(data: bytes, at: int, pid: int) -> bytes | None:
    """A typed value as stored (type, padding, value, padding to 4 bytes), if
    it is of a type kept for ``pid``."""
    try:
        (kind,) = struct.unpack_from("<H", data, at)
        if pid == _PID_CODEPAGE and kind == _VT_I2:
            return data[at : at + 8]
        if pid == _PID_TITLE and kind in (_VT_LPSTR, _VT_LPWSTR):
            (count,) = struct.unpack_from("<I", data, at + 4)
            length = count * (2 if kind == _VT_LPWSTR else 1)
            value = data[at : at + 8 + length]
            if len(value) != 8 + length:
                raise UnreadableFile("property runs past the stream")
            return value + bytes(-len(value) % 4)
    except struct.error as error:
        raise UnreadableFile("damaged property") from error
    return None


# --- Word binary documents (MS-DOC) ------------------------------------------------------


def _clean_word(ole, storage: list[str]) -> None:
    def name(stream: str) -> str:
        return "/".join([*storage, stream])

    fib = ole.openstream(name("WordDocument")).read()
    try:
        magic, _nfib, _unused, _lid, _pn_next, flags = struct.unpack_from(
            "<HHHHHH", fib
        )
        if magic != _WORD_MAGIC:
            raise UnreadableFile("not a Word binary document")
        if flags & _F_ENCRYPTED:
            raise EncryptedFile("encrypted Word document")
        at = 32
        (words,) = struct.unpack_from("<H", fib, at)
        at += 2 + 2 * words
        (longs,) = struct.unpack_from("<H", fib, at)
        at += 2 + 4 * longs
        (pairs,) = struct.unpack_from("<H", fib, at)
        places = {
            index: struct.unpack_from("<II", fib, at + 2 + 8 * index)
            for index in _WORD_NAMES
            if index < pairs
        }
    except struct.error as error:
        raise UnreadableFile("damaged Word file information block") from error
    places = {index: place for index, place in places.items() if place[1]}
    if not places:
        return
    table_name = name("1Table" if flags & _F_WHICH_TABLE else "0Table")
    if not ole.exists(table_name):
        raise UnreadableFile("Word table stream missing")
    table = bytearray(ole.openstream(table_name).read())
    for index, (start, length) in places.items():
        if start + length > len(table):
            raise UnreadableFile("Word structure runs past its stream")
        region = memoryview(table)[start : start + length]
        if _WORD_NAMES[index]:
            _blank_sttb(region)
        else:
            _blank_xsts(region)
    ole.write_stream(table_name, bytes(table))


def _blank_sttb(region) -> None:
    """Every string of an STTB (MS-DOC 2.2.4) overwritten with spaces."""
    try:
        (first,) = struct.unpack_from("<H", region)
        extended = first == 0xFFFF
        at = 2 if extended else 0
        (count,) = struct.unpack_from("<H", region, at)
        (extra,) = struct.unpack_from("<H", region, at + 2)
        at += 4
        for _string in range(count):
            if extended:
                (characters,) = struct.unpack_from("<H", region, at)
                at += 2
                size = 2 * characters
                spaces = b" \x00" * characters
            else:
                characters = region[at]
                at += 1
                size = characters
                spaces = b" " * characters
            if at + size + extra > len(region):
                raise UnreadableFile("STTB runs past its length")
            region[at : at + size] = spaces
            at += size + extra
    except (struct.error, IndexError) as error:
        raise UnreadableFile("damaged STTB") from error


def _blank_xsts(region) -> None:
    """Xst strings (a count of UTF-16 characters, then the characters) one
    after another, overwritten with spaces."""
    at = 0
    while at < len(region):
        if at + 2 > len(region):
            raise UnreadableFile("damaged Xst")
        (characters,) = struct.unpack_from("<H", region, at)
        at += 2
        if at + 2 * characters > len(region):
            raise UnreadableFile("Xst runs past its length")
        region[at : at + 2 * characters] = b" \x00" * characters
        at += 2 * characters


# --- Excel binary workbooks (BIFF8, BIFF5) ----------------------------------------------


def _clean_biff(data: bytes, biff8: bool) -> bytes:
    stream = bytearray(data)
    at = 0
    while at + 4 <= len(stream):
        kind, length = struct.unpack_from("<HH", stream, at)
        body = at + 4
        if body + length > len(stream):
            raise UnreadableFile("BIFF record runs past the stream")
        if kind == _BIFF_FILEPASS:
            raise EncryptedFile("encrypted Excel workbook")
        if kind == _BIFF_WRITEACCESS and not biff8 and length:
            # BIFF5: a byte count, then the characters
            characters = min(stream[body], length - 1)
            stream[body + 1 : body + 1 + characters] = b" " * characters
        elif kind == _BIFF_WRITEACCESS:
            _blank_biff_string(stream, body, body + length)
        elif kind == _BIFF_FILESHARING and biff8:
            _blank_biff_string(stream, body + 4, body + length)
        elif kind == _BIFF_NOTE and biff8:
            _blank_biff_string(stream, body + 8, body + length)
        at = body + length
    return bytes(stream)


def _blank_biff_string(stream: bytearray, at: int, end: int) -> None:
    """An XLUnicodeString (character count, flags, characters) overwritten
    with spaces; nothing if the record is too short to hold one."""
    if at + 3 > end:
        return
    (characters,) = struct.unpack_from("<H", stream, at)
    wide = stream[at + 2] & 0x01
    size = characters * (2 if wide else 1)
    start = at + 3
    if start + size > end:
        raise UnreadableFile("BIFF string runs past its record")
    stream[start : start + size] = (b" \x00" if wide else b" ") * characters
