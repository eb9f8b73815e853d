from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PopulationConfig(AppConfig):
    name = "motcua.integrations.population"
    label = "population"
    verbose_name = _("CSDL quốc gia về dân cư")

    def ready(self) -> None:
        # Register the source plugins.
        from . import sources  # noqa: F401
