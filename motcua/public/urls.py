"""Public pages for citizens and kiosks, mounted at /."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from .views import feedback, home, placeholders, transparency

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
    _placeholder(
        "lookup/",
        "lookup",
        _("Tra cứu hồ sơ"),
        _("Xem tình trạng, tiến độ và hạn trả kết quả của hồ sơ theo mã hồ sơ."),
    ),
    _placeholder(
        "procedures/",
        "procedures",
        _("Thủ tục hành chính"),
        _("Danh mục thủ tục: thành phần hồ sơ, thời hạn giải quyết, phí và lệ phí."),
    ),
    _placeholder(
        "rate/",
        "rate",
        _("Đánh giá sự hài lòng"),
        _("Đánh giá việc giải quyết hồ sơ theo 9 tiêu chí của Nghị định 118/2025."),
    ),
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
