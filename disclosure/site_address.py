"""The portal's address in e-mails and messages: ``PORTAL_BASE_URL`` from
the settings or the environment (``make run PORT=…`` sets it to the address
it serves), else the development server's."""

import os

from django.conf import settings

DEFAULT = "http://127.0.0.1:8000"


def base_url() -> str:
    """The address without a trailing slash."""
    value = (
        getattr(settings, "PORTAL_BASE_URL", "")
        or os.environ.get("PORTAL_BASE_URL", "").strip()
        or DEFAULT
    )
    return value.rstrip("/")
