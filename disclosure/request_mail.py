"""E-mail about requests for information, sent after the commit of the step
that causes it (``transaction.on_commit``). Mail to the applicant never
carries the letter itself: it says a letter is waiting on the tracking page,
which asks for the number and the access code."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.urls import reverse
from django.utils.translation import gettext as _

from . import request_access
from .models import InformationRequest, RequestLetter
from .permissions import OFFICE_ADMIN_GROUP, REVIEWER_GROUP
from .site_address import base_url


def _site_url(path: str) -> str:
    base = base_url()
    return base.rstrip("/") + path


def _send(subject: str, body: str, recipients) -> None:
    recipients = sorted({address for address in recipients if address})
    for address in recipients:
        send_mail(
            subject, body, settings.DEFAULT_FROM_EMAIL, [address], fail_silently=True
        )


def _office_addresses(groups=(REVIEWER_GROUP, OFFICE_ADMIN_GROUP)) -> list[str]:
    return list(
        get_user_model()
        .objects.filter(groups__name__in=groups, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )


def submitted(request_id: int, code: str) -> None:
    request = InformationRequest.objects.select_related("organ").get(pk=request_id)
    _send(
        _("【政府信息公开申请】已收到您的申请 %(number)s") % {"number": request.number},
        _(
            "您向%(organ)s提交的政府信息公开申请已经提交。\n\n"
            "申请编号：%(number)s\n查询码：%(code)s\n\n"
            "请妥善保管查询码，凭申请编号和查询码可以查询办理进度、补正申请、"
            "查看和下载告知书与答复书：%(url)s\n\n"
            "答复期限自本机关确认收到申请之日起计算（条例第三十一条、第三十三条）。\n"
        )
        % {
            "organ": request.organ.name,
            "number": request.number,
            "code": request_access.display(code),
            "url": _site_url(reverse("requests:track")),
        },
        [request.email],
    )


def new_online_application(request_id: int) -> None:
    request = InformationRequest.objects.select_related("organ").get(pk=request_id)
    _send(
        _("【待确认】新的网上政府信息公开申请 %(number)s") % {"number": request.number},
        _("%(organ)s收到一件网上申请，请确认收到并办理：%(url)s\n")
        % {
            "organ": request.organ.name,
            "url": _site_url(reverse("requests_staff:detail", args=[request.pk])),
        },
        _office_addresses(),
    )


def letter(letter_id: int) -> None:
    item = RequestLetter.objects.select_related("request").get(pk=letter_id)
    request = item.request
    _send(
        _("【政府信息公开申请】%(kind)s（%(number)s）")
        % {"kind": item.get_kind_display(), "number": request.number},
        _(
            "您的政府信息公开申请（申请编号：%(number)s）有一份新的%(kind)s。\n"
            "请凭申请编号和查询码查看和下载：%(url)s\n"
        )
        % {
            "number": request.number,
            "kind": item.get_kind_display(),
            "url": _site_url(reverse("requests:track")),
        },
        [request.email],
    )


def reply_to_review(request_id: int) -> None:
    request = InformationRequest.objects.get(pk=request_id)
    drafter = request.reply_drafted_by_id
    addresses = (
        get_user_model()
        .objects.filter(groups__name=REVIEWER_GROUP, is_active=True)
        .exclude(pk=drafter)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    _send(
        _("【答复待审核】%(number)s") % {"number": request.number},
        _("一份政府信息公开申请答复等待您审核：%(url)s\n")
        % {"url": _site_url(reverse("requests_staff:detail", args=[request.pk]))},
        list(addresses),
    )


def reply_returned(request_id: int) -> None:
    request = InformationRequest.objects.select_related("reply_drafted_by").get(
        pk=request_id
    )
    drafter = request.reply_drafted_by
    _send(
        _("【答复被退回】%(number)s") % {"number": request.number},
        _("您起草的答复被退回修改：\n\n%(comment)s\n\n%(url)s\n")
        % {
            "comment": request.reply_return_comment,
            "url": _site_url(reverse("requests_staff:detail", args=[request.pk])),
        },
        [drafter.email] if drafter and drafter.is_active else [],
    )
