"""Sessions in the database, with signed keys (``portal.sessions``)."""

from django.contrib.sessions.backends import db

from . import SignedKeys


class SessionStore(SignedKeys, db.SessionStore):
    pass
