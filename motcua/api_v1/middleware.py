"""What every answer under /api/ has in common, whichever view gave it."""

import json
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext

API_PREFIX = "/api/"


class ApiMiddleware:
    """
    Language and error envelope of the API's answers. Placed after the
    project's LocaleMiddleware.

    The LocaleMiddleware keeps the web pages Vietnamese whatever the browser
    says (a browser set to English is no choice of the officer's). An API
    client's ``Accept-Language`` is a deliberate choice, so under /api/ it is
    followed: Vietnamese by default, English with ``Accept-Language: en`` for
    the messages that have a translation.

    ninja answers a method a path does not take with a bare text 405; it is
    given the API's envelope here, like every other error.
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
        if response.status_code == 405 and not _is_json(response):
            allowed = response.get("Allow", "")
            response = JsonResponse(
                {
                    "code": "method_not_allowed",
                    "message": gettext("Địa chỉ này không nhận phương thức %(method)s.")
                    % {"method": request.method},
                    "extra": {"allowed": [m.strip() for m in allowed.split(",") if m]},
                },
                status=405,
            )
            response["Allow"] = allowed
        patch_vary_headers(response, ("Accept-Language",))
        response.headers.setdefault("Content-Language", language)
        return response


def _is_json(response: HttpResponse) -> bool:
    if not response.get("Content-Type", "").startswith("application/json"):
        return False
    try:
        json.loads(response.content)
    except ValueError:
        return False
    return True
