"""
Write services of the payments app.

- ``payment_start``: an intent for a dossier's due fees, and the provider's
  redirect for the payer;
- ``payment_handle_callback``: the one place a provider's callback (IPN or
  browser return) is processed — signature, replay, amount, then the intent,
  the dossier's fees and the receipt, in one transaction;
- ``payment_refund``: give paid fees back when the dossier ended without a
  result and the rules of ``motcua.payments.refunds`` allow it;
- ``payment_reconcile``: compare a day's transactions with the provider's
  settlement list;
- ``payment_receipt_pdf``: the e-receipt as PDF.
"""

import logging
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.audit.models import AuditEvent
from motcua.audit.services import audit_record
from motcua.catalog.constants import StepKind
from motcua.core.calendar import LOCAL_TZ
from motcua.core.exceptions import DomainError, RuleViolation, ValidationFailed
from motcua.core.registry import Registry
from motcua.core.sequences import sequence_next
from motcua.dossiers.access import PAYMENT, SystemActor
from motcua.dossiers.constants import (
    FINAL_STATUSES,
    DossierAction,
    DossierStatus,
    FeeStatus,
    ResultKind,
    StepStatus,
)
from motcua.dossiers.models import Dossier, DossierFee
from motcua.dossiers.services import dossier_apply_action
from motcua.units.models import Agency

from .access import check_may_pay, check_may_refund
from .constants import (
    COUNTER_PROVIDER,
    PAYMENT_STATUS_OPEN,
    PaymentChannel,
    PaymentStatus,
    RefundStatus,
    TransactionOutcome,
    TransactionResult,
)
from .errors import AmountMismatch, IntentUnknown, TransactionConflict
from .models import PaymentIntent, ProviderTransaction, Receipt, Refund
from .providers import BasePaymentProvider, Callback
from .providers import registry as default_registry
from .refunds import Ending, refund_rule
from .words import amount_in_words, format_vnd

logger = logging.getLogger(__name__)

ProviderRegistry = Registry[BasePaymentProvider]


def _provider(plugin_id: str, registry: ProviderRegistry | None) -> BasePaymentProvider:
    try:
        return (registry or default_registry).get(plugin_id)
    except KeyError:
        raise ValidationFailed(
            _("Không có nhà cung cấp thanh toán này."),
            code="provider_unknown",
            extra={"provider": plugin_id},
        ) from None


def _actor_fields(actor: Any, prefix: str) -> dict[str, Any]:
    user = None if isinstance(actor, SystemActor) else actor
    user = user if getattr(user, "pk", None) else None
    label = str(getattr(actor, "display_name", None) or actor)
    return {prefix: user, f"{prefix}_label": label[:255]}


def _audit(event: str, *, actor: Any = None, target: Any, **extra: Any) -> None:
    audit_record(
        event_type=AuditEvent.PAYMENT,
        actor=actor if getattr(actor, "pk", None) else None,
        target=target,
        extra={"event": event, **extra},
    )


def ipn_url_for(provider: str) -> str:
    """Return the absolute URL of our IPN endpoint for ``provider``."""
    base = settings.PAYMENT_CALLBACK_BASE_URL or settings.SITE_URL
    return base.rstrip("/") + reverse("payments:ipn", args=[provider])


def return_url_for(provider: str) -> str:
    """Return the absolute URL of our browser return page for ``provider``."""
    return settings.SITE_URL.rstrip("/") + reverse("payments:return", args=[provider])


# -- starting a payment ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PaymentStart:
    intent: PaymentIntent
    # Where to send the payer's browser: the provider's payment page.
    redirect_url: str


def _new_reference(now: datetime) -> str:
    # Letters and digits only: gateways restrict order references.
    return f"MC{timezone.localtime(now):%y%m%d}{secrets.token_hex(6).upper()}"


def _set_status(intent: PaymentIntent, status: str, *, note: str = "") -> None:
    intent.status = status
    intent.status_note = note[:255]
    intent.save(update_fields=["status", "status_note", "updated_at"])


@transaction.atomic
def payment_start(
    dossier: Dossier,
    *,
    actor: Any,
    channel: str,
    return_url: str | None = None,
    fee_ids: list[int] | None = None,
    provider: str | None = None,
    registry: ProviderRegistry | None = None,
    now: datetime | None = None,
) -> PaymentStart:
    """
    Open a payment of ``dossier``'s due fees (all of them, or ``fee_ids``)
    and return the intent with the provider's redirect URL.

    The amounts are the dossier's own fee rows, which already carry the
    channel's tariff (online can be cheaper). An open intent for exactly the
    same fees is reused, so that a second click does not open a second
    payment; open intents for some of those fees are cancelled.
    """
    now = now or timezone.now()
    dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
    check_may_pay(actor, dossier)
    if channel not in PaymentChannel.values:
        raise ValidationFailed(
            _("Kênh thanh toán không hợp lệ."), code="payment_channel_invalid"
        )
    if return_url is not None:
        parts = urlsplit(return_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValidationFailed(
                _("Địa chỉ trở về không hợp lệ."), code="return_url_invalid"
            )
    if dossier.status in FINAL_STATUSES:
        raise RuleViolation(
            _("Hồ sơ đã kết thúc; không thu phí, lệ phí."), code="dossier_closed"
        )
    fees = list(dossier.fees.payable().order_by("pk"))
    if fee_ids is not None:
        wanted = {int(pk) for pk in fee_ids}
        if wanted - {f.pk for f in fees}:
            raise ValidationFailed(
                _("Có khoản thu không thuộc hồ sơ hoặc không còn phải nộp."),
                code="fees_not_due",
                extra={"fees": sorted(wanted - {f.pk for f in fees})},
            )
        fees = [f for f in fees if f.pk in wanted]
    if not fees:
        raise RuleViolation(
            _("Hồ sơ không có khoản phí, lệ phí nào phải nộp."), code="nothing_to_pay"
        )
    provider_id = provider or settings.PAYMENT_PROVIDER
    plugin = _provider(provider_id, registry)
    wanted_ids = {f.pk for f in fees}
    intent = None
    for candidate in (
        PaymentIntent.objects.select_for_update()
        .filter(dossier=dossier, status__in=PAYMENT_STATUS_OPEN)
        .prefetch_related("fees")
    ):
        covered = {f.pk for f in candidate.fees.all()}
        if candidate.expires_at <= now:
            _set_status(candidate, PaymentStatus.EXPIRED)
        elif (
            covered == wanted_ids
            and candidate.provider == provider_id
            and candidate.channel == channel
            and intent is None
        ):
            intent = candidate
        elif covered & wanted_ids:
            _set_status(
                candidate, PaymentStatus.CANCELLED, note="Thay bằng yêu cầu mới"
            )
    if intent is None:
        intent = PaymentIntent.objects.create(
            reference=_new_reference(now),
            dossier=dossier,
            amount=sum((f.amount for f in fees), Decimal(0)),
            provider=provider_id,
            channel=channel,
            return_url=return_url or return_url_for(provider_id),
            expires_at=now + timedelta(minutes=settings.PAYMENT_INTENT_TTL_MINUTES),
            created_at=now,
            **_actor_fields(actor, "started_by"),
        )
        intent.fees.set(fees)
        _audit(
            "payment_start",
            actor=actor,
            target=intent,
            dossier=dossier.pk,
            amount=int(intent.amount),
            channel=channel,
        )
    url = _redirect(intent, plugin, now)
    return PaymentStart(intent=intent, redirect_url=url)


def _redirect(intent: PaymentIntent, plugin: BasePaymentProvider, now: datetime) -> str:
    url = plugin.redirect_url(
        intent,
        return_url=intent.return_url or return_url_for(intent.provider),
        ipn_url=ipn_url_for(intent.provider),
        now=now,
    )
    if intent.status == PaymentStatus.CREATED:
        _set_status(intent, PaymentStatus.PENDING)
    return url


def payment_redirect(
    intent: PaymentIntent,
    *,
    registry: ProviderRegistry | None = None,
    now: datetime | None = None,
) -> str:
    """
    Return a freshly signed redirect to the provider for an open ``intent``
    (the payer's start link); refuse a paid, cancelled or expired one.
    """
    now = now or timezone.now()
    with transaction.atomic():
        intent = PaymentIntent.objects.select_for_update().get(pk=intent.pk)
        if intent.status in PAYMENT_STATUS_OPEN:
            if intent.expires_at > now:
                return _redirect(intent, _provider(intent.provider, registry), now)
            # Committed before the refusal below.
            _set_status(intent, PaymentStatus.EXPIRED)
    raise RuleViolation(
        _("Yêu cầu thanh toán này không còn hiệu lực."),
        code="intent_closed",
        extra={"status": intent.status},
    )


def payment_intents_expire(*, now: datetime | None = None) -> int:
    """Mark open intents past their expiry as expired; return how many."""
    now = now or timezone.now()
    return PaymentIntent.objects.filter(
        status__in=PAYMENT_STATUS_OPEN, expires_at__lte=now
    ).update(status=PaymentStatus.EXPIRED, updated_at=now)


# -- the provider's callback -------------------------------------------------


class CallbackOutcome(StrEnum):
    PROCESSED = "processed"
    # The same transaction, with the same content, was already processed.
    ALREADY_PROCESSED = "already_processed"
    # A second successful payment of an intent already paid: recorded, to refund.
    DUPLICATE_PAYMENT = "duplicate_payment"


@dataclass(frozen=True, slots=True)
class CallbackResult:
    outcome: CallbackOutcome
    intent: PaymentIntent
    transaction: ProviderTransaction


def payment_handle_callback(
    provider: str,
    params: dict[str, str],
    *,
    registry: ProviderRegistry | None = None,
    now: datetime | None = None,
) -> CallbackResult:
    """
    Process a provider's callback (server-to-server IPN or browser return):
    the one place where a payment is recorded.

    Refuse, changing nothing: a wrong signature (``signature_invalid``), a
    transaction id already recorded with different content
    (``transaction_conflict``), an unknown order (``intent_unknown``), an
    amount or currency that differs from the intent (``amount_mismatch``). A
    replay of a processed transaction returns ALREADY_PROCESSED and changes
    nothing; the provider's transaction id is unique in the database, so two
    deliveries racing each other cannot both apply.

    A successful payment marks the intent paid, the covered fees paid (through
    the lifecycle's ``confirm_payment`` when the dossier awaits payment) and
    issues the e-receipt.
    """
    plugin = _provider(provider, registry)
    callback = plugin.parse_callback(params)
    now = now or timezone.now()
    try:
        with transaction.atomic():
            return _apply_callback(provider, callback, now)
    except IntegrityError:
        # Another delivery of the same transaction committed first.
        existing = ProviderTransaction.objects.filter(
            provider=provider, transaction_id=callback.transaction_id
        ).first()
        if existing is None:
            raise
        return _replay(existing, callback)


def _replay(existing: ProviderTransaction, callback: Callback) -> CallbackResult:
    if existing.params_digest != callback.digest:
        logger.warning(
            "Transaction %s:%s replayed with different content",
            existing.provider,
            existing.transaction_id,
        )
        raise TransactionConflict(extra={"transaction_id": existing.transaction_id})
    return CallbackResult(CallbackOutcome.ALREADY_PROCESSED, existing.intent, existing)


def _apply_callback(provider: str, callback: Callback, now: datetime) -> CallbackResult:
    intent = (
        PaymentIntent.objects.select_for_update()
        .select_related("dossier")
        .filter(provider=provider, reference=callback.order_ref)
        .first()
    )
    existing = ProviderTransaction.objects.filter(
        provider=provider, transaction_id=callback.transaction_id
    ).first()
    if existing is not None:
        return _replay(existing, callback)
    if intent is None:
        raise IntentUnknown(extra={"order_ref": callback.order_ref})
    if callback.amount != intent.amount or callback.currency != intent.currency:
        logger.warning(
            "Amount mismatch on %s: expected %s %s, got %s %s",
            intent.reference,
            intent.amount,
            intent.currency,
            callback.amount,
            callback.currency,
        )
        raise AmountMismatch(
            extra={
                "expected": int(intent.amount),
                "received": int(callback.amount),
                "currency": callback.currency,
            }
        )
    success = callback.result == TransactionResult.SUCCESS
    settled_elsewhere = (
        success
        and intent.status != PaymentStatus.PAID
        and not intent.fees.filter(status=FeeStatus.DUE).exists()
    )
    if success and (intent.status == PaymentStatus.PAID or settled_elsewhere):
        # Paid twice, or its fees were paid another way meanwhile (at the
        # counter, or through a newer intent): the money is to be returned.
        outcome = TransactionOutcome.DUPLICATE_PAYMENT
    elif not success and intent.status not in PAYMENT_STATUS_OPEN:
        outcome = TransactionOutcome.IGNORED
    else:
        outcome = TransactionOutcome.APPLIED
    txn = ProviderTransaction.objects.create(
        provider=provider,
        transaction_id=callback.transaction_id,
        intent=intent,
        amount=callback.amount,
        currency=callback.currency,
        result=callback.result,
        response_code=callback.response_code,
        outcome=outcome,
        params=callback.params,
        params_digest=callback.digest,
        paid_at=callback.paid_at if success else None,
        received_at=now,
    )
    if outcome == TransactionOutcome.DUPLICATE_PAYMENT:
        logger.warning(
            "Intent %s paid twice (%s)", intent.reference, txn.transaction_id
        )
        _audit("payment_duplicate", target=intent, transaction=txn.transaction_id)
        return CallbackResult(CallbackOutcome.DUPLICATE_PAYMENT, intent, txn)
    if outcome == TransactionOutcome.APPLIED and success:
        # A late success for a cancelled or expired intent is still money
        # received: it is recorded the same way.
        intent.status = PaymentStatus.PAID
        intent.paid_at = callback.paid_at or now
        intent.save(update_fields=["status", "paid_at", "updated_at"])
        _settle_dossier_fees(intent, txn, now)
        receipt = _issue_receipt(intent, txn, now)
        _audit(
            "payment_paid",
            target=intent,
            transaction=txn.transaction_id,
            amount=int(txn.amount),
            receipt=receipt.number,
        )
    elif outcome == TransactionOutcome.APPLIED:
        _set_status(
            intent,
            PaymentStatus.CANCELLED
            if callback.result == TransactionResult.CANCELLED
            else PaymentStatus.FAILED,
            note=f"Mã phản hồi {callback.response_code}",
        )
        _audit("payment_failed", target=intent, code=callback.response_code)
    return CallbackResult(CallbackOutcome.PROCESSED, intent, txn)


def _settle_dossier_fees(
    intent: PaymentIntent, txn: ProviderTransaction, now: datetime
) -> None:
    """
    Record the payment on the dossier through its lifecycle: ``confirm_payment``
    when it waits for the obligation (the clock resumes), ``record_payment``
    for the other fees it covers. Both append an event for the timeline and
    the portal sync.
    """
    dossier = intent.dossier
    covered = set(intent.fees.filter(status=FeeStatus.DUE).values_list("pk", flat=True))
    steps = []
    if dossier.status == DossierStatus.AWAITING_PAYMENT:
        obligation = set(
            dossier.fees.filter(pk__in=covered)
            .exclude(stage="return")
            .values_list("pk", flat=True)
        )
        steps.append((DossierAction.CONFIRM_PAYMENT, sorted(obligation)))
        covered -= obligation
    if covered:
        steps.append((DossierAction.RECORD_PAYMENT, sorted(covered)))
    for action, fee_ids in steps:
        try:
            with transaction.atomic():
                dossier = dossier_apply_action(
                    dossier=dossier,
                    action=action,
                    actor=PAYMENT,
                    data={"payment_reference": txn.transaction_id, "fees": fee_ids},
                    now=now,
                )
        except DomainError:
            # The money is in and recorded on the intent and the transaction;
            # staff settle the dossier by hand when its lifecycle refuses.
            logger.exception("%s refused for dossier %s", action, dossier.pk)


# -- receipts ----------------------------------------------------------------


def receipt_agency(dossier: Dossier) -> Agency:
    """
    Return the agency in whose name the fees of ``dossier`` are collected:
    the competent agency (the "tổ chức thu phí, lệ phí"); the one-stop centre
    collects on its behalf and settles monthly (Decree 118 Art.12(9)).
    """
    return dossier.competent_agency


def _issue_receipt(
    intent: PaymentIntent, txn: ProviderTransaction, now: datetime
) -> Receipt:
    dossier = intent.dossier
    agency = receipt_agency(dossier)
    local = timezone.localtime(now)
    fees = list(intent.fees.select_related("fee_item").order_by("pk"))
    items = [
        {
            "fee": fee.pk,
            "code": fee.code,
            "name": fee.name,
            "kind": fee.fee_item.kind if fee.fee_item else "",
            "amount": int(fee.amount),
        }
        for fee in fees
    ]
    agency_code = agency.current_code or f"CQ{agency.pk}"
    # Drawn last: the counter row stays locked only until commit.
    sequence = sequence_next("payment_receipt", f"{agency.pk}-{local.year}")
    return Receipt.objects.create(
        number=f"{agency_code}-BL{local.year % 100:02d}-{sequence:06d}",
        agency=agency,
        year=local.year,
        sequence=sequence,
        dossier=dossier,
        intent=intent,
        transaction=txn,
        payer_name=dossier.applicant_name,
        payer_id_number=dossier.applicant_id_number,
        payer_address=dossier.applicant_address,
        items=items,
        amount=txn.amount,
        amount_in_words=amount_in_words(txn.amount),
        issued_at=now,
    )


_KIND_LABELS = {"fee": "Phí", "charge": "Lệ phí"}


def payment_receipt_pdf(receipt: Receipt) -> bytes:
    """
    Return the e-receipt "BIÊN LAI THU PHÍ, LỆ PHÍ" as an A5 PDF, typeset
    with the fonts the forms app ships (no system font needed).
    """
    from motcua.forms.rendering import render_pdf

    issued = timezone.localtime(receipt.issued_at)
    context = {
        "receipt": receipt,
        "agency_name": receipt.agency.name,
        "parent_name": receipt.agency.parent.name if receipt.agency.parent else "",
        "agency_code": receipt.number.rsplit("-BL", 1)[0],
        "dossier_code": receipt.dossier.code or "",
        "procedure_name": receipt.dossier.summary,
        "items": [
            {
                **item,
                "kind_label": _KIND_LABELS.get(item.get("kind", ""), "Khoản thu"),
                "amount_text": format_vnd(item["amount"]),
            }
            for item in receipt.items
        ],
        "amount_text": format_vnd(receipt.amount),
        "transaction_id": receipt.transaction.transaction_id,
        "issued": issued,
    }
    return render_pdf("payments/receipt.html", context)


# -- refunds -----------------------------------------------------------------

# Steps whose completion means the agency did the work a fee pays for.
_WORK_STEP_KINDS = (
    StepKind.APPRAISAL,
    StepKind.VERIFICATION,
    StepKind.REVIEW,
    StepKind.SIGNING,
)


def dossier_ending(dossier: Dossier) -> Ending | None:
    """
    Return how ``dossier`` ended without a favourable result, or None when it
    is still open or was resolved in the applicant's favour.
    """
    if dossier.status == DossierStatus.REFUSED:
        return Ending.REFUSED_AT_RECEPTION
    if dossier.status == DossierStatus.STOPPED:
        if dossier.received_at is None:
            return Ending.STOPPED_BEFORE_PROCESSING
        if dossier.events.filter(action=DossierAction.CLOSE_UNSUPPLEMENTED).exists():
            return Ending.CLOSED_UNSUPPLEMENTED
        if dossier.steps.filter(
            kind__in=_WORK_STEP_KINDS, status=StepStatus.DONE
        ).exists():
            return Ending.STOPPED_DURING_PROCESSING
        return Ending.STOPPED_BEFORE_PROCESSING
    if (
        dossier.status in (DossierStatus.RESOLVED, DossierStatus.RETURNED)
        and dossier.result_kind == ResultKind.REFUSED
    ):
        return Ending.REJECTED_AFTER_APPRAISAL
    return None


def _paying_transaction(
    fee: DossierFee,
) -> tuple[PaymentIntent | None, ProviderTransaction | None]:
    intent = (
        PaymentIntent.objects.filter(fees=fee, status=PaymentStatus.PAID)
        .order_by("paid_at")
        .first()
    )
    if intent is None:
        return None, None
    txn = (
        intent.transactions.filter(
            result=TransactionResult.SUCCESS, outcome=TransactionOutcome.APPLIED
        )
        .order_by("received_at")
        .first()
    )
    return intent, txn


def payment_refund(
    dossier: Dossier,
    *,
    actor: Any,
    reason: str,
    fee_ids: list[int] | None = None,
    registry: ProviderRegistry | None = None,
    now: datetime | None = None,
) -> list[Refund]:
    """
    Refund the paid fees of ``dossier`` that the refund rules allow (all of
    them, or ``fee_ids``, which must then all be refundable) and return the
    refund rows.

    Fees paid through a provider are refunded through it, idempotently on
    the refund's reference; fees paid at the counter are recorded as given
    back in cash. A provider failure leaves the refund ``failed`` (retried by
    calling again) and raises ProviderUnavailable.
    """
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_("Phải ghi lý do hoàn trả."), code="reason_required")
    with transaction.atomic():
        dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
        check_may_refund(actor, dossier)
        ending = dossier_ending(dossier)
        if ending is None:
            raise RuleViolation(
                _(
                    "Chỉ hoàn trả khi hồ sơ bị từ chối, dừng hoặc không được giải quyết."
                ),
                code="refund_not_allowed",
                extra={"status": dossier.status},
            )
        paid = list(
            dossier.fees.filter(status=FeeStatus.PAID)
            .select_related("fee_item")
            .order_by("pk")
        )
        if fee_ids is not None:
            wanted = {int(pk) for pk in fee_ids}
            if wanted - {f.pk for f in paid}:
                raise ValidationFailed(
                    _("Có khoản thu không thuộc hồ sơ hoặc chưa nộp."),
                    code="fees_not_paid",
                    extra={"fees": sorted(wanted - {f.pk for f in paid})},
                )
            paid = [f for f in paid if f.pk in wanted]
        decisions = [
            (
                fee,
                refund_rule(
                    fee.fee_item.kind if fee.fee_item else None,
                    ending,
                    code=fee.code,
                ),
            )
            for fee in paid
        ]
        refused = [
            {"fee": fee.pk, "rule": rule.code, "basis": rule.basis}
            for fee, rule in decisions
            if not rule.refundable
        ]
        allowed = [(fee, rule) for fee, rule in decisions if rule.refundable]
        if not allowed or (fee_ids is not None and refused):
            raise RuleViolation(
                _("Quy định không cho phép hoàn trả khoản thu này."),
                code="refund_not_allowed",
                extra={"ending": ending.value, "fees": refused},
            )
        refunds = []
        for fee, rule in allowed:
            intent, txn = _paying_transaction(fee)
            refund = Refund.objects.filter(fee=fee).first()
            if refund is None:
                refund = Refund.objects.create(
                    reference=f"HT{timezone.localtime(now):%y%m%d}{secrets.token_hex(6).upper()}",
                    dossier=dossier,
                    fee=fee,
                    intent=intent,
                    transaction=txn,
                    provider=txn.provider if txn else COUNTER_PROVIDER,
                    amount=fee.amount,
                    ending=ending.value,
                    rule=rule.code,
                    basis=rule.basis[:255],
                    reason=reason,
                    created_at=now,
                    **_actor_fields(actor, "requested_by"),
                )
            elif refund.status == RefundStatus.FAILED:
                refund.status = RefundStatus.REQUESTED
                refund.save(update_fields=["status", "updated_at"])
            refunds.append(refund)
    # The provider is called outside the transaction: a refund row exists
    # first, and its reference makes a retry safe at the provider.
    failure: DomainError | None = None
    for refund in refunds:
        if refund.status != RefundStatus.REQUESTED:
            continue
        try:
            provider_refund_id = ""
            if refund.transaction is not None:
                plugin = _provider(refund.provider, registry)
                provider_refund_id = plugin.refund(
                    transaction=refund.transaction,
                    amount=refund.amount,
                    reference=refund.reference,
                    reason=refund.reason,
                    now=now,
                ).provider_refund_id
        except DomainError as error:
            failure = failure or error
            refund.status = RefundStatus.FAILED
            refund.failure_message = str(error.message)[:255]
            refund.save(update_fields=["status", "failure_message", "updated_at"])
            continue
        with transaction.atomic():
            refund.status = RefundStatus.COMPLETED
            refund.provider_refund_id = provider_refund_id[:64]
            refund.failure_message = ""
            refund.completed_at = now
            refund.save(
                update_fields=[
                    "status",
                    "provider_refund_id",
                    "failure_message",
                    "completed_at",
                    "updated_at",
                ]
            )
            dossier_apply_action(
                dossier=dossier,
                action=DossierAction.RECORD_REFUND,
                actor=PAYMENT,
                data={"fees": [refund.fee_id], "payment_reference": provider_refund_id},
                now=now,
            )
            _audit(
                "payment_refund",
                actor=actor,
                target=refund,
                dossier=dossier.pk,
                amount=int(refund.amount),
                rule=refund.rule,
            )
    if failure is not None:
        raise failure
    return refunds


# -- reconciliation ----------------------------------------------------------


class DifferenceKind(StrEnum):
    # In the provider's settlement list, not among our transactions.
    MISSING_HERE = "missing_here"
    # Among our paid transactions, not in the provider's settlement list.
    MISSING_THERE = "missing_there"
    AMOUNT_DIFFERS = "amount_differs"
    # Settled and recorded, but the intent had already been paid: to refund.
    DUPLICATE_PAYMENT = "duplicate_payment"


@dataclass(frozen=True, slots=True)
class Difference:
    kind: DifferenceKind
    transaction_id: str
    order_ref: str
    ours: Decimal | None
    theirs: Decimal | None
    dossier_code: str = ""


@dataclass
class ReconciliationReport:
    day: date
    provider: str
    agency: Agency | None
    matched: int = 0
    ours_total: Decimal = Decimal(0)
    theirs_total: Decimal = Decimal(0)
    differences: list[Difference] = field(default_factory=list)

    @property
    def balanced(self) -> bool:
        return not self.differences


def payment_reconcile(
    day: date,
    *,
    agency: Agency | None = None,
    provider: str | None = None,
    registry: ProviderRegistry | None = None,
) -> ReconciliationReport:
    """
    Compare the successful transactions paid on ``day`` (Vietnam time) with
    the provider's settlement list, for one collecting ``agency`` or all.

    Settlement rows whose order we do not know cannot be attributed to an
    agency; they are reported whatever the agency filter.
    """
    provider_id = provider or settings.PAYMENT_PROVIDER
    plugin = _provider(provider_id, registry)
    start = datetime.combine(day, time.min, tzinfo=LOCAL_TZ)
    ours_qs = ProviderTransaction.objects.filter(
        provider=provider_id,
        result=TransactionResult.SUCCESS,
        paid_at__gte=start,
        paid_at__lt=start + timedelta(days=1),
    ).select_related("intent__dossier")
    if agency is not None:
        ours_qs = ours_qs.filter(intent__dossier__competent_agency=agency)
    ours = {t.transaction_id: t for t in ours_qs}
    settlements = plugin.settlements(day)
    intents = {
        i.reference: i
        for i in PaymentIntent.objects.filter(
            provider=provider_id, reference__in=[s.order_ref for s in settlements]
        ).select_related("dossier")
    }
    report = ReconciliationReport(day=day, provider=provider_id, agency=agency)
    seen: set[str] = set()
    for row in settlements:
        intent = intents.get(row.order_ref)
        if (
            agency is not None
            and intent is not None
            and intent.dossier.competent_agency_id != agency.pk
        ):
            continue
        report.theirs_total += row.amount
        seen.add(row.transaction_id)
        mine = ours.get(row.transaction_id)
        code = (intent.dossier.code or "") if intent else ""
        if mine is None:
            report.differences.append(
                Difference(
                    DifferenceKind.MISSING_HERE,
                    row.transaction_id,
                    row.order_ref,
                    None,
                    row.amount,
                    code,
                )
            )
        elif mine.amount != row.amount:
            report.differences.append(
                Difference(
                    DifferenceKind.AMOUNT_DIFFERS,
                    row.transaction_id,
                    row.order_ref,
                    mine.amount,
                    row.amount,
                    code,
                )
            )
        else:
            report.matched += 1
    for txn_id, mine in sorted(ours.items()):
        report.ours_total += mine.amount
        code = mine.intent.dossier.code or ""
        if txn_id not in seen:
            report.differences.append(
                Difference(
                    DifferenceKind.MISSING_THERE,
                    txn_id,
                    mine.intent.reference,
                    mine.amount,
                    None,
                    code,
                )
            )
        if mine.outcome == TransactionOutcome.DUPLICATE_PAYMENT:
            report.differences.append(
                Difference(
                    DifferenceKind.DUPLICATE_PAYMENT,
                    txn_id,
                    mine.intent.reference,
                    mine.amount,
                    None,
                    code,
                )
            )
    return report
