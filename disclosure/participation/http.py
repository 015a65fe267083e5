"""HTTP caching of the participation pages: anonymous visitors' pages may be
kept by browsers and proxies for a minute; staff pages, pages with a form
token and answers to posts never are. (The server-side page cache of the
public column is that package's; these pages are light and change with the
clock: a consultation opens and closes at midnight.)"""

import functools

from django.conf import settings
from django.utils.cache import patch_cache_control

PUBLIC_MAX_AGE = 60


def _private(request) -> bool:
    return (
        request.method not in ("GET", "HEAD")
        or settings.SESSION_COOKIE_NAME in request.COOKIES
        or getattr(settings, "MESSAGE_COOKIE_NAME", "messages") in request.COOKIES
        or request.user.is_authenticated
    )


def cache_headers(view):
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and not response.is_rendered:
            response.render()
        token = b'name="csrfmiddlewaretoken"'
        if (
            _private(request)
            or response.status_code != 200
            or (not response.streaming and token in response.content)
        ):
            patch_cache_control(response, private=True, no_cache=True)
        else:
            patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
        return response

    return wrapper


def no_store(view):
    """Pages that show someone's address or complaint: kept by no cache."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        patch_cache_control(response, private=True, no_store=True)
        return response

    return wrapper
