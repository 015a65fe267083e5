"""Deployment checks of the portal's own (``manage.py check --deploy``).

E-mail: with DEBUG off, password-reset links and the notices to account
holders must leave the server by mail, never land in the server's log or a
file: the console, file, in-memory and dummy backends fail the check, as do
an SMTP backend without EMAIL_HOST and a sender address on localhost.
"""

from django.conf import settings
from django.core.checks import Error, register

NOT_SENDING = {
    "django.core.mail.backends.console.EmailBackend": "console",
    "django.core.mail.backends.filebased.EmailBackend": "filebased",
    "django.core.mail.backends.locmem.EmailBackend": "locmem",
    "django.core.mail.backends.dummy.EmailBackend": "dummy",
}
SMTP = "django.core.mail.backends.smtp.EmailBackend"
HINT = (
    "Set EMAIL_HOST (and EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, "
    "EMAIL_USE_TLS or EMAIL_USE_SSL) to the mail server, and DEFAULT_FROM_EMAIL "
    "to the portal's address, e.g. gongkai@example.gov.cn; see README.md, "
    "Configuration."
)


@register("portal", deploy=True)
def check_email(app_configs=None, **kwargs):
    if settings.DEBUG:
        return []
    errors = []
    backend = settings.EMAIL_BACKEND
    if backend in NOT_SENDING:
        errors.append(
            Error(
                f"EMAIL_BACKEND is the {NOT_SENDING[backend]} backend: with DEBUG "
                "off, password-reset links and account notices would never "
                "reach anyone (and could land in the server's log).",
                hint=HINT,
                id="portal.E001",
            )
        )
    elif backend == SMTP and not settings.EMAIL_HOST:
        errors.append(
            Error(
                "EMAIL_HOST is not set: the SMTP backend has no mail server "
                "to send password-reset links and account notices to.",
                hint=HINT,
                id="portal.E002",
            )
        )
    sender = settings.DEFAULT_FROM_EMAIL or ""
    domain = sender.rpartition("@")[2].strip(" >").lower()
    if not domain or domain == "localhost" or "." not in domain:
        errors.append(
            Error(
                f"DEFAULT_FROM_EMAIL ({sender!r}) is not an address of a real "
                "mail domain: mail from it is rejected or marked as spam.",
                hint=HINT,
                id="portal.E003",
            )
        )
    return errors
