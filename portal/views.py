"""Cross-cutting views: the error pages.

Each renders its template in the site's style, in the visitor's language,
with nothing technical in it: not the exception's message, not the path
asked for, not a setting. (Django's own handlers pass the exception to the
template; these do not, so no template can show it by mistake.)
"""

from django.conf import settings
from django.http import HttpResponseServerError
from django.shortcuts import redirect, render
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_GET

PREFERENCE_COOKIE_AGE = 365 * 24 * 3600


def safe_next(request) -> str:
    """``?next=``: a path on this site, else ``/`` (``redirect()`` takes
    "abc" for a view name, and another host is an open redirect)."""
    next_url = request.GET.get("next", "/")
    if next_url.startswith("/") and next_url.isprintable():
        if url_has_allowed_host_and_scheme(
            next_url,
            allowed_hosts={request.get_host()},
            require_https=request.is_secure(),
        ):
            return next_url
    return "/"


def set_preference_cookie(request, response, name: str, value: str | None) -> None:
    """A display preference (language, text size): a year-long cookie, or
    none for the default. ``Secure`` wherever the session cookie is (behind a
    TLS proxy the request may look like plain HTTP to Django)."""
    if value is None:
        response.delete_cookie(name, samesite="Lax")
    else:
        response.set_cookie(
            name,
            value,
            max_age=PREFERENCE_COOKIE_AGE,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE or request.is_secure(),
            httponly=True,
        )


@require_GET
def switch_language(request):
    """The header's language links: ``?language=en&next=/items/``. A link
    rather than Django's POST form, so public pages carry no CSRF token and
    set no cookie: they are the same for every visitor and cache as such.
    Choosing a language is a preference, like the text size, not a change
    anyone could abuse across sites."""
    language = request.GET.get("language")
    response = redirect(safe_next(request))
    if language in {code for code, _name in settings.LANGUAGES}:
        set_preference_cookie(
            request,
            response,
            settings.LANGUAGE_COOKIE_NAME,
            None if language == settings.LANGUAGE_CODE else language,
        )
    return response


def csrf_failure(request, reason=""):
    """The CSRF failure page in the site's style, saying nothing technical."""
    return render(request, "403_csrf.html", status=403)


@requires_csrf_token
def bad_request(request, exception=None):
    return render(request, "400.html", status=400)


@requires_csrf_token
def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


@requires_csrf_token
def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def gone(request, exception=None):
    """For pages removed for good (410), where no more specific page says
    what was removed."""
    return render(request, "410.html", status=410)


@requires_csrf_token
def server_error(request):
    """Rendered without the request's context: whatever failed (the database,
    a context processor) must not fail this page too."""
    return HttpResponseServerError(loader.get_template("500.html").render())
