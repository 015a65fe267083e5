"""E-mails to the holder of an account about what others did to it: repeated
wrong passwords, a password or an authenticator reset by an administrator, a
role given. So that a holder notices at once what they did not ask for.

Sent when the transaction commits; a mail server that fails is logged, never
an error for the person acting. Written in the portal's language (Chinese):
the holder's own choice of language is not known here.
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

log = logging.getLogger("portal.security")


def _name(user) -> str:
    name = f"{user.last_name}{user.first_name}".strip()
    return name or user.get_username()


def _send(user, subject: str, lines: list[str]) -> None:
    address = user.email

    def send():
        try:
            send_mail(
                subject,
                "\n\n".join(lines),
                settings.DEFAULT_FROM_EMAIL,
                [address],
            )
        except Exception:  # noqa: BLE001 - the mail server is not our error
            log.exception("could not send the account notice to user %s", user.pk)

    if address:
        transaction.on_commit(send)


def _closing() -> str:
    return _(
        "如果这不是您本人或您所知悉的操作，请立即联系本单位安全管理员。"
        "本邮件由系统自动发送，请勿回复。"
    )


def _moment() -> str:
    return timezone.localtime().strftime("%Y-%m-%d %H:%M")


def login_failures(user, *, failures: int, address: str | None, retry_at) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        _send(
            user,
            _("【政务公开门户】您的账号登录失败次数过多"),
            [
                _("%(name)s，您好：") % {"name": _name(user)},
                _(
                    "您的账号 %(username)s 近期已有 %(failures)d 次登录因密码错误"
                    "而失败，最近一次在 %(moment)s，来自地址 %(address)s。"
                )
                % {
                    "username": user.get_username(),
                    "failures": failures,
                    "moment": _moment(),
                    "address": address or _("未知"),
                },
                _(
                    "为保护账号，系统已放慢对该账号的登录尝试：在 %(time)s 之前"
                    "不再接受新的尝试，之后每次失败等待的时间加长。账号没有被锁定，"
                    "您在曾经成功登录过的浏览器上仍可照常登录。"
                )
                % {"time": timezone.localtime(retry_at).strftime("%H:%M")},
                _("如果这些尝试不是您本人所为，建议登录后修改密码并启用双因素认证。"),
                _closing(),
            ],
        )


def password_set_by_administrator(user, administrator) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        _send(
            user,
            _("【政务公开门户】管理员重设了您的密码"),
            [
                _("%(name)s，您好：") % {"name": _name(user)},
                _(
                    "管理员 %(admin)s 于 %(moment)s 为您的账号 %(username)s 设置了新密码。"
                )
                % {
                    "admin": _name(administrator),
                    "moment": _moment(),
                    "username": user.get_username(),
                },
                _closing(),
            ],
        )


def authenticator_removed_by_administrator(user, administrator) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        _send(
            user,
            _("【政务公开门户】您的身份验证器已被重置"),
            [
                _("%(name)s，您好：") % {"name": _name(user)},
                _(
                    "管理员 %(admin)s 于 %(moment)s 删除了您账号 %(username)s 的"
                    "身份验证器。下次登录时需要重新设置。"
                )
                % {
                    "admin": _name(administrator),
                    "moment": _moment(),
                    "username": user.get_username(),
                },
                _closing(),
            ],
        )


def role_granted(grant) -> None:
    user = grant.user
    with translation.override(settings.LANGUAGE_CODE):
        _send(
            user,
            _("【政务公开门户】您的账号获得了新的角色"),
            [
                _("%(name)s，您好：") % {"name": _name(user)},
                _(
                    "您的账号 %(username)s 于 %(moment)s 获得角色“%(role)s”"
                    "（由 %(requester)s 申请，%(approver)s 批准）。"
                )
                % {
                    "username": user.get_username(),
                    "moment": _moment(),
                    "role": grant.role_label,
                    "requester": _name(grant.requested_by),
                    "approver": _name(grant.decided_by),
                },
                _closing(),
            ],
        )
