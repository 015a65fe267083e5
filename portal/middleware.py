"""Cross-cutting middleware."""

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers


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
