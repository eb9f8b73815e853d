"""
Statistics of dossiers per period, in the layout of the provincial 766
progress report (legal-spec §9.3), computed in the database.

Every figure is a named *cell*: a condition on an annotated queryset of the
dossiers that matter to the period. The same condition counts the figure
(``Count(filter=…)``) and lists the dossiers behind it
(``statistics_dossiers``), so a figure and its drill-down always agree.

Measurement rules (legal-spec §9.4, DESIGN.md §4):

- A dossier belongs to the period if it was received before the period ends
  and not finished before it starts. Received in the period, or carried over
  (received before, not finished at the start).
- Finished ("đã xử lý") means resolved (a result or a refusal after
  appraisal), else stopped; it is early, on time or late as the dossier
  service classified it at the finish: supplement waiting time subtracted, a
  dossier with more than one supplement request late, a request never
  answered measured at the request time.
- Unfinished dossiers are measured at the period end (or now, for a period
  not over): their status and due time then are read from the dossier's
  events, so a past month's figures do not change when a dossier moves on.
  In progress is overdue when its due time had passed, or it was already
  counted late; paused (waiting for a supplement or a payment) is overdue
  when it was already late when the pause began.
- Processing time is working time from reception to the result on the
  competent agency's calendar, minus the pauses (``paused_minutes``).
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, time
from decimal import Decimal
from typing import Any

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import (
    Coalesce,
    ExtractHour,
    ExtractMinute,
    Greatest,
    Least,
    TruncDate,
)
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.catalog.constants import Channel
from motcua.catalog.models import Procedure, Sector
from motcua.core.calendar import LOCAL_TZ, WorkingCalendar
from motcua.dossiers.constants import DossierAction, DossierStatus, Timeliness
from motcua.dossiers.models import Dossier, DossierEvent, SupplementRequest
from motcua.supervision.access import PROVINCE, Scope
from motcua.supervision.periods import Period
from motcua.units.calendars import get_calendar
from motcua.units.models import Agency, WorkCalendar

RUNNING_STATUSES = (
    DossierStatus.RECEIVED,
    DossierStatus.IN_PROGRESS,
    DossierStatus.WITHDRAWAL_REQUESTED,
)
PAUSED_STATUSES = (DossierStatus.NEEDS_SUPPLEMENT, DossierStatus.AWAITING_PAYMENT)
_PAUSING_ACTIONS = (DossierAction.REQUEST_SUPPLEMENT, DossierAction.REQUEST_PAYMENT)

# Dimensions a table is grouped by; "province" is one row for the scope.
GROUPS: dict[str, str | None] = {
    "province": None,
    "agency": "competent_agency",
    "centre": "receiving_centre",
    "sector": "procedure_version__procedure__sector",
    "procedure": "procedure_version__procedure",
}
GROUP_LABELS = {
    "province": _("Toàn tỉnh"),
    "agency": _("Cơ quan giải quyết"),
    "centre": _("Nơi tiếp nhận"),
    "sector": _("Lĩnh vực"),
    "procedure": _("Thủ tục"),
}


@dataclass(frozen=True, slots=True)
class StatFilters:
    """Narrow a table to one agency, centre, sector or procedure (the drill path)."""

    competent_agency_id: int | None = None
    receiving_centre_id: int | None = None
    sector_id: int | None = None
    procedure_id: int | None = None

    def q(self) -> Q:
        condition = Q()
        if self.competent_agency_id:
            condition &= Q(competent_agency_id=self.competent_agency_id)
        if self.receiving_centre_id:
            condition &= Q(receiving_centre_id=self.receiving_centre_id)
        if self.sector_id:
            condition &= Q(procedure_version__procedure__sector_id=self.sector_id)
        if self.procedure_id:
            condition &= Q(procedure_version__procedure_id=self.procedure_id)
        return condition

    def as_params(self) -> dict[str, int]:
        return {
            key: value
            for key, value in (
                ("agency", self.competent_agency_id),
                ("centre", self.receiving_centre_id),
                ("sector", self.sector_id),
                ("procedure", self.procedure_id),
            )
            if value
        }


# -- the cells ---------------------------------------------------------------


CELL_LABELS: dict[str, Any] = {
    "received": _("Tiếp nhận trong kỳ"),
    "received_online": _("Trực tuyến"),
    "received_counter": _("Trực tiếp"),
    "received_post": _("Bưu chính công ích"),
    "carried_over": _("Kỳ trước chuyển qua"),
    "total": _("Tổng số hồ sơ"),
    "finished": _("Đã xử lý"),
    "early": _("Trước hạn"),
    "on_time": _("Đúng hạn"),
    "late": _("Quá hạn"),
    "resolved": _("Có kết quả"),
    "stopped": _("Dừng xử lý"),
    "counted_late": _("Tính quá hạn do bổ sung nhiều lần"),
    "open": _("Chưa xử lý xong"),
    "open_in_time": _("Đang xử lý trong hạn"),
    "open_overdue": _("Đang xử lý quá hạn"),
    "paused_supplement": _("Chờ bổ sung"),
    "paused_payment": _("Chờ nghĩa vụ tài chính"),
    "paused_in_time": _("Tạm dừng trong hạn"),
    "paused_overdue": _("Tạm dừng quá hạn"),
}
CELL_NAMES = tuple(CELL_LABELS)


def _cells(period: Period, measured_at: datetime) -> dict[str, Q]:
    """Return the condition of every cell, in ``CELL_LABELS`` order."""
    start, end = period.start, period.end
    new = Q(received_at__gte=start)
    finished = Q(finished_at__isnull=False, finished_at__lt=end)
    open_end = Q(finished_at__isnull=True) | Q(finished_at__gte=end)
    running = open_end & Q(end_status__in=RUNNING_STATUSES)
    paused = open_end & Q(end_status__in=PAUSED_STATUSES)
    late_at_end = Q(end_due__lt=measured_at) | Q(end_counted_late=True)
    paused_late = Q(end_due__lt=F("end_pause_start")) | Q(end_counted_late=True)
    return {
        "received": new,
        "received_online": new & Q(channel=Channel.ONLINE),
        "received_counter": new & Q(channel=Channel.COUNTER),
        "received_post": new & Q(channel=Channel.POST),
        "carried_over": Q(received_at__lt=start),
        "total": Q(),
        "finished": finished,
        "early": finished & Q(timeliness=Timeliness.EARLY),
        "on_time": finished & Q(timeliness=Timeliness.ON_TIME),
        "late": finished & Q(timeliness=Timeliness.LATE),
        "resolved": finished & Q(resolved_at__isnull=False, resolved_at__lt=end),
        "stopped": finished & Q(status=DossierStatus.STOPPED),
        "counted_late": finished & Q(counted_late=True),
        "open": open_end,
        "open_in_time": running & ~late_at_end,
        "open_overdue": running & late_at_end,
        "paused_supplement": open_end & Q(end_status=DossierStatus.NEEDS_SUPPLEMENT),
        "paused_payment": open_end & Q(end_status=DossierStatus.AWAITING_PAYMENT),
        "paused_in_time": paused & ~paused_late,
        "paused_overdue": paused & paused_late,
    }


def period_dossiers(
    period: Period,
    *,
    scope: Scope = PROVINCE,
    filters: StatFilters | None = None,
    now: datetime | None = None,
) -> QuerySet[Dossier]:
    """
    Return the dossiers that matter to ``period`` in ``scope`` — received
    before it ends and not finished before it starts — annotated with their
    status and due time at the period end (``end_status``, ``end_due``,
    ``end_pause_start``, ``end_counted_late``).
    """
    measured_at = period.measured_at(now)
    qs = Dossier.objects.filter(
        scope.dossier_filter(),
        (filters or StatFilters()).q(),
        received_at__isnull=False,
        received_at__lt=period.end,
    ).filter(Q(finished_at__isnull=True) | Q(finished_at__gte=period.start))
    if measured_at >= (now or timezone.now()):
        # The period is not over: the state at its end is the current state.
        return qs.annotate(
            end_status=F("status"),
            end_due=F("due_at"),
            end_pause_start=F("paused_at"),
            end_counted_late=F("counted_late"),
        )
    # A past period: read the state at its end from the events. Evaluated
    # only for dossiers still open then (CASE stops the others early).
    open_end = Q(finished_at__isnull=True) | Q(finished_at__gte=period.end)
    before = DossierEvent.objects.filter(
        dossier=OuterRef("pk"), created_at__lt=measured_at
    ).order_by("-created_at", "-pk")
    pause = before.filter(action__in=_PAUSING_ACTIONS)
    breach = SupplementRequest.objects.filter(
        dossier=OuterRef("pk"), requested_at__lt=measured_at
    ).exclude(breaches_rule="")
    return qs.annotate(
        end_status=Case(When(open_end, then=Subquery(before.values("to_status")[:1]))),
        end_due=Case(When(open_end, then=Subquery(before.values("due_at")[:1]))),
        end_pause_start=Case(
            When(open_end, then=Subquery(pause.values("created_at")[:1]))
        ),
        end_counted_late=Case(
            When(open_end, then=Exists(breach)), default=Value(False)
        ),
    )


# -- rows --------------------------------------------------------------------


@dataclass
class StatRow:
    """One row of the statistics table: a unit, sector or procedure."""

    key: int | None
    label: str
    counts: dict[str, int] = field(default_factory=dict)
    processing_minutes: int = 0
    processing_count: int = 0
    day_minutes: int = 480

    def __getattr__(self, name: str) -> int:
        # Template access to the cells: row.received, row.late…
        counts = self.__dict__.get("counts", {})
        if name in counts:
            return counts[name]
        raise AttributeError(name)

    @property
    def on_time_rate(self) -> Decimal | None:
        """Share of finished dossiers finished early or on time, in percent."""
        finished = self.counts.get("finished", 0)
        if not finished:
            return None
        good = self.counts.get("early", 0) + self.counts.get("on_time", 0)
        return (Decimal(good * 100) / finished).quantize(Decimal("0.01"))

    @property
    def avg_processing_days(self) -> Decimal | None:
        """Mean working days from reception to result, pauses excluded."""
        if not self.processing_count:
            return None
        minutes = Decimal(self.processing_minutes) / self.processing_count
        return (minutes / self.day_minutes).quantize(Decimal("0.01"))

    def add(self, other: "StatRow") -> None:
        for name, value in other.counts.items():
            self.counts[name] = self.counts.get(name, 0) + value
        self.processing_minutes += other.processing_minutes
        self.processing_count += other.processing_count


def _aggregates(period: Period, measured_at: datetime) -> dict[str, Any]:
    figures: dict[str, Any] = {
        name: Count("pk", filter=condition)
        for name, condition in _cells(period, measured_at).items()
    }
    resolved = _cells(period, measured_at)["resolved"]
    figures["_paused_minutes"] = Coalesce(
        Sum("paused_minutes", filter=resolved), 0, output_field=IntegerField()
    )
    return figures


def _labels(group: str, keys: Iterable[Any]) -> dict[Any, str]:
    keys = [k for k in keys if k is not None]
    if group in ("agency", "centre"):
        return {
            a["pk"]: a["short_name"] or a["name"]
            for a in Agency.objects.filter(pk__in=keys).values(
                "pk", "name", "short_name"
            )
        }
    if group == "sector":
        return dict(Sector.objects.filter(pk__in=keys).values_list("pk", "name"))
    if group == "procedure":
        return {
            pk: f"{code} – {name}"
            for pk, code, name in Procedure.objects.filter(pk__in=keys).values_list(
                "pk", "code", "name"
            )
        }
    return {}


def dossier_statistics(
    period: Period,
    *,
    group: str = "agency",
    scope: Scope = PROVINCE,
    filters: StatFilters | None = None,
    now: datetime | None = None,
) -> tuple[list[StatRow], StatRow]:
    """
    Return (rows, total) of the statistics of ``period``, one row per value
    of ``group`` (``GROUPS``) with at least one dossier, largest first.

    A bounded number of queries whatever the volume: one aggregate query,
    one for the labels, and two per distinct working calendar for the
    processing time.
    """
    if group not in GROUPS:
        raise ValueError(f"Unknown grouping {group!r}.")
    measured_at = period.measured_at(now)
    qs = period_dossiers(period, scope=scope, filters=filters, now=now)
    aggregates = _aggregates(period, measured_at)
    field_name = GROUPS[group]
    if field_name is None:
        raw = [{"_key": None, **qs.aggregate(**aggregates)}]
    else:
        raw = list(
            qs.values(_key=F(field_name)).annotate(**aggregates).order_by("_key")
        )
    processing = _processing_minutes(
        qs.filter(_cells(period, measured_at)["resolved"]),
        field_name,
    )
    labels = _labels(group, (r["_key"] for r in raw))
    rows = []
    for r in raw:
        key = r.pop("_key")
        paused = r.pop("_paused_minutes") or 0
        minutes, count = processing.get(key, (0, 0))
        rows.append(
            StatRow(
                key=key,
                label=str(GROUP_LABELS["province"])
                if group == "province"
                else labels.get(key, "—"),
                counts=r,
                processing_minutes=max(0, minutes - paused),
                processing_count=count,
            )
        )
    rows.sort(key=lambda row: (-row.counts["total"], row.label))
    total = StatRow(key=None, label=str(_("Tổng cộng")))
    for row in rows:
        total.add(row)
    return rows, total


def statistics_dossiers(
    period: Period,
    cell: str,
    *,
    scope: Scope = PROVINCE,
    filters: StatFilters | None = None,
    group: str | None = None,
    key: int | None = None,
    now: datetime | None = None,
) -> QuerySet[Dossier]:
    """
    Return the dossiers behind one figure: ``cell`` of the row ``key`` of
    the ``group`` table (or of the total), most urgent first.
    """
    measured_at = period.measured_at(now)
    cells = _cells(period, measured_at)
    if cell not in cells:
        raise ValueError(f"Unknown cell {cell!r}.")
    qs = period_dossiers(period, scope=scope, filters=filters, now=now).filter(
        cells[cell]
    )
    field_name = GROUPS.get(group or "province")
    if field_name is not None and key is not None:
        qs = qs.filter(**{field_name: key})
    return qs.select_related(
        "procedure_version__procedure", "receiving_centre", "competent_agency"
    ).order_by("due_at", "pk")


# -- processing time in working minutes, aggregated in the database ----------


def _minute_of_day(field_name: str):
    return ExtractHour(field_name, tzinfo=LOCAL_TZ) * 60 + ExtractMinute(
        field_name, tzinfo=LOCAL_TZ
    )


def _within_day(field_name: str, calendar: WorkingCalendar):
    """Working minutes of a working day before the instant's time of day."""
    minute = _minute_of_day(field_name)
    parts = [
        Greatest(Least(minute, Value(p.end)) - Value(p.start), Value(0))
        for p in calendar.periods
    ]
    expression = parts[0]
    for part in parts[1:]:
        expression = expression + part
    return expression


def _offset_sums(
    qs: QuerySet, field_name: str, group_field: str | None, calendar: WorkingCalendar
):
    """
    Return {group key: (Σ working offsets of ``field_name``, count)}: the
    day part from the calendar, the time-of-day part from the database, one
    row per group and local day.
    """
    group = {"_key": F(group_field)} if group_field else {}
    rows = (
        qs.values(**group, _day=TruncDate(field_name, tzinfo=LOCAL_TZ))
        .annotate(
            _n=Count("pk"),
            _w=Sum(_within_day(field_name, calendar), output_field=IntegerField()),
        )
        .order_by()
    )
    sums: dict[Any, list[int]] = defaultdict(lambda: [0, 0])
    for row in rows:
        day = row["_day"]
        midnight = datetime.combine(day, time(0), tzinfo=LOCAL_TZ)
        offset = calendar.offset(midnight) * row["_n"]
        if calendar.is_working_day(day):
            offset += row["_w"] or 0
        key = row.get("_key")
        sums[key][0] += offset
        sums[key][1] += row["_n"]
    return {k: (v[0], v[1]) for k, v in sums.items()}


def agency_calendars() -> dict[int, WorkingCalendar]:
    """
    Return every agency's working calendar (its own, else inherited from its
    parents, else the province's default), from one query of the agencies.
    """
    rows = {
        pk: (parent, cal)
        for pk, parent, cal in Agency.objects.values_list(
            "pk", "parent_id", "calendar_id"
        )
    }
    calendar_ids: dict[int, int | None] = {}
    for pk in rows:
        current, seen, found = pk, set(), None
        while current is not None and current not in seen:
            seen.add(current)
            parent, cal = rows.get(current, (None, None))
            if cal is not None:
                found = cal
                break
            current = parent
        calendar_ids[pk] = found
    wanted = {c for c in calendar_ids.values() if c is not None}
    objects = (
        {c.pk: c for c in WorkCalendar.objects.filter(pk__in=wanted)} if wanted else {}
    )
    built = {
        cal_id: get_calendar(objects[cal_id]) for cal_id in wanted if cal_id in objects
    }
    default = get_calendar(None)
    return {
        pk: built.get(cal_id, default) if cal_id else default
        for pk, cal_id in calendar_ids.items()
    }


def _processing_minutes(
    qs: QuerySet, group_field: str | None
) -> dict[Any, tuple[int, int]]:
    """
    Return {group key: (Σ working minutes from reception to result, count)}
    on each dossier's competent agency calendar (pauses not yet subtracted).
    """
    calendars = agency_calendars()
    by_calendar: dict[int, tuple[WorkingCalendar, list[int]]] = {}
    for agency_id, calendar in calendars.items():
        by_calendar.setdefault(id(calendar), (calendar, []))[1].append(agency_id)
    result: dict[Any, list[int]] = defaultdict(lambda: [0, 0])
    single = len(by_calendar) == 1
    for calendar, agencies in by_calendar.values():
        part = qs if single else qs.filter(competent_agency_id__in=agencies)
        finish = _offset_sums(part, "finished_at", group_field, calendar)
        start = _offset_sums(part, "received_at", group_field, calendar)
        for key, (total, count) in finish.items():
            result[key][0] += total - start.get(key, (0, 0))[0]
            result[key][1] += count
    return {k: (v[0], v[1]) for k, v in result.items()}


# -- boundary-free flow ------------------------------------------------------


@dataclass
class FlowMatrix:
    centres: list[tuple[int, str]]
    agencies: list[tuple[int, str]]
    counts: dict[tuple[int, int], int]
    total: int

    def cell(self, centre_id: int, agency_id: int) -> int:
        return self.counts.get((centre_id, agency_id), 0)

    def rows(self) -> list[tuple[tuple[int, str], list[tuple[int, int]], int]]:
        """Rows for a template: (centre, [(agency id, count)], row total)."""
        return [
            (
                centre,
                [
                    (agency[0], self.cell(centre[0], agency[0]))
                    for agency in self.agencies
                ],
                sum(self.cell(centre[0], a[0]) for a in self.agencies),
            )
            for centre in self.centres
        ]

    def column_totals(self) -> list[int]:
        return [sum(self.cell(c[0], a[0]) for c in self.centres) for a in self.agencies]


def flow_matrix(period: Period, *, scope: Scope = PROVINCE) -> FlowMatrix:
    """
    Return the boundary-free flow of ``period``: dossiers received at each
    centre for each competent agency (Decree 118 Art.14(2), 20(1)).
    Drill down with the ``received`` cell and both filters.
    """
    rows = list(
        Dossier.objects.filter(
            scope.dossier_filter(),
            received_at__gte=period.start,
            received_at__lt=period.end,
        )
        .values("receiving_centre", "competent_agency")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = {(r["receiving_centre"], r["competent_agency"]): r["n"] for r in rows}
    names = _labels("agency", {k for pair in counts for k in pair})
    centres = sorted({c for c, _a in counts}, key=lambda pk: names.get(pk, ""))
    agencies = sorted({a for _c, a in counts}, key=lambda pk: names.get(pk, ""))
    return FlowMatrix(
        centres=[(pk, names.get(pk, "—")) for pk in centres],
        agencies=[(pk, names.get(pk, "—")) for pk in agencies],
        counts=counts,
        total=sum(counts.values()),
    )
