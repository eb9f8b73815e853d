"""Staff interface, mounted at /staff/."""

from django.contrib.auth.views import LogoutView
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from .urls_supervision import feedback_patterns, supervision_patterns
from .views import auth, home, placeholders

app_name = "staff"

urlpatterns = [
    path("", home.home, name="home"),
    path("login/", auth.LoginView.as_view(), name="login"),
    # POST only (Django's LogoutView); back to the login page afterwards.
    path("logout/", LogoutView.as_view(), name="logout"),
    path("ui/", placeholders.ui_patterns, name="ui"),
    # Navigation entries whose pages are being built (issue 4): replace the
    # view, keep the name.
    path(
        "reception/",
        placeholders.placeholder,
        {
            "title": _("Tiếp nhận hồ sơ"),
            "lead": _(
                "Màn hình quầy tiếp nhận: kiểm tra thành phần, tiếp nhận hoặc "
                "từ chối, in giấy tiếp nhận."
            ),
        },
        name="reception",
    ),
    path(
        "inbox/",
        placeholders.placeholder,
        {
            "title": _("Hồ sơ cần xử lý"),
            "lead": _(
                "Hồ sơ đang chờ bạn xử lý, sắp xếp theo hạn giải quyết, "
                "hồ sơ sắp đến hạn và quá hạn lên đầu."
            ),
        },
        name="inbox",
    ),
    # Supervision dashboards and PAKN (motcua/staff/urls_supervision.py).
    path("supervision/", include(supervision_patterns)),
    path("feedback/", include(feedback_patterns)),
]
