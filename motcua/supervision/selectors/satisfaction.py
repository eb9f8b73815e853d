"""
Citizen satisfaction per agency and per officer, from the counted ratings
(one per dossier, the first; docs/adr/0004-ratings.md), in both scoring
schemes: the 5-level mean and Circular 01/2018's points.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Avg, Case, Count, F, IntegerField, Q, Sum, Value, When
from django.db.models.functions import Coalesce

from motcua.dossiers.constants import StepStatus, Timeliness
from motcua.dossiers.models import DossierStep
from motcua.feedback import scoring
from motcua.feedback.constants import Criterion
from motcua.feedback.models import RatingAgency, RatingAnswer, RatingOfficer
from motcua.supervision.access import PROVINCE, Scope
from motcua.supervision.periods import Period

_HUNDREDTH = Decimal("0.01")


@dataclass
class Satisfaction:
    ratings: int = 0
    mean_level: Decimal | None = None
    satisfied: int = 0
    dissatisfied: int = 0
    # Circular 01/2018 index number → score (0–2, one decimal).
    tt01: dict[int, Decimal] = field(default_factory=dict)

    @property
    def satisfied_rate(self) -> Decimal | None:
        if not self.ratings:
            return None
        return (Decimal(self.satisfied * 100) / self.ratings).quantize(_HUNDREDTH)

    @property
    def enough(self) -> bool:
        """Whether there are enough ratings to rank on (``MOTCUA_RATING_MIN_SAMPLE``)."""
        return self.ratings >= settings.MOTCUA_RATING_MIN_SAMPLE


def _in_period(period: Period) -> Q:
    return Q(
        rating__counts=True,
        rating__submitted_at__gte=period.start,
        rating__submitted_at__lt=period.end,
    )


def _figures(qs, key: str) -> dict[int, Satisfaction]:
    rows = (
        qs.values(_key=F(key))
        .annotate(
            n=Count("rating"),
            mean=Avg("rating__mean_level"),
            satisfied=Count("rating", filter=Q(rating__satisfied=True)),
            dissatisfied=Count("rating", filter=Q(rating__dissatisfied=True)),
        )
        .order_by()
    )
    return {
        row["_key"]: Satisfaction(
            ratings=row["n"],
            mean_level=Decimal(row["mean"]).quantize(_HUNDREDTH, ROUND_HALF_UP)
            if row["mean"] is not None
            else None,
            satisfied=row["satisfied"],
            dissatisfied=row["dissatisfied"],
        )
        for row in rows
    }


def satisfaction_by_agency(
    period: Period, *, scope: Scope = PROVINCE
) -> dict[int, Satisfaction]:
    """Return each agency's satisfaction over the counted ratings of ``period``."""
    return _figures(
        RatingAgency.objects.filter(_in_period(period), scope.agency_filter("agency")),
        "agency",
    )


def satisfaction_by_officer(
    period: Period, *, scope: Scope = PROVINCE, agency_id: int | None = None
) -> dict[int, Satisfaction]:
    """
    Return each officer's satisfaction over the counted ratings of
    ``period``, with the Circular 01/2018 staff indexes 1, 3, 4 and 7 from
    the answers (index 2 comes from the steps: ``officer_step_figures``).
    """
    qs = RatingOfficer.objects.filter(_in_period(period), scope.agency_filter("agency"))
    if agency_id:
        qs = qs.filter(agency_id=agency_id)
    figures = _figures(qs, "officer")
    criteria = {
        c: i
        for c, i in scoring.TT01_INDEX_OF.items()
        if i in scoring.TT01_STAFF_INDEXES
    }
    answers = (
        RatingAnswer.objects.filter(
            rating__counts=True,
            rating__submitted_at__gte=period.start,
            rating__submitted_at__lt=period.end,
            rating__officers__officer__in=list(figures),
            criterion__in=[c.value for c in criteria],
        )
        .values("rating__officers__officer", "criterion")
        .annotate(points=Sum("points"), n=Count("pk"))
        .order_by()
    )
    for row in answers:
        index = criteria[Criterion(row["criterion"])]
        score = scoring.tt01_index_score(row["points"], row["n"])
        if score is not None:
            figures[row["rating__officers__officer"]].tt01[index] = score
    return figures


@dataclass
class StepFigures:
    """What an officer did with their steps in a period (the staff sheet's core)."""

    steps: int = 0
    early: int = 0
    on_time: int = 0
    late: int = 0
    used_minutes: int = 0
    allotted_minutes: int = 0
    tt01_points: int = 0

    @property
    def on_time_rate(self) -> Decimal | None:
        if not self.steps:
            return None
        return (Decimal((self.early + self.on_time) * 100) / self.steps).quantize(
            _HUNDREDTH
        )

    @property
    def tt01_index2(self) -> Decimal | None:
        """Circular 01/2018 index 2: own time against the allotted time."""
        return scoring.tt01_index_score(self.tt01_points, self.steps)


def officer_step_figures(
    period: Period, *, scope: Scope = PROVINCE, agency_id: int | None = None
) -> dict[int, StepFigures]:
    """Return, per officer, the steps they finished in ``period`` (one query)."""
    qs = DossierStep.objects.filter(
        status=StepStatus.DONE,
        completed_at__gte=period.start,
        completed_at__lt=period.end,
    ).filter(scope.agency_filter("agency"))
    if agency_id:
        qs = qs.filter(agency_id=agency_id)
    points = Case(
        When(timeliness=Timeliness.EARLY, then=Value(2)),
        When(timeliness=Timeliness.ON_TIME, then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    rows = (
        qs.annotate(_officer=Coalesce("assignee", "completed_by"))
        .filter(_officer__isnull=False)
        .values("_officer")
        .annotate(
            steps=Count("pk"),
            early=Count("pk", filter=Q(timeliness=Timeliness.EARLY)),
            on_time=Count("pk", filter=Q(timeliness=Timeliness.ON_TIME)),
            late=Count("pk", filter=Q(timeliness=Timeliness.LATE)),
            used=Coalesce(Sum("used_minutes"), 0),
            allotted=Coalesce(Sum("allotted_minutes"), 0),
            points=Coalesce(Sum(points), 0),
        )
        .order_by()
    )
    return {
        row["_officer"]: StepFigures(
            steps=row["steps"],
            early=row["early"],
            on_time=row["on_time"],
            late=row["late"],
            used_minutes=row["used"],
            allotted_minutes=row["allotted"],
            tt01_points=row["points"],
        )
        for row in rows
    }


def tt01_staff_total(
    satisfaction: Satisfaction | None, steps: StepFigures | None
) -> Decimal | None:
    """
    Return the officer's Circular 01/2018 total (indexes 1, 2, 3, 4, 7; at
    most 10); indexes without data are left out (Art.15(2)).
    """
    parts = dict(satisfaction.tt01) if satisfaction else {}
    if steps is not None and steps.tt01_index2 is not None:
        parts[2] = steps.tt01_index2
    if not parts:
        return None
    return sum(parts.values(), Decimal(0))
