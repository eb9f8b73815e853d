"""The public verification page of signed documents, mounted at /verify/."""

from django.urls import path

from . import views

app_name = "verify"

urlpatterns = [
    path("", views.verify_upload, name="upload"),
    # {SITE_URL}/verify/<code> is what the QR code on every e-result holds.
    path("<str:code>", views.verify_document, name="document"),
    path("<str:code>/", views.verify_document),
]
