"""Cross-cutting views."""

from django.shortcuts import render


def csrf_failure(request, reason=""):
    """The CSRF failure page in the site's style, saying nothing technical."""
    return render(request, "403_csrf.html", status=403)
