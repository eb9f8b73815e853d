"""
Early warnings: which open dossiers will probably miss their due time.

The model (docs/supervision.md, "Risk model"): for each dossier whose clock
runs, the work still ahead is the remaining allotment of its steps scaled by
how fast each step's unit usually works — the median of used ÷ allotted
minutes of the same step of the same procedure in that unit over the last
``HISTORY_DAYS`` (at least ``MIN_SAMPLES`` finished steps; else the unit's
median for that kind of step; else 1, the allotment itself). Parallel steps
of an inter-agency stage count once, by their slowest lane. The slack is the
working time left before the due time minus that expected work:

- overdue: the due time has passed (or the dossier already counts late);
- high: the slack is negative — at the usual pace it will be late;
- medium: less than one working day of slack — due soon;
- low: otherwise.

Nothing is sent from here: the notifications app calls ``dossiers_at_risk``
and sends the reminders (to ``officer_ids`` and ``centre_head_ids``).
"""

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Prefetch
from django.utils import timezone

from motcua.accounts.constants import Role
from motcua.accounts.models import StaffMembership
from motcua.catalog.constants import StepKind
from motcua.core.calendar import LOCAL_TZ, CalendarRangeError, WorkingCalendar
from motcua.dossiers import deadlines
from motcua.dossiers.constants import DossierStatus, StepStatus
from motcua.dossiers.models import Dossier, DossierStep
from motcua.supervision.access import PROVINCE, Scope
from motcua.supervision.selectors.statistics import agency_calendars
from motcua.units.calendars import get_calendar

HISTORY_DAYS = 180
MIN_SAMPLES = 5
# A step already past its usual pace still needs some time to finish.
MIN_REMAINING_SHARE = 0.1
# The pace is kept within these bounds: a few extreme steps do not decide.
PACE_BOUNDS = (0.1, 5.0)
LEVELS = ("overdue", "high", "medium", "low")
RUNNING = (
    DossierStatus.RECEIVED,
    DossierStatus.IN_PROGRESS,
    DossierStatus.WITHDRAWAL_REQUESTED,
)


@dataclass
class StepForecast:
    step: DossierStep
    pace: float
    pace_samples: int
    expected_minutes: int


@dataclass
class RiskAssessment:
    dossier: Dossier
    level: str
    remaining_minutes: int  # working minutes until the due time (negative: past)
    expected_minutes: int  # expected working minutes of work still ahead
    predicted_finish: datetime | None
    active: list[StepForecast] = field(default_factory=list)
    officer_ids: list[int] = field(default_factory=list)
    centre_head_ids: list[int] = field(default_factory=list)
    may_extend: bool = False
    extend_before: datetime | None = None
    suggested_due_at: datetime | None = None

    @property
    def slack_minutes(self) -> int:
        return self.remaining_minutes - self.expected_minutes

    @property
    def suggest_extension(self) -> bool:
        """Suggest the apology and extension (Mẫu 04) while it is still allowed."""
        return self.may_extend and self.level == "high"


def _bounded(pace: float) -> float:
    return min(max(pace, PACE_BOUNDS[0]), PACE_BOUNDS[1])


@dataclass
class PaceTable:
    """Median used ÷ allotted of finished steps, by unit, procedure and step."""

    by_step: dict[tuple[int, int, int], list[float]]
    by_kind: dict[tuple[int, str], list[float]]

    def pace(
        self, agency_id: int, procedure_id: int, order: int, kind: str
    ) -> tuple[float, int]:
        samples = self.by_step.get((agency_id, procedure_id, order), [])
        if len(samples) >= MIN_SAMPLES:
            return _bounded(statistics.median(samples)), len(samples)
        samples = self.by_kind.get((agency_id, kind), [])
        if len(samples) >= MIN_SAMPLES:
            return _bounded(statistics.median(samples)), len(samples)
        return 1.0, 0


def pace_table(*, at: datetime) -> PaceTable:
    """Return the pace of every unit's steps over the last ``HISTORY_DAYS`` (one query)."""
    by_step: dict[tuple[int, int, int], list[float]] = defaultdict(list)
    by_kind: dict[tuple[int, str], list[float]] = defaultdict(list)
    rows = DossierStep.objects.filter(
        status=StepStatus.DONE,
        completed_at__gte=at - timedelta(days=HISTORY_DAYS),
        completed_at__lt=at,
        allotted_minutes__gt=0,
        used_minutes__isnull=False,
    ).values_list(
        "agency_id",
        "dossier__procedure_version__procedure_id",
        "order",
        "kind",
        "used_minutes",
        "allotted_minutes",
    )
    for agency_id, procedure_id, order, kind, used, allotted in rows.iterator():
        ratio = used / allotted
        by_step[(agency_id, procedure_id, order)].append(ratio)
        by_kind[(agency_id, kind)].append(ratio)
    return PaceTable(by_step=by_step, by_kind=by_kind)


def _forecast(
    dossier: Dossier, calendar: WorkingCalendar, paces: PaceTable, at: datetime
) -> tuple[int, list[StepForecast]]:
    """Return (expected working minutes ahead, forecasts of the active steps)."""
    procedure_id = dossier.procedure_version.procedure_id
    blocks: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    active: list[StepForecast] = []
    for step in dossier.steps.all():
        if step.kind == StepKind.RETURN or step.status in (
            StepStatus.DONE,
            StepStatus.SKIPPED,
        ):
            continue
        pace, samples = paces.pace(step.agency_id, procedure_id, step.order, step.kind)
        expected = step.allotted_minutes * pace
        if step.status == StepStatus.ACTIVE and step.started_at is not None:
            elapsed = max(0, calendar.working_minutes_between(step.started_at, at))
            expected = max(
                expected - elapsed, step.allotted_minutes * MIN_REMAINING_SHARE
            )
            active.append(StepForecast(step, pace, samples, round(expected)))
        blocks[step.block][step.lane] += round(expected)
    return sum(max(lanes.values()) for lanes in blocks.values()), active


def dossiers_at_risk(
    at: datetime | None = None,
    *,
    scope: Scope = PROVINCE,
    levels: tuple[str, ...] = ("overdue", "high", "medium"),
) -> list[RiskAssessment]:
    """
    Return the open dossiers (clock running) at risk of missing their due
    time at ``at`` (now), most urgent first, each with who should be
    reminded: the officers of its active steps (or their unit's leaders when
    unassigned) and the heads of its receiving centre; and whether the
    apology and extension may still be issued (Decree 118 Art.19(6)).

    A bounded number of queries whatever the number of dossiers.
    """
    at = at or timezone.now()
    dossiers = list(
        Dossier.objects.filter(
            scope.dossier_filter(),
            status__in=RUNNING,
            received_at__isnull=False,
            due_at__isnull=False,
        )
        .select_related("procedure_version", "receiving_centre", "competent_agency")
        .prefetch_related(
            Prefetch(
                "steps",
                queryset=DossierStep.objects.select_related(
                    "agency", "assignee"
                ).order_by("order"),
            )
        )
        .order_by("due_at", "pk")
    )
    if not dossiers:
        return []
    calendars = agency_calendars()
    default = get_calendar(None)
    paces = pace_table(at=at)
    assessments: list[RiskAssessment] = []
    for dossier in dossiers:
        calendar = calendars.get(dossier.competent_agency_id, default)
        try:
            remaining = calendar.working_minutes_between(at, dossier.due_at)
        except CalendarRangeError:
            continue
        expected, active = _forecast(dossier, calendar, paces, at)
        slack = remaining - expected
        if remaining <= 0 or dossier.counted_late:
            level = "overdue"
        elif slack < 0:
            level = "high"
        elif slack < calendar.day_minutes:
            level = "medium"
        else:
            level = "low"
        if level not in levels:
            continue
        assessment = RiskAssessment(
            dossier=dossier,
            level=level,
            remaining_minutes=remaining,
            expected_minutes=expected,
            predicted_finish=_moment(calendar, at, expected),
            active=active,
        )
        if dossier.extension_count == 0 and remaining > 0:
            assessment.may_extend = deadlines.may_still_extend(
                calendar, due_at=dossier.due_at, now=at
            )
            if assessment.may_extend:
                assessment.extend_before = _moment(
                    calendar, dossier.due_at, -calendar.day_minutes
                )
        if assessment.predicted_finish is not None and level in ("high", "overdue"):
            assessment.suggested_due_at = calendar.close_of_office(
                assessment.predicted_finish.astimezone(LOCAL_TZ).date()
            )
        assessments.append(assessment)
    _add_recipients(assessments)
    order = {level: index for index, level in enumerate(LEVELS)}
    assessments.sort(key=lambda a: (order[a.level], a.slack_minutes, a.dossier.due_at))
    return assessments


def _moment(
    calendar: WorkingCalendar, start: datetime, minutes: int
) -> datetime | None:
    try:
        return calendar.moment_at(calendar.offset(start) + minutes)
    except CalendarRangeError:
        return None


_LEADERS = (Role.AGENCY_LEADER, Role.DIVISION_HEAD)
_CENTRE_HEADS = (Role.CENTRE_HEAD, Role.CENTRE_DEPUTY)


def _add_recipients(assessments: list[RiskAssessment]) -> None:
    agencies = {s.step.agency_id for a in assessments for s in a.active} | {
        a.dossier.receiving_centre_id for a in assessments
    }
    members: dict[tuple[int, str], list[int]] = defaultdict(list)
    for agency_id, role, user_id in (
        StaffMembership.objects.active()
        .filter(
            agency_id__in=agencies,
            role__in=_LEADERS + _CENTRE_HEADS,
            user__is_active=True,
        )
        .order_by("user_id")
        .values_list("agency_id", "role", "user_id")
    ):
        members[(agency_id, role)].append(user_id)
    for assessment in assessments:
        officers: list[int] = []
        for forecast in assessment.active:
            if forecast.step.assignee_id:
                officers.append(forecast.step.assignee_id)
            else:
                # Unassigned: whoever assigns work in that unit.
                for role in _LEADERS + _CENTRE_HEADS:
                    officers.extend(members[(forecast.step.agency_id, role)])
        assessment.officer_ids = list(dict.fromkeys(officers))
        heads: list[int] = []
        for role in _CENTRE_HEADS:
            heads.extend(members[(assessment.dossier.receiving_centre_id, role)])
        assessment.centre_head_ids = list(dict.fromkeys(heads))


def risk_counts(assessments: list[RiskAssessment]) -> dict[str, int]:
    counts = dict.fromkeys(LEVELS, 0)
    for assessment in assessments:
        counts[assessment.level] += 1
    return counts
