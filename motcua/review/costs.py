"""
The standard cost model of a procedure's compliance cost, as used in
Vietnamese regulatory review (docs/review.md gives the formula and source):

    cost of one dossier = applicant hours × hourly wage + fees + other direct costs
    yearly cost         = cost of one dossier × dossiers per year

Pure functions: no database access. Amounts are whole đồng.
"""

from dataclasses import asdict, dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

_DONG = Decimal(1)


def _dong(value: Decimal) -> Decimal:
    return value.quantize(_DONG, rounding=ROUND_HALF_UP)


@dataclass(frozen=True, slots=True)
class CostFigures:
    """The compliance cost of a procedure: per dossier and per year."""

    hours: Decimal
    hourly_wage: Decimal
    fees: Decimal
    expenses: Decimal
    yearly_dossiers: int

    @property
    def time_cost(self) -> Decimal:
        return _dong(self.hours * self.hourly_wage)

    @property
    def per_dossier(self) -> Decimal:
        return _dong(self.time_cost + self.fees + self.expenses)

    @property
    def yearly(self) -> Decimal:
        return self.per_dossier * self.yearly_dossiers

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready snapshot (strings for decimals), as stored on proposals."""
        data = {k: str(v) for k, v in asdict(self).items()}
        data["yearly_dossiers"] = self.yearly_dossiers
        data["time_cost"] = str(self.time_cost)
        data["per_dossier"] = str(self.per_dossier)
        data["yearly"] = str(self.yearly)
        return data


def compliance_cost(
    *,
    hours: Decimal,
    hourly_wage: Decimal,
    fees: Decimal,
    expenses: Decimal,
    yearly_dossiers: int,
) -> CostFigures:
    """Return the cost figures; raise ValueError on a negative input."""
    for name, value in (
        ("hours", hours),
        ("hourly_wage", hourly_wage),
        ("fees", fees),
        ("expenses", expenses),
        ("yearly_dossiers", yearly_dossiers),
    ):
        if value < 0:
            raise ValueError(f"{name} must not be negative.")
    return CostFigures(
        Decimal(hours),
        Decimal(hourly_wage),
        _dong(fees),
        _dong(expenses),
        yearly_dossiers,
    )


def cost_after(
    before: CostFigures,
    *,
    hours_saved: Decimal = Decimal(0),
    expenses_saved: Decimal = Decimal(0),
    fees_saved: Decimal = Decimal(0),
    removed: bool = False,
) -> CostFigures:
    """
    Return the figures after a proposal: each saving is taken off its part
    (never below zero); a removed procedure costs nothing.
    """
    if removed:
        return CostFigures(
            Decimal(0),
            before.hourly_wage,
            Decimal(0),
            Decimal(0),
            before.yearly_dossiers,
        )
    return CostFigures(
        max(Decimal(0), before.hours - hours_saved),
        before.hourly_wage,
        max(Decimal(0), before.fees - _dong(fees_saved)),
        max(Decimal(0), before.expenses - _dong(expenses_saved)),
        before.yearly_dossiers,
    )


def annualise(count: int, days_measured: int) -> int:
    """
    Return the dossiers of a year from ``count`` received over
    ``days_measured`` days (a whole year returns the count itself).
    """
    if days_measured <= 0:
        return 0
    if days_measured >= 365:
        return count
    return int(
        (Decimal(count) * 365 / days_measured).quantize(_DONG, rounding=ROUND_HALF_UP)
    )
