"""
The indicators whose data live in other apps (payments, portal sync, signed
e-results), once those apps are installed: skipped until they are merged.
The rows are written directly with the fields those apps' models had when
this was written; a failure after a merge means the contract moved.
"""

from datetime import timedelta

from django.apps import apps

import pytest

from motcua.supervision import periods
from motcua.supervision.selectors.index766 import index_766, index_766_by_agency
from motcua.testing.lifecycle import at

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not all(
            apps.is_installed(app)
            for app in ("motcua.payments", "motcua.documents", "motcua.integrations")
        ),
        reason="payments, documents and the portal sync are not in this branch yet",
    ),
]


def test_the_indicators_of_the_other_apps_when_they_are_installed(
    march, april_15, province
):
    d = march.d
    # D4 paid online; D1's payment at the counter is not online.
    intents = apps.get_model("payments", "PaymentIntent")
    intents.objects.create(
        reference="R1",
        dossier=d["D4"],
        amount=70000,
        provider="demo",
        channel="online",
        status="paid",
        paid_at=at(2026, 3, 12, 10),
        expires_at=at(2026, 3, 12, 11),
    )
    intents.objects.create(
        reference="R2",
        dossier=d["D1"],
        amount=20000,
        provider="counter",
        channel="counter",
        status="paid",
        paid_at=at(2026, 3, 6, 9),
        expires_at=at(2026, 3, 6, 10),
    )
    stored_file = apps.get_model("documents", "StoredFile")
    f = stored_file.objects.create(
        sha256="a" * 64,
        size=10,
        content_type="application/pdf",
        page_count=1,
        storage_name="x",
        kind="result",
    )
    results = apps.get_model("documents", "ResultDocument")
    r1 = results.objects.create(
        dossier=d["D1"],
        kind="result",
        issuing_agency=province.police_a,
        base_code="B1",
        code="C1",
        ma_loai_giay_to="KQ",
        so_dinh_danh="001099012345",
        ten_giay_to="x",
        file=f,
        signer_label="s",
        signer_plugin="demo",
        signed_at=at(2026, 3, 5, 10),
    )
    results.objects.create(
        dossier=d["D2"],
        kind="certified_copy",
        issuing_agency=province.police_a,
        base_code="B2",
        code="C2",
        ma_loai_giay_to="KQ",
        so_dinh_danh="001099012345",
        ten_giay_to="y",
        file=f,
        signer_label="s",
        signer_plugin="demo",
        signed_at=at(2026, 3, 6, 10),
    )
    store = apps.get_model("documents", "StoreEntry")
    store.objects.create(
        id_number="001099012345",
        document_code="C1",
        ma_loai_giay_to="KQ",
        ten_giay_to="x",
        source="result",
        result_document=r1,
    )
    sync = apps.get_model("integrations", "PortalSyncMessage")
    for name, sent in (("D1", True), ("D2", False)):
        for event in d[name].events.all():
            sync.objects.create(
                dossier=d[name],
                event=event,
                kind="status",
                portal_code=d[name].code or "x",
                portal_status=1,
                payload={},
                created_at=event.created_at,
                status="sent" if sent else "pending",
                sent_at=event.created_at
                + timedelta(minutes=20 if event.action == "receive" else 1)
                if sent
                else None,
            )
    index = index_766(periods.month(2026, 3))
    got = {
        i.code: (i.status, i.numerator, i.denominator, str(i.score))
        for i in index.indicators
    }
    assert got["PAYMENT_DOSSIERS"][:3] == ("scored", 1, 12)
    assert got["PAYMENT_PROCEDURES_USED"][:3] == ("scored", 1, 1)
    assert got["ORIGINAL_RESULT_AVAILABLE"][:3] == ("scored", 1, 9)
    assert got["SYNCED_WITH_DVCQG_PERSONAL_STORAGE"][:3] == ("scored", 1, 1)
    assert got["ELECTRONIC_CERTIFIED_COPY"][:3] == ("scored", 1, 1)
    # D1's updates all sent (one late); D2's still pending.
    assert got["DOSSIER_SYNC"][:3] == ("scored", 1, 12)
    assert (
        "1 hồ sơ có cập nhật gửi chậm quá 10 phút" in index.by_code("DOSSIER_SYNC").note
    )
    by = {r.key: r for r in index_766_by_agency(periods.month(2026, 3))}
    assert (
        by[province.police_a.pk].by_code("ELECTRONIC_CERTIFIED_COPY").score is not None
    )
