"""The project's URLs plus a minimal JSON endpoint: the floor of the HTTP benchmark."""

from django.http import JsonResponse
from django.urls import path

from motcua.urls import urlpatterns as project_urlpatterns


def ping(request):
    # The least a Django view behind the same server, middleware and
    # database connection settings can do.
    return JsonResponse({"ok": True})


urlpatterns = [path("bench/ping", ping), *project_urlpatterns]
