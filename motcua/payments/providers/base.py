"""
The interface of a payment provider plugin.

A provider builds the payer's redirect, checks and reads its own signed
callbacks, answers them in its own format, refunds, and lists what it settled
on a day. It never touches the database: ``motcua.payments.services`` does.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

from motcua.core.exceptions import DomainError
from motcua.payments.constants import TransactionResult

if TYPE_CHECKING:
    from motcua.payments.models import PaymentIntent, ProviderTransaction


@dataclass(frozen=True, slots=True)
class Callback:
    """A verified callback (IPN or browser return), in the provider's terms."""

    transaction_id: str
    order_ref: str
    amount: Decimal
    currency: str
    result: TransactionResult
    response_code: str
    paid_at: datetime | None
    params: dict[str, str] = field(repr=False)
    digest: str = ""


@dataclass(frozen=True, slots=True)
class Settlement:
    """One transaction in the provider's settlement list for a day."""

    transaction_id: str
    order_ref: str
    amount: Decimal
    paid_at: datetime


@dataclass(frozen=True, slots=True)
class RefundResult:
    provider_refund_id: str


class BasePaymentProvider:
    plugin_id: ClassVar[str]
    verbose_name: ClassVar[str] = ""
    is_demo: ClassVar[bool] = False

    def redirect_url(
        self,
        intent: "PaymentIntent",
        *,
        return_url: str,
        ipn_url: str,
        now: datetime,
    ) -> str:
        """Return the URL the payer's browser is sent to, to pay ``intent``."""
        raise NotImplementedError

    def parse_callback(self, params: Mapping[str, str]) -> Callback:
        """
        Return the callback in ``params`` once its signature is checked.

        Raise SignatureInvalid for a wrong or missing signature and
        CallbackInvalid for missing or malformed fields.
        """
        raise NotImplementedError

    def answer(self, outcome: str | DomainError) -> tuple[int, dict[str, Any]]:
        """Return the HTTP status and JSON body the provider expects for an IPN."""
        raise NotImplementedError

    def refund(
        self,
        *,
        transaction: "ProviderTransaction",
        amount: Decimal,
        reference: str,
        reason: str,
        now: datetime,
    ) -> RefundResult:
        """Give ``amount`` of ``transaction`` back; idempotent on ``reference``."""
        raise NotImplementedError

    def settlements(self, day: date) -> list[Settlement]:
        """Return the transactions the provider settled on ``day`` (local time)."""
        raise NotImplementedError
