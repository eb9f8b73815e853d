from decimal import Decimal

from django.db.models import Sum

import pytest

from motcua.dossiers.models import DossierFee
from motcua.review.costs import annualise, compliance_cost, cost_after
from motcua.review.selectors.costs import WageRateMissing, procedure_cost
from motcua.testing.lifecycle import at


def test_standard_cost_model():
    """(hours × wage + fees + other costs) × dossiers a year."""
    cost = compliance_cost(
        hours=Decimal("3.5"),
        hourly_wage=Decimal(60000),
        fees=Decimal(20000),
        expenses=Decimal(15000),
        yearly_dossiers=1200,
    )

    assert cost.time_cost == 210000
    assert cost.per_dossier == 245000
    assert cost.yearly == 294_000_000


def test_cost_after_takes_each_saving_off_its_part_never_below_zero():
    before = compliance_cost(
        hours=Decimal(2),
        hourly_wage=Decimal(50000),
        fees=Decimal(10000),
        expenses=Decimal(5000),
        yearly_dossiers=100,
    )

    after = cost_after(
        before,
        hours_saved=Decimal("1.5"),
        expenses_saved=Decimal(9000),
        fees_saved=Decimal(10000),
    )

    assert (after.hours, after.fees, after.expenses) == (Decimal("0.5"), 0, 0)
    assert after.per_dossier == 25000
    assert before.yearly - after.yearly == (115000 - 25000) * 100
    assert cost_after(before, removed=True).yearly == 0


def test_negative_inputs_are_refused():
    with pytest.raises(ValueError, match="hours"):
        compliance_cost(
            hours=Decimal(-1),
            hourly_wage=Decimal(1),
            fees=Decimal(0),
            expenses=Decimal(0),
            yearly_dossiers=0,
        )


@pytest.mark.parametrize(
    ("count", "days", "expected"),
    [(15, 104, 53), (100, 365, 100), (100, 366, 100), (0, 10, 0), (5, 0, 0)],
)
def test_annualise(count, days, expected):
    assert annualise(count, days) == expected


@pytest.mark.django_db
def test_procedure_cost_from_our_dossiers(march, costs):
    """
    By 15/04/2026, 15 residence dossiers were received (D0, D3, March's 12,
    D14): 104 days of the year, so 53 a year; their fees are the average
    actually charged, waived ones excepted.
    """
    cost = procedure_cost(costs, 2026, now=at(2026, 4, 15, 9))

    charged = DossierFee.objects.filter(
        dossier__procedure_version__procedure=costs
    ).aggregate(total=Sum("amount"))["total"]
    assert cost.yearly_dossiers == 53
    assert cost.hours == Decimal("3.5")
    assert cost.hourly_wage == 60000
    assert cost.expenses == 15000
    assert cost.fees == (Decimal(charged) / 15).quantize(Decimal(1))
    assert cost.per_dossier == 210000 + cost.fees + 15000
    assert cost.yearly == cost.per_dossier * 53


@pytest.mark.django_db
def test_procedure_cost_needs_a_wage_rate(province):
    with pytest.raises(WageRateMissing):
        procedure_cost(province.procedures["birth"].procedure, 2026)


@pytest.mark.django_db
def test_procedure_cost_without_dossiers_uses_the_catalog_fees(province, costs):
    cost = procedure_cost(costs, 2026, now=at(2026, 1, 20, 9))

    # The general fee (20,000), not the online one.
    assert cost.fees == 20000
    assert cost.yearly_dossiers == 0
