"""The payment provider registry; services take it as an optional argument."""

from motcua.core.registry import Registry

from .base import BasePaymentProvider

registry: Registry[BasePaymentProvider] = Registry("payment provider")
register = registry.register
