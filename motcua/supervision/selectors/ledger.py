"""
The fair lateness ledger: for each late dossier, how much working time each
agency and each officer held it beyond their allotment, so that lateness is
attributed to whoever caused it (docs/supervision.md, "Ledger rules").

Rules:

1. A step holds the dossier from its start to its completion (or the
   dossier's finish, or the measurement instant if still running), in
   working minutes on the competent agency's calendar; the time the dossier
   waited for the applicant (a supplement, a payment) inside that window
   counts against nobody. What it held beyond its allotted minutes is its
   overrun, charged to the step's unit and to its officer (the assignee,
   else who completed it; none if unassigned).
2. A consultation holds the dossier from the question to the answer; its
   overrun (beyond its own deadline) is charged to the consulted agency and
   the officer who answered, and taken off the overrun of the asking step
   that waited for it, so the same minutes are not charged twice.
3. A supplement request that broke the rules (Decision 766 counts the
   dossier late whatever its times) is recorded against the unit and the
   officer who made it, with no minutes.
4. The dossier's own lateness (working time past its due time) is shown
   beside; the part no overrun explains is "unattributed".

Working intervals need the calendar, which lives in Python, so this reads a
few narrow rows per late dossier (steps, consultations, pause events,
breaching requests) in a fixed number of queries, and sums in Python.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.core.calendar import WorkingCalendar
from motcua.dossiers.constants import PAUSED_STATUSES
from motcua.dossiers.models import (
    Consultation,
    Dossier,
    DossierEvent,
    DossierStep,
    SupplementRequest,
)
from motcua.supervision.access import PROVINCE, Scope
from motcua.supervision.periods import Period
from motcua.supervision.selectors.statistics import (
    agency_calendars,
    statistics_dossiers,
)
from motcua.units.calendars import get_calendar
from motcua.units.models import Agency

Interval = tuple[datetime, datetime]


@dataclass
class LedgerEntry:
    kind: str  # step, consultation, breach
    label: str
    agency_id: int
    officer_id: int | None
    allotted: int = 0
    held: int = 0
    over: int = 0


@dataclass
class DossierLedger:
    dossier_id: int
    code: str
    due_at: datetime | None
    finish: datetime | None
    late_minutes: int
    counted_late: bool
    entries: list[LedgerEntry] = field(default_factory=list)

    @property
    def attributed(self) -> int:
        return sum(e.over for e in self.entries)

    @property
    def unattributed(self) -> int:
        return max(0, self.late_minutes - self.attributed)


@dataclass
class LedgerTotal:
    """One agency's or officer's share of the lateness of a period."""

    key: int | None
    label: str
    agency_id: int | None = None
    over_minutes: int = 0
    dossiers: set[int] = field(default_factory=set)
    breaches: int = 0

    @property
    def dossier_count(self) -> int:
        return len(self.dossiers)


@dataclass
class LedgerReport:
    dossiers: list[DossierLedger]
    agencies: list[LedgerTotal]
    officers: list[LedgerTotal]
    day_minutes: int = 480


def _minutes(calendar: WorkingCalendar, start: datetime, end: datetime) -> int:
    if end <= start:
        return 0
    return max(0, calendar.working_minutes_between(start, end))


def _held(
    calendar: WorkingCalendar, start: datetime, end: datetime, pauses: list[Interval]
) -> int:
    total = _minutes(calendar, start, end)
    for pause_start, pause_end in pauses:
        total -= _minutes(calendar, max(start, pause_start), min(end, pause_end))
    return max(0, total)


def _pauses(events: list[tuple[datetime, str, str]], until: datetime) -> list[Interval]:
    """Turn the status changes of one dossier into its waiting intervals."""
    intervals: list[Interval] = []
    started: datetime | None = None
    for moment, from_status, to_status in events:
        if to_status in PAUSED_STATUSES and from_status not in PAUSED_STATUSES:
            started = moment
        elif from_status in PAUSED_STATUSES and to_status not in PAUSED_STATUSES:
            if started is not None:
                intervals.append((started, moment))
            started = None
    if started is not None:
        intervals.append((started, until))
    return intervals


def _ledgers(dossiers: list[dict], *, cutoff: datetime) -> list[DossierLedger]:
    """Build the ledger of each dossier (rows of ``Dossier.values()``)."""
    ids = [d["pk"] for d in dossiers]
    calendars = agency_calendars()
    default = get_calendar(None)
    steps: dict[int, list[dict]] = defaultdict(list)
    for row in (
        DossierStep.objects.filter(dossier_id__in=ids, started_at__isnull=False)
        .order_by("dossier_id", "order")
        .values(
            "pk",
            "dossier_id",
            "name",
            "agency_id",
            "assignee_id",
            "completed_by_id",
            "started_at",
            "completed_at",
            "allotted_minutes",
            "status",
        )
    ):
        steps[row["dossier_id"]].append(row)
    consultations: dict[int, list[dict]] = defaultdict(list)
    for row in (
        Consultation.objects.filter(dossier_id__in=ids)
        .order_by("asked_at")
        .values(
            "dossier_id",
            "from_agency_id",
            "to_agency_id",
            "answered_by_id",
            "asked_at",
            "due_at",
            "answered_at",
        )
    ):
        consultations[row["dossier_id"]].append(row)
    status_changes: dict[int, list[tuple[datetime, str, str]]] = defaultdict(list)
    for row in (
        DossierEvent.objects.filter(dossier_id__in=ids)
        .filter(Q(from_status__in=PAUSED_STATUSES) | Q(to_status__in=PAUSED_STATUSES))
        .order_by("dossier_id", "created_at", "pk")
        .values_list("dossier_id", "created_at", "from_status", "to_status")
    ):
        status_changes[row[0]].append(row[1:])
    breaches: dict[int, list[dict]] = defaultdict(list)
    for row in (
        SupplementRequest.objects.filter(dossier_id__in=ids, requested_at__lt=cutoff)
        .exclude(breaches_rule="")
        .values("dossier_id", "agency_id", "requested_by_id", "breaches_rule")
    ):
        breaches[row["dossier_id"]].append(row)

    result = []
    for d in dossiers:
        calendar = calendars.get(d["competent_agency_id"], default)
        finish = (
            d["finished_at"] if d["finished_at"] and d["finished_at"] < cutoff else None
        )
        until = finish or cutoff
        pauses = _pauses(status_changes[d["pk"]], until)
        due = d["due_at"]
        ledger = DossierLedger(
            dossier_id=d["pk"],
            code=d["code"] or "",
            due_at=due,
            finish=finish,
            late_minutes=_minutes(calendar, due, until) if due else 0,
            counted_late=bool(breaches[d["pk"]]),
        )
        step_entries: list[tuple[dict, LedgerEntry]] = []
        for step in steps[d["pk"]]:
            if step["started_at"] >= until:
                continue  # began after the finish (e.g. returning the result)
            end = min(step["completed_at"] or until, until)
            held = _held(calendar, step["started_at"], end, pauses)
            entry = LedgerEntry(
                kind="step",
                label=step["name"],
                agency_id=step["agency_id"],
                officer_id=step["assignee_id"] or step["completed_by_id"],
                allotted=step["allotted_minutes"],
                held=held,
                over=max(0, held - step["allotted_minutes"]),
            )
            step_entries.append((step, entry))
            ledger.entries.append(entry)
        for consult in consultations[d["pk"]]:
            if consult["asked_at"] >= until:
                continue
            end = min(consult["answered_at"] or until, until)
            held = _held(calendar, consult["asked_at"], end, pauses)
            allotted = _minutes(calendar, consult["asked_at"], consult["due_at"])
            entry = LedgerEntry(
                kind="consultation",
                label=_("Trả lời ý kiến"),
                agency_id=consult["to_agency_id"],
                officer_id=consult["answered_by_id"],
                allotted=allotted,
                held=held,
                over=max(0, held - allotted),
            )
            ledger.entries.append(entry)
            # The asking step waited for this answer: not its fault.
            for step, step_entry in step_entries:
                step_end = step["completed_at"] or until
                if (
                    step["agency_id"] == consult["from_agency_id"]
                    and step["started_at"] <= consult["asked_at"] < step_end
                ):
                    step_entry.over = max(0, step_entry.over - entry.over)
                    break
        for breach in breaches[d["pk"]]:
            ledger.entries.append(
                LedgerEntry(
                    kind="breach",
                    label=_("Yêu cầu bổ sung trái quy định (%(rule)s)")
                    % {"rule": breach["breaches_rule"]},
                    agency_id=breach["agency_id"],
                    officer_id=breach["requested_by_id"],
                )
            )
        result.append(ledger)
    return result


_FIELDS = ("pk", "code", "due_at", "finished_at", "competent_agency_id")


def lateness_ledger(dossier: Dossier, *, at: datetime | None = None) -> DossierLedger:
    """Return the ledger of one dossier, measured at ``at`` (now) if unfinished."""
    row = Dossier.objects.filter(pk=dossier.pk).values(*_FIELDS).get()
    return _ledgers([row], cutoff=at or timezone.now())[0]


def ledger_for_period(
    period: Period, *, scope: Scope = PROVINCE, now: datetime | None = None
) -> LedgerReport:
    """
    Return the ledger of every dossier of ``period`` that finished late or
    was overdue at its end, with the totals per agency and per officer
    (largest overrun first).
    """
    measured_at = period.measured_at(now)
    late = statistics_dossiers(period, "late", scope=scope, now=now)
    overdue = statistics_dossiers(period, "open_overdue", scope=scope, now=now)
    paused_overdue = statistics_dossiers(period, "paused_overdue", scope=scope, now=now)
    ids = (
        set(late.values_list("pk", flat=True))
        | set(overdue.values_list("pk", flat=True))
        | set(paused_overdue.values_list("pk", flat=True))
    )
    rows = list(
        Dossier.objects.filter(pk__in=ids).order_by("due_at", "pk").values(*_FIELDS)
    )
    ledgers = _ledgers(rows, cutoff=measured_at)
    agencies: dict[int, LedgerTotal] = {}
    officers: dict[int | None, LedgerTotal] = {}
    for ledger in ledgers:
        for entry in ledger.entries:
            total = agencies.setdefault(
                entry.agency_id, LedgerTotal(entry.agency_id, "")
            )
            total.over_minutes += entry.over
            total.breaches += entry.kind == "breach"
            if entry.over or entry.kind == "breach":
                total.dossiers.add(ledger.dossier_id)
            if entry.officer_id is None:
                continue
            officer = officers.setdefault(
                entry.officer_id,
                LedgerTotal(entry.officer_id, "", agency_id=entry.agency_id),
            )
            officer.over_minutes += entry.over
            officer.breaches += entry.kind == "breach"
            if entry.over or entry.kind == "breach":
                officer.dossiers.add(ledger.dossier_id)
    names = dict(Agency.objects.filter(pk__in=list(agencies)).values_list("pk", "name"))
    people = {
        u.pk: u.display_name
        for u in User.objects.filter(pk__in=[k for k in officers if k])
    }
    for total in agencies.values():
        total.label = names.get(total.key, "—")
    for total in officers.values():
        total.label = people.get(total.key, "—")

    def order(totals):
        return sorted(
            (t for t in totals if t.over_minutes or t.breaches),
            key=lambda t: (-t.over_minutes, -t.breaches, t.label),
        )

    return LedgerReport(
        dossiers=ledgers,
        agencies=order(agencies.values()),
        officers=order(officers.values()),
        day_minutes=get_calendar(None).day_minutes,
    )
