"""The interface of notification channels and SMS gateways, and their registries."""

from dataclasses import dataclass

from motcua.core.registry import Registry


class DeliveryError(Exception):
    """A message could not be delivered; ``retryable`` if trying again may work."""

    def __init__(self, message: str, *, retryable: bool = True) -> None:
        super().__init__(message)
        self.retryable = retryable


class NotificationChannel:
    """Delivers a rendered notification; returns the provider's reference."""

    is_demo = False

    def deliver(self, notification) -> str:
        raise NotImplementedError


@dataclass(frozen=True)
class SmsReceipt:
    reference: str
    duplicate: bool = False


class SmsGateway:
    """Sends one SMS. ``reference`` lets the gateway drop a repeated request."""

    is_demo = False

    def send(self, *, to: str, text: str, reference: str) -> SmsReceipt:
        raise NotImplementedError


channels: Registry[NotificationChannel] = Registry("notification channel")
sms_gateways: Registry[SmsGateway] = Registry("SMS gateway")
