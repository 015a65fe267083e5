"""ZIP packages are unpacked within bounds (disclosure/scrub/zipbounds.py):
a small DOCX that unpacks to hundreds of megabytes is refused at upload with a
message, and the process that checks it does not grow by more than a few
megabytes; a large part within the bounds is copied in chunks, never whole
in memory.

The memory is measured in a fresh Python process (the peak resident size of
the test process itself only ever grows, whatever ran before): the growth is
the peak after the call minus the resident size just before it, both from
/proc/self/status (VmHWM, VmRSS). Not ``resource.getrusage().ru_maxrss``: on
Linux a process started by another keeps the larger parent's peak in it
across exec, which here added the pytest worker's 50 MB."""

import io
import json
import os
import struct
import subprocess
import sys
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from disclosure.scrub import ArchiveTooLarge, UnreadableFile, ZipLimits, strip_metadata
from disclosure.uploads import check_upload
from tests.disclosure.test_scrub import NAME, docx_with_metadata, parts_of

MiB = 1024 * 1024
#: The largest growth allowed while a package is checked or copied.
MAX_GROWTH = 48 * MiB


def write_docx_with_zeros(target, size: int, *, base: bytes | None = None) -> None:
    """A DOCX with a part of ``size`` bytes of zeros, compressed as it is
    written (about 1 KB per MB: 512 MB make half a megabyte)."""
    base = base or docx_with_metadata()
    zeros = bytes(MiB)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as package:
        for name, content in parts_of(base).items():
            package.writestr(name, content)
        with package.open("word/media/image1.bin", "w") as part:
            for _ in range(size // MiB):
                part.write(zeros)


def declare_smaller(data: bytes, name: str, size: int) -> bytes:
    """The package with the central directory entry of ``name`` claiming
    ``size`` bytes unpacked (a lying header)."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        position = package.start_dir
    patched = bytearray(data)
    while data[position : position + 4] == b"PK\x01\x02":
        lengths = struct.unpack("<HHH", data[position + 28 : position + 34])
        if data[position + 46 : position + 46 + lengths[0]] == name.encode():
            patched[position + 24 : position + 28] = struct.pack("<I", size)
            return bytes(patched)
        position += 46 + sum(lengths)
    raise AssertionError(f"no part {name}")


@pytest.fixture(scope="module")
def bomb(tmp_path_factory):
    """A DOCX of about half a megabyte holding 512 MB of zeros."""
    path = tmp_path_factory.mktemp("bomb") / "炸弹.docx"
    write_docx_with_zeros(path, 512 * MiB)
    return path


@pytest.fixture(scope="module")
def small_docx(tmp_path_factory):
    path = tmp_path_factory.mktemp("small") / "小.docx"
    path.write_bytes(docx_with_metadata())
    return path


MEASURE = r"""
import json, sys
import django
django.setup()
import lxml.etree, pypdf  # imported before measuring
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from disclosure.uploads import check_upload

def status(field):
    with open("/proc/self/status") as lines:
        for line in lines:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024  # kB

def resident():
    return status("VmRSS")

def peak():
    return status("VmHWM")

path, name = sys.argv[1], sys.argv[2]
data = open(path, "rb").read()
upload = SimpleUploadedFile(name, data)
# Warm up (translations, lazy imports, the parsers' first use) with a small
# file of the same kind.
check_upload(SimpleUploadedFile(name, open(sys.argv[3], "rb").read()))
before = resident()
try:
    checked = check_upload(upload)
    outcome = {"accepted": True, "public_size": len(checked.public_data)}
except ValidationError as error:
    outcome = {"accepted": False, "messages": error.messages,
               "code": error.error_list[0].code}
outcome["growth"] = peak() - before
print(json.dumps(outcome))
"""


def check_in_fresh_process(path, name: str, warm_up, **settings) -> dict:
    """``check_upload`` of the file at ``path`` in a new Python process with
    ``settings`` (environment variables), after one of ``warm_up`` (a small file
    of the same kind); its outcome and memory growth."""
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DEBUG": "1",
        **{key: str(value) for key, value in settings.items()},
    }
    finished = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", MEASURE, str(path), name, str(warm_up)],
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert finished.returncode == 0, finished.stderr
    return json.loads(finished.stdout.strip().splitlines()[-1])


def test_a_small_docx_that_unpacks_to_hundreds_of_megabytes_is_refused(
    bomb, small_docx
):
    assert bomb.stat().st_size < 2 * MiB

    outcome = check_in_fresh_process(bomb, "炸弹.docx", small_docx)

    assert outcome["accepted"] is False
    assert outcome["code"] == "archive_bounds"
    assert outcome["messages"] == [
        "文件解压后过大（至少 512.0\xa0MB，上限 256.0\xa0MB），可能是恶意构造的"
        "“压缩炸弹”，系统不予处理。请检查文件，或另存后重新上传。"
    ]
    assert outcome["growth"] < MAX_GROWTH, outcome


def test_a_large_part_within_raised_bounds_is_copied_in_chunks(bomb, small_docx):
    outcome = check_in_fresh_process(
        bomb,
        "大文件.docx",
        small_docx,
        PORTAL_UPLOAD_ZIP_MAX_PART_MB=600,
        PORTAL_UPLOAD_ZIP_MAX_TOTAL_MB=600,
        PORTAL_UPLOAD_ZIP_MAX_RATIO=2000,
    )

    assert outcome["accepted"] is True, outcome
    assert outcome["public_size"] < 2 * MiB
    assert outcome["growth"] < MAX_GROWTH, outcome


def test_the_clean_copy_of_a_large_part_keeps_the_part_and_loses_the_author():
    buffer = io.BytesIO()
    write_docx_with_zeros(buffer, 16 * MiB)
    limits = ZipLimits(ratio=2000)

    scrubbed = strip_metadata(buffer.getvalue(), "docx", limits=limits)

    with zipfile.ZipFile(io.BytesIO(scrubbed)) as package:
        assert package.testzip() is None
        assert package.getinfo("word/media/image1.bin").file_size == 16 * MiB
        assert NAME.encode() not in package.read("docProps/core.xml")


# --- each bound, with its message -----------------------------------------------------


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def refusal(name: str, content: bytes) -> ValidationError:
    with pytest.raises(ValidationError) as refused:
        check_upload(upload(name, content))
    return refused.value


def test_a_part_that_unpacks_far_more_than_it_packs_is_refused():
    buffer = io.BytesIO()
    write_docx_with_zeros(buffer, 8 * MiB)

    error = refusal("比例.docx", buffer.getvalue())

    assert error.error_list[0].code == "archive_bounds"
    [message] = error.messages
    assert message.startswith("文件中有内容的压缩比异常（")
    assert message.endswith(
        "倍，上限 100 倍），可能是恶意构造的“压缩炸弹”，系统不予处理。"
        "请检查文件，或另存后重新上传。"
    )


def test_a_part_that_lies_about_its_size_is_refused_as_damaged():
    buffer = io.BytesIO()
    write_docx_with_zeros(buffer, 8 * MiB)
    lying = declare_smaller(buffer.getvalue(), "word/media/image1.bin", 1000)
    with zipfile.ZipFile(io.BytesIO(lying)) as package:
        assert package.getinfo("word/media/image1.bin").file_size == 1000

    with pytest.raises(UnreadableFile):
        strip_metadata(lying, "docx")
    assert refusal("撒谎.docx", lying).error_list[0].code == "unscrubbable"


def test_too_many_parts_are_refused(settings):
    settings.PORTAL_UPLOAD_ZIP_MAX_PARTS = 20
    data = docx_with_metadata()
    extra = {f"word/media/part{number}.bin": b"x" for number in range(20)}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name, content in {**parts_of(data), **extra}.items():
            package.writestr(name, content)
    count = len(parts_of(data)) + 20

    error = refusal("部件.docx", buffer.getvalue())

    assert error.messages == [
        f"文件包含的部件过多（{count} 个，上限 20 个），系统不予处理。"
        "请检查文件，或另存后重新上传。"
    ]


def test_too_much_in_all_is_refused(settings):
    settings.PORTAL_UPLOAD_ZIP_MAX_TOTAL_BYTES = 3 * MiB
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as package:
        for name, content in parts_of(docx_with_metadata()).items():
            package.writestr(name, content)
        for number in range(4):
            package.writestr(f"word/media/image{number}.png", os.urandom(MiB))

    error = refusal("合计.docx", buffer.getvalue())

    [message] = error.messages
    assert message.startswith("文件解压后过大（至少 ")
    assert "上限 3.0\xa0MB" in message


def nested(depth: int) -> bytes:
    """A DOCX holding a DOCX holding… ``depth`` levels deep."""
    from tests.disclosure.test_scrub import with_embedded

    data = docx_with_metadata()
    for _level in range(depth):
        data = with_embedded(
            docx_with_metadata(), "embeddings/Document.docx", data, "package"
        )
    return data


def test_documents_nested_deeper_than_the_bound_are_refused():
    inner = nested(2)
    assert "word/embeddings/Document.docx" in parts_of(inner)
    assert check_upload(upload("两层.docx", inner)).public_sha256

    error = refusal("三层.docx", nested(3))

    assert error.messages == [
        "文件中嵌套的文档层数过多（上限 2 层），系统不予处理。请把嵌入的文档单独上传。"
    ]


def test_xml_parts_rewritten_in_memory_are_bounded(settings):
    settings.PORTAL_UPLOAD_ZIP_MAX_XML_BYTES = 4096

    error = refusal("批注.docx", docx_with_metadata())

    [message] = error.messages
    assert message.startswith("文件中需要清除作者等属性的部分过大（")
    assert message.endswith(
        "上限 4.0\xa0KB），无法处理。请删除批注、接受修订后另存，或另存为 PDF 后重新上传。"
    )


def test_compression_methods_other_than_deflate_are_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_BZIP2) as package:
        for name, content in parts_of(docx_with_metadata()).items():
            package.writestr(name, content)

    assert refusal("bzip2.docx", buffer.getvalue()).error_list[0].code == (
        "unscrubbable"
    )


def test_the_bounds_apply_to_ofd_packages_too():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("OFD.xml", "<ofd:OFD/>")
        package.writestr("Doc_0/Res/zeros.bin", bytes(8 * MiB))

    with pytest.raises(ArchiveTooLarge):
        strip_metadata(buffer.getvalue(), "ofd")
    assert refusal("公文.ofd", buffer.getvalue()).error_list[0].code == (
        "archive_bounds"
    )
