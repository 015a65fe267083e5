"""Staff accounts: the login with its limits (``login``, ``throttle``), the
second factor (``two_factor``), the password rule (``passwords``), the
separation of duties (``duties``), the account trail (``audit``), the notices
to account holders (``notify``) and the admin of all that (``admin``)."""

from .login import LoginView, admin_login, lockout_response
from .passwords import CharacterClassValidator, MinimumLengthValidator
from .two_factor import (
    account_security,
    otp_disable,
    otp_login,
    otp_setup,
    second_factor_gate,
    two_factor_required,
)

__all__ = [
    "CharacterClassValidator",
    "LoginView",
    "MinimumLengthValidator",
    "account_security",
    "admin_login",
    "lockout_response",
    "otp_disable",
    "otp_login",
    "otp_setup",
    "second_factor_gate",
    "two_factor_required",
]
