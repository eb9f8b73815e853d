from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrationsConfig(AppConfig):
    name = "motcua.integrations"
    verbose_name = _("Kết nối hệ thống ngoài")

    def ready(self) -> None:
        # Register the built-in national portal clients.
        from .portal import client  # noqa: F401
