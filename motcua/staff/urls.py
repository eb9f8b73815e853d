"""Staff interface, mounted at /staff/."""

from django.contrib.auth.views import LogoutView
from django.urls import path
from django.utils.translation import gettext_lazy as _

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
    path(
        "supervision/",
        placeholders.placeholder,
        {
            "title": _("Giám sát"),
            "lead": _(
                "Tình hình tiếp nhận và giải quyết hồ sơ của các đơn vị, "
                "cảnh báo sớm hồ sơ có nguy cơ trễ hạn."
            ),
        },
        name="supervision",
    ),
]
