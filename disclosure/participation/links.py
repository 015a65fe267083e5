"""Absolute addresses for e-mail."""

from django.conf import settings


def site_url(path: str) -> str:
    base = getattr(settings, "PORTAL_BASE_URL", "http://127.0.0.1:8000")
    return base.rstrip("/") + path
