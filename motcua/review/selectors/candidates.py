"""
Simplification candidates: for each procedure with dossiers in a period, the
evidence its dossiers give (supplement requests and the components named in
them, where the components came from, lateness and the steps that caused it,
real processing time against the legal duration, ratings and PAKN), the
signals that evidence fires (``review.rules``) and a rank.

Everything is counted by the database, grouped by procedure, in a fixed
number of queries whatever the number of dossiers. Two reads are row-level
but narrow and bounded by what they describe, not by the dossiers: the
``items`` of the supplement requests (a JSON list, tallied here because
SQLite and PostgreSQL unpack JSON arrays differently) and the lateness
ledger of the late dossiers (supervision's, which needs the calendar).
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, F, Q, QuerySet, Sum

from motcua.catalog.constants import OnlineLevel, VersionStatus
from motcua.catalog.models import Component, Procedure, ProcedureVersion
from motcua.catalog.services import DAY_MINUTES, duration_limit_minutes
from motcua.dossiers.constants import ComponentSource, FeeStatus
from motcua.dossiers.models import (
    Dossier,
    DossierComponent,
    DossierFee,
    SupplementRequest,
)
from motcua.feedback.constants import FeedbackCategory
from motcua.feedback.models import Feedback, Rating
from motcua.review import rules
from motcua.supervision.access import PROVINCE, Scope
from motcua.supervision.periods import Period
from motcua.supervision.selectors.ledger import ledger_for_period
from motcua.supervision.selectors.statistics import StatFilters, dossier_statistics

ELECTRONIC_SOURCES = (ComponentSource.REUSED, ComponentSource.NATIONAL_DATABASE)
SUBMITTED_SOURCES = (
    ComponentSource.UPLOADED,
    ComponentSource.SCANNED,
    ComponentSource.PAPER,
)
PROCEDURE = "procedure_version__procedure"


@dataclass
class ComponentUse:
    """How one component of the procedure reached the dossiers."""

    key: int | None
    name: str
    total: int = 0
    electronic: int = 0
    submitted: int = 0
    supplement_requests: int = 0

    @property
    def electronic_share(self) -> Decimal | None:
        if not self.total:
            return None
        return (Decimal(self.electronic * 100) / self.total).quantize(Decimal("0.1"))


@dataclass
class LateStep:
    label: str
    over_minutes: int = 0
    dossiers: int = 0


@dataclass
class Candidate:
    """One procedure's evidence in a period, with its signals and rank."""

    procedure_id: int
    code: str
    name: str
    sector: str
    duration_label: str = ""
    legal_days: Decimal | None = None
    online_full: bool = False
    received: int = 0
    finished: int = 0
    late: int = 0
    results: int = 0
    avg_days: Decimal | None = None
    supplement_dossiers: int = 0
    supplement_requests: int = 0
    components: list[ComponentUse] = field(default_factory=list)
    supplement_items: list[tuple[str, int]] = field(default_factory=list)
    late_steps: list[LateStep] = field(default_factory=list)
    ratings: int = 0
    avg_rating: Decimal | None = None
    dissatisfied: int = 0
    feedback: int = 0
    feedback_procedure: int = 0
    fees_total: Decimal = Decimal(0)
    signals: list[rules.Signal] = field(default_factory=list)
    score: Decimal = Decimal(0)
    rank: int | None = None

    @property
    def eligible(self) -> bool:
        return self.received >= rules.MIN_SAMPLE

    @staticmethod
    def _pct(part: int, whole: int) -> Decimal | None:
        if not whole:
            return None
        return (Decimal(part * 100) / whole).quantize(Decimal("0.1"))

    @property
    def supplement_rate(self) -> Decimal | None:
        return self._pct(self.supplement_dossiers, self.received)

    @property
    def late_rate(self) -> Decimal | None:
        return self._pct(self.late, self.finished)

    @property
    def electronic_rate(self) -> Decimal | None:
        return self._pct(
            sum(c.electronic for c in self.components),
            sum(c.total for c in self.components),
        )

    @property
    def dissatisfied_rate(self) -> Decimal | None:
        return self._pct(self.dissatisfied, self.ratings)

    @property
    def duration_use(self) -> Decimal | None:
        if self.avg_days is None or not self.legal_days:
            return None
        return (self.avg_days * 100 / self.legal_days).quantize(Decimal("0.1"))

    @property
    def avg_fees(self) -> Decimal:
        if not self.received:
            return Decimal(0)
        return (self.fees_total / self.received).quantize(Decimal(1))


def legal_days(version: ProcedureVersion | None) -> Decimal | None:
    """Return a version's legal duration in working days (8-hour days)."""
    if version is None:
        return None
    minutes = duration_limit_minutes(version.duration_value, version.duration_unit)
    if minutes is None:
        return None
    return (Decimal(minutes) / DAY_MINUTES).quantize(Decimal("0.01"))


def _procedure_of(prefix: str) -> F:
    """The procedure of the dossier a row points at through ``prefix``."""
    return F(f"{prefix}__{PROCEDURE}")


def received_dossiers(
    period: Period, *, scope: Scope = PROVINCE, procedure_id: int | None = None
) -> QuerySet[Dossier]:
    """Return the dossiers received in ``period`` within ``scope``."""
    qs = Dossier.objects.filter(
        scope.dossier_filter(),
        received_at__gte=period.start,
        received_at__lt=period.end,
    )
    if procedure_id is not None:
        qs = qs.filter(procedure_version__procedure_id=procedure_id)
    return qs


def _within(period: Period, scope: Scope, procedure_id: int | None) -> Q:
    """The condition on rows pointing at a dossier received in the period."""
    condition = scope.dossier_filter("dossier__") & Q(
        dossier__received_at__gte=period.start, dossier__received_at__lt=period.end
    )
    if procedure_id is not None:
        condition &= Q(dossier__procedure_version__procedure_id=procedure_id)
    return condition


def simplification_candidates(
    period: Period,
    *,
    scope: Scope = PROVINCE,
    procedure_id: int | None = None,
    now=None,
) -> list[Candidate]:
    """
    Return one ``Candidate`` per procedure with dossiers received or
    finished in ``period`` (only ``procedure_id`` when given): the ranked
    ones first (highest score first; ties by dossiers received), then those
    with too few dossiers to rank.
    """
    candidates: dict[int, Candidate] = {}

    def get(pk: int) -> Candidate:
        if pk not in candidates:
            candidates[pk] = Candidate(pk, "", "", "")
        return candidates[pk]

    # Progress: received, finished, late, processing time (supervision).
    stats_filters = StatFilters(procedure_id=procedure_id) if procedure_id else None
    rows, _total = dossier_statistics(
        period, group="procedure", scope=scope, filters=stats_filters, now=now
    )
    for row in rows:
        if row.key is None:
            continue
        c = get(row.key)
        c.received = row.counts["received"]
        c.finished = row.counts["finished"]
        c.late = row.counts["late"]
        c.results = row.processing_count
        c.avg_days = row.avg_processing_days

    within = _within(period, scope, procedure_id)
    # Supplement requests per procedure.
    for row in (
        SupplementRequest.objects.filter(within)
        .values(key=_procedure_of("dossier"))
        .annotate(n=Count("pk"), d=Count("dossier", distinct=True))
        .order_by()
    ):
        c = get(row["key"])
        c.supplement_requests, c.supplement_dossiers = row["n"], row["d"]
    named: dict[int, Counter] = defaultdict(Counter)
    for key, items in SupplementRequest.objects.filter(within).values_list(
        _procedure_of("dossier"), "items"
    ):
        for item in items or []:
            if isinstance(item, dict):
                named[key][(item.get("component"), item.get("name") or "")] += 1

    # Components by source, per catalog component (free documents by name).
    uses: dict[int, dict[Any, ComponentUse]] = defaultdict(dict)
    for row in (
        DossierComponent.objects.filter(within)
        .exclude(source=ComponentSource.PRESENTED)
        .values("component_id", key=_procedure_of("dossier"))
        .annotate(
            n=Count("pk"),
            e=Count("pk", filter=Q(source__in=ELECTRONIC_SOURCES)),
            s=Count("pk", filter=Q(source__in=SUBMITTED_SOURCES)),
        )
        .order_by()
    ):
        uses[row["key"]][row["component_id"]] = ComponentUse(
            row["component_id"], "", row["n"], row["e"], row["s"]
        )
    component_names = dict(
        Component.objects.filter(
            pk__in=[k for per in [*uses.values()] for k in per if k is not None]
            + [
                comp
                for counter in named.values()
                for comp, _name in counter
                if isinstance(comp, int)
            ]
        ).values_list("pk", "name")
    )
    for key, counter in named.items():
        per = uses[key]
        items: Counter = Counter()
        for (comp, name), n in counter.items():
            label = component_names.get(comp, name) if comp else name
            items[label] += n
            if comp in per:
                per[comp].supplement_requests += n
        get(key).supplement_items = items.most_common()
    for key, per in uses.items():
        for use in per.values():
            use.name = component_names.get(use.key, "") if use.key else "—"
        get(key).components = sorted(per.values(), key=lambda u: (-u.total, u.name))

    # Fees actually charged (waived ones excepted).
    for row in (
        DossierFee.objects.filter(within)
        .exclude(status=FeeStatus.WAIVED)
        .values(key=_procedure_of("dossier"))
        .annotate(total=Sum("amount"))
        .order_by()
    ):
        get(row["key"]).fees_total = row["total"] or Decimal(0)

    # Ratings given in the period (the counted one of each dossier).
    rating_filter = scope.dossier_filter("dossier__") & Q(
        counts=True, submitted_at__gte=period.start, submitted_at__lt=period.end
    )
    if procedure_id is not None:
        rating_filter &= Q(dossier__procedure_version__procedure_id=procedure_id)
    for row in (
        Rating.objects.filter(rating_filter)
        .values(key=_procedure_of("dossier"))
        .annotate(
            n=Count("pk"),
            avg=Avg("mean_level"),
            bad=Count("pk", filter=Q(dissatisfied=True)),
        )
        .order_by()
    ):
        c = get(row["key"])
        c.ratings, c.dissatisfied = row["n"], row["bad"]
        c.avg_rating = Decimal(row["avg"]).quantize(Decimal("0.01"))

    # PAKN about a dossier of the procedure, received in the period.
    feedback_filter = scope.dossier_filter("dossier__") & Q(
        dossier__isnull=False,
        submitted_at__gte=period.start,
        submitted_at__lt=period.end,
    )
    if procedure_id is not None:
        feedback_filter &= Q(dossier__procedure_version__procedure_id=procedure_id)
    for row in (
        Feedback.objects.filter(feedback_filter)
        .values(key=_procedure_of("dossier"))
        .annotate(
            n=Count("pk"),
            about=Count("pk", filter=Q(category=FeedbackCategory.PROCEDURE)),
        )
        .order_by()
    ):
        c = get(row["key"])
        c.feedback, c.feedback_procedure = row["n"], row["about"]

    # The steps that made dossiers late (the fair lateness ledger).
    _late_steps(period, scope, candidates, now=now)

    _describe(candidates)
    result = list(candidates.values())
    if procedure_id is not None:
        result = [c for c in result if c.procedure_id == procedure_id]
    for c in result:
        c.signals = rules.signals_for(
            received=c.received,
            supplement_dossiers=c.supplement_dossiers,
            top_supplement_component=c.supplement_items[0][0]
            if c.supplement_items
            else "",
            electronic_components=[
                (u.name, u.total, u.electronic) for u in c.components
            ],
            finished=c.finished,
            late=c.late,
            top_late_step=c.late_steps[0].label if c.late_steps else "",
            results=c.results,
            avg_days=c.avg_days,
            legal_days=c.legal_days,
            ratings=c.ratings,
            dissatisfied=c.dissatisfied,
            feedback_procedure=c.feedback_procedure,
            online_full=c.online_full,
        )
        c.score = rules.score(c.signals)
    ranked = sorted(
        (c for c in result if c.eligible),
        key=lambda c: (-c.score, -c.received, c.code),
    )
    previous: tuple[Decimal, int] | None = None
    for position, c in enumerate(ranked, start=1):
        # Competition ranks: equal scores share a rank (1, 2, 2, 4).
        if previous is None or c.score != previous[0]:
            previous = (c.score, position)
        c.rank = previous[1]
    rest = sorted(
        (c for c in result if not c.eligible), key=lambda c: (-c.received, c.code)
    )
    return ranked + rest


def _late_steps(
    period: Period, scope: Scope, candidates: dict[int, Candidate], *, now=None
) -> None:
    report = ledger_for_period(period, scope=scope, now=now)
    if not report.dossiers:
        return
    procedure_of = dict(
        Dossier.objects.filter(
            pk__in=[d.dossier_id for d in report.dossiers]
        ).values_list("pk", PROCEDURE)
    )
    steps: dict[int, dict[str, LateStep]] = defaultdict(dict)
    for ledger in report.dossiers:
        key = procedure_of.get(ledger.dossier_id)
        if key is None:
            continue
        for entry in ledger.entries:
            if not entry.over and entry.kind != "breach":
                continue
            step = steps[key].setdefault(entry.label, LateStep(entry.label))
            step.over_minutes += entry.over
            step.dossiers += 1
    for key, per in steps.items():
        if key in candidates:
            candidates[key].late_steps = sorted(
                per.values(), key=lambda s: (-s.over_minutes, -s.dossiers, s.label)
            )


def _describe(candidates: dict[int, Candidate]) -> None:
    """Fill the names, sectors and legal durations (two queries)."""
    procedures = Procedure.objects.filter(pk__in=list(candidates)).select_related(
        "sector"
    )
    versions = {
        v.procedure_id: v
        for v in ProcedureVersion.objects.filter(
            procedure_id__in=list(candidates), status=VersionStatus.PUBLISHED
        )
    }
    for procedure in procedures:
        c = candidates[procedure.pk]
        version = versions.get(procedure.pk)
        c.code = procedure.code
        c.name = version.name if version else procedure.name
        c.sector = procedure.sector.name if procedure.sector else ""
        c.legal_days = legal_days(version)
        c.duration_label = version.duration_label if version else ""
        c.online_full = bool(version and version.online_level == OnlineLevel.FULL)
