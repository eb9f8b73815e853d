"""The Decision 766 index of the known month, indicator by indicator, by hand."""

from decimal import Decimal

from django.apps import apps

import pytest

from motcua.supervision import periods
from motcua.supervision.access import Scope
from motcua.supervision.models import Indicator
from motcua.supervision.selectors.index766 import (
    index_766,
    index_766_by_agency,
    score_ratio,
)

pytestmark = pytest.mark.django_db

MARCH = periods.month(2026, 3)


@pytest.mark.skipif(
    apps.is_installed("motcua.payments") or apps.is_installed("motcua.documents"),
    reason="expects the payment and e-result indicators without a source; "
    "test_index766_sources.py covers them once every source app is merged",
)
def test_every_indicator_of_the_province_in_march(march_feedback, april_15):
    index = index_766(MARCH)
    expected = {
        # code: (status, numerator, denominator, ratio, score)
        "PUBLISH_ON_TIME": ("no_data", None, 0, None, None),
        "PUBLIC_UPDATE_ON_TIME": ("no_source", None, None, None, None),
        # None of the three procedures lists its applicants.
        "PUBLIC_CONTENT_FULL": ("scored", 0, 3, "0.0000", "0.00"),
        "DOSSIER_SYNC": ("no_source", None, None, None, None),
        # (4 early + 4 on time + D12 in time + D13 paused in time) / 13.
        "PROGRESS_ON_TIME": ("scored", 10, 13, "0.7692", "15.38"),
        "AVG_PROCESSING_DAYS": ("info", Decimal("5.22"), 9, None, None),
        "ONLINE_PROCEDURES": ("info", 3, 3, "1.0000", None),
        # 1 of 12 online, target 50%: 1/12 / 0.5 × 12.
        "ONLINE_DOSSIERS": ("scored", 1, 12, "0.0833", "2.00"),
        "PAYMENT_PROCEDURES_OFFERED": ("scored", 1, 1, "1.0000", "2.00"),
        "PAYMENT_PROCEDURES_USED": ("no_source", None, None, None, None),
        "PAYMENT_DOSSIERS": ("no_source", None, None, None, None),
        "ORIGINAL_RESULT_AVAILABLE": ("no_source", None, None, None, None),
        # D1 scanned, D7 uploaded; target 80%: 2/12 / 0.8 × 4.
        "SO_HOA_GIAY_TO_GIAI_QUYET": ("scored", 2, 12, "0.1667", "0.83"),
        "ELECTRONIC_CERTIFIED_COPY": ("no_source", None, None, None, None),
        # D2 reused its proof of residence; target 80%: 1/12 / 0.8 × 2.
        "REUSED_DIGITIZED_DATA": ("scored", 1, 12, "0.0833", "0.21"),
        "SYNCED_WITH_DVCQG_PERSONAL_STORAGE": ("no_source", None, None, None, None),
        "CITIZEN_DATA_CONNECTED_FORMALITY": ("scored", 1, 1, "1.0000", "2.00"),
        "CITIZEN_DATA_CONNECTED_DOSSIER": ("scored", 12, 12, "1.0000", "2.00"),
        "PETITION_CLASSIFICATION": ("info", 2, 4, "0.5000", None),
        # P1 on time; P2 refused late; P4 overdue at the end.
        "PETITION_PROCESSING_ON_TIME": ("scored", 1, 3, "0.3333", "2.00"),
        "PETITION_HANDLING_SATISFACTION": ("scored", 1, 1, "1.0000", "6.00"),
        # 100% − 2/10 late − 1/3 dissatisfied = 46.67%, target 90%.
        "DOSSIER_RECEIVING_SATISFACTION": ("scored", None, None, "0.4667", "3.11"),
    }
    got = {
        i.code: (
            i.status,
            i.numerator,
            i.denominator,
            None if i.ratio is None else str(i.ratio),
            None if i.score is None else str(i.score),
        )
        for i in index.indicators
    }
    assert got == expected
    assert index.max_total == 100
    assert index.total == Decimal("35.53")
    assert index.measured_max == 64
    assert index.normalized == Decimal("55.52")
    assert [(g.group, g.score, g.max_score) for g in index.groups()] == [
        ("transparency", Decimal("0.00"), 18),
        ("progress", Decimal("15.38"), 20),
        ("online", Decimal("2.00"), 12),
        ("payment", Decimal("2.00"), 10),
        ("digitization", Decimal("5.04"), 22),
        ("satisfaction", Decimal("11.11"), 18),
    ]
    notes = {i.code: i.note for i in index.indicators}
    assert (
        "phân hệ thanh toán trực tuyến chưa được cài đặt" in notes["PAYMENT_DOSSIERS"]
    )
    assert (
        "20,00% hồ sơ quá hạn − 33,33% phiếu không hài lòng"
        in notes["DOSSIER_RECEIVING_SATISFACTION"]
    )


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
