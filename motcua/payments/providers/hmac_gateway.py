"""
The "hmac-gateway" provider: a real HTTP payment gateway spoken to with
HMAC-SHA256 signed parameters (protocol in ``motcua.payments.protocol``).

Configured by PAYMENT_GATEWAY_URL, PAYMENT_MERCHANT_ID and PAYMENT_SECRET.
``motcua payment-simulator`` runs a local gateway speaking the same protocol.
"""

import json
import logging
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.core.exceptions import DomainError
from motcua.payments import protocol, signing
from motcua.payments.constants import TransactionResult
from motcua.payments.errors import (
    CallbackInvalid,
    ProviderNotConfigured,
    ProviderUnavailable,
    SignatureInvalid,
)
from motcua.payments.http import http_request

from .base import BasePaymentProvider, Callback, RefundResult, Settlement
from .registry import register

logger = logging.getLogger(__name__)

_RESULTS = {
    protocol.RC_SUCCESS: TransactionResult.SUCCESS,
    protocol.RC_CANCELLED: TransactionResult.CANCELLED,
}

# Our answer to an IPN: (RspCode, Message), always with HTTP 200 as the
# gateways expect; the gateway retries only what is not 00 or 02.
_ANSWERS = {
    "processed": (protocol.ANSWER_CONFIRMED, "Confirm Success"),
    "already_processed": (protocol.ANSWER_ALREADY_CONFIRMED, "Order already confirmed"),
    "duplicate_payment": (protocol.ANSWER_ALREADY_CONFIRMED, "Order already confirmed"),
    "signature_invalid": (protocol.ANSWER_INVALID_SIGNATURE, "Invalid signature"),
    "intent_unknown": (protocol.ANSWER_ORDER_NOT_FOUND, "Order not found"),
    "amount_mismatch": (protocol.ANSWER_INVALID_AMOUNT, "Invalid amount"),
    "transaction_conflict": (
        protocol.ANSWER_TRANSACTION_CONFLICT,
        "Transaction conflict",
    ),
}


@register("hmac-gateway")
class HmacGatewayProvider(BasePaymentProvider):
    verbose_name = _("Cổng thanh toán (chữ ký HMAC-SHA256)")

    def __init__(
        self,
        *,
        gateway_url: str | None = None,
        merchant_id: str | None = None,
        secret: str | None = None,
        timeout: float | None = None,
    ) -> None:
        self.gateway_url = (gateway_url or settings.PAYMENT_GATEWAY_URL).rstrip("/")
        self.merchant_id = merchant_id or settings.PAYMENT_MERCHANT_ID
        self.secret = secret if secret is not None else settings.PAYMENT_SECRET
        self.timeout = timeout or settings.PAYMENT_TIMEOUT

    def _require_configuration(self) -> None:
        if not (self.gateway_url and self.merchant_id and self.secret):
            raise ProviderNotConfigured(
                extra={
                    "settings": "PAYMENT_GATEWAY_URL, PAYMENT_MERCHANT_ID, PAYMENT_SECRET"
                }
            )

    # -- the payer's redirect -------------------------------------------------

    def redirect_url(
        self, intent, *, return_url: str, ipn_url: str, now: datetime
    ) -> str:
        self._require_configuration()
        params = {
            "version": protocol.VERSION,
            "merchant_id": self.merchant_id,
            "order_ref": intent.reference,
            "amount": str(int(intent.amount)),
            "currency": intent.currency,
            "order_info": f"Nộp phí, lệ phí hồ sơ {intent.dossier.code or intent.dossier.pk}",
            "locale": "vi",
            "return_url": return_url,
            "ipn_url": ipn_url,
            "create_date": protocol.format_time(now),
            "expire_date": protocol.format_time(intent.expires_at),
        }
        return (
            f"{self.gateway_url}/pay?{urlencode(signing.signed(params, self.secret))}"
        )

    # -- callbacks ------------------------------------------------------------

    def parse_callback(self, params: Mapping[str, str]) -> Callback:
        self._require_configuration()
        params = dict(params)
        if not signing.verify(params, self.secret):
            raise SignatureInvalid()
        missing = [
            f for f in protocol.CALLBACK_FIELDS if f not in params and f != "bank_code"
        ]
        if missing:
            raise CallbackInvalid(extra={"missing": missing})
        if params["merchant_id"] != self.merchant_id:
            raise CallbackInvalid(
                _("Thông báo không dành cho đơn vị chấp nhận thanh toán này."),
                code="merchant_mismatch",
            )
        try:
            amount = Decimal(params["amount"])
            if amount != amount.to_integral_value() or amount < 0:
                raise InvalidOperation
        except InvalidOperation:
            raise CallbackInvalid(extra={"field": "amount"}) from None
        code = params["response_code"]
        result = _RESULTS.get(code, TransactionResult.FAILED)
        paid_at = None
        if params.get("pay_date"):
            try:
                paid_at = protocol.parse_time(params["pay_date"])
            except ValueError:
                raise CallbackInvalid(extra={"field": "pay_date"}) from None
        if not params["transaction_id"] or not params["order_ref"]:
            raise CallbackInvalid(extra={"field": "transaction_id"})
        return Callback(
            transaction_id=params["transaction_id"][:64],
            order_ref=params["order_ref"],
            amount=amount,
            currency=params["currency"],
            result=result,
            response_code=code[:8],
            paid_at=paid_at,
            params=params,
            digest=signing.digest(params),
        )

    def answer(self, outcome: str | DomainError) -> tuple[int, dict[str, Any]]:
        key = outcome.code if isinstance(outcome, DomainError) else outcome
        code, message = _ANSWERS.get(key, (protocol.ANSWER_OTHER, "Unknown error"))
        return 200, {"RspCode": code, "Message": message}

    # -- server-to-server calls -----------------------------------------------

    def _signed_call(
        self, path: str, params: dict[str, str], *, method: str
    ) -> dict[str, Any]:
        self._require_configuration()
        query = urlencode(signing.signed(params, self.secret))
        url = f"{self.gateway_url}{path}"
        if method == "GET":
            response = http_request("GET", f"{url}?{query}", timeout=self.timeout)
        else:
            response = http_request(
                "POST",
                url,
                body=query.encode(),
                content_type="application/x-www-form-urlencoded",
                timeout=self.timeout,
            )
        host = urlsplit(self.gateway_url).netloc
        if response is None:
            raise ProviderUnavailable(extra={"gateway": host})
        status, headers, body = response
        if status >= 500:
            raise ProviderUnavailable(extra={"gateway": host, "status": status})
        if not signing.verify_body(
            body, headers.get(protocol.BODY_SIGNATURE_HEADER), self.secret
        ):
            logger.warning(
                "Unsigned or forged answer from the gateway %s%s", host, path
            )
            raise ProviderUnavailable(
                _("Câu trả lời của cổng thanh toán không có chữ ký hợp lệ."),
                code="provider_answer_unsigned",
            )
        try:
            data = json.loads(body)
        except ValueError:
            raise ProviderUnavailable(code="provider_answer_invalid") from None
        if status >= 400 or data.get("code") != protocol.RC_SUCCESS:
            raise ProviderUnavailable(
                _("Cổng thanh toán từ chối yêu cầu: {message}").format(
                    message=data.get("message", status)
                ),
                code="provider_refused",
                extra={"provider_code": data.get("code"), "status": status},
            )
        return data

    def refund(
        self,
        *,
        transaction,
        amount: Decimal,
        reference: str,
        reason: str,
        now: datetime,
    ) -> RefundResult:
        data = self._signed_call(
            "/api/refund",
            {
                "merchant_id": self.merchant_id,
                "order_ref": transaction.intent.reference,
                "transaction_id": transaction.transaction_id,
                "amount": str(int(amount)),
                "refund_ref": reference,
                "reason": reason[:255],
                "create_date": protocol.format_time(now),
            },
            method="POST",
        )
        return RefundResult(provider_refund_id=str(data.get("refund_id", "")))

    def settlements(self, day: date) -> list[Settlement]:
        data = self._signed_call(
            "/api/settlements",
            {
                "merchant_id": self.merchant_id,
                "date": day.strftime(protocol.DATE_FORMAT),
                "create_date": protocol.format_time(timezone.now()),
            },
            method="GET",
        )
        try:
            return [
                Settlement(
                    transaction_id=str(row["transaction_id"]),
                    order_ref=str(row["order_ref"]),
                    amount=Decimal(str(row["amount"])),
                    paid_at=protocol.parse_time(str(row["pay_date"])),
                )
                for row in data.get("transactions", [])
            ]
        except (KeyError, ValueError, InvalidOperation):
            raise ProviderUnavailable(code="provider_answer_invalid") from None
