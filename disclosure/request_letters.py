"""The text of the letters to an applicant: the reply of each Art. 36 type,
the correction notice (Art. 30), the extension notice (Art. 33) and the fee
notice (国办函〔2020〕109号), with the organ's letterhead, the legal basis
and the remedies (行政复议 within 60 days, 行政诉讼 within 6 months).

Official letters are written in Chinese whatever the language of the page
that makes them, so their text is not translated. A letter's content is a
plain dict, stored with the letter when it is written
(``RequestLetter.content``) and rendered to DOCX and PDF from that alone."""

from __future__ import annotations

import datetime

from catalog.models import Department

from .models import InformationRequest, ReplyType

REGULATIONS = "《中华人民共和国政府信息公开条例》"
FEE_RULES = "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）"

#: reply type → (legal basis, the decision in the letter's words).
REPLY_RULES: dict[str, tuple[str, str]] = {
    ReplyType.GRANTED: (
        "第三十六条第（二）项",
        "经审查，您申请公开的政府信息属于可以公开的政府信息，本机关决定予以公开。",
    ),
    ReplyType.PARTLY_GRANTED: (
        "第三十六条第（三）项、第三十七条",
        "经审查，您申请公开的政府信息中含有不应当公开的内容，但能够作区分处理。"
        "本机关向您提供可以公开的内容，对不予公开的内容说明理由如下。",
    ),
    ReplyType.REFUSED_SECRET: (
        "第十四条、第三十六条第（三）项",
        "经审查，您申请公开的政府信息依法确定为国家秘密，本机关决定不予公开。",
    ),
    ReplyType.REFUSED_LAW: (
        "第十四条、第三十六条第（三）项",
        "经审查，您申请公开的政府信息属于法律、行政法规禁止公开的政府信息，"
        "本机关决定不予公开。",
    ),
    ReplyType.REFUSED_SECURITY: (
        "第十四条、第三十六条第（三）项",
        "经审查，您申请公开的政府信息公开后可能危及国家安全、公共安全、经济安全、"
        "社会稳定，本机关决定不予公开。",
    ),
    ReplyType.REFUSED_THIRD_PARTY: (
        "第十五条、第三十二条、第三十六条第（三）项",
        "经审查，您申请公开的政府信息涉及商业秘密、个人隐私等，公开会对第三方合法权益"
        "造成损害，本机关决定不予公开。",
    ),
    ReplyType.REFUSED_INTERNAL: (
        "第十六条第一款、第三十六条第（三）项",
        "经审查，您申请公开的政府信息属于行政机关的内部事务信息（人事管理、后勤管理、"
        "内部工作流程等），本机关决定不予公开。",
    ),
    ReplyType.REFUSED_PROCESS: (
        "第十六条第二款、第三十六条第（三）项",
        "经审查，您申请公开的政府信息属于行政机关在履行行政管理职能过程中形成的讨论记录、"
        "过程稿、磋商信函、请示报告等过程性信息，本机关决定不予公开。",
    ),
    ReplyType.REFUSED_ENFORCEMENT: (
        "第十六条第二款、第三十六条第（三）项",
        "经审查，您申请公开的政府信息属于行政执法案卷信息，本机关决定不予公开。",
    ),
    ReplyType.REFUSED_QUERY: (
        "第三十六条第（七）项",
        "经审查，您申请公开的信息属于工商、不动产登记资料等信息，有关法律、行政法规对"
        "信息的获取有特别规定，请依照有关法律、行政法规的规定办理。",
    ),
    ReplyType.UNABLE_NOT_HELD: (
        "第三十六条第（四）项、第（五）项",
        "经检索，本机关没有您申请公开的政府信息，或者该政府信息不属于本机关负责公开。",
    ),
    ReplyType.UNABLE_TO_MAKE: (
        "第三十八条",
        "您申请公开的信息需要本机关对现有政府信息进行加工、分析，本机关不予提供。",
    ),
    ReplyType.UNABLE_UNCLEAR: (
        "第二十九条第二款、第三十条",
        "本机关已告知您补正申请，补正后申请内容仍不明确，本机关无法提供。",
    ),
    ReplyType.REJECTED_PETITION: (
        "第三十九条第一款",
        "您以政府信息公开申请的形式进行信访、投诉、举报等活动，本机关不作为政府信息公开"
        "申请处理，您可以通过信访、投诉、举报等相应渠道提出。",
    ),
    ReplyType.REJECTED_REPEATED: (
        "第三十六条第（六）项",
        "本机关已就您提出的政府信息公开申请作出答复，您重复申请公开相同的政府信息，"
        "本机关不予重复处理。",
    ),
    ReplyType.REJECTED_PUBLICATION: (
        "第三十九条第二款",
        "您申请获取的是政府公报、报刊、书籍等公开出版物，获取途径如下。",
    ),
    ReplyType.REJECTED_EXCESSIVE: (
        "第三十五条",
        "您申请公开政府信息的数量、频次明显超过合理范围，本机关要求您说明理由，"
        "您的理由不合理，本机关不予处理。",
    ),
    ReplyType.REJECTED_CONFIRMATION: (
        "第二条、第三十六条",
        "您的申请内容为要求本机关确认或者重新出具您已获取的信息，不属于申请获取政府信息，"
        "本机关不予处理。",
    ),
    ReplyType.OTHER_NO_CORRECTION: (
        "第三十条",
        "本机关已告知您补正申请，您无正当理由逾期未补正，视为放弃申请，本机关不再处理"
        "该政府信息公开申请。",
    ),
    ReplyType.OTHER_NO_FEE: (
        "第四十二条",
        "本机关已向您发出收费通知，您逾期未按收费通知要求缴纳信息处理费，本机关不再处理"
        "该政府信息公开申请。",
    ),
    ReplyType.OTHER_OTHER: ("第三十六条", "对您的申请，本机关处理如下。"),
}

#: Types whose letter needs the handler's own words (what is provided and
#: how, what is withheld and why, which organ holds the information, ...).
TEXT_REQUIRED = frozenset(
    {
        ReplyType.GRANTED,
        ReplyType.PARTLY_GRANTED,
        ReplyType.UNABLE_NOT_HELD,
        ReplyType.REJECTED_PUBLICATION,
        ReplyType.OTHER_OTHER,
    }
)


def chinese_date(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def letterhead(organ: Department) -> dict:
    return {
        "organ": organ.name,
        "address": organ.address,
        "postcode": organ.postcode,
        "phone": organ.phone,
        "fax": organ.fax,
        "email": organ.email,
    }


def review_body(organ: Department) -> str:
    """Where an applicant asks for 行政复议: a department's own government,
    a government's the government above it (行政复议法 2023, Arts. 24-25)."""
    if organ.kind == Department.Kind.DEPARTMENT and organ.parent_id:
        parent = organ.parent
        if parent.kind == Department.Kind.GOVERNMENT:
            return parent.name
    if organ.kind == Department.Kind.GOVERNMENT:
        return "上一级人民政府"
    return "本级人民政府"


def remedies(organ: Department) -> str:
    return (
        f"如对本答复不服，可以自收到本答复之日起60日内向{review_body(organ)}申请"
        "行政复议，或者自收到本答复之日起6个月内向有管辖权的人民法院提起行政诉讼。"
    )


def _opening(request: InformationRequest) -> str:
    received = request.received_on or request.submitted_at.date()
    return (
        f"您（单位）于{chinese_date(received)}向本机关提出的政府信息公开申请"
        f"（申请编号：{request.number}）收悉。您申请公开："
        f"{_shorten(request.corrected_description or request.description)}"
    )


def _shorten(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _letter(request, *, title, number, issued_on, paragraphs, basis, with_remedies):
    organ = request.organ
    return {
        "title": title,
        "number": number,
        "letterhead": letterhead(organ),
        "addressee": request.applicant_name,
        "paragraphs": [_opening(request), *[p for p in paragraphs if p]],
        "basis": f"依据：{REGULATIONS}{basis}" if basis else "",
        "remedies": remedies(organ) if with_remedies else "",
        "signature": organ.name,
        "date": chinese_date(issued_on),
    }


def reply_letter(request, *, number: str, issued_on: datetime.date) -> dict:
    basis, decision = REPLY_RULES[request.reply_type]
    paragraphs = [decision, request.reply_text.strip()]
    if request.reply_type == ReplyType.OTHER_NO_FEE:
        basis = f"{basis}及{FEE_RULES}"
    return _letter(
        request,
        title="政府信息公开申请答复书",
        number=number,
        issued_on=issued_on,
        paragraphs=paragraphs,
        basis=basis,
        with_remedies=True,
    )


def correction_letter(request, *, number, issued_on, due_on, period) -> dict:
    return _letter(
        request,
        title="政府信息公开申请补正告知书",
        number=number,
        issued_on=issued_on,
        paragraphs=[
            "经审查，您的申请需要补正以下内容：" + request.correction_items.strip(),
            f"请您于{chinese_date(due_on)}前（{period}个工作日内）补正，可以在门户的"
            "“申请查询”页面提交，也可以书面提交本机关。答复期限自本机关收到补正后的"
            "申请之日起计算。无正当理由逾期不补正的，视为放弃申请，本机关不再处理该"
            "政府信息公开申请。",
        ],
        basis="第三十条",
        with_remedies=False,
    )


def extension_letter(request, *, number, issued_on, days, due_on) -> dict:
    due = f"，即于{chinese_date(due_on)}前" if due_on else ""
    return _letter(
        request,
        title="政府信息公开申请延期答复告知书",
        number=number,
        issued_on=issued_on,
        paragraphs=[
            f"因{request.extension_reason.strip()}，本机关不能在规定期限内作出答复。",
            f"经本机关政府信息公开工作机构负责人同意，答复期限延长{days}个工作日"
            f"{due}作出答复（征求第三方或其他机关意见、缴纳信息处理费所需时间不计算在内）。",
        ],
        basis="第三十三条第二款",
        with_remedies=False,
    )


def fee_letter(request, *, number, issued_on, explanation, due_on) -> dict:
    return _letter(
        request,
        title="政府信息公开信息处理费收费通知书",
        number=number,
        issued_on=issued_on,
        paragraphs=[
            "您申请公开政府信息的数量、频次明显超过合理范围，本机关决定收取信息处理费"
            f"{request.fee_amount}元。{explanation}",
            f"请于{chinese_date(due_on)}前（收到本通知之日起20个工作日内）缴纳，并在门户的"
            "“申请查询”页面或以书面方式告知本机关。缴费期间不计算在答复期限内。逾期未缴纳的，"
            "本机关不再处理该政府信息公开申请。",
        ],
        basis=f"第四十二条及{FEE_RULES}",
        with_remedies=False,
    )
