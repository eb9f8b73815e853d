"""
The indicators whose data live in other apps (payments, the portal sync,
signed e-results and the personal data store), fed through those apps' own
services on top of the March scenario, with the values worked out by hand.

Payments add a dossier event (record_payment) only after the dossier's last
event; signing a result adds none. So the scenario's timeline, and every
other figure, stays as ``scenario.py`` says.
Without those apps the indicators say "no source":
``test_index766.py::test_without_their_apps_the_optional_indicators_have_no_source``.
"""

from decimal import Decimal

import pytest
import time_machine

from motcua.catalog.models import ResultType
from motcua.documents.services import certified_copy_issue, result_issue
from motcua.dossiers.access import PORTAL
from motcua.integrations.portal import client as portal_client
from motcua.integrations.portal.services import portal_sync_flush
from motcua.integrations.portal.simulator import PortalSimulator
from motcua.payments import protocol, signing
from motcua.payments.services import payment_handle_callback, payment_start
from motcua.supervision import periods
from motcua.supervision.selectors.index766 import index_766, index_766_by_agency
from motcua.testing.lifecycle import at
from motcua.testing.simulators import running

pytestmark = pytest.mark.django_db

MARCH = periods.month(2026, 3)
MERCHANT, PAYMENT_SECRET = "MOTCUA-TEST", "supervision-payment-secret"
RESIDENCE_RESULT = "KQ-THUONG-TRU"


@pytest.fixture
def gateway(settings):
    """Our gateway plugin configured; its callbacks are signed here."""
    settings.PAYMENT_PROVIDER = "hmac-gateway"
    settings.PAYMENT_GATEWAY_URL = "http://127.0.0.1:9"
    settings.PAYMENT_MERCHANT_ID = MERCHANT
    settings.PAYMENT_SECRET = PAYMENT_SECRET


@pytest.fixture
def portal(settings):
    """The portal simulator on loopback, our sync client pointed at it."""
    app = PortalSimulator(clients={"motcua-test": "portal-secret"}, seed=7)
    with running(app) as server:
        settings.PORTAL_BASE_URL = server.url
        settings.PORTAL_CLIENT_ID = "motcua-test"
        settings.PORTAL_SECRET = "portal-secret"
        portal_client._tokens.clear()
        yield server
    portal_client._tokens.clear()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def pay(dossier, *, actor, channel, started, paid, code=protocol.RC_SUCCESS):
    """Start a payment of the dossier's due fees, then the gateway's callback."""
    with time_machine.travel(started, tick=False):
        intent = payment_start(dossier, actor=actor, channel=channel).intent
    params = {
        "merchant_id": MERCHANT,
        "order_ref": intent.reference,
        "amount": str(int(intent.amount)),
        "currency": "VND",
        "transaction_id": f"TX{intent.pk:010d}",
        "response_code": code,
        "pay_date": protocol.format_time(paid),
        "bank_code": "TESTBANK",
    }
    with time_machine.travel(paid, tick=False):
        payment_handle_callback("hmac-gateway", signing.signed(params, PAYMENT_SECRET))
    intent.refresh_from_db()
    return intent


def flush(dossier, when):
    """Deliver the dossier's pending portal updates at ``when``."""
    with time_machine.travel(when, tick=False):
        return portal_sync_flush(dossier.pk)


def sign_result(p, dossier, when):
    with time_machine.travel(when, tick=False):
        return result_issue(
            dossier,
            actor=p.users["police_lead_a"],
            result_type_code=RESIDENCE_RESULT,
            fields={"trich_yeu": "Đăng ký thường trú"},
        )


def test_the_indicators_of_the_other_apps(march, province, gateway, portal):
    p, d = province, march.d
    ResultType.objects.create(
        version=p.procedures["residence"],
        code=RESIDENCE_RESULT,
        name="Xác nhận thông tin về cư trú",
    )

    # -- portal sync (D12 first: its payment below writes an April update).
    # D1: the portal was unreachable until 06/03 09:30; all six updates go
    # then, the first four days after D1's reception: synced, but slow.
    assert flush(d["D1"], at(2026, 3, 6, 9, 30)).sent == 6
    # D12: its one update (reception 30/03 09:00) a minute later.
    assert flush(d["D12"], at(2026, 3, 30, 9, 1)).sent == 1
    # D2: sent on 01/04, after the end of March: not synced in March, and not
    # "slow" either (that is for updates sent within the period).
    assert flush(d["D2"], at(2026, 4, 1, 9)).sent == 6

    # -- payments
    # D7 (online, resolved 19/03) pays its charge online on 20/03.
    paid_online = pay(
        d["D7"],
        actor=PORTAL,
        channel="online",
        started=at(2026, 3, 20, 10),
        paid=at(2026, 3, 20, 10, 5),
    )
    assert (paid_online.status, paid_online.amount) == ("paid", 10000)
    # ... and its updates, the payment's too, reach the portal ten minutes
    # later: synced, slow (the early ones waited days).
    assert flush(d["D7"], at(2026, 3, 20, 10, 15)).sent == 7
    # D8 pays by card at the counter through the same gateway: not online.
    pay(
        d["D8"],
        actor=p.users["reception_a"],
        channel="counter",
        started=at(2026, 3, 27, 9),
        paid=at(2026, 3, 27, 9, 2),
    )
    # D9's online payment is cancelled by the payer.
    cancelled = pay(
        d["D9"],
        actor=PORTAL,
        channel="online",
        started=at(2026, 3, 24, 9),
        paid=at(2026, 3, 24, 9, 5),
        code=protocol.RC_CANCELLED,
    )
    assert cancelled.status == "cancelled"
    # D12 pays online on 01/04: after the end of March.
    pay(
        d["D12"],
        actor=PORTAL,
        channel="online",
        started=at(2026, 4, 1, 7, 55),
        paid=at(2026, 4, 1, 8),
    )

    # -- signed e-results, each filed in the holder's personal data store.
    sign_result(p, d["D5"], at(2026, 3, 18, 8, 50))
    sign_result(p, d["D6"], at(2026, 3, 19, 8, 50))
    # D8's result is signed on 02/04 only: March counts it as without one.
    sign_result(p, d["D8"], at(2026, 4, 2, 9))
    # D9's result is a certified e-copy (the result of a certification).
    with time_machine.travel(at(2026, 3, 23, 9, 50), tick=False):
        copy = certified_copy_issue(
            d["D9"],
            original=[("ban-chinh.pdf", _one_page_pdf())],
            actor=p.users["police_lead_a"],
            document_name="Giấy xác nhận",
        )
    assert copy.kind == "certified_copy"

    with time_machine.travel(at(2026, 4, 15, 9), tick=False):
        index = index_766(MARCH)
        by_unit = {r.key: r for r in index_766_by_agency(MARCH)}
    got = {
        i.code: (i.status, i.numerator, i.denominator, str(i.ratio), str(i.score))
        for i in index.indicators
    }
    # 1.4: D1, D7, D12 of the 12 received in March had every March update
    # sent before 01/04 (D2 after it; the others still waiting). 3/12 × 6.
    assert got["DOSSIER_SYNC"] == ("scored", 3, 12, "0.2500", "1.50")
    assert (
        "2 hồ sơ có cập nhật gửi chậm quá 10 phút" in index.by_code("DOSSIER_SYNC").note
    )
    # 3.5b: residence registration, the one version with fees, was paid
    # online (D7). 1/1 × 2.
    assert got["PAYMENT_PROCEDURES_USED"] == ("scored", 1, 1, "1.0000", "2.00")
    # 3.6: D7 alone of the 12 owing the charge (D8 at the counter, D9
    # cancelled, D12 in April). 1/12 × 6 = 0.50.
    assert got["PAYMENT_DOSSIERS"] == ("scored", 1, 12, "0.0833", "0.50")
    # 4.1: D5, D6 (results) and D9 (certified copy) of the 9 approved in
    # March (D1–D9); D8's came in April. 3/9 × 6.
    assert got["ORIGINAL_RESULT_AVAILABLE"] == ("scored", 3, 9, "0.3333", "2.00")
    # 4.2b: one certified e-copy signed in March. 1/1 × 2.
    assert got["ELECTRONIC_CERTIFIED_COPY"] == ("scored", 1, 1, "1.0000", "2.00")
    # 4.4: the three are in the personal data store, filed when signed. 3/3 × 4.
    assert got["SYNCED_WITH_DVCQG_PERSONAL_STORAGE"] == (
        "scored",
        3,
        3,
        "1.0000",
        "4.00",
    )
    # Nothing else moved: progress still (4 early + 4 on time + D12 + D13) / 13.
    assert got["PROGRESS_ON_TIME"][1:3] == (10, 13)

    police = by_unit[p.police_a.pk]
    # The police resolves every dossier and signed the copy.
    assert police.by_code("ORIGINAL_RESULT_AVAILABLE").numerator == 3
    assert police.by_code("ELECTRONIC_CERTIFIED_COPY").score == Decimal("2.00")
    # Bình Minh received D2 only: synced after the period, paid at the counter.
    centre_b = by_unit[p.centre_b.pk]
    assert (
        centre_b.by_code("DOSSIER_SYNC").numerator,
        centre_b.by_code("DOSSIER_SYNC").denominator,
    ) == (0, 1)
    assert centre_b.by_code("PAYMENT_DOSSIERS").numerator == 0


def _one_page_pdf() -> bytes:
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
