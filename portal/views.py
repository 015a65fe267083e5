"""Cross-cutting views: the error pages.

Each renders its template in the site's style, in the visitor's language,
with nothing technical in it: not the exception's message, not the path
asked for, not a setting. (Django's own handlers pass the exception to the
template; these do not, so no template can show it by mistake.)
"""

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token


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
