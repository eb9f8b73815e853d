"""
The applicant's online payment: the button of the lookup page and the link of
the payment-due notification open the payment page, whose POST starts (or
reuses) the intent and sends the browser to the gateway.
"""

import re

from django.core import signing

import pytest
import time_machine

from motcua.dossiers.constants import DossierStatus as S
from motcua.dossiers.constants import FeeStatus
from motcua.payments.access import payment_link
from motcua.payments.constants import PaymentChannel, PaymentStatus
from motcua.payments.models import PaymentIntent, Receipt

from .support import (
    MERCHANT,
    SECRET,
    Browser,
    at,
    awaiting_payment,
    counter_residence,
)

SALT = "motcua.payments.pay-link"
LINK = re.compile(r'<form method="post" action="(/payments/pay/[^"]+)">')


def lookup(client, dossier):
    return client.post(
        "/lookup/", {"code": dossier.code, "secret": dossier.lookup_secret}
    )


def link_on_lookup_page(client, dossier) -> str:
    page = lookup(client, dossier).content.decode()
    assert "Thanh toán trực tuyến" in page
    (url,) = LINK.findall(page)
    return url


@pytest.mark.simulator
def test_the_applicant_pays_from_the_lookup_page_through_the_gateway(
    province, gateway, site, client
):
    dossier = awaiting_payment(province)
    url = link_on_lookup_page(client, dossier)
    browser = Browser()
    with time_machine.travel(at(2026, 3, 4, 9, 0), tick=False):
        status, page = browser.get(site.url + url)
        assert status == 200 and "20.000 đ" in page
        # The button: our POST opens the intent and sends the browser on.
        status, page = browser.submit(page, "online")
        assert status == 200 and "Thanh toán phí, lệ phí" in page, page
        assert browser.url.startswith(gateway.url + "/pay?")
        status, page = browser.submit(page, "pay")

    assert status == 200 and "Thanh toán thành công" in page
    assert browser.url.startswith(site.url + "/payments/return/")
    intent = PaymentIntent.objects.get()
    assert intent.status == PaymentStatus.PAID
    assert intent.channel == PaymentChannel.ONLINE
    assert intent.started_by is None
    assert intent.started_by_label == "Người nộp hồ sơ"
    assert Receipt.objects.get(intent=intent).number in page
    dossier.refresh_from_db()
    assert dossier.status == S.IN_PROGRESS
    assert dossier.fees.get().status == FeeStatus.PAID
    # Paid: the lookup page offers nothing more, the link changes nothing.
    assert "Thanh toán trực tuyến" not in lookup(client, dossier).content.decode()
    again = client.post(url)
    assert again.status_code == 409
    assert PaymentIntent.objects.count() == 1


@pytest.mark.simulator
def test_a_cancelled_payment_leaves_the_dossier_waiting_and_can_be_retried(
    province, gateway, site
):
    dossier = awaiting_payment(province)
    browser = Browser()
    with time_machine.travel(at(2026, 3, 4, 9, 0), tick=False):
        _status, page = browser.get(site.url + payment_link(dossier))
        _status, page = browser.submit(page, "online")
        status, page = browser.submit(page, "cancel")
    assert status == 200 and "Thanh toán không thành công" in page
    dossier.refresh_from_db()
    assert dossier.status == S.AWAITING_PAYMENT
    assert PaymentIntent.objects.get().status == PaymentStatus.CANCELLED
    with time_machine.travel(at(2026, 3, 4, 9, 10), tick=False):
        _status, page = browser.get(site.url + payment_link(dossier))
        _status, page = browser.submit(page, "online")
        status, page = browser.submit(page, "pay")
    assert "Thanh toán thành công" in page
    assert PaymentIntent.objects.filter(status=PaymentStatus.PAID).count() == 1


class TestThePaymentPage:
    """The page itself, with the Django test client (no gateway is called)."""

    @pytest.fixture(autouse=True)
    def _gateway_url(self, settings):
        settings.PAYMENT_PROVIDER = "hmac-gateway"
        settings.PAYMENT_GATEWAY_URL = "http://gateway.invalid"
        settings.PAYMENT_MERCHANT_ID = MERCHANT
        settings.PAYMENT_SECRET = SECRET

    def test_opening_the_link_shows_the_fees_and_creates_nothing(
        self, province, client
    ):
        dossier = awaiting_payment(province)
        response = client.get(payment_link(dossier))
        assert response.status_code == 200
        html = response.content.decode()
        assert dossier.code in html and "20.000 đ" in html
        assert 'name="pay" value="online"' in html
        assert not PaymentIntent.objects.exists()

    def test_the_button_starts_one_intent_and_a_second_click_reuses_it(
        self, province, client
    ):
        dossier = awaiting_payment(province)
        url = link_on_lookup_page(client, dossier)
        first = client.post(url)
        assert first.status_code == 303
        assert first["Location"].startswith("http://gateway.invalid/pay?")
        second = client.post(url)
        assert second.status_code == 303
        intent = PaymentIntent.objects.get()
        assert intent.status == PaymentStatus.PENDING and intent.amount == 20000
        assert f"order_ref={intent.reference}" in second["Location"]

    @pytest.mark.parametrize(
        "forge",
        [
            lambda d: "forged",
            lambda d: payment_link(d).rsplit("/", 1)[1][:-2] + "xx",
            lambda d: signing.dumps({"d": d.pk, "s": "0" * 16}, salt=SALT),
            lambda d: signing.dumps([d.pk], salt=SALT),
            lambda d: signing.dumps({"d": d.pk}, salt="motcua.feedback.rating-link"),
        ],
        ids=["garbage", "tampered", "wrong-secret", "not-a-dict", "other-salt"],
    )
    def test_a_forged_link_is_refused_and_changes_nothing(
        self, province, client, forge
    ):
        dossier = awaiting_payment(province)
        for method in (client.get, client.post):
            response = method(f"/payments/pay/{forge(dossier)}")
            assert response.status_code == 404
            assert "không hợp lệ" in response.content.decode()
        assert not PaymentIntent.objects.exists()
        dossier.refresh_from_db()
        assert dossier.status == S.AWAITING_PAYMENT

    def test_a_link_dies_with_the_secret_and_with_age(self, province, client, settings):
        dossier = awaiting_payment(province)
        url = payment_link(dossier)
        settings.PAYMENT_LINK_DAYS = 0
        with time_machine.travel(at(2027, 1, 1, 9, 0), tick=False):
            assert client.post(url).status_code == 404
        settings.PAYMENT_LINK_DAYS = 30
        dossier.lookup_secret = "NEWSECR1"
        dossier.save(update_fields=["lookup_secret"])
        assert client.post(url).status_code == 404
        assert not PaymentIntent.objects.exists()

    def test_nothing_is_offered_or_started_unless_payment_was_requested(
        self, province, client
    ):
        # Received at the counter, fee due at the return: not awaiting payment.
        dossier = counter_residence(province)
        assert dossier.fees.get().status == FeeStatus.DUE
        assert "Thanh toán trực tuyến" not in lookup(client, dossier).content.decode()
        response = client.post(payment_link(dossier))
        assert response.status_code == 409
        assert not PaymentIntent.objects.exists()

    def test_the_code_alone_offers_no_payment(self, province, client):
        dossier = awaiting_payment(province)
        html = client.get("/lookup/", {"code": dossier.code}).content.decode()
        assert "/payments/pay/" not in html
