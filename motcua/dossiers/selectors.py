"""Reads of dossiers: lists, work queues, timelines. All go through ``visible_to``."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import (
    Case,
    Count,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.accounts.constants import Role
from motcua.catalog.constants import Channel
from motcua.core.exceptions import NotFound
from motcua.core.text import fold
from motcua.units.calendars import get_calendar
from motcua.units.models import Agency

from .access import _roles_by_unit, actions_for
from .constants import PAUSED_STATUSES, DossierAction, DossierStatus, StepStatus
from .models import Dossier, DossierEvent, DossierStep


@dataclass(frozen=True)
class DossierFilters:
    status: str | None = None
    agency_id: int | None = None  # receiving centre or competent agency
    procedure_id: int | None = None
    due_before: datetime | None = None
    overdue: bool = False
    applicant: str | None = None  # a name, without diacritics or with
    code: str | None = None
    channel: str | None = None
    code_part: str | None = None  # any part of the code, e.g. "260302-0001"


# Most urgent first, the same on SQLite and PostgreSQL (which sort NULLs at
# opposite ends): running dossiers by due time, online dossiers by their
# acceptance deadline, then dossiers whose clock is paused, then the rest.
URGENCY = (
    Case(
        When(status__in=PAUSED_STATUSES, then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    ),
    Coalesce("due_at", "acceptance_due_at").asc(nulls_last=True),
    "pk",
)


def dossier_list(*, user, filters: DossierFilters | None = None) -> QuerySet[Dossier]:
    """Return the dossiers ``user`` may see, filtered, most urgent first."""
    qs = Dossier.objects.visible_to(user).select_related(
        "procedure_version__procedure", "receiving_centre", "competent_agency"
    )
    return _filtered(qs, filters).order_by(*URGENCY)


def _filtered(
    qs: QuerySet[Dossier], filters: DossierFilters | None
) -> QuerySet[Dossier]:
    filters = filters or DossierFilters()
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.agency_id:
        qs = qs.filter(
            Q(receiving_centre_id=filters.agency_id)
            | Q(competent_agency_id=filters.agency_id)
        )
    if filters.procedure_id:
        qs = qs.filter(procedure_version__procedure_id=filters.procedure_id)
    if filters.due_before:
        qs = qs.filter(due_at__lt=filters.due_before)
    if filters.overdue:
        qs = qs.overdue()
    if filters.channel:
        qs = qs.filter(channel=filters.channel)
    if filters.code:
        qs = qs.filter(code__startswith=filters.code.strip())
    if filters.code_part:
        qs = qs.filter(code__contains=filters.code_part.strip())
    if filters.applicant:
        # Folded on both sides, so "nguyen van an" finds "Nguyễn Văn An" on
        # SQLite and PostgreSQL alike.
        for word in fold(filters.applicant).split():
            qs = qs.filter(applicant_search__contains=word)
    return qs


def inbox_for(
    *, user, scope: str = "mine", filters: DossierFilters | None = None
) -> QuerySet[Dossier]:
    """
    Return the dossiers waiting for ``user`` to act, most urgent first: active
    steps assigned to them or unassigned in their units, online dossiers
    waiting for acceptance and results waiting to be returned at their centres,
    and open consultations to their agencies.

    With ``scope="unit"``, the steps their units' colleagues were assigned
    too: the work of the whole unit, as its head watches it.
    """
    roles = _roles_by_unit(user)
    units = set(roles)
    if not units and not user.is_superuser:
        return Dossier.objects.none()
    centre_units = {
        u
        for u, r in roles.items()
        if r & {Role.RECEPTION, Role.CENTRE_HEAD, Role.CENTRE_DEPUTY}
    }
    my_steps = DossierStep.objects.filter(status=StepStatus.ACTIVE)
    if scope == "unit":
        my_steps = my_steps.filter(agency_id__in=units)
    else:
        my_steps = my_steps.filter(
            Q(assignee=user) | Q(assignee__isnull=True, agency_id__in=units)
        )
    from .models import Consultation

    consulted = Consultation.objects.filter(status="open", to_agency_id__in=units)
    # The open work of a unit is a few hundred dossiers: read their ids first
    # (index scans on the step and consultation queues), then fetch them by
    # primary key. An OR of EXISTS subqueries made PostgreSQL scan every
    # dossier of the province (docs/benchmarks.md).
    ids = set(my_steps.values_list("dossier_id", flat=True))
    ids.update(consulted.values_list("dossier_id", flat=True))
    condition = Q(pk__in=sorted(ids))
    if centre_units:
        condition |= Q(
            receiving_centre_id__in=centre_units,
            status__in=[
                DossierStatus.SUBMITTED,
                DossierStatus.RESOLVED,
                DossierStatus.WITHDRAWAL_REQUESTED,
            ],
        )
    return _filtered(
        Dossier.objects.filter(condition).select_related(
            "procedure_version__procedure", "receiving_centre", "competent_agency"
        ),
        filters,
    ).order_by(*URGENCY)


def dossier_timeline(
    dossier: Dossier, *, public: bool = False
) -> QuerySet[DossierEvent]:
    """Return the dossier's events in order; only the public ones for citizens."""
    qs = dossier.events.select_related("agency").order_by("created_at", "pk")
    return qs.filter(is_public=True) if public else qs.select_related("actor")


def dossier_for_display(dossier: Dossier) -> Dossier:
    """Return ``dossier`` with what a detail page shows, fetched in few queries."""
    return (
        Dossier.objects.select_related(
            "procedure_version__procedure",
            "receiving_centre",
            "competent_agency",
            "received_by",
            "applicant_unit",
        )
        .prefetch_related(
            "components",
            "fees",
            "steps__agency",
            "steps__assignee",
            "handovers",
            "consultations",
            "supplement_requests",
        )
        .get(pk=dossier.pk)
    )


def time_left(dossier: Dossier, *, now: datetime | None = None) -> float | None:
    """Return the hours (wall clock) left before the due time; negative when late."""
    if dossier.due_at is None:
        return None
    return ((dossier.due_at - (now or timezone.now())).total_seconds()) / 3600


def dossier_search_by_name(*, user, text: str, limit: int = 50) -> QuerySet[Dossier]:
    """Return dossiers whose applicant name contains every word of ``text``."""
    return dossier_list(user=user, filters=DossierFilters(applicant=text))[:limit]


def dossier_get_for_portal(
    *, pk: int | None = None, code: str | None = None
) -> Dossier:
    """
    Return the dossier with ``pk`` or ``code`` if it came in from the national
    portal (channel online, with a portal id), else raise NotFound: the same
    error as for a missing dossier, so that the portal cannot probe the
    province's other dossiers.
    """
    queryset = Dossier.objects.filter(channel=Channel.ONLINE, portal_id__isnull=False)
    lookup: dict[str, object] = {"code": code} if code is not None else {"pk": pk}
    try:
        return queryset.get(**lookup)
    except Dossier.DoesNotExist:
        raise NotFound(_("Không tìm thấy hồ sơ."), code="dossier_not_found") from None


def dossier_actions_for(actor, dossier: Dossier) -> list[DossierAction]:
    """Return the actions to offer ``actor`` on ``dossier`` (see access.actions_for)."""
    return actions_for(actor, dossier)


# -- work queues of a unit (centre heads, supervisors) ---------------------

# A running dossier is "due soon" when at most this many working days are
# left; the same threshold colours the inbox (motcua.staff.presenters).
DUE_SOON_WORKING_DAYS = 1
_RUNNING = (DossierStatus.RECEIVED, DossierStatus.IN_PROGRESS)


def due_soon_limit(now: datetime) -> datetime:
    """
    Return the instant before which a running dossier's due time makes it
    "due soon": ``DUE_SOON_WORKING_DAYS`` of working time from ``now`` on the
    province's calendar (a unit's own calendar differs by days off at most).
    """
    calendar = get_calendar(None)
    return calendar.add_working_minutes(
        now, DUE_SOON_WORKING_DAYS * calendar.day_minutes
    )


@dataclass(frozen=True)
class UnitQueue:
    """The open work of one unit: running, due soon, overdue, paused, waiting."""

    agency_id: int
    agency_name: str
    running: int = 0
    due_soon: int = 0
    overdue: int = 0
    supplement: int = 0
    payment: int = 0
    awaiting_acceptance: int = 0
    acceptance_breached: int = 0

    @property
    def paused(self) -> int:
        return self.supplement + self.payment


@dataclass(frozen=True)
class Queues:
    units: list[UnitQueue]
    overdue: QuerySet[Dossier]
    due_soon: QuerySet[Dossier]
    paused: QuerySet[Dossier]
    awaiting_acceptance: QuerySet[Dossier]
    due_soon_until: datetime


def dossier_queues(
    *, user, agency_id: int | None = None, now: datetime | None = None
) -> Queues:
    """
    Return the queues of the dossiers ``user`` may see: per unit the counts,
    and the lists (most urgent first) of overdue, due-soon and paused
    dossiers, and of online dossiers waiting for acceptance (Decree 118
    Art.17(2): 8 working hours), optionally for one unit ``agency_id``.

    Processing queues are counted against the competent agency, acceptance
    against the receiving centre.
    """
    now = now or timezone.now()
    soon = due_soon_limit(now)
    visible = Dossier.objects.visible_to(user)
    running = Q(status__in=_RUNNING)
    late = running & Q(due_at__lt=now)
    near = running & Q(due_at__gte=now, due_at__lte=soon)
    work = visible.filter(status__in=[*_RUNNING, *PAUSED_STATUSES])
    waiting = visible.awaiting_acceptance().filter(acceptance_due_at__isnull=False)
    counts: dict[int, dict[str, int]] = {}
    for row in (
        work.values("competent_agency")
        .annotate(
            running=Count("pk", filter=running),
            due_soon=Count("pk", filter=near),
            overdue=Count("pk", filter=late),
            supplement=Count("pk", filter=Q(status=DossierStatus.NEEDS_SUPPLEMENT)),
            payment=Count("pk", filter=Q(status=DossierStatus.AWAITING_PAYMENT)),
        )
        .order_by()
    ):
        counts[row.pop("competent_agency")] = row
    for row in (
        waiting.values("receiving_centre")
        .annotate(
            awaiting_acceptance=Count("pk"),
            acceptance_breached=Count("pk", filter=Q(acceptance_due_at__lt=now)),
        )
        .order_by()
    ):
        counts.setdefault(row.pop("receiving_centre"), {}).update(row)
    names = dict(Agency.objects.filter(pk__in=counts).values_list("pk", "name"))
    units = sorted(
        (
            UnitQueue(agency_id=pk, agency_name=names.get(pk, ""), **values)
            for pk, values in counts.items()
        ),
        key=lambda u: (-u.overdue, -u.acceptance_breached, -u.due_soon, u.agency_name),
    )
    if agency_id is not None:
        work = work.filter(competent_agency_id=agency_id)
        waiting = waiting.filter(receiving_centre_id=agency_id)
    related = ("procedure_version__procedure", "receiving_centre", "competent_agency")
    work = work.select_related(*related)
    return Queues(
        units=units,
        overdue=work.filter(late).order_by("due_at", "pk"),
        due_soon=work.filter(near).order_by("due_at", "pk"),
        paused=work.filter(status__in=PAUSED_STATUSES)
        .prefetch_related("supplement_requests")
        .order_by("paused_at", "pk"),
        awaiting_acceptance=waiting.select_related(*related).order_by(
            "acceptance_due_at", "pk"
        ),
        due_soon_until=soon,
    )


@dataclass(frozen=True)
class InboxCounts:
    total: int
    awaiting_acceptance: int
    due_soon: int
    overdue: int


def inbox_counts(*, user, now: datetime | None = None) -> InboxCounts:
    """Return how much waits in ``user``'s inbox, and how much of it is urgent."""
    now = now or timezone.now()
    running = Q(status__in=_RUNNING)
    values = (
        inbox_for(user=user)
        .order_by()
        .aggregate(
            total=Count("pk"),
            awaiting_acceptance=Count(
                "pk", filter=Q(status=DossierStatus.SUBMITTED, received_at__isnull=True)
            ),
            due_soon=Count(
                "pk",
                filter=running & Q(due_at__gte=now, due_at__lte=due_soon_limit(now)),
            ),
            overdue=Count("pk", filter=running & Q(due_at__lt=now)),
        )
    )
    return InboxCounts(**values)


def step_assignee_choices(step: DossierStep):
    """
    Return the officers a step may be assigned to: the active members of the
    step's unit (the service refuses anyone else), by name.
    """
    from django.contrib.auth import get_user_model

    from motcua.accounts.models import StaffMembership

    members = StaffMembership.objects.active().filter(agency_id=step.agency_id)
    return (
        get_user_model()
        .objects.filter(is_active=True, pk__in=members.values("user_id"))
        .order_by("full_name", "username")
    )


def competent_agencies_for(version) -> QuerySet[Agency]:
    """
    Return the active agencies that may resolve ``version``, as the creation
    service checks them: the province's list for the procedure, else every
    agency of the kind (and vertical branch) the catalog names.
    """
    agencies = Agency.objects.filter(is_active=True)
    listed = agencies.filter(procedures=version.procedure_id)
    if listed.exists():
        return listed.order_by("level", "name")
    if not version.competent_agency_kind:
        return agencies.none()
    agencies = agencies.filter(kind=version.competent_agency_kind)
    if version.competent_branch:
        agencies = agencies.filter(branch=version.competent_branch)
    return agencies.order_by("level", "name")


def procedures_received_most(
    *, centre_ids: set[int], days: int = 90, limit: int = 6
) -> list[int]:
    """
    Return the ids of the procedure versions received most at the centres
    ``centre_ids`` over the last ``days`` days: the counter's quick picks.
    """
    since = timezone.now() - timedelta(days=days)
    rows = (
        Dossier.objects.filter(
            receiving_centre_id__in=centre_ids, submitted_at__gte=since
        )
        .values("procedure_version")
        .annotate(n=Count("pk"))
        .order_by("-n", "procedure_version")[:limit]
    )
    return [row["procedure_version"] for row in rows]
