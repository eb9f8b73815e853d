"""Plain Django views of the API app (outside ninja's routers)."""

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt


@csrf_exempt
def unknown_endpoint(request: HttpRequest, *args: object) -> JsonResponse:
    """Answer a path under /api/v1/ that matches no endpoint with a 404 envelope."""
    return JsonResponse(
        {
            "code": "unknown_endpoint",
            "message": _("Không có địa chỉ API này; xem /api/v1/docs."),
            "extra": {"path": request.path[:200]},
        },
        status=404,
    )
