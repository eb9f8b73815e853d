"""Public pages for citizens and kiosks, mounted at /."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from .views import feedback, home, lookup, placeholders, procedures, rate, transparency

app_name = "public"


def _placeholder(route: str, name: str, title, lead):
    # Replace the view when the page is built; keep the route and the name.
    return path(
        route, placeholders.placeholder, {"title": title, "lead": lead}, name=name
    )


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
    _placeholder(
        "staff-directory/",
        "staff-directory",
        _("Danh bạ cán bộ"),
        _(
            "Cán bộ, công chức làm việc tại Bộ phận Một cửa: chức danh, lĩnh vực, điện thoại."
        ),
    ),
]
