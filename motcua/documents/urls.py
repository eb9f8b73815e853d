"""Staff downloads of dossier files, mounted at /documents/."""

from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path(
        "dossiers/<int:dossier_id>/files/<int:file_id>/",
        views.dossier_file_download,
        name="download",
    ),
]
