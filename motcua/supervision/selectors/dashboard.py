"""The figures of the supervisor dashboard that are not tables: trends and queues."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from motcua.core.calendar import LOCAL_TZ
from motcua.dossiers.constants import OPEN_STATUSES, DossierStatus, Timeliness
from motcua.dossiers.models import Dossier
from motcua.supervision.access import PROVINCE, Scope
from motcua.supervision.periods import Period, months_back


@dataclass
class MonthRate:
    period: Period
    finished: int
    good: int

    @property
    def rate(self) -> Decimal | None:
        if not self.finished:
            return None
        return (Decimal(self.good * 100) / self.finished).quantize(Decimal("0.1"))


def on_time_trend(
    until: Period, *, months: int = 12, scope: Scope = PROVINCE
) -> list[MonthRate]:
    """
    Return the share of dossiers finished early or on time, month by month,
    for the ``months`` months ending with ``until`` (one query).
    """
    periods = months_back(months, until=until)
    rows = (
        Dossier.objects.filter(
            scope.dossier_filter(),
            received_at__isnull=False,
            finished_at__gte=periods[0].start,
            finished_at__lt=periods[-1].end,
        )
        .annotate(month=TruncMonth("finished_at", tzinfo=LOCAL_TZ))
        .values("month")
        .annotate(
            finished=Count("pk"),
            good=Count(
                "pk", filter=Q(timeliness__in=[Timeliness.EARLY, Timeliness.ON_TIME])
            ),
        )
        .order_by("month")
    )
    by_month = {(r["month"].year, r["month"].month): r for r in rows}
    return [
        MonthRate(
            period=p,
            finished=by_month.get((p.first.year, p.first.month), {}).get("finished", 0),
            good=by_month.get((p.first.year, p.first.month), {}).get("good", 0),
        )
        for p in periods
    ]


# Ages of the open queue in calendar days since reception.
AGE_BUCKETS = ((0, 1), (1, 3), (3, 7), (7, 15), (15, 30), (30, None))


@dataclass
class AgeBucket:
    low: int
    high: int | None
    in_time: int
    overdue: int

    @property
    def label(self) -> str:
        if self.high is None:
            return f"> {self.low}"
        return f"{self.low}–{self.high}"

    @property
    def total(self) -> int:
        return self.in_time + self.overdue


def queue_ages(
    *, scope: Scope = PROVINCE, at: datetime | None = None
) -> list[AgeBucket]:
    """Return the open dossiers by age, split in time / overdue (one query)."""
    at = at or timezone.now()
    running = Q(
        status__in=[
            DossierStatus.RECEIVED,
            DossierStatus.IN_PROGRESS,
            DossierStatus.WITHDRAWAL_REQUESTED,
        ]
    )
    overdue = running & Q(due_at__lt=at)
    figures = {}
    for low, high in AGE_BUCKETS:
        age = Q(received_at__lte=at - timedelta(days=low))
        if high is not None:
            age &= Q(received_at__gt=at - timedelta(days=high))
        figures[f"in_{low}"] = Count("pk", filter=age & ~overdue)
        figures[f"over_{low}"] = Count("pk", filter=age & overdue)
    counts = Dossier.objects.filter(
        scope.dossier_filter(), status__in=OPEN_STATUSES, received_at__isnull=False
    ).aggregate(**figures)
    return [
        AgeBucket(low, high, counts[f"in_{low}"], counts[f"over_{low}"])
        for low, high in AGE_BUCKETS
    ]
