"""Payment provider plugins. Importing this package registers them."""

from . import hmac_gateway  # noqa: F401
from .base import BasePaymentProvider, Callback, RefundResult, Settlement
from .registry import register, registry

__all__ = [
    "BasePaymentProvider",
    "Callback",
    "RefundResult",
    "Settlement",
    "register",
    "registry",
]
