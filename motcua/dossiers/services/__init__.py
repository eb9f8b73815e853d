"""
Write services of the dossiers app. Every change of a dossier goes through
``dossier_create`` or ``dossier_apply_action``.
"""

from . import handlers as _handlers  # noqa: F401  (registers the action handlers)
from .components import dossier_components_add
from .creation import clean_applicant, dossier_create
from .engine import dossier_apply_action

__all__ = [
    "clean_applicant",
    "dossier_apply_action",
    "dossier_components_add",
    "dossier_create",
]
