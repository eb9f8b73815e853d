import logging

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FormsConfig(AppConfig):
    name = "motcua.forms"
    verbose_name = _("Biểu mẫu")

    def ready(self) -> None:
        # WeasyPrint logs its progress at INFO, seven lines per document and
        # six more when it is imported. Set before anything imports it; its
        # warnings and errors still come through.
        logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
