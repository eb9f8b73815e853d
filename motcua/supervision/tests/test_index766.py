"""The Decision 766 index of the known month, indicator by indicator, by hand."""

from decimal import Decimal

import pytest

from motcua.supervision import periods
from motcua.supervision.access import Scope
from motcua.supervision.models import Indicator
from motcua.supervision.selectors import index766
from motcua.supervision.selectors.index766 import (
    index_766,
    index_766_by_agency,
    score_ratio,
)

pytestmark = pytest.mark.django_db

MARCH = periods.month(2026, 3)


# The scenario alone, with payments, the portal sync and documents installed:
# their sources exist but hold nothing that earns points.
EXPECTED_MARCH = {
    # code: (status, numerator, denominator, ratio, score)
    "PUBLISH_ON_TIME": ("no_data", None, 0, None, None),
    "PUBLIC_UPDATE_ON_TIME": ("no_source", None, None, None, None),
    # None of the three procedures lists its applicants.
    "PUBLIC_CONTENT_FULL": ("scored", 0, 3, "0.0000", "0.00"),
    # Each of the 12 dossiers received in March (D1, D2, D4–D13) has portal
    # updates written in March, and none was sent: no portal is configured in
    # the tests, so they all wait in the outbox. 0/12 × 6.
    "DOSSIER_SYNC": ("scored", 0, 12, "0.0000", "0.00"),
    # (4 early + 4 on time + D12 in time + D13 paused in time) / 13.
    "PROGRESS_ON_TIME": ("scored", 10, 13, "0.7692", "15.38"),
    "AVG_PROCESSING_DAYS": ("info", Decimal("5.22"), 9, None, None),
    "ONLINE_PROCEDURES": ("info", 3, 3, "1.0000", None),
    # 1 of 12 online, target 50%: 1/12 / 0.5 × 12.
    "ONLINE_DOSSIERS": ("scored", 1, 12, "0.0833", "2.00"),
    "PAYMENT_PROCEDURES_OFFERED": ("scored", 1, 1, "1.0000", "2.00"),
    # Residence registration (the one version with fees) has no payment
    # intent: D4's obligation was confirmed by the payment actor directly and
    # D1, D2, D4 paid cash at the counter on return. 0/1 × 2.
    "PAYMENT_PROCEDURES_USED": ("scored", 0, 1, "0.0000", "0.00"),
    # All 12 dossiers received in March owe the residence charge; none paid
    # online. 0/12 × 6.
    "PAYMENT_DOSSIERS": ("scored", 0, 12, "0.0000", "0.00"),
    # D1–D9 approved and resolved in March; the lifecycle tests resolve
    # without signed e-results (MOTCUA_RESOLVE_CHECKS is empty). 0/9 × 6.
    "ORIGINAL_RESULT_AVAILABLE": ("scored", 0, 9, "0.0000", "0.00"),
    # D1 scanned, D7 uploaded; target 80%: 2/12 / 0.8 × 4.
    "SO_HOA_GIAY_TO_GIAI_QUYET": ("scored", 2, 12, "0.1667", "0.83"),
    # No certified e-copy signed in March: 0/1 × 2.
    "ELECTRONIC_CERTIFIED_COPY": ("scored", 0, 1, "0.0000", "0.00"),
    # D2 reused its proof of residence; target 80%: 1/12 / 0.8 × 2.
    "REUSED_DIGITIZED_DATA": ("scored", 1, 12, "0.0833", "0.21"),
    # No e-result, so nothing to find in the personal data store.
    "SYNCED_WITH_DVCQG_PERSONAL_STORAGE": ("no_data", None, 0, None, None),
    "CITIZEN_DATA_CONNECTED_FORMALITY": ("scored", 1, 1, "1.0000", "2.00"),
    "CITIZEN_DATA_CONNECTED_DOSSIER": ("scored", 12, 12, "1.0000", "2.00"),
    "PETITION_CLASSIFICATION": ("info", 2, 4, "0.5000", None),
    # P1 on time; P2 refused late; P4 overdue at the end.
    "PETITION_PROCESSING_ON_TIME": ("scored", 1, 3, "0.3333", "2.00"),
    "PETITION_HANDLING_SATISFACTION": ("scored", 1, 1, "1.0000", "6.00"),
    # 100% − 2/10 late − 1/3 dissatisfied = 46.67%, target 90%.
    "DOSSIER_RECEIVING_SATISFACTION": ("scored", None, None, "0.4667", "3.11"),
}
# The indicators read from payments, the portal sync and documents.
OPTIONAL_SOURCES = (
    "DOSSIER_SYNC",
    "PAYMENT_PROCEDURES_USED",
    "PAYMENT_DOSSIERS",
    "ORIGINAL_RESULT_AVAILABLE",
    "ELECTRONIC_CERTIFIED_COPY",
    "SYNCED_WITH_DVCQG_PERSONAL_STORAGE",
)


def _table(index):
    return {
        i.code: (
            i.status,
            i.numerator,
            i.denominator,
            None if i.ratio is None else str(i.ratio),
            None if i.score is None else str(i.score),
        )
        for i in index.indicators
    }


def test_every_indicator_of_the_province_in_march(march_feedback, april_15):
    index = index_766(MARCH)
    assert _table(index) == EXPECTED_MARCH
    assert index.max_total == 100
    assert index.total == Decimal("35.53")
    # 64 as before, and the five optional indicators that now score:
    # 1.4 (6) + 3.5b (2) + 3.6 (6) + 4.1 (6) + 4.2b (2) = 86; 4.4 has no data.
    assert index.measured_max == 86
    # 35.53 × 100 / 86 = 41.313…
    assert index.normalized == Decimal("41.31")
    assert [(g.group, g.score, g.max_score) for g in index.groups()] == [
        ("transparency", Decimal("0.00"), 18),
        ("progress", Decimal("15.38"), 20),
        ("online", Decimal("2.00"), 12),
        ("payment", Decimal("2.00"), 10),
        ("digitization", Decimal("5.04"), 22),
        ("satisfaction", Decimal("11.11"), 18),
    ]
    notes = {i.code: i.note for i in index.indicators}
    assert notes["DOSSIER_SYNC"].startswith("Đồng bộ đủ:")
    assert "gửi chậm" not in notes["DOSSIER_SYNC"]
    assert (
        "20,00% hồ sơ quá hạn − 33,33% phiếu không hài lòng"
        in notes["DOSSIER_RECEIVING_SATISFACTION"]
    )


def test_without_their_apps_the_optional_indicators_have_no_source(
    march_feedback, april_15, monkeypatch
):
    """
    A deployment without payments, the portal sync or documents: their
    indicators say so, score nothing and leave the measured maximum.
    """
    monkeypatch.setattr(index766.Source, "get", lambda self: None)
    index = index_766(MARCH)
    no_source = ("no_source", None, None, None, None)
    assert _table(index) == EXPECTED_MARCH | dict.fromkeys(OPTIONAL_SOURCES, no_source)
    assert index.total == Decimal("35.53")
    assert index.measured_max == 64
    assert index.normalized == Decimal("55.52")
    notes = {i.code: i.note for i in index.indicators}
    assert (
        "phân hệ thanh toán trực tuyến chưa được cài đặt" in notes["PAYMENT_DOSSIERS"]
    )
    assert "đồng bộ Cổng DVC quốc gia" in notes["DOSSIER_SYNC"]
    assert "kết quả điện tử" in notes["ELECTRONIC_CERTIFIED_COPY"]
    by_unit = index_766_by_agency(MARCH)
    assert {r.by_code("PAYMENT_DOSSIERS").status for r in by_unit} == {"no_source"}


def test_a_source_whose_app_is_not_installed_is_missing():
    assert index766.PAYMENTS.get() is not None
    absent = index766.Source("motcua.absent", "absent", "Thing", "không có")
    assert absent.get() is None
    # Installed, but the model is not (yet) there.
    renamed = index766.Source("motcua.payments", "payments", "Missing", "x")
    assert renamed.get() is None


def test_each_agency_gets_its_own_index(march_feedback, april_15, province):
    by_unit = {r.key: r for r in index_766_by_agency(MARCH)}
    police, centre_a, centre_b = (
        by_unit[province.police_a.pk],
        by_unit[province.centre_a.pk],
        by_unit[province.centre_b.pk],
    )
    progress = "PROGRESS_ON_TIME"
    # The police resolves all 13; An Hòa received 12 (all but D2); Bình Minh D2.
    assert (
        police.by_code(progress).numerator,
        police.by_code(progress).denominator,
    ) == (10, 13)
    assert (
        centre_a.by_code(progress).numerator,
        centre_a.by_code(progress).denominator,
    ) == (9, 12)
    assert centre_b.by_code(progress).score == Decimal("20.00")
    # PAKN assigned to each; P3 and P4 unassigned count for the province only.
    assert centre_a.by_code("PETITION_PROCESSING_ON_TIME").score == Decimal("6.00")
    assert police.by_code("PETITION_PROCESSING_ON_TIME").score == Decimal("0.00")
    # The police handled the three rated dossiers, one rating dissatisfied.
    assert (
        "33,33% phiếu không hài lòng"
        in police.by_code("DOSSIER_RECEIVING_SATISFACTION").note
    )
    # A centre has no procedures of its own: the catalog indicators have no data.
    assert centre_a.by_code("PUBLIC_CONTENT_FULL").status == "no_data"
    # One unit asked alone gets the same figures as in the table.
    alone = index_766(MARCH, scope=Scope(False, frozenset({province.centre_b.pk})))
    assert alone.by_code(progress).ratio == centre_b.by_code(progress).ratio


def test_targets_and_maximums_are_data(march_feedback, april_15):
    Indicator.objects.filter(code="ONLINE_DOSSIERS").update(target=Decimal("0.05"))
    Indicator.objects.filter(code="PROGRESS_ON_TIME").update(max_score=Decimal("10"))
    Indicator.objects.filter(code="PUBLIC_CONTENT_FULL").update(is_active=False)
    index = index_766(MARCH)
    assert index.by_code("ONLINE_DOSSIERS").score == Decimal("12.00")
    assert index.by_code("PROGRESS_ON_TIME").score == Decimal("7.69")
    assert "PUBLIC_CONTENT_FULL" not in {i.code for i in index.indicators}


def test_the_seeded_indicators_add_up_to_100_in_six_groups():
    rows = Indicator.objects.all()
    assert sum(i.max_score for i in rows) == 100
    assert rows.count() == 22
    assert {i.group for i in rows} == {
        "transparency",
        "progress",
        "online",
        "payment",
        "digitization",
        "satisfaction",
    }


@pytest.mark.parametrize(
    ("ratio", "maximum", "target", "score"),
    [
        ("0.5", "12", "0.5", "12.00"),
        ("0.25", "12", "0.5", "6.00"),
        ("0.8771", "20", None, "17.54"),  # Phú Thọ 2026: 87.71% → 17.54
        ("1", "6", "0.9", "6.00"),
        ("0", "6", None, "0.00"),
    ],
)
def test_the_generic_scoring_rule(ratio, maximum, target, score):
    assert score_ratio(
        Decimal(ratio),
        max_score=Decimal(maximum),
        target=Decimal(target) if target else None,
    ) == Decimal(score)


def test_the_index_costs_a_bounded_number_of_queries(
    march_feedback, april_15, django_assert_max_num_queries
):
    with django_assert_max_num_queries(14):
        index_766(MARCH)
    with django_assert_max_num_queries(16):
        index_766_by_agency(periods.year(2026))


def test_the_seed_migration_reverses_and_applies_again():
    import importlib

    from django.apps import apps

    seed = importlib.import_module("motcua.supervision.migrations.0002_seed_indicators")
    Indicator.objects.filter(code="PROGRESS_ON_TIME").update(max_score=Decimal("1"))
    seed.unseed(apps, None)
    assert not Indicator.objects.exists()
    seed.seed(apps, None)
    seed.seed(apps, None)  # idempotent
    assert Indicator.objects.count() == 22
    assert Indicator.objects.get(code="PROGRESS_ON_TIME").max_score == 20
