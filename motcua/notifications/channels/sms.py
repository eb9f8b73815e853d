"""
SMS through an HTTP gateway plugin.

The "http" gateway speaks a small, common protocol: ``POST {URL}/api/sms/send``
with the header ``X-API-Key`` and the JSON body ``{"to", "text", "sender",
"ref"}``; the gateway answers ``{"id": …, "duplicate": bool}``. ``ref`` is the
notification's id, so a retry after a lost answer does not send the SMS twice
(the simulator, ``motcua sms-simulator``, honours it). The "console" gateway
only logs, for development.
"""

import logging

from django.conf import settings

from motcua.core.http import TransportError, json_request
from motcua.notifications.constants import Channel

from .base import (
    DeliveryError,
    NotificationChannel,
    SmsGateway,
    SmsReceipt,
    channels,
    sms_gateways,
)

logger = logging.getLogger(__name__)

# Statuses worth another attempt: the gateway is busy, down or rate-limiting.
_RETRYABLE = {408, 425, 429, 500, 502, 503, 504}


@sms_gateways.register("http")
class HttpSmsGateway(SmsGateway):
    def __init__(
        self,
        *,
        url: str | None = None,
        api_key: str | None = None,
        sender: str | None = None,
        timeout: float | None = None,
    ) -> None:
        self.url = (url if url is not None else settings.SMS_GATEWAY_URL).rstrip("/")
        self.api_key = api_key if api_key is not None else settings.SMS_API_KEY
        self.sender = sender if sender is not None else settings.SMS_SENDER
        self.timeout = timeout or settings.SMS_TIMEOUT

    def send(self, *, to: str, text: str, reference: str) -> SmsReceipt:
        if not self.url:
            raise DeliveryError("SMS_GATEWAY_URL is not set.", retryable=False)
        try:
            response = json_request(
                "POST",
                f"{self.url}/api/sms/send",
                payload={
                    "to": to,
                    "text": text,
                    "sender": self.sender,
                    "ref": reference,
                },
                headers={"X-API-Key": self.api_key},
                timeout=self.timeout,
            )
        except TransportError as error:
            raise DeliveryError(f"SMS gateway unreachable: {error}") from error
        if not response.ok:
            raise DeliveryError(
                f"SMS gateway answered {response.status}: {response.body}",
                retryable=response.status in _RETRYABLE,
            )
        body = response.body if isinstance(response.body, dict) else {}
        return SmsReceipt(str(body.get("id", "")), bool(body.get("duplicate", False)))


@sms_gateways.register("console")
class ConsoleSmsGateway(SmsGateway):
    """Write the SMS to the log. Development and tests only."""

    is_demo = True

    def send(self, *, to: str, text: str, reference: str) -> SmsReceipt:
        logger.info("SMS to %s: %s", to, text)
        return SmsReceipt(f"console-{reference}")


def get_sms_gateway() -> SmsGateway:
    return sms_gateways.get(settings.SMS_GATEWAY)


@channels.register(Channel.SMS)
class SmsChannel(NotificationChannel):
    def __init__(self, *, gateway: SmsGateway | None = None) -> None:
        self.gateway = gateway

    def deliver(self, notification) -> str:
        gateway = self.gateway or get_sms_gateway()
        receipt = gateway.send(
            to=notification.recipient,
            text=notification.body,
            reference=f"motcua-n{notification.pk}",
        )
        return receipt.reference
