"""Public pages for citizens and kiosks, mounted at /."""

from django.urls import path

from .views import (
    feedback,
    home,
    lookup,
    procedures,
    rate,
    staff_directory,
    transparency,
)

app_name = "public"

urlpatterns = [
    path("", home.home, name="home"),
    path("feedback/", feedback.feedback_home, name="feedback"),
    path("feedback/follow/", feedback.feedback_follow, name="feedback-follow"),
    path("transparency/", transparency.transparency, name="transparency"),
    path("lookup/", lookup.lookup, name="lookup"),
    path("procedures/", procedures.procedure_list, name="procedures"),
    path("procedures/<str:code>/", procedures.procedure_detail, name="procedure"),
    path("rate/", rate.rate, name="rate"),
    # /verify/ belongs to the documents app (verify:upload, verify:document).
    path(
        "staff-directory/", staff_directory.staff_directory_view, name="staff-directory"
    ),
]
