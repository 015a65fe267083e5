"""HTTP caching of the participation pages. Their pages change often and with
the clock (a comment shown once moderated, a consultation closing at
midnight), so browsers and proxies revalidate them each time (``no-cache``);
the feeds and files may be kept for a minute. Staff pages, pages with a form
token and answers to posts are never kept. (The server-side page cache of the
public column is that package's; these pages are light.)"""

import functools

from django.conf import settings
from django.utils.cache import patch_cache_control

FEED_MAX_AGE = 60


def _private(request) -> bool:
    return (
        request.method not in ("GET", "HEAD")
        or settings.SESSION_COOKIE_NAME in request.COOKIES
        or getattr(settings, "MESSAGE_COOKIE_NAME", "messages") in request.COOKIES
        or request.user.is_authenticated
    )


def cache_headers(view=None, *, max_age=0):
    """``@cache_headers``, or ``cache_headers(view, max_age=60)``."""
    if view is None:
        return functools.partial(cache_headers, max_age=max_age)

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
        elif max_age:
            patch_cache_control(response, public=True, max_age=max_age)
        else:
            patch_cache_control(response, public=True, no_cache=True)
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
