from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StaffConfig(AppConfig):
    """The officers' web interface: templates and HTMX views, no models."""

    name = "motcua.staff"
    verbose_name = _("Giao diện cán bộ")
