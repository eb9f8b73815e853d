"""The payment services: starting, callbacks, receipts, refunds, reconciliation."""

import io
from datetime import date

from django.core.management import call_command
from django.db import IntegrityError, transaction

import pytest
import time_machine
from pypdf import PdfReader

from motcua.audit.models import AuditLog
from motcua.core.exceptions import (
    NotFound,
    PermissionDenied,
    RuleViolation,
    ValidationFailed,
)
from motcua.dossiers.access import PAYMENT, PORTAL, SWEEP
from motcua.dossiers.constants import DossierAction as A
from motcua.dossiers.constants import DossierStatus as S
from motcua.dossiers.constants import FeeStatus
from motcua.payments.access import applicant_actor
from motcua.payments.constants import (
    PaymentStatus,
    RefundStatus,
    TransactionOutcome,
)
from motcua.payments.errors import (
    AmountMismatch,
    CallbackInvalid,
    IntentUnknown,
    ProviderNotConfigured,
    ProviderUnavailable,
    SignatureInvalid,
)
from motcua.payments.models import PaymentIntent, ProviderTransaction, Receipt, Refund
from motcua.payments.refunds import Ending
from motcua.payments.services import (
    CallbackOutcome,
    DifferenceKind,
    dossier_ending,
    payment_handle_callback,
    payment_intents_expire,
    payment_receipt_pdf,
    payment_reconcile,
    payment_redirect,
    payment_refund,
    payment_start,
)

from .support import (
    SECRET,
    act,
    at,
    awaiting_payment,
    callback_for,
    counter_residence,
    online_residence,
)

pytestmark = pytest.mark.django_db

GATEWAY = "hmac-gateway"


START_AT = at(2026, 3, 2, 10, 0)
PAID_AT = at(2026, 3, 2, 10, 5)


def start(p, dossier, when=START_AT, **kwargs):
    kwargs.setdefault("actor", p.users["reception_a"])
    kwargs.setdefault("channel", "counter")
    with time_machine.travel(when, tick=False):
        return payment_start(dossier, **kwargs)


def pay(intent, when=PAID_AT, **kwargs):
    """Deliver the gateway's success callback for ``intent``."""
    with time_machine.travel(when, tick=False):
        return payment_handle_callback(GATEWAY, callback_for(intent, **kwargs))


class TestStart:
    def test_an_intent_covers_the_due_fees_with_the_channel_tariff(
        self, province, gateway
    ):
        counter = counter_residence(province)
        online = online_residence(province)
        assert start(province, counter).intent.amount == 20000
        intent = start(province, online, actor=PORTAL, channel="online").intent
        assert intent.amount == 10000
        assert list(intent.fees.all()) == list(online.fees.all())
        assert intent.provider == GATEWAY and intent.currency == "VND"
        assert (
            AuditLog.objects.filter(
                target_type="payments.paymentintent", extra_data__event="payment_start"
            ).count()
            == 2
        )

    def test_the_redirect_is_signed_for_the_gateway(self, province, gateway):
        from urllib.parse import parse_qsl, urlsplit

        from motcua.payments import signing

        result = start(province, counter_residence(province))
        params = dict(parse_qsl(urlsplit(result.redirect_url).query))
        assert signing.verify(params, SECRET)
        assert params["order_ref"] == result.intent.reference
        assert params["amount"] == "20000"
        assert params["ipn_url"].endswith("/payments/ipn/hmac-gateway")
        assert params["return_url"].endswith("/payments/return/hmac-gateway")
        assert params["create_date"] == "20260302100000"
        assert params["expire_date"] == "20260302101500"

    def test_a_second_start_for_the_same_fees_reuses_the_open_intent(
        self, province, gateway
    ):
        dossier = counter_residence(province)
        first = start(province, dossier).intent
        again = start(province, dossier, when=at(2026, 3, 2, 10, 5)).intent
        assert again.pk == first.pk and PaymentIntent.objects.count() == 1
        # Once expired, a new intent replaces it.
        later = start(province, dossier, when=at(2026, 3, 2, 11, 0)).intent
        assert later.pk != first.pk
        first.refresh_from_db()
        assert first.status == PaymentStatus.EXPIRED

    def test_an_intent_on_another_channel_cancels_the_open_one(self, province, gateway):
        dossier = counter_residence(province)
        first = start(province, dossier).intent
        second = start(province, dossier, channel="online").intent
        first.refresh_from_db()
        assert first.status == PaymentStatus.CANCELLED and second.pk != first.pk

    def test_nothing_to_pay_closed_dossiers_and_bad_input_are_refused(
        self, province, gateway
    ):
        dossier = counter_residence(province)
        with pytest.raises(ValidationFailed) as error:
            start(province, dossier, channel="cash")
        assert error.value.code == "payment_channel_invalid"
        with pytest.raises(ValidationFailed) as error:
            start(province, dossier, fee_ids=[999999])
        assert error.value.code == "fees_not_due"
        with pytest.raises(ValidationFailed) as error:
            start(province, dossier, provider="nope")
        assert error.value.code == "provider_unknown"
        pay(start(province, dossier).intent)
        with pytest.raises(RuleViolation) as error:
            start(province, dossier)
        assert error.value.code == "nothing_to_pay"
        birth = province.procedures["birth"]
        from motcua.dossiers.services import dossier_create
        from motcua.testing.province import all_components, applicant

        with time_machine.travel(at(2026, 3, 2, 9), tick=False):
            free = dossier_create(
                procedure_version=birth,
                channel="counter",
                receiving_centre=province.centre_a,
                competent_agency=province.committee_a,
                applicant=applicant(),
                components=all_components(birth),
                actor=province.users["reception_a"],
            )
        refused = act(
            province, free, A.REFUSE, "reception_a", at(2026, 3, 2, 9, 5), reason="x"
        )
        with pytest.raises(RuleViolation) as error:
            start(province, refused)
        assert error.value.code == "dossier_closed"

    def test_who_may_start_a_payment(self, province, gateway):
        dossier = counter_residence(province)
        # Staff of another commune do not see the dossier.
        with pytest.raises(NotFound):
            start(province, dossier, actor=province.users["reception_b"])
        for system in (SWEEP, PAYMENT):
            with pytest.raises(PermissionDenied):
                start(province, dossier, actor=system)
        # The applicant proves it with the lookup secret printed on Mẫu 01.
        with pytest.raises(NotFound):
            applicant_actor(code=dossier.code, secret="WRONG")
        same, actor = applicant_actor(code=dossier.code, secret=dossier.lookup_secret)
        assert start(province, same, actor=actor, channel="online").intent
        other = counter_residence(province, when=at(2026, 3, 2, 9, 30))
        with pytest.raises(PermissionDenied):
            start(province, other, actor=actor)

    def test_a_gateway_without_a_secret_is_not_configured(self, province, settings):
        settings.PAYMENT_SECRET = ""
        with pytest.raises(ProviderNotConfigured):
            start(province, counter_residence(province))

    def test_the_start_link_is_refused_once_the_intent_is_closed(
        self, province, gateway
    ):
        intent = start(province, counter_residence(province)).intent
        with time_machine.travel(at(2026, 3, 2, 10, 1), tick=False):
            assert payment_redirect(intent).startswith(gateway.url)
        with (
            time_machine.travel(at(2026, 3, 2, 10, 30), tick=False),
            pytest.raises(RuleViolation) as error,
        ):
            payment_redirect(intent)
        assert error.value.code == "intent_closed"
        intent.refresh_from_db()
        assert intent.status == PaymentStatus.EXPIRED

    def test_stale_intents_expire(self, province, gateway):
        intent = start(province, counter_residence(province)).intent
        assert payment_intents_expire(now=at(2026, 3, 2, 10, 10)) == 0
        assert payment_intents_expire(now=at(2026, 3, 2, 10, 15)) == 1
        intent.refresh_from_db()
        assert intent.status == PaymentStatus.EXPIRED


class TestCallback:
    def test_a_success_marks_the_intent_and_fees_paid_and_issues_a_receipt(
        self, province, gateway
    ):
        dossier = counter_residence(province)
        intent = start(province, dossier).intent
        result = pay(intent)
        assert result.outcome == CallbackOutcome.PROCESSED
        intent.refresh_from_db()
        assert intent.status == PaymentStatus.PAID
        assert intent.paid_at == at(2026, 3, 2, 10, 5)
        fee = dossier.fees.get()
        assert fee.status == FeeStatus.PAID and fee.payment_reference == "900000000001"
        dossier.refresh_from_db()
        assert dossier.status == S.RECEIVED
        receipt = Receipt.objects.get()
        assert receipt.number == "001.02.00.H99-BL26-000001"
        assert receipt.agency == province.police_a
        assert receipt.items == [
            {
                "fee": fee.pk,
                "code": "LP-CT",
                "name": "Lệ phí đăng ký cư trú",
                "kind": "charge",
                "amount": 20000,
            }
        ]
        assert receipt.payer_name == "Nguyễn Văn An"

    def test_a_forged_signature_is_refused_before_anything_is_read(
        self, province, gateway
    ):
        intent = start(province, counter_residence(province)).intent
        params = callback_for(intent, secret="guessed")
        with pytest.raises(SignatureInvalid) as error:
            payment_handle_callback(GATEWAY, params)
        assert error.value.code == "signature_invalid"
        tampered = {**callback_for(intent), "amount": "1"}
        with pytest.raises(SignatureInvalid):
            payment_handle_callback(GATEWAY, tampered)
        unsigned = callback_for(intent)
        del unsigned["signature"]
        with pytest.raises(SignatureInvalid):
            payment_handle_callback(GATEWAY, unsigned)
        assert not ProviderTransaction.objects.exists()
        intent.refresh_from_db()
        assert intent.status == PaymentStatus.PENDING

    def test_unknown_orders_other_merchants_and_missing_fields_are_refused(
        self, province, gateway
    ):
        intent = start(province, counter_residence(province)).intent
        with pytest.raises(IntentUnknown):
            payment_handle_callback(
                GATEWAY, callback_for(intent, order_ref="MC260302UNKNOWN")
            )
        with pytest.raises(CallbackInvalid) as error:
            payment_handle_callback(
                GATEWAY, callback_for(intent, merchant_id="SOMEONE-ELSE")
            )
        assert error.value.code == "merchant_mismatch"
        with pytest.raises(CallbackInvalid):
            payment_handle_callback(GATEWAY, callback_for(intent, amount="abc"))
        assert not ProviderTransaction.objects.exists()

    def test_an_amount_or_currency_mismatch_is_refused(self, province, gateway):
        intent = start(province, counter_residence(province)).intent
        with pytest.raises(AmountMismatch) as error:
            pay(intent, amount=19000)
        assert error.value.extra == {
            "expected": 20000,
            "received": 19000,
            "currency": "VND",
        }
        with pytest.raises(AmountMismatch):
            pay(intent, currency="USD")
        intent.refresh_from_db()
        assert intent.status == PaymentStatus.PENDING
        assert not ProviderTransaction.objects.exists()

    def test_a_replay_changes_nothing(self, province, gateway):
        dossier = awaiting_payment(province)
        intent = start(province, dossier, when=at(2026, 3, 4, 9)).intent
        params = callback_for(intent, when=at(2026, 3, 4, 9, 1))
        with time_machine.travel(at(2026, 3, 4, 9, 1), tick=False):
            first = payment_handle_callback(GATEWAY, params)
        dossier.refresh_from_db()
        due = dossier.due_at
        with time_machine.travel(at(2026, 3, 5, 9, 0), tick=False):
            again = payment_handle_callback(GATEWAY, dict(params))
        assert (first.outcome, again.outcome) == (
            CallbackOutcome.PROCESSED,
            CallbackOutcome.ALREADY_PROCESSED,
        )
        assert again.transaction.pk == first.transaction.pk
        dossier.refresh_from_db()
        assert dossier.due_at == due
        assert dossier.events.filter(action="confirm_payment").count() == 1
        assert Receipt.objects.count() == 1

    def test_the_database_refuses_a_second_row_for_one_transaction(
        self, province, gateway
    ):
        intent = start(province, counter_residence(province)).intent
        txn = pay(intent).transaction
        with pytest.raises(IntegrityError), transaction.atomic():
            ProviderTransaction.objects.create(
                provider=GATEWAY,
                transaction_id=txn.transaction_id,
                intent=intent,
                amount=1,
                result="success",
                outcome="applied",
                params={},
                params_digest="x",
                received_at=txn.received_at,
            )

    def test_a_second_successful_payment_is_recorded_as_a_duplicate(
        self, province, gateway
    ):
        intent = start(province, counter_residence(province)).intent
        pay(intent)
        result = pay(intent, transaction_id="900000000002")
        assert result.outcome == CallbackOutcome.DUPLICATE_PAYMENT
        assert result.transaction.outcome == TransactionOutcome.DUPLICATE_PAYMENT
        assert Receipt.objects.count() == 1

    def test_a_failure_marks_the_intent_failed_and_a_late_success_still_counts(
        self, province, gateway
    ):
        dossier = counter_residence(province)
        intent = start(province, dossier).intent
        pay(intent, transaction_id="1", code="51")
        intent.refresh_from_db()
        assert intent.status == PaymentStatus.FAILED
        assert dossier.fees.get().status == FeeStatus.DUE
        # A failure reported again for the final intent changes nothing.
        ignored = pay(intent, transaction_id="2", code="99").transaction
        assert ignored.outcome == TransactionOutcome.IGNORED
        # The money did arrive after all: it is recorded.
        pay(intent, transaction_id="3")
        intent.refresh_from_db()
        assert intent.status == PaymentStatus.PAID
        assert dossier.fees.get().status == FeeStatus.PAID

    def test_a_payment_for_fees_settled_meanwhile_is_a_duplicate(
        self, province, gateway
    ):
        dossier = counter_residence(province)
        old = start(province, dossier).intent
        new = start(province, dossier, channel="online").intent
        pay(new, transaction_id="1")
        late = pay(old, transaction_id="2")
        assert late.outcome == CallbackOutcome.DUPLICATE_PAYMENT

    def test_the_lifecycle_confirms_an_awaiting_payment_dossier(
        self, province, gateway
    ):
        dossier = awaiting_payment(province)
        intent = start(province, dossier, when=at(2026, 3, 4, 9)).intent
        pay(intent, when=at(2026, 3, 4, 9, 0))
        dossier.refresh_from_db()
        assert dossier.status == S.IN_PROGRESS
        event = dossier.events.get(action="confirm_payment")
        assert event.actor_label == "Nền tảng thanh toán"
        assert event.data["payment_reference"] == "900000000001"


class TestReceipts:
    def test_receipts_are_numbered_per_agency_and_year(self, province, gateway):
        first = counter_residence(province)
        second = counter_residence(province, when=at(2026, 3, 2, 9, 30))
        pay(start(province, first).intent, transaction_id="1")
        pay(start(province, second).intent, transaction_id="2")
        # Another collecting agency starts its own sequence.
        police_b = province.police_a.__class__.objects.create(
            name="Công an phường Bình Minh",
            kind=province.police_a.kind,
            level=province.police_a.level,
            administrative_unit=province.commune_b,
            branch=province.police_a.branch,
        )
        province.procedures["residence"].procedure.agencies.add(police_b)
        third = counter_residence(province, police=police_b)
        pay(start(province, third).intent, transaction_id="3")
        # A new year starts again at 1.
        with time_machine.travel(at(2027, 1, 4, 9), tick=False):
            fourth = counter_residence(province, when=at(2026, 12, 30, 9))
            intent = start(province, fourth, when=at(2027, 1, 4, 9)).intent
        pay(intent, transaction_id="4", when=at(2027, 1, 4, 9, 5))
        rows = list(
            Receipt.objects.order_by("pk").values_list(
                "agency__name", "year", "sequence", "number"
            )
        )
        assert rows == [
            ("Công an xã An Hòa", 2026, 1, "001.02.00.H99-BL26-000001"),
            ("Công an xã An Hòa", 2026, 2, "001.02.00.H99-BL26-000002"),
            ("Công an phường Bình Minh", 2026, 1, f"CQ{police_b.pk}-BL26-000001"),
            ("Công an xã An Hòa", 2027, 1, "001.02.00.H99-BL27-000001"),
        ]

    def test_the_receipt_pdf_is_an_a5_page_in_vietnamese(self, province, gateway):
        intent = start(province, online_residence(province), actor=PORTAL).intent
        pay(intent)
        pdf = payment_receipt_pdf(Receipt.objects.get())
        reader = PdfReader(io.BytesIO(pdf))
        page = reader.pages[0]
        width_mm = float(page.mediabox.width) / 72 * 25.4
        height_mm = float(page.mediabox.height) / 72 * 25.4
        assert (round(width_mm), round(height_mm)) == (148, 210)
        text = page.extract_text()
        for expected in (
            "BIÊN LAI THU PHÍ, LỆ PHÍ",
            "Công an xã An Hòa",
            "Nguyễn Văn An",
            "Lệ phí đăng ký cư trú",
            "10.000",
            "Mười nghìn đồng",
            "900000000001",
            "001.02.00.H99-BL26-000001",
        ):
            assert expected in text, expected
        fonts = {
            str(font["/BaseFont"])
            for font in page["/Resources"]["/Font"].values()
            if "/BaseFont" in font.get_object()
        }
        # The family the template names, with its Vietnamese glyphs embedded.
        assert any("DejaVu-Serif" in name for name in fonts), fonts


class TestRefunds:
    def paid_and_stopped(self, province, gateway, *, after_appraisal=False, txn="1"):
        """A dossier paid through the gateway, then stopped by the police."""
        dossier = counter_residence(province)
        intent = start(province, dossier).intent
        pay(intent, transaction_id=txn)
        gateway.add_settlement(
            {"transaction_id": txn, "order_ref": intent.reference, "amount": 20000}
        )
        dossier = act(
            province, dossier, A.COMPLETE_STEP, "reception_a", at(2026, 3, 2, 11)
        )
        if after_appraisal:
            dossier = act(
                province, dossier, A.COMPLETE_STEP, "police_a", at(2026, 3, 3, 9)
            )
        return act(
            province,
            dossier,
            A.STOP,
            "police_lead_a",
            at(2026, 3, 3, 10),
            reason="Người nộp rút hồ sơ",
        )

    def test_a_charge_paid_online_is_refunded_through_the_gateway_when_stopped(
        self, province, gateway
    ):
        dossier = self.paid_and_stopped(province, gateway)
        assert dossier_ending(dossier) == Ending.STOPPED_BEFORE_PROCESSING
        with time_machine.travel(at(2026, 3, 3, 11), tick=False):
            (refund,) = payment_refund(
                dossier, actor=province.users["reception_a"], reason="Dừng giải quyết"
            )
        assert refund.status == RefundStatus.COMPLETED
        assert refund.rule == "charge_no_result" and refund.amount == 20000
        assert refund.provider == GATEWAY and refund.provider_refund_id.startswith("RF")
        assert gateway.refunds[refund.reference]["transaction_id"] == "1"
        assert dossier.fees.get().status == FeeStatus.REFUNDED
        # Asking again refunds nothing twice.
        with pytest.raises(RuleViolation):
            payment_refund(dossier, actor=province.users["reception_a"], reason="x")
        assert Refund.objects.count() == 1 and len(gateway.refunds) == 1

    def test_a_fee_for_a_service_already_performed_is_not_refunded(
        self, province, gateway
    ):
        from motcua.catalog.constants import FeeKind

        version = province.procedures["residence"]
        version.fees.update(kind=FeeKind.FEE)
        dossier = self.paid_and_stopped(province, gateway, after_appraisal=True)
        assert dossier_ending(dossier) == Ending.STOPPED_DURING_PROCESSING
        with pytest.raises(RuleViolation) as error:
            payment_refund(dossier, actor=province.users["reception_a"], reason="x")
        assert error.value.code == "refund_not_allowed"
        assert error.value.extra["fees"][0]["rule"] == "fee_served"
        assert dossier.fees.get().status == FeeStatus.PAID
        assert not Refund.objects.exists()

    def test_no_refund_while_the_dossier_is_open_nor_by_someone_else(
        self, province, gateway
    ):
        dossier = counter_residence(province)
        pay(start(province, dossier).intent, transaction_id="0")
        with pytest.raises(RuleViolation) as error:
            payment_refund(dossier, actor=province.users["reception_a"], reason="x")
        assert error.value.code == "refund_not_allowed"
        stopped = self.paid_and_stopped(province, gateway)
        for actor in (province.users["reception_b"], PAYMENT):
            with pytest.raises(PermissionDenied):
                payment_refund(stopped, actor=actor, reason="x")
        with pytest.raises(ValidationFailed):
            payment_refund(stopped, actor=province.users["reception_a"], reason=" ")

    def test_a_fee_paid_at_the_counter_is_given_back_in_cash(self, province, gateway):
        dossier = counter_residence(province)
        dossier = act(
            province, dossier, A.COMPLETE_STEP, "reception_a", at(2026, 3, 2, 11)
        )
        dossier = act(
            province, dossier, A.REQUEST_PAYMENT, "police_a", at(2026, 3, 2, 14)
        )
        dossier = act(
            province,
            dossier,
            A.CONFIRM_PAYMENT,
            "reception_a",
            at(2026, 3, 2, 15),
            payment_reference="QUAY-001",
        )
        dossier = act(
            province, dossier, A.STOP, "police_lead_a", at(2026, 3, 3, 9), reason="Rút"
        )
        (refund,) = payment_refund(
            dossier, actor=province.users["police_a"], reason="Hoàn tiền mặt"
        )
        assert refund.provider == "counter" and refund.transaction is None
        assert refund.status == RefundStatus.COMPLETED
        assert gateway.refunds == {}

    def test_a_gateway_that_is_down_leaves_the_refund_failed_and_it_can_be_retried(
        self, province, gateway
    ):
        dossier = self.paid_and_stopped(province, gateway)
        gateway.stop()
        with pytest.raises(ProviderUnavailable):
            payment_refund(dossier, actor=province.users["reception_a"], reason="x")
        refund = Refund.objects.get()
        assert refund.status == RefundStatus.FAILED and refund.failure_message
        assert dossier.fees.get().status == FeeStatus.PAID
        gateway.start()
        from django.conf import settings

        settings.PAYMENT_GATEWAY_URL = gateway.url
        (again,) = payment_refund(
            dossier, actor=province.users["reception_a"], reason="x"
        )
        assert again.pk == refund.pk and again.status == RefundStatus.COMPLETED


class TestReconciliation:
    def paid_online(self, province, gateway, when):
        """A payment the gateway settled (as its own simulator would record it)."""
        dossier = online_residence(province, portal_id=f"G22-{when:%d%H%M}")
        intent = start(province, dossier, actor=PORTAL, when=when).intent
        txn_id = f"{when:%d%H%M}"
        pay(intent, transaction_id=txn_id, when=when)
        gateway.add_settlement(
            {
                "transaction_id": txn_id,
                "order_ref": intent.reference,
                "amount": 10000,
                "pay_date": f"{when:%Y%m%d%H%M%S}",
            }
        )
        return txn_id

    def test_matching_days_balance_and_differences_are_listed(self, province, gateway):
        ours_only = self.paid_online(province, gateway, at(2026, 3, 2, 10))
        self.paid_online(province, gateway, at(2026, 3, 2, 11))
        self.paid_online(province, gateway, at(2026, 3, 3, 9))
        gateway.remove_settlement(ours_only)
        gateway.add_settlement(
            {
                "transaction_id": "777",
                "order_ref": "MC260302NOTOURS",
                "amount": 50000,
                "pay_date": "20260302150000",
            }
        )
        report = payment_reconcile(date(2026, 3, 2))
        assert report.matched == 1
        assert (report.ours_total, report.theirs_total) == (20000, 60000)
        assert sorted((d.kind, d.transaction_id) for d in report.differences) == [
            (DifferenceKind.MISSING_HERE, "777"),
            (DifferenceKind.MISSING_THERE, ours_only),
        ]
        assert payment_reconcile(date(2026, 3, 3)).balanced

    def test_the_command_lists_differences_per_agency_and_fails(
        self, province, gateway
    ):
        self.paid_online(province, gateway, at(2026, 3, 2, 10))
        out = io.StringIO()
        call_command("payments-reconcile", "--date", "2026-03-02", stdout=out)
        assert "Không có chênh lệch." in out.getvalue()
        gateway.add_settlement(
            {
                "transaction_id": "777",
                "order_ref": "X",
                "amount": 5000,
                "pay_date": "20260302150000",
            }
        )
        out = io.StringIO()
        with pytest.raises(SystemExit) as exit_:
            call_command(
                "payments-reconcile",
                "--date",
                "2026-03-02",
                "--agency",
                "001.02.00.H99",
                stdout=out,
            )
        assert exit_.value.code == 1
        text = out.getvalue()
        assert "Công an xã An Hòa" in text and "missing_here" in text and "777" in text
        # An agency with nothing of ours still sees what cannot be attributed.
        out = io.StringIO()
        with pytest.raises(SystemExit):
            call_command(
                "payments-reconcile",
                "--date",
                "2026-03-02",
                "--agency",
                "002.01.01.H99",
                stdout=out,
            )
        assert "Khớp: 0" in out.getvalue()

    def test_a_gateway_that_is_down_is_a_clear_error(self, province, gateway):
        from django.core.management.base import CommandError

        gateway.stop()
        with pytest.raises(ProviderUnavailable):
            payment_reconcile(date(2026, 3, 2))
        with pytest.raises(CommandError, match="provider_unavailable"):
            call_command("payments-reconcile", "--date", "2026-03-02")

    def test_a_forged_settlement_list_is_refused(self, province, gateway, settings):
        settings.PAYMENT_SECRET = "another-secret"
        with pytest.raises(ProviderUnavailable):
            payment_reconcile(date(2026, 3, 2))
