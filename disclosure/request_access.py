"""The applicant's secret access code: made once, shown and e-mailed once,
stored only as a SHA-256 digest, checked in constant time.

16 characters from an alphabet without look-alikes (about 79 bits), so that
guessing is hopeless even before the rate limits of the tracking page; a
plain digest is then enough (no slow password hash: the code is not chosen by
a person)."""

import hashlib
import hmac
import secrets

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
LENGTH = 16
#: Compared against when the number is unknown, so that a wrong number takes
#: as long as a wrong code.
_DUMMY_DIGEST = hashlib.sha256(b"no such request").hexdigest()


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise(code: str) -> str:
    """What the applicant typed, without spaces and dashes, upper case."""
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())[:64]


def display(code: str) -> str:
    """XXXX-XXXX-XXXX-XXXX."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def digest(code: str) -> str:
    return hashlib.sha256(normalise(code).encode()).hexdigest()


def matches(stored_digest: str | None, code: str) -> bool:
    """Constant-time comparison (a missing request compares a dummy)."""
    return hmac.compare_digest(stored_digest or _DUMMY_DIGEST, digest(code)) and (
        stored_digest is not None
    )
