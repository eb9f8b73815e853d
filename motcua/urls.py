"""URL map: staff UI under /staff/, public pages at /, REST API under /api/v1/."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("documents/", include("motcua.documents.urls")),
    path("verify/", include("motcua.documents.urls_verify")),
    path("payments/", include("motcua.payments.urls")),
    path("staff/", include("motcua.staff.urls")),
    # Last: the public pages own the root.
    path("", include("motcua.public.urls")),
]
