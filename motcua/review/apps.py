from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewConfig(AppConfig):
    name = "motcua.review"
    verbose_name = _("Rà soát, đơn giản hóa thủ tục hành chính")
