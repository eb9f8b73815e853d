"""Language of the API's answers."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers

API_PREFIX = "/api/"


class ApiLanguageMiddleware:
    """
    Answer API requests in the language the client asks for.

    The project's LocaleMiddleware keeps the web pages Vietnamese whatever the
    browser says (a browser set to English is no choice of the officer's). An
    API client's ``Accept-Language`` is a deliberate choice, so under /api/
    it is followed: Vietnamese by default, English with ``Accept-Language:
    en`` for the messages that have a translation. Placed after the
    LocaleMiddleware.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        language = translation.get_language_from_request(request)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        patch_vary_headers(response, ("Accept-Language",))
        response.headers.setdefault("Content-Language", language)
        return response
