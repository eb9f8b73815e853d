"""The payment endpoints through Django's test client (callbacks signed here)."""

from urllib.parse import urlencode

from django.test import Client

import pytest
import time_machine

from motcua.audit.models import AccessPurpose, DataAccessLog
from motcua.dossiers.access import PORTAL
from motcua.payments.models import PaymentIntent, Receipt
from motcua.payments.services import payment_handle_callback, payment_start
from motcua.testing.province import TEST_PASSWORD

from .support import at, callback_for, counter_residence, online_residence

pytestmark = pytest.mark.django_db

IPN = "/payments/ipn/hmac-gateway"


@pytest.fixture
def intent(province, gateway):
    dossier = counter_residence(province)
    with time_machine.travel(at(2026, 3, 2, 10), tick=False):
        return payment_start(
            dossier, actor=province.users["reception_a"], channel="counter"
        ).intent


@pytest.fixture
def receipt(province, gateway):
    dossier = online_residence(province)
    with time_machine.travel(at(2026, 3, 2, 10), tick=False):
        intent = payment_start(dossier, actor=PORTAL, channel="online").intent
        payment_handle_callback("hmac-gateway", callback_for(intent))
    return Receipt.objects.get()


def staff(province, who):
    client = Client()
    assert client.login(username=province.users[who].username, password=TEST_PASSWORD)
    return client


class TestIpn:
    def test_the_ipn_needs_no_csrf_token_and_answers_in_the_gateways_json(self, intent):
        client = Client(enforce_csrf_checks=True)
        response = client.post(IPN, callback_for(intent))
        assert response.status_code == 200
        assert response.json() == {"RspCode": "00", "Message": "Confirm Success"}
        again = client.post(IPN, callback_for(intent))
        assert again.json()["RspCode"] == "02"
        intent.refresh_from_db()
        assert intent.status == "paid"

    def test_refusals_are_answered_with_their_code(self, intent):
        client = Client()
        forged = client.post(IPN, callback_for(intent, secret="x")).json()
        unknown = client.post(IPN, callback_for(intent, order_ref="NOPE")).json()
        amount = client.post(IPN, callback_for(intent, amount=1)).json()
        assert [forged["RspCode"], unknown["RspCode"], amount["RspCode"]] == [
            "97",
            "01",
            "04",
        ]
        # A parameter given twice makes the signed content ambiguous.
        body = urlencode([*callback_for(intent).items(), ("amount", "1")])
        repeated = client.post(
            IPN, body, content_type="application/x-www-form-urlencoded"
        )
        assert repeated.json()["RspCode"] == "99"
        assert not intent.transactions.exists()

    def test_only_post_and_known_providers(self, intent):
        assert Client().get(IPN).status_code == 405
        assert Client().post("/payments/ipn/nope", {}).status_code == 404


class TestReturnAndStart:
    def test_the_return_page_tells_the_payer_in_vietnamese(self, intent):
        query = urlencode(callback_for(intent))
        page = Client().get(f"/payments/return/hmac-gateway?{query}")
        assert page.status_code == 200
        assert "Thanh toán thành công" in page.content.decode()
        forged = Client().get(
            f"/payments/return/hmac-gateway?{urlencode(callback_for(intent, secret='x'))}"
        )
        assert forged.status_code == 400
        assert "Không xác nhận được thanh toán" in forged.content.decode()

    def test_the_start_link_redirects_to_the_gateway_while_open(self, intent, gateway):
        with time_machine.travel(at(2026, 3, 2, 10, 1), tick=False):
            response = Client().get(f"/payments/start/{intent.uuid}")
        assert response.status_code == 302
        assert response["Location"].startswith(f"{gateway.url}/pay?")
        with time_machine.travel(at(2026, 3, 2, 12), tick=False):
            closed = Client().get(f"/payments/start/{intent.uuid}")
        assert closed.status_code == 409
        assert "không còn hiệu lực" in closed.content.decode()
        assert PaymentIntent.objects.get().status == "expired"
        missing = "00000000-0000-0000-0000-000000000000"
        assert Client().get(f"/payments/start/{missing}").status_code == 404


class TestReceiptDownload:
    def url(self, receipt, **query):
        suffix = f"?{urlencode(query)}" if query else ""
        return f"/payments/receipts/{receipt.number}.pdf{suffix}"

    def test_staff_who_see_the_dossier_download_it_and_the_read_is_logged(
        self, province, receipt
    ):
        response = staff(province, "police_a").get(self.url(receipt))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
        log = DataAccessLog.objects.get()
        assert log.purpose == AccessPurpose.DOWNLOAD
        assert log.subject_id_number == "001099012345"
        assert log.dossier_id == receipt.dossier_id

    def test_the_applicant_downloads_it_with_the_lookup_secret(self, receipt):
        secret = receipt.dossier.lookup_secret
        assert Client().get(self.url(receipt, secret=secret)).status_code == 200
        assert not DataAccessLog.objects.exists()

    def test_everyone_else_gets_the_same_not_found(self, province, receipt):
        assert Client().get(self.url(receipt)).status_code == 404
        assert Client().get(self.url(receipt, secret="WRONG")).status_code == 404
        other = staff(province, "reception_b")
        assert other.get(self.url(receipt)).status_code == 404
        assert Client().get("/payments/receipts/NOPE.pdf").status_code == 404


def test_the_admin_lists_payments_read_only(admin_client, receipt):
    for model in ("paymentintent", "providertransaction", "receipt", "refund"):
        response = admin_client.get(f"/admin/payments/{model}/")
        assert response.status_code == 200, model
    detail = admin_client.get(f"/admin/payments/receipt/{receipt.pk}/change/")
    assert detail.status_code == 200
    assert f"/payments/receipts/{receipt.number}.pdf" in detail.content.decode()
    assert admin_client.get("/admin/payments/paymentintent/add/").status_code == 403
