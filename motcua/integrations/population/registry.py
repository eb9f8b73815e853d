"""The population source registry; the lookup service takes it as an optional argument."""

from motcua.core.registry import Registry

from .base import BasePopulationSource

registry: Registry[BasePopulationSource] = Registry("population source")
register = registry.register
