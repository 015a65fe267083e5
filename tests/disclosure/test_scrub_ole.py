"""Metadata removed from DOC, WPS, XLS and ET files (disclosure/scrub/ole.py),
in place: the property sets keep only the code page and the title, the names
in the Word table stream and in the Excel records are overwritten with spaces,
and every stream keeps its size. Encrypted or damaged files are refused.

The compound files are built here (MS-CFB version 3: one FAT sector, the
small streams in the mini stream as Word and Excel store them), since olefile
reads them but cannot write new ones."""

import io
import math
import struct

import olefile
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from disclosure.scrub import EncryptedFile, UnreadableFile, strip_metadata
from disclosure.uploads import check_upload
from tests.disclosure.test_scrub import NAME

ENDOFCHAIN, FREESECT, FATSECT, NOSTREAM = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
SECTOR, MINI_SECTOR, CUTOFF = 512, 64, 4096
SUMMARY, DOCUMENT_SUMMARY = "\x05SummaryInformation", "\x05DocumentSummaryInformation"
GBK = 936


def compound_file(streams: dict[str, bytes]) -> bytes:
    """A compound file with ``streams`` at its root: streams under 4096 bytes
    in the mini stream, the others in sectors of their own."""
    small = {name: data for name, data in streams.items() if len(data) < CUTOFF}
    mini_stream, minifat, starts = bytearray(), [], {}
    for name, data in small.items():
        count = max(1, math.ceil(len(data) / MINI_SECTOR))
        starts[name] = len(minifat)
        minifat += [*range(len(minifat) + 1, len(minifat) + count), ENDOFCHAIN]
        mini_stream += data.ljust(count * MINI_SECTOR, b"\0")
    entries = 1 + len(streams)
    directory_sectors = math.ceil(entries / 4)
    minifat_sectors = math.ceil(len(minifat) * 4 / SECTOR) if minifat else 0
    fat = [FATSECT]
    sectors = [b""]  # the FAT, filled in at the end

    def allocate(data: bytes) -> int:
        count = max(1, math.ceil(len(data) / SECTOR))
        start = len(fat)
        fat.extend([*range(start + 1, start + count), ENDOFCHAIN])
        for index in range(count):
            sectors.append(
                data[index * SECTOR : (index + 1) * SECTOR].ljust(SECTOR, b"\0")
            )
        return start

    directory_start = len(fat)
    allocate(bytes(directory_sectors * SECTOR))  # placeholder
    minifat_start = (
        allocate(struct.pack(f"<{len(minifat)}I", *minifat)) if minifat else ENDOFCHAIN
    )
    mini_start = allocate(bytes(mini_stream)) if mini_stream else ENDOFCHAIN
    for name, data in streams.items():
        if name not in small:
            starts[name] = allocate(data)
    assert len(fat) <= 128, "one FAT sector"

    def entry(name, kind, start, size, child=NOSTREAM, right=NOSTREAM):
        encoded = (name + "\0").encode("utf-16-le")
        return (
            encoded.ljust(64, b"\0")
            + struct.pack("<HBB", len(encoded), kind, 1)
            + struct.pack("<III", NOSTREAM, right, child)
            + bytes(16 + 4 + 16)
            + struct.pack("<IQ", start, size)
        )

    names = list(streams)
    directory = entry("Root Entry", 5, mini_start, len(mini_stream), child=1)
    for index, name in enumerate(names, start=1):
        right = index + 1 if index < len(names) else NOSTREAM
        directory += entry(name, 2, starts[name], len(streams[name]), right=right)
    directory = directory.ljust(directory_sectors * SECTOR, b"\0")
    for index in range(directory_sectors):
        sectors[1 + index] = directory[index * SECTOR : (index + 1) * SECTOR]
    sectors[0] = struct.pack("<128I", *(fat + [FREESECT] * (128 - len(fat))))
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + bytes(16)
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + bytes(6)
        + struct.pack(
            "<9I",
            0,  # directory sectors (0 in version 3)
            1,  # FAT sectors
            directory_start,
            0,
            CUTOFF,
            minifat_start,
            minifat_sectors,
            ENDOFCHAIN,
            0,
        )
        + struct.pack("<I", 0)
        + struct.pack("<I", FREESECT) * 108
    )
    return header + b"".join(sectors)


# --- property sets ----------------------------------------------------------------------


def lpstr(text: str) -> bytes:
    encoded = text.encode("gbk") + b"\0"
    value = struct.pack("<HHI", 30, 0, len(encoded)) + encoded
    return value + bytes(-len(value) % 4)


def property_section(properties: dict[int, bytes]) -> bytes:
    table, values = b"", b""
    position = 8 + 8 * len(properties)
    for pid, value in properties.items():
        table += struct.pack("<II", pid, position)
        values += value
        position += len(value)
    return (
        struct.pack("<II", 8 + len(table) + len(values), len(properties))
        + table
        + values
    )


def property_set(sections: list[tuple[bytes, dict[int, bytes]]]) -> bytes:
    header = struct.pack("<HHI16sI", 0xFFFE, 0, 0x00020006, bytes(16), len(sections))
    offset = len(header) + 20 * len(sections)
    table, body = b"", b""
    for fmtid, properties in sections:
        section = property_section(properties)
        table += fmtid + struct.pack("<I", offset + len(body))
        body += section
    return header + table + body


SUMMARY_FMTID = bytes.fromhex("e0859ff2f94f6810ab9108002b27b3d9")
DOCUMENT_FMTID = bytes.fromhex("02d5cdd59c2e1b10939708002b2cf9ae")
USER_FMTID = bytes.fromhex("05d5cdd59c2e1b10939708002b2cf9ae")
CODEPAGE = struct.pack("<HHhH", 2, 0, GBK - 65536 if GBK > 32767 else GBK, 0)
FILETIME = struct.pack("<HHQ", 64, 0, 133_500_000_000_000_000)


def summary_information() -> bytes:
    return property_set(
        [
            (
                SUMMARY_FMTID,
                {
                    1: CODEPAGE,
                    2: lpstr("补贴名单"),
                    4: lpstr(NAME),
                    7: lpstr(f"C:\\Users\\{NAME}\\Normal.dotm"),
                    8: lpstr(NAME),
                    12: FILETIME,
                },
            )
        ]
    )


def document_summary_information() -> bytes:
    dictionary = (
        struct.pack("<I", 1) + struct.pack("<II", 2, 4) + "拟稿\0".encode("gbk")
    )
    return property_set(
        [
            (
                DOCUMENT_FMTID,
                {1: CODEPAGE, 14: lpstr(NAME), 15: lpstr("示例区农业农村局")},
            ),
            (USER_FMTID, {0: dictionary.ljust(20, b"\0"), 1: CODEPAGE, 2: lpstr(NAME)}),
        ]
    )


# --- Word binary documents ----------------------------------------------------------------


def sttb(strings: list[str]) -> bytes:
    """An extended STTB (UTF-16 strings), no extra data."""
    data = struct.pack("<HHH", 0xFFFF, len(strings), 0)
    for text in strings:
        data += struct.pack("<H", len(text)) + text.encode("utf-16-le")
    return data


def xsts(strings: list[str]) -> bytes:
    return b"".join(
        struct.pack("<H", len(text)) + text.encode("utf-16-le") for text in strings
    )


PATH = f"C:\\Users\\{NAME}\\Desktop\\通知.doc"


def word_streams(*, encrypted: bool = False, table_length: int | None = None):
    structures = {
        32: sttb(["", f"C:\\Users\\{NAME}\\Normal.dotm", "", "", "", "", NAME, NAME]),
        36: xsts([NAME, "赵局长"]),
        51: sttb(["Unknown", NAME]),
        71: sttb([NAME, PATH]),
    }
    table, places = bytearray(bytes(64)), {}
    for index, data in structures.items():
        places[index] = (len(table), len(data))
        table += data
    pairs = [(0, 0)] * 93
    for index, place in places.items():
        pairs[index] = place
    if table_length is not None:
        pairs[71] = (places[71][0], table_length)
    flags = 0x0200 | (0x0100 if encrypted else 0)
    fib = (
        struct.pack("<HHHHHH", 0xA5EC, 0x00C1, 0, 0x0804, 0, flags)
        + bytes(20)
        + struct.pack("<H", 14)
        + bytes(28)
        + struct.pack("<H", 22)
        + bytes(88)
        + struct.pack("<H", 93)
        + b"".join(struct.pack("<II", *pair) for pair in pairs)
    )
    return {
        "WordDocument": fib.ljust(CUTOFF, b"\0"),
        "1Table": bytes(table).ljust(CUTOFF, b"\0"),
        SUMMARY: summary_information(),
        DOCUMENT_SUMMARY: document_summary_information(),
    }


def streams_of(data: bytes) -> dict[str, bytes]:
    with olefile.OleFileIO(io.BytesIO(data)) as ole:
        return {
            "/".join(path): ole.openstream("/".join(path)).read()
            for path in ole.listdir()
        }


def assert_no_name(streams: dict[str, bytes]) -> None:
    for stream, content in streams.items():
        for encoding in ("gbk", "utf-16-le", "utf-8"):
            assert NAME.encode(encoding) not in content, (stream, encoding)


def test_the_test_files_are_read_by_olefile_with_the_names_in_them():
    data = compound_file(word_streams())
    with olefile.OleFileIO(io.BytesIO(data)) as ole:
        metadata = ole.get_metadata()
        assert metadata.author == NAME.encode("gbk")
        assert metadata.last_saved_by == NAME.encode("gbk")
        assert metadata.manager == NAME.encode("gbk")
        assert ole.get_size(SUMMARY) < CUTOFF  # in the mini stream
    assert NAME.encode("utf-16-le") in streams_of(data)["1Table"]


def test_a_doc_loses_its_properties_save_history_and_author_names():
    original = compound_file(word_streams())

    scrubbed = strip_metadata(original, "doc")

    assert len(scrubbed) == len(original)
    before, after = streams_of(original), streams_of(scrubbed)
    assert_no_name(after)
    assert after["WordDocument"] == before["WordDocument"]
    assert {name: len(content) for name, content in after.items()} == {
        name: len(content) for name, content in before.items()
    }
    with olefile.OleFileIO(io.BytesIO(scrubbed)) as ole:
        metadata = ole.get_metadata()
        assert metadata.title == "补贴名单".encode("gbk")
        assert metadata.codepage == GBK
        assert (metadata.author, metadata.last_saved_by, metadata.template) == (
            None,
            None,
            None,
        )
        assert metadata.create_time is None
        assert (metadata.manager, metadata.company) == (None, None)
        assert ole.getproperties(DOCUMENT_SUMMARY).keys() == {1}
    # The strings keep their lengths: the table stream still adds up.
    table = after["1Table"]
    saved_by = table.index(b"\xff\xff\x02\x00\x00\x00" + struct.pack("<H", len(NAME)))
    assert table[saved_by + 8 : saved_by + 8 + 2 * len(NAME)] == " ".encode(
        "utf-16-le"
    ) * len(NAME)


def test_a_wps_file_is_cleaned_as_a_doc():
    scrubbed = strip_metadata(compound_file(word_streams()), "wps")

    assert_no_name(streams_of(scrubbed))


def test_an_encrypted_doc_is_refused():
    with pytest.raises(EncryptedFile):
        strip_metadata(compound_file(word_streams(encrypted=True)), "doc")


def test_a_doc_whose_structures_do_not_add_up_is_refused():
    with pytest.raises(UnreadableFile):
        strip_metadata(compound_file(word_streams(table_length=10_000)), "doc")
    with pytest.raises(UnreadableFile):
        strip_metadata(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2000), "doc")


# --- Excel binary workbooks ----------------------------------------------------------------


def record(kind: int, body: bytes) -> bytes:
    return struct.pack("<HH", kind, len(body)) + body


def unicode_string(text: str) -> bytes:
    return struct.pack("<HB", len(text), 1) + text.encode("utf-16-le")


def workbook_stream(*, encrypted: bool = False) -> bytes:
    bof = record(0x0809, struct.pack("<HHHHII", 0x0600, 0x0005, 0, 0, 0, 0))
    records = [bof]
    if encrypted:
        records.append(record(0x002F, bytes(54)))
    records += [
        record(0x005C, unicode_string(NAME).ljust(112, b" ")),
        record(0x005B, struct.pack("<HH", 1, 0) + unicode_string(NAME)),
        record(0x000A, b""),  # EOF of the globals
        bof,
        record(0x001C, struct.pack("<HHHH", 1, 1, 0, 1) + unicode_string(NAME) + b"\0"),
        record(0x000A, b""),
    ]
    return b"".join(records).ljust(CUTOFF, b"\0")


def test_an_xls_loses_the_user_names_of_saves_sharing_and_comments():
    original = compound_file(
        {
            "Workbook": workbook_stream(),
            SUMMARY: summary_information(),
            DOCUMENT_SUMMARY: document_summary_information(),
        }
    )

    scrubbed = strip_metadata(original, "xls")

    before, after = streams_of(original), streams_of(scrubbed)
    assert_no_name(after)
    assert len(after["Workbook"]) == len(before["Workbook"])
    kinds = []
    at = 0
    while at + 4 <= len(after["Workbook"]):
        kind, length = struct.unpack_from("<HH", after["Workbook"], at)
        kinds.append(kind)
        at += 4 + length
    assert kinds[:7] == [0x0809, 0x005C, 0x005B, 0x000A, 0x0809, 0x001C, 0x000A]


def test_an_encrypted_xls_is_refused():
    encrypted = compound_file({"Workbook": workbook_stream(encrypted=True)})

    with pytest.raises(EncryptedFile):
        strip_metadata(encrypted, "et")


# --- at upload ----------------------------------------------------------------------------


def test_the_public_copy_of_an_uploaded_doc_has_no_author():
    original = compound_file(word_streams())

    checked = check_upload(SimpleUploadedFile("通知.doc", original))

    assert checked.extension == "doc"
    assert checked.public_sha256 != checked.sha256
    assert_no_name(streams_of(checked.public_data))


def test_an_encrypted_doc_is_refused_at_upload_with_a_message():
    with pytest.raises(ValidationError) as refused:
        check_upload(
            SimpleUploadedFile("加密.doc", compound_file(word_streams(encrypted=True)))
        )

    assert refused.value.error_list[0].code == "encrypted"
    assert refused.value.messages == [
        "文件已加密（设有打开密码或权限密码），无法清除其中的作者等文档属性，"
        "附件未被接收。请取消加密，另存为新文件后重新上传。"
    ]
