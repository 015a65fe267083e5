"""Absolute addresses for e-mail."""

from disclosure.site_address import base_url


def site_url(path: str) -> str:
    base = base_url()
    return base.rstrip("/") + path
