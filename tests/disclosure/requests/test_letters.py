"""The letters: every reply type has its legal basis and the remedies; the
DOCX and the PDF (Chinese text embedded, readable without a font installed)
say what the stored content says; without the font the PDF is refused with a
page, not a 500."""

import io

import pytest
from docx import Document
from pypdf import PdfReader

from disclosure import request_letters
from disclosure.models import ReplyType
from disclosure.requests import letters
from tests.conftest import unavailable

from .helpers import received, world

pytestmark = pytest.mark.django_db

CONTENT = {
    "title": "政府信息公开申请答复书",
    "number": "区财政局依申请〔2026〕7号",
    "letterhead": {
        "organ": "区财政局",
        "address": "示例区人民大道4号",
        "postcode": "310000",
        "phone": "0571-88880003",
    },
    "addressee": "张三",
    "paragraphs": ["您于2026年3月2日提出的申请收悉。", "经审查，本机关决定予以公开。"],
    "basis": "依据：《中华人民共和国政府信息公开条例》第三十六条第（二）项",
    "remedies": "如对本答复不服，可以自收到本答复之日起60日内向示例区人民政府申请行政复议，或者自收到本答复之日起6个月内向有管辖权的人民法院提起行政诉讼。",
    "signature": "区财政局",
    "date": "2026年3月20日",
}


def test_every_reply_type_has_a_basis_and_a_decision():
    assert set(request_letters.REPLY_RULES) == set(ReplyType.values)
    for basis, decision in request_letters.REPLY_RULES.values():
        assert basis.startswith("第") and decision


def test_the_docx_holds_the_letter():
    document = Document(io.BytesIO(letters.build_docx(CONTENT)))
    text = "\n".join(p.text for p in document.paragraphs)
    for part in (
        "区财政局",
        "区财政局依申请〔2026〕7号",
        "张三：",
        "予以公开",
        "第三十六条第（二）项",
        "60日内",
        "6个月内",
        "2026年3月20日",
        "示例区人民大道4号",
    ):
        assert part in text


def test_the_pdf_embeds_the_chinese_text():
    if not letters.font_path().is_file():
        unavailable("needs the PDF font: apt-get install fonts-arphic-uming")
    reader = PdfReader(io.BytesIO(letters.build_pdf(CONTENT)))
    text = "".join(page.extract_text() for page in reader.pages).replace("\n", "")
    for part in (
        "区财政局依申请〔2026〕7号",
        "经审查，本机关决定予以公开。",
        "6个月内向有管辖权的人民法院提起行政诉讼",
    ):
        assert part in text
    fonts = reader.pages[0]["/Resources"]["/Font"]
    descriptor = (
        next(iter(fonts.values()))
        .get_object()["/DescendantFonts"][0]
        .get_object()["/FontDescriptor"]
    )
    assert "/FontFile2" in descriptor  # embedded


def test_without_the_font_the_pdf_is_refused_with_a_page(client, settings, tmp_path):
    from django.urls import reverse

    from disclosure.workflow import requests as steps

    w = world()
    request = received(w)
    letter = steps.request_correction(
        request=request, by=w["clerk"], items="文号", period=5
    )
    settings.PORTAL_PDF_FONT = str(tmp_path / "missing.ttf")
    client.force_login(w["clerk"])
    response = client.get(
        reverse("requests_staff:letter", args=[request.pk, letter.pk, "pdf"])
    )
    assert response.status_code == 503
    assert "Word" in response.content.decode()
