"""Population database source plugins. Importing this module registers them."""

from . import http  # noqa: F401
