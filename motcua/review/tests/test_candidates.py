from decimal import Decimal

import pytest

from motcua.review.selectors.candidates import simplification_candidates
from motcua.supervision import periods
from motcua.supervision.selectors.statistics import dossier_statistics

pytestmark = pytest.mark.django_db

MARCH = periods.month(2026, 3)


def _by_code(found):
    return {c.code: c for c in found}


def test_rates_of_the_march_province(march, april_15):
    """Every figure of the residence procedure, from the known scenario."""
    c = _by_code(simplification_candidates(MARCH))["1.004222"]

    # D1, D2, D4–D13 received in March; D3 came from February.
    assert c.received == 12
    # D9 (twice), D13 and D12 were asked for a supplement.
    assert (c.supplement_dossiers, c.supplement_requests) == (3, 4)
    assert c.supplement_rate == Decimal("25.0")
    assert c.supplement_items[0] == ("Giấy tờ chứng minh chỗ ở hợp pháp", 1)
    # Finished in March: D1–D9 and D11; late: D8 and D9.
    assert (c.finished, c.late) == (10, 2)
    assert c.late_rate == Decimal("20.0")
    # 24 components; only D2's proof of residence came from the data store.
    assert sum(u.total for u in c.components) == 24
    assert sum(u.electronic for u in c.components) == 1
    assert c.electronic_rate == Decimal("4.2")
    proof = next(u for u in c.components if u.name.startswith("Giấy tờ chứng minh"))
    assert (proof.total, proof.electronic, proof.supplement_requests) == (12, 1, 1)
    # Ratings: D1 satisfied, D4 dissatisfied; one PAKN about D8.
    assert (c.ratings, c.dissatisfied, c.feedback) == (2, 1, 1)
    # 7 working days; the processing time is supervision's own figure.
    assert c.legal_days == Decimal("7.00")
    stats = {r.key: r for r in dossier_statistics(MARCH, group="procedure")[0]}
    row = stats[c.procedure_id]
    assert c.avg_days == row.avg_processing_days
    assert c.results == row.processing_count == 9
    # The ledger: D8 and D10 overran the appraisal; D9's second request
    # breached the once-only rule.
    top = c.late_steps[0]
    assert top.label == "Thẩm định, xác minh"
    assert top.dossiers == 2
    # D8: 16/03 10:00 → 25/03 10:00 is 7 working days, 3 over its 4;
    # D10: 16/03 15:00 → end of March, 150 + 11 × 480 minutes, 4 days allotted.
    assert top.over_minutes == 3 * 480 + (150 + 11 * 480 - 4 * 480)
    assert any("bổ sung" in s.label for s in c.late_steps)


def test_signals_and_ranking(march, april_15):
    found = simplification_candidates(MARCH)
    by_code = _by_code(found)
    residence, birth = by_code["1.004222"], by_code["1.001193"]

    assert [s.code for s in residence.signals] == ["late", "satisfaction", "supplement"]
    # 20% late ÷ 10% → 2 (the cap); 50% dissatisfied ÷ 20% → 2; 25% ÷ 20%.
    assert residence.score == Decimal("5.25")
    # Every birth registration took the marriage certificate from the database.
    assert [s.code for s in birth.signals] == ["electronic"]
    assert birth.score == Decimal("1.25")
    assert (residence.rank, birth.rank) == (1, 2)
    assert found[:2] == [residence, birth]


def test_too_few_dossiers_are_not_ranked_and_one_procedure_only(march, april_15):
    residence = _by_code(simplification_candidates(periods.month(2026, 4)))["1.004222"]
    # April: D14 received, D10 finished.
    assert residence.received == 1
    assert residence.rank is None

    found = simplification_candidates(
        MARCH, procedure_id=march.p.procedures["birth"].procedure_id
    )

    assert [c.code for c in found] == ["1.001193"]
    assert found[0].received == 5


def test_queries_do_not_grow_with_dossiers(
    march, april_15, django_assert_max_num_queries
):
    # Aggregates per procedure, plus the ledger's fixed set of reads.
    with django_assert_max_num_queries(30):
        simplification_candidates(MARCH)
