"""ZIP packages (DOCX, XLSX, OFD and the packages embedded in them) read
within bounds, so that a small upload cannot make the server unpack
gigabytes: a 1 MB DOCX can hold a part of 1 GiB of zeros.

The bounds are checked on what the package declares before anything is
unpacked (the number of parts, each part's size, its compression ratio, the
total, how deep packages are nested), and again on what is actually unpacked:
:mod:`zipfile` never returns more than a part's declared size (and then fails
its CRC check), and :class:`MemberReader` counts every byte. Parts are read
in chunks, so a part that is only copied never sits whole in memory.
"""

from __future__ import annotations

import shutil
import struct
import zipfile
from dataclasses import dataclass

from .errors import ArchiveTooLarge, UnreadableFile

MiB = 1024 * 1024
CHUNK = MiB

#: Parts this small are not checked for their compression ratio (a short XML
#: part of repeated markup compresses far better than 100:1 and is harmless).
RATIO_GRACE_BYTES = MiB
#: A central directory entry is 46 bytes plus the name and extra fields: one of
#: more than this many bytes per declared part means parts that are not declared.
_CENTRAL_ENTRY_BYTES = 1024
_SUPPORTED_COMPRESSION = frozenset({zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED})


@dataclass(frozen=True)
class ZipLimits:
    """The bounds (``PORTAL_UPLOAD_ZIP_*`` settings, see README)."""

    #: parts in the package, those of embedded packages included
    members: int = 10_000
    #: one part, unpacked
    member_bytes: int = 256 * MiB
    #: all parts together, unpacked, those of embedded packages included
    total_bytes: int = 512 * MiB
    #: unpacked size / packed size of one part (larger than RATIO_GRACE_BYTES)
    ratio: int = 100
    #: packages inside packages: a chart's workbook inside a DOCX is 1
    depth: int = 2
    #: the XML parts rewritten in memory (properties, comments, the text of a
    #: Word document with tracked changes), together: their trees take about
    #: ten times their size
    xml_bytes: int = 32 * MiB


class Budget:
    """What the packages of one file have used of the limits so far."""

    def __init__(self, limits: ZipLimits):
        self.limits = limits
        self.members = 0
        self.declared_bytes = 0
        self.xml_bytes = 0

    def declare(self, infos: list[zipfile.ZipInfo]) -> None:
        limits = self.limits
        self.members += len(infos)
        if self.members > limits.members:
            raise ArchiveTooLarge("members", limit=limits.members, found=self.members)
        for info in infos:
            if info.file_size > limits.member_bytes:
                raise ArchiveTooLarge(
                    "member_bytes", limit=limits.member_bytes, found=info.file_size
                )
            packed = max(info.compress_size, 1)
            if (
                info.file_size > RATIO_GRACE_BYTES
                and info.file_size > limits.ratio * packed
            ):
                raise ArchiveTooLarge(
                    "ratio", limit=limits.ratio, found=info.file_size // packed
                )
            self.declared_bytes += info.file_size
            if self.declared_bytes > limits.total_bytes:
                raise ArchiveTooLarge(
                    "total_bytes", limit=limits.total_bytes, found=self.declared_bytes
                )


def declared_entries(file) -> int:
    """The number of parts the end of central directory record declares,
    read before :class:`zipfile.ZipFile` builds an object for each of them;
    raises :class:`UnreadableFile` if there is no such record."""
    file.seek(0, 2)
    size = file.tell()
    tail_start = max(0, size - 22 - 65535)
    file.seek(tail_start)
    tail = file.read()
    at = tail.rfind(b"PK\x05\x06")
    if at == -1 or at + 22 > len(tail):
        raise UnreadableFile("no end of central directory")
    entries, directory_bytes = struct.unpack("<HI", tail[at + 10 : at + 16])
    if entries == 0xFFFF or directory_bytes == 0xFFFFFFFF:  # ZIP64
        locator = tail_start + at - 20
        if locator < 0:
            raise UnreadableFile("no ZIP64 end of central directory")
        file.seek(locator)
        record = file.read(20)
        if not record.startswith(b"PK\x06\x07"):
            raise UnreadableFile("no ZIP64 end of central directory")
        (offset,) = struct.unpack("<Q", record[8:16])
        file.seek(offset)
        record = file.read(56)
        if not record.startswith(b"PK\x06\x06") or len(record) < 56:
            raise UnreadableFile("damaged ZIP64 end of central directory")
        entries, directory_bytes = struct.unpack("<QQ", record[32:48])
    return max(entries, directory_bytes // _CENTRAL_ENTRY_BYTES)


def part_names(file, limits: ZipLimits) -> set[str]:
    """The names of the parts of a package, once its declared sizes are found
    within ``limits`` (nothing is unpacked)."""
    budget = Budget(limits)
    declared = declared_entries(file)
    if declared > limits.members:
        raise ArchiveTooLarge("members", limit=limits.members, found=declared)
    with zipfile.ZipFile(file) as package:
        infos = package.infolist()
    budget.declare(infos)
    return {info.filename for info in infos}


class BoundedZip:
    """A ZIP package opened for reading within the bounds of ``budget``;
    ``depth`` is 0 for the uploaded file, 1 for a package inside it…"""

    def __init__(self, file, budget: Budget, depth: int = 0):
        limits = budget.limits
        if depth > limits.depth:
            raise ArchiveTooLarge("depth", limit=limits.depth, found=depth)
        declared = declared_entries(file)
        if budget.members + declared > limits.members:
            raise ArchiveTooLarge(
                "members", limit=limits.members, found=budget.members + declared
            )
        try:
            self.zip = zipfile.ZipFile(file)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError) as error:
            raise UnreadableFile("damaged ZIP package") from error
        self.budget = budget
        self.depth = depth
        infos = self.zip.infolist()
        names = [info.filename for info in infos]
        if len(set(names)) != len(names):
            raise UnreadableFile("two parts of the same name")
        for info in infos:
            if info.flag_bits & 0x1:
                raise UnreadableFile("encrypted ZIP part")
            if info.compress_type not in _SUPPORTED_COMPRESSION:
                raise UnreadableFile("unsupported ZIP compression method")
        budget.declare(infos)
        self.members = [info for info in infos if not info.is_dir()]

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.zip.close()

    def open(self, info: zipfile.ZipInfo) -> MemberReader:
        try:
            return MemberReader(self.zip.open(info), info)
        except (zipfile.BadZipFile, EOFError, OSError) as error:
            raise UnreadableFile(f"damaged part {info.filename}") from error

    def read(self, info: zipfile.ZipInfo) -> bytes:
        """A whole part (for the parts that are rewritten)."""
        with self.open(info) as reader:
            return reader.read()

    def copy(self, info: zipfile.ZipInfo, target) -> None:
        """Copy a part into ``target`` (a file open for writing) in chunks."""
        with self.open(info) as reader:
            shutil.copyfileobj(reader, target, CHUNK)


class MemberReader:
    """A part being unpacked, never more than its declared size."""

    def __init__(self, stream, info: zipfile.ZipInfo):
        self.stream = stream
        self.info = info
        self.unpacked = 0

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.stream.close()

    def read(self, size: int = -1) -> bytes:
        try:
            data = self.stream.read(size)
        except Exception as error:  # BadZipFile (CRC), zlib.error, EOFError…
            raise UnreadableFile(f"damaged part {self.info.filename}") from error
        self.unpacked += len(data)
        if self.unpacked > self.info.file_size:
            raise UnreadableFile(f"part {self.info.filename} is longer than declared")
        return data
