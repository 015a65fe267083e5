"""Cross-cutting middleware."""

import re
import time

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_vary_headers

from . import ratelimit


class CookieLocaleMiddleware:
    """Choose the language from the language cookie only; Chinese by default.

    A government site answers in Chinese whatever the browser's Accept-Language
    says; a visitor switches to English with the language form (Django's
    ``set_language`` view), which sets the cookie. Pages then vary only on the
    cookie, which keeps anonymous pages cacheable.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.languages = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.languages:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie",))
        translation.deactivate()
        return response


class SessionActivityMiddleware:
    """Inactivity expiry: a signed-in user's session is saved again (and so
    lives another ``SESSION_COOKIE_AGE`` seconds) when a request comes more
    than ``PORTAL_SESSION_TOUCH_SECONDS`` after the last renewal. The idle
    limit is thus kept to within that many seconds, with one database write
    a minute instead of one per request.

    Must come after ``SessionMiddleware``, which saves what this marks."""

    key = "_portal_seen"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        # Only a session this request has read already: no extra query.
        if session is not None and session.accessed and not session.is_empty():
            if session.get(SESSION_KEY):
                now = int(time.time())
                seen = session.get(self.key)
                if (
                    not isinstance(seen, int)
                    or now - seen >= settings.PORTAL_SESSION_TOUCH_SECONDS
                ):
                    session[self.key] = now
        return response


class PermissionsPolicyMiddleware:
    """``Permissions-Policy`` on every response (static files included): no
    camera, microphone or location for the portal or anything it embeds."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = settings.PORTAL_PERMISSIONS_POLICY
        if policy:
            response.headers.setdefault("Permissions-Policy", policy)
        return response


class AnonymousPostRateLimitMiddleware:
    """Every form an anonymous visitor can post (the login, the language
    switch, request forms to come) is rate-limited per client address and
    view: ``PORTAL_RATE_LIMIT_POSTS`` per ``PORTAL_RATE_LIMIT_WINDOW``
    seconds, then 429 (see ``portal.ratelimit``)."""

    methods = frozenset({"POST", "PUT", "PATCH", "DELETE"})

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method not in self.methods:
            return None
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return None
        match = request.resolver_match
        scope = "anon-post:" + (match.view_name if match else request.path)
        return ratelimit.limit_for(scope, request)


class TwoFactorMiddleware:
    """Who needs a second factor (``portal.accounts.two_factor.second_factor_gate``) and
    has not given it in this session is sent from the staff areas
    (``PORTAL_2FA_PROTECTED_PATHS``: the workspace, the admin, the account
    pages) to the code page, or to set up an authenticator first.

    Must come after ``django_otp.middleware.OTPMiddleware``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        refused = self.gate(request)
        return refused if refused is not None else self.get_response(request)

    def gate(self, request):
        if not request.path.startswith(tuple(settings.PORTAL_2FA_PROTECTED_PATHS)):
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or user.is_verified():
            return None
        from .accounts import two_factor  # imports models: not at load

        step = two_factor.second_factor_gate(request)
        return redirect(step) if step is not None else None


class PrivatePagesMiddleware:
    """``Cache-Control: private, no-store`` (and an expired ``Expires``) on
    the staff areas, the admin and the account pages
    (``PORTAL_PRIVATE_PATHS``), whoever asks, and on every response to a
    signed-in user: no browser, proxy or shared cache keeps what staff see.
    Public pages for anonymous visitors keep their own caching headers."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.prefixes = tuple(settings.PORTAL_PRIVATE_PATHS)

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if request.path.startswith(self.prefixes) or (
            user is not None and user.is_authenticated
        ):
            add_never_cache_headers(response)
        return response


class RequestBodyLimitMiddleware:
    """Refuse a request body that is too large before anything reads it
    (Django spools uploaded files over ``FILE_UPLOAD_MAX_MEMORY_SIZE`` to
    disk while it parses them, whatever the view does afterwards).

    The limit is ``PORTAL_MAX_REQUEST_BYTES``; on the upload URLs
    (``PORTAL_UPLOAD_PATHS``, matched on the path) a signed-in user gets
    ``PORTAL_MAX_UPLOAD_REQUEST_BYTES``. Checked on ``Content-Length``: above
    the limit 413, a body without a length (chunked) 411, a malformed length
    400, each with a page in the visitor's language. Must come after
    ``AuthenticationMiddleware``; the reverse proxy enforces the same limits
    first (docs/deploy.md)."""

    methods_with_body = frozenset({"POST", "PUT", "PATCH", "DELETE"})

    def __init__(self, get_response):
        self.get_response = get_response
        self.upload_paths = [
            re.compile(pattern) for pattern in settings.PORTAL_UPLOAD_PATHS
        ]

    def __call__(self, request):
        refused = self.refusal(request)
        return refused if refused is not None else self.get_response(request)

    def limit_for(self, request) -> int:
        if any(pattern.match(request.path) for pattern in self.upload_paths):
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                return settings.PORTAL_MAX_UPLOAD_REQUEST_BYTES
        return settings.PORTAL_MAX_REQUEST_BYTES

    def refusal(self, request):
        meta = request.META
        raw_length = meta.get("CONTENT_LENGTH") or ""
        if not raw_length:
            if (
                request.method in self.methods_with_body
                and "chunked" in meta.get("HTTP_TRANSFER_ENCODING", "").lower()
            ):
                return self.page(request, 411, None)
            return None  # no body: Django reads nothing without a length
        try:
            length = int(raw_length)
        except ValueError:
            length = -1
        if length < 0:
            return self.page(request, 400, None)
        limit = self.limit_for(request)
        if length > limit:
            return self.page(request, 413, limit)
        return None

    def page(self, request, status, limit):
        template = {400: "400.html", 411: "413.html", 413: "413.html"}[status]
        response = render(
            request,
            template,
            {
                "limit": filesizeformat(limit) if limit else "",
                "length_required": status == 411,
            },
            status=status,
        )
        response["Cache-Control"] = "no-store"
        return response
