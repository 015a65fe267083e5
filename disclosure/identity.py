"""The site's identity (``SiteSettings``) as every page shows it, read once per
publication generation: saving the settings bumps the generation
(``disclosure/publication.py``), so the next request, and the next cached
page, shows the new name and footer."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.core.cache import cache
from django.db import DatabaseError
from django.urls import reverse

from .models import SiteSettings
from .publication import generation

logger = logging.getLogger(__name__)

ICP_URL = "https://beian.miit.gov.cn/"
PUBLIC_SECURITY_URL = "https://beian.mps.gov.cn/#/query/webSearch?code={code}"


@dataclass(frozen=True)
class Identity:
    site_name: str = ""
    government_name: str = ""
    emblem_url: str = ""
    sponsor: str = ""
    organiser: str = ""
    contact_phone: str = ""
    contact_email: str = ""
    contact_address: str = ""
    website_code: str = ""
    icp_number: str = ""
    icp_url: str = ICP_URL
    public_security_number: str = ""
    public_security_url: str = ""
    lists_on_request: bool = False
    shows_element_toc: bool = False

    @property
    def has_footer_details(self) -> bool:
        return any(
            (
                self.sponsor,
                self.organiser,
                self.contact_phone,
                self.contact_email,
                self.contact_address,
                self.website_code,
                self.icp_number,
                self.public_security_number,
            )
        )


EMPTY = Identity()


def _read() -> Identity:
    row = SiteSettings.objects.filter(pk=1).first()
    if row is None:
        return EMPTY
    code = row.public_security_code
    return Identity(
        site_name=row.site_name,
        government_name=row.government_name,
        emblem_url=(
            reverse(
                "participation:site-emblem",
                args=[row.emblem_sha256[:16], row.emblem_extension],
            )
            if row.emblem
            else ""
        ),
        sponsor=row.sponsor,
        organiser=row.organiser,
        contact_phone=row.contact_phone,
        contact_email=row.contact_email,
        contact_address=row.contact_address,
        website_code=row.website_code,
        icp_number=row.icp_number,
        public_security_number=row.public_security_number,
        public_security_url=PUBLIC_SECURITY_URL.format(code=code) if code else "",
        lists_on_request=row.lists_on_request,
        shows_element_toc=row.shows_element_toc,
    )


def identity() -> Identity:
    """The identity for this publication generation. A database that cannot
    be read gives the empty identity (the error pages still render)."""
    try:
        key = f"disclosure:identity:{generation()}"
        found = cache.get(key)
        if found is None:
            found = _read()
            cache.set(key, found, 3600)
        return found
    except DatabaseError:
        logger.warning("the site settings could not be read", exc_info=True)
        return EMPTY


def forget() -> None:
    """Read the settings again on the next call (tests)."""
    cache.delete(f"disclosure:identity:{generation()}")
