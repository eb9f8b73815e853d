from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    name = "motcua.demo"
    verbose_name = _("Tỉnh mẫu Lâm Hải Giang")
