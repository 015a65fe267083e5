"""Sessions in the database read through the cache (Django's ``cached_db``),
with signed keys (``portal.sessions``)."""

from django.contrib.sessions.backends import cached_db

from . import SignedKeys


class SessionStore(SignedKeys, cached_db.SessionStore):
    pass
