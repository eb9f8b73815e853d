"""Reads of dossiers: lists, work queues, timelines. All go through ``visible_to``."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.accounts.constants import Role
from motcua.catalog.constants import Channel, StepKind
from motcua.core.exceptions import NotFound
from motcua.core.text import fold

from . import workflow
from .access import Side, _roles_by_unit, may_act
from .constants import DossierAction, DossierStatus, StepStatus
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


def dossier_list(*, user, filters: DossierFilters | None = None) -> QuerySet[Dossier]:
    """Return the dossiers ``user`` may see, filtered, most urgent first."""
    filters = filters or DossierFilters()
    qs = Dossier.objects.visible_to(user).select_related(
        "procedure_version__procedure", "receiving_centre", "competent_agency"
    )
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
    if filters.applicant:
        # Folded on both sides, so "nguyen van an" finds "Nguyễn Văn An" on
        # SQLite and PostgreSQL alike.
        for word in fold(filters.applicant).split():
            qs = qs.filter(applicant_search__contains=word)
    return qs.order_by("due_at", "pk")


def inbox_for(*, user) -> QuerySet[Dossier]:
    """
    Return the dossiers waiting for ``user`` to act, most urgent first: active
    steps assigned to them or unassigned in their units, online dossiers
    waiting for acceptance and results waiting to be returned at their centres,
    and open consultations to their agencies.
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
    my_steps = DossierStep.objects.filter(
        dossier=OuterRef("pk"), status=StepStatus.ACTIVE
    ).filter(Q(assignee=user) | Q(assignee__isnull=True, agency_id__in=units))
    from .models import Consultation

    condition = Exists(my_steps) | Exists(
        Consultation.objects.filter(
            dossier=OuterRef("pk"), status="open", to_agency_id__in=units
        )
    )
    if centre_units:
        condition |= Q(
            receiving_centre_id__in=centre_units,
            status__in=[
                DossierStatus.SUBMITTED,
                DossierStatus.RESOLVED,
                DossierStatus.WITHDRAWAL_REQUESTED,
            ],
        )
    return (
        Dossier.objects.filter(condition)
        .select_related(
            "procedure_version__procedure", "receiving_centre", "competent_agency"
        )
        .order_by("due_at", "acceptance_due_at", "pk")
    )


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
    try:
        if code is not None:
            return queryset.get(code=code)
        return queryset.get(pk=pk)
    except Dossier.DoesNotExist:
        raise NotFound(_("Không tìm thấy hồ sơ."), code="dossier_not_found") from None


def dossier_actions_for(actor, dossier: Dossier) -> list[DossierAction]:
    """
    Return the actions to offer ``actor`` on ``dossier``: allowed by the
    lifecycle table from its status and permitted to the actor (``may_act``).
    The services still decide; this is what a screen or an API client shows.
    """
    actions = []
    for action in workflow.allowed_actions(DossierStatus(dossier.status)):
        if action == DossierAction.COMPLETE_STEP:
            # As the handler decides: signing and return steps end with
            # 'resolve' and 'return_result', not with 'complete_step'.
            steps = [
                s
                for s in dossier.steps.all()
                if s.status == StepStatus.ACTIVE
                and s.kind not in (StepKind.SIGNING, StepKind.RETURN)
            ]
            permitted = any(may_act(actor, action, dossier, step=s) for s in steps)
        elif action == DossierAction.REQUEST_SUPPLEMENT:
            # As the handler decides: the centre asks at reception, the
            # agency once the dossier has been received.
            sides = (
                (Side.STEP, Side.COMPETENT) if dossier.is_received else (Side.CENTRE,)
            )
            permitted = may_act(actor, action, dossier, sides=sides)
        else:
            permitted = may_act(actor, action, dossier)
        if permitted:
            actions.append(action)
    return actions
