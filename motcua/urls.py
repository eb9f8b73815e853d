"""URL map: staff UI under /staff/, public pages at /, REST API under /api/v1/."""

from django.contrib import admin
from django.urls import include, path, re_path

from motcua.api import api
from motcua.api_v1.views import unknown_endpoint
from motcua.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    # Anything else under the API answers in the API's envelope, not HTML.
    re_path(r"^api/v1/", unknown_endpoint),
    path("documents/", include("motcua.documents.urls")),
    path("verify/", include("motcua.documents.urls_verify")),
    path("payments/", include("motcua.payments.urls")),
    path("staff/", include("motcua.staff.urls")),
    # Last: the public pages own the root.
    path("", include("motcua.public.urls")),
]
