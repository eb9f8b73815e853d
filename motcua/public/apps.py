from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    """Pages for citizens and kiosks: templates and views, no models."""

    name = "motcua.public"
    verbose_name = _("Trang công khai")
