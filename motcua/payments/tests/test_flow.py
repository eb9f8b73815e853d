"""
Payments end to end over real HTTP: our site on a live server, the gateway
simulator on loopback, a payer's browser between them.
"""

from datetime import timedelta

import pytest
import time_machine

from motcua.dossiers.access import PORTAL
from motcua.dossiers.constants import DossierStatus as S
from motcua.dossiers.constants import FeeStatus
from motcua.payments.constants import PaymentStatus, TransactionOutcome
from motcua.payments.models import PaymentIntent, ProviderTransaction, Receipt
from motcua.payments.services import payment_start

from .support import Browser, at, awaiting_payment, online_residence

pytestmark = pytest.mark.simulator


def pay_through_the_gateway(site, intent, button="pay"):
    """The payer opens the start link, sees the gateway's page, clicks ``button``."""
    browser = Browser()
    status, page = browser.get(f"{site.url}/payments/start/{intent.uuid}")
    assert status == 200 and "Thanh toán phí, lệ phí" in page, page
    assert "10.000 đồng" in page or "20.000 đồng" in page
    return browser.submit(page, button)


def answers(gateway):
    return [c["answer"]["RspCode"] for c in gateway.callbacks]


def test_a_payment_resumes_an_awaiting_payment_dossier_and_moves_its_due_time(
    province, gateway, site
):
    dossier = awaiting_payment(province)
    due_before = dossier.due_at
    with time_machine.travel(at(2026, 3, 4, 9, 0), tick=False):
        start = payment_start(
            dossier, actor=province.users["reception_a"], channel="counter"
        )
        assert start.redirect_url.startswith(gateway.url + "/pay?")
        assert start.intent.status == PaymentStatus.PENDING
        status, page = pay_through_the_gateway(site, start.intent)

    assert status == 200 and "Thanh toán thành công" in page
    assert answers(gateway) == ["00"]
    intent = PaymentIntent.objects.get(pk=start.intent.pk)
    assert intent.status == PaymentStatus.PAID
    txn = intent.transactions.get()
    assert txn.outcome == TransactionOutcome.APPLIED
    dossier.refresh_from_db()
    # One working day (8 hours) waited for the payment does not count.
    assert dossier.status == S.IN_PROGRESS
    assert dossier.due_at == due_before + timedelta(days=1)
    assert dossier.paused_minutes == 480
    fee = dossier.fees.get()
    assert (fee.status, fee.payment_reference) == (FeeStatus.PAID, txn.transaction_id)
    assert list(dossier.events.values_list("action", flat=True))[-1] == (
        "confirm_payment"
    )
    receipt = Receipt.objects.get(intent=intent)
    assert receipt.amount == 20000 and receipt.amount_in_words == "Hai mươi nghìn đồng"
    assert receipt.number in page
    # The gateway settled it: the day reconciles.
    assert gateway.settlements[0]["transaction_id"] == txn.transaction_id


def test_an_online_fee_paid_at_reception_is_marked_paid_without_a_transition(
    province, gateway, site
):
    dossier = online_residence(province)
    with time_machine.travel(at(2026, 3, 2, 10, 0), tick=False):
        start = payment_start(dossier, actor=PORTAL, channel="online")
        assert start.intent.amount == 10000  # the online tariff
        status, page = pay_through_the_gateway(site, start.intent)
    assert status == 200 and "Thanh toán thành công" in page
    dossier.refresh_from_db()
    assert dossier.status == S.RECEIVED
    assert dossier.fees.get().status == FeeStatus.PAID
    assert Receipt.objects.get().amount_in_words == "Mười nghìn đồng"


def test_cancelling_on_the_payment_page_cancels_the_intent_and_collects_nothing(
    province, gateway, site
):
    dossier = online_residence(province)
    with time_machine.travel(at(2026, 3, 2, 10, 0), tick=False):
        start = payment_start(dossier, actor=PORTAL, channel="online")
        status, page = pay_through_the_gateway(site, start.intent, button="cancel")
    assert status == 200 and "Thanh toán không thành công" in page
    assert answers(gateway) == ["00"]
    start.intent.refresh_from_db()
    assert start.intent.status == PaymentStatus.CANCELLED
    assert dossier.fees.get().status == FeeStatus.DUE
    assert not Receipt.objects.exists() and gateway.settlements == []


def test_a_forged_callback_is_refused_and_changes_nothing(province, gateway, site):
    dossier = awaiting_payment(province)
    gateway.set_mode("forged")
    with time_machine.travel(at(2026, 3, 4, 9, 0), tick=False):
        start = payment_start(
            dossier, actor=province.users["reception_a"], channel="counter"
        )
        status, page = pay_through_the_gateway(site, start.intent)
    assert answers(gateway) == ["97"]  # invalid signature
    assert status == 400 and "Không xác nhận được thanh toán" in page
    start.intent.refresh_from_db()
    assert start.intent.status == PaymentStatus.PENDING
    dossier.refresh_from_db()
    assert dossier.status == S.AWAITING_PAYMENT
    assert dossier.fees.get().status == FeeStatus.DUE
    assert not ProviderTransaction.objects.exists() and not Receipt.objects.exists()


def test_a_duplicate_callback_is_answered_already_processed_and_changes_nothing(
    province, gateway, site
):
    dossier = awaiting_payment(province)
    gateway.set_mode("duplicate")
    with time_machine.travel(at(2026, 3, 4, 9, 0), tick=False):
        start = payment_start(
            dossier, actor=province.users["reception_a"], channel="counter"
        )
        status, page = pay_through_the_gateway(site, start.intent)
    # The first delivery is applied; the second, and the browser's return
    # carrying the same callback, are recognised as the same transaction.
    assert answers(gateway) == ["00", "02"]
    assert status == 200 and "Thanh toán thành công" in page
    assert ProviderTransaction.objects.count() == 1
    assert Receipt.objects.count() == 1
    dossier.refresh_from_db()
    assert dossier.events.filter(action="confirm_payment").count() == 1
    assert dossier.paused_minutes == 480


def test_the_same_transaction_resent_with_other_content_is_refused(
    province, gateway, site
):
    dossier = online_residence(province)
    with time_machine.travel(at(2026, 3, 2, 10, 0), tick=False):
        start = payment_start(dossier, actor=PORTAL, channel="online")
        pay_through_the_gateway(site, start.intent)
        txn = ProviderTransaction.objects.get()
        entry = gateway.resend(txn.transaction_id, {"response_code": "24"})
    assert entry["answer"]["RspCode"] == "03"  # transaction conflict
    txn.refresh_from_db()
    start.intent.refresh_from_db()
    assert start.intent.status == PaymentStatus.PAID
    assert txn.response_code == "00" and ProviderTransaction.objects.count() == 1


def test_an_amount_that_differs_from_the_intent_is_refused(province, gateway, site):
    dossier = online_residence(province)
    gateway.set_mode("wrong_amount")
    with time_machine.travel(at(2026, 3, 2, 10, 0), tick=False):
        start = payment_start(dossier, actor=PORTAL, channel="online")
        status, _page = pay_through_the_gateway(site, start.intent)
    assert answers(gateway) == ["04"]  # invalid amount
    assert status == 400
    start.intent.refresh_from_db()
    assert start.intent.status == PaymentStatus.PENDING
    assert dossier.fees.get().status == FeeStatus.DUE
    assert not ProviderTransaction.objects.exists()
