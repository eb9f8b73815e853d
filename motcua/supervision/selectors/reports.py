"""
The periodic reports of the one-stop centre's head (Decree 118/2025 Art.9):

- the monthly staff sheet (Art.9(3)): for each officer of a unit, the work
  done, time used against allotments, lateness charged, breaches and the
  citizens' ratings, with the Circular 01/2018 staff score;
- the quarterly agency pack (Art.9(2)): the agency's statistics by sector,
  its Decision 766 index, satisfaction, PAKN, apologies issued, the lateness
  ledger and its officers.
"""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, Q

from motcua.accounts.models import StaffMembership
from motcua.dossiers.models import Dossier, Extension
from motcua.feedback import scoring
from motcua.feedback.constants import Criterion
from motcua.feedback.models import RatingAnswer
from motcua.supervision.access import Scope
from motcua.supervision.periods import Period
from motcua.supervision.selectors.index766 import IndexResult, index_766
from motcua.supervision.selectors.ledger import LedgerReport, ledger_for_period
from motcua.supervision.selectors.rankings import RankRow, officer_rankings
from motcua.supervision.selectors.satisfaction import (
    Satisfaction,
    StepFigures,
    officer_step_figures,
    satisfaction_by_agency,
    satisfaction_by_officer,
    tt01_staff_total,
)
from motcua.supervision.selectors.statistics import (
    StatFilters,
    StatRow,
    dossier_statistics,
)
from motcua.units.models import Agency


@dataclass
class StaffSheetRow:
    officer_id: int
    name: str
    role: str
    title: str
    seconded_from: str
    received: int
    steps: StepFigures
    satisfaction: Satisfaction
    ledger_minutes: int
    breaches: int
    tt01_total: Decimal | None

    @property
    def tt01_band(self) -> str:
        return (
            scoring.tt01_staff_band(self.tt01_total)
            if self.tt01_total is not None
            else ""
        )


@dataclass
class StaffSheet:
    period: Period
    agency: Agency
    rows: list[StaffSheetRow]


def staff_sheet(
    period: Period, agency: Agency, *, now: datetime | None = None
) -> StaffSheet:
    """Return the monthly staff sheet of ``agency`` (Decree 118 Art.9(3))."""
    scope = Scope(False, frozenset({agency.pk}))
    memberships = list(
        StaffMembership.objects.filter(
            agency=agency,
            is_active=True,
            valid_from__lte=period.last,
        )
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=period.first))
        .select_related("user", "seconded_from")
        .order_by("user__full_name", "pk")
    )
    steps = officer_step_figures(period, scope=scope, agency_id=agency.pk)
    ratings = satisfaction_by_officer(period, scope=scope, agency_id=agency.pk)
    ledger = ledger_for_period(period, scope=scope, now=now)
    charged = {t.key: t for t in ledger.officers}
    received = dict(
        Dossier.objects.filter(
            receiving_centre=agency,
            received_at__gte=period.start,
            received_at__lt=period.end,
            received_by__isnull=False,
        )
        .values_list("received_by")
        .annotate(n=Count("pk"))
        .values_list("received_by", "n")
    )
    rows: list[StaffSheetRow] = []
    seen: set[int] = set()
    for membership in memberships:
        user = membership.user
        if user.pk in seen:
            continue
        seen.add(user.pk)
        step = steps.get(user.pk, StepFigures())
        rating = ratings.get(user.pk, Satisfaction())
        total = charged.get(user.pk)
        rows.append(
            StaffSheetRow(
                officer_id=user.pk,
                name=user.display_name,
                role=membership.get_role_display(),
                title=membership.title,
                seconded_from=str(membership.seconded_from or ""),
                received=received.get(user.pk, 0),
                steps=step,
                satisfaction=rating,
                ledger_minutes=total.over_minutes if total else 0,
                breaches=total.breaches if total else 0,
                tt01_total=tt01_staff_total(rating, step if step.steps else None),
            )
        )
    return StaffSheet(period=period, agency=agency, rows=rows)


@dataclass
class CriterionScore:
    criterion: str
    label: str
    answers: int
    mean_level: Decimal | None
    tt01: Decimal | None


@dataclass
class AgencyPack:
    period: Period
    agency: Agency
    as_competent: tuple[list[StatRow], StatRow]
    as_centre: tuple[list[StatRow], StatRow]
    index: IndexResult
    satisfaction: Satisfaction
    criteria: list[CriterionScore]
    extensions: int
    ledger: LedgerReport
    officers: list[RankRow] = field(default_factory=list)


def criteria_scores(period: Period, agency: Agency) -> list[CriterionScore]:
    """Return the mean level and Circular 01/2018 score of each criterion for ``agency``."""
    rows = {
        row["criterion"]: row
        for row in RatingAnswer.objects.filter(
            rating__counts=True,
            rating__submitted_at__gte=period.start,
            rating__submitted_at__lt=period.end,
            rating__agencies__agency=agency,
        )
        .values("criterion")
        .annotate(n=Count("pk"), level=Avg("level"), points=Avg("points"))
        .order_by()
    }
    result = []
    for criterion in Criterion:
        row = rows.get(criterion.value)
        result.append(
            CriterionScore(
                criterion=criterion.value,
                label=str(criterion.label),
                answers=row["n"] if row else 0,
                mean_level=Decimal(row["level"]).quantize(
                    Decimal("0.01"), ROUND_HALF_UP
                )
                if row
                else None,
                tt01=Decimal(row["points"]).quantize(Decimal("0.1"), ROUND_HALF_UP)
                if row
                else None,
            )
        )
    return result


def agency_pack(
    period: Period, agency: Agency, *, now: datetime | None = None
) -> AgencyPack:
    """Return the quarterly pack of ``agency`` (Decree 118 Art.9(2))."""
    scope = Scope(False, frozenset({agency.pk}))
    return AgencyPack(
        period=period,
        agency=agency,
        as_competent=dossier_statistics(
            period,
            group="sector",
            filters=StatFilters(competent_agency_id=agency.pk),
            now=now,
        ),
        as_centre=dossier_statistics(
            period,
            group="agency",
            filters=StatFilters(receiving_centre_id=agency.pk),
            now=now,
        ),
        index=index_766(period, scope=scope, label=agency.name, now=now),
        satisfaction=satisfaction_by_agency(period, scope=scope).get(
            agency.pk, Satisfaction()
        ),
        criteria=criteria_scores(period, agency),
        extensions=Extension.objects.filter(
            agency=agency, requested_at__gte=period.start, requested_at__lt=period.end
        ).count(),
        ledger=ledger_for_period(period, scope=scope, now=now),
        officers=officer_rankings(period, scope=scope, agency_id=agency.pk, now=now),
    )
