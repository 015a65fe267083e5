"""Session engines whose keys carry their own signature.

A session key is 20 random characters and a 12-character HMAC of them under
the ``SECRET_KEY`` (or one of ``SECRET_KEY_FALLBACKS``). A cookie whose key
does not verify is no session at all, decided without a query: a made-up
``sessionid`` costs a visitor's request no database read, and cannot be used
to skip the public page cache (``disclosure/public/cache.py``) at the price of
one.

``SESSION_ENGINE`` names ``portal.sessions.db`` (the default) or
``portal.sessions.cached_db`` (``SESSION_ENGINE=cache`` in the environment);
``portal/settings.py`` chooses. Sessions made before these engines (unsigned
keys) are not recognised: their holders sign in again, once.
"""

from django.conf import settings
from django.contrib.sessions.backends.base import VALID_KEY_CHARS
from django.utils.crypto import constant_time_compare, get_random_string, salted_hmac

RANDOM_CHARS = 20
MAC_CHARS = 12
_SALT = "portal.sessions.key"


def _mac(body: str, secret: str) -> str:
    return salted_hmac(_SALT, body, secret=secret).hexdigest()[:MAC_CHARS]


def signed_key() -> str:
    body = get_random_string(RANDOM_CHARS, VALID_KEY_CHARS)
    return body + _mac(body, settings.SECRET_KEY)


def verifies(key) -> bool:
    if not isinstance(key, str) or len(key) != RANDOM_CHARS + MAC_CHARS:
        return False
    body, mac = key[:RANDOM_CHARS], key[RANDOM_CHARS:]
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return any(constant_time_compare(mac, _mac(body, secret)) for secret in secrets)


class SignedKeys:
    """Mixed into a session store: new keys are signed, others refused."""

    def _validate_session_key(self, key):
        return verifies(key)

    def _get_new_session_key(self):
        while True:
            key = signed_key()
            if not self.exists(key):
                return key

    async def _aget_new_session_key(self):
        while True:
            key = signed_key()
            if not await self.aexists(key):
                return key
