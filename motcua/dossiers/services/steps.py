"""
Processing steps: instantiated from the procedure's template at reception,
activated block by block, lane by lane (Decree 118 Art.20(2)).
"""

from datetime import datetime
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.accounts.constants import Role
from motcua.catalog.constants import StepKind, UnitRole
from motcua.core.calendar import WorkingCalendar
from motcua.core.exceptions import RuleViolation
from motcua.dossiers import deadlines
from motcua.dossiers.constants import StepStatus
from motcua.dossiers.models import Dossier, DossierStep
from motcua.units.constants import AgencyKind
from motcua.units.models import Agency

FINISHED_STEP = (StepStatus.DONE, StepStatus.SKIPPED)

# Share of the legal duration given to each step of the default template, used
# for procedures whose catalog entry has no process template yet.
_DEFAULT_TEMPLATE = (
    (
        StepKind.RECEPTION,
        _("Tiếp nhận, chuyển hồ sơ"),
        Role.RECEPTION,
        UnitRole.RECEIVING_CENTRE,
        Decimal("0.10"),
    ),
    (
        StepKind.APPRAISAL,
        _("Thẩm định, xử lý hồ sơ"),
        Role.PROCESSING,
        UnitRole.COMPETENT_AGENCY,
        Decimal("0.65"),
    ),
    (
        StepKind.SIGNING,
        _("Ký duyệt kết quả"),
        Role.AGENCY_LEADER,
        UnitRole.COMPETENT_AGENCY,
        Decimal("0.15"),
    ),
    (
        StepKind.RETURN,
        _("Trả kết quả"),
        Role.RECEPTION,
        UnitRole.RECEIVING_CENTRE,
        Decimal("0.10"),
    ),
)


def resolve_participant_agency(dossier: Dossier, participant) -> Agency:
    """
    Return the agency that plays ``participant`` for this dossier: the one of
    the right kind (and branch) in the competent agency's area, else at
    province level. Raise RuleViolation when the province has none.
    """
    base = Agency.objects.filter(kind=participant.agency_kind, is_active=True)
    if participant.branch:
        base = base.filter(branch=participant.branch)
    area = dossier.competent_agency.administrative_unit_id
    listed = base.filter(procedures=dossier.procedure_version.procedure_id)
    for queryset in (
        listed.filter(administrative_unit_id=area),
        base.filter(administrative_unit_id=area),
        listed.filter(level="province"),
        base.filter(level="province"),
    ):
        agency = queryset.order_by("pk").first()
        if agency is not None:
            return agency
    if (
        participant.agency_kind == AgencyKind.COMMUNE_COMMITTEE
        and dossier.applicant_unit_id
    ):
        agency = (
            base.filter(administrative_unit_id=dossier.applicant_unit_id)
            .order_by("pk")
            .first()
        )
        if agency is not None:
            return agency
    raise RuleViolation(
        _("Không xác định được cơ quan liên thông: %(work)s.")
        % {"work": participant.work},
        code="participant_unresolved",
    )


def instantiate_steps(
    dossier: Dossier, calendar: WorkingCalendar, *, total_minutes: int
) -> list[DossierStep]:
    """Create the dossier's steps from its procedure version (or the default template)."""
    templates = list(
        dossier.procedure_version.steps.select_related("participant").order_by("order")
    )
    steps: list[DossierStep] = []
    if templates:
        participants: dict[int, Agency] = {}
        block_keys: list[tuple] = []
        for template in templates:
            if template.unit_role == UnitRole.PARTICIPANT:
                participant = template.participant
                if participant.pk not in participants:
                    participants[participant.pk] = resolve_participant_agency(
                        dossier, participant
                    )
                agency = participants[participant.pk]
                key: tuple = ("stage", participant.stage)
                lane = f"p{participant.pk}"
                is_lead = participant.role == "lead"
            else:
                agency = (
                    dossier.receiving_centre
                    if template.unit_role == UnitRole.RECEIVING_CENTRE
                    else dossier.competent_agency
                )
                key = ("step", template.order)
                lane = ""
                is_lead = False
            if key not in block_keys:
                block_keys.append(key)
            steps.append(
                DossierStep(
                    dossier=dossier,
                    order=template.order,
                    block=block_keys.index(key) + 1,
                    lane=lane,
                    name=template.name,
                    kind=template.kind,
                    role=template.role,
                    agency=agency,
                    is_lead=is_lead,
                    allotted_minutes=deadlines.step_minutes(
                        calendar, template.allotted_value, template.allotted_unit
                    ),
                )
            )
    else:
        for index, (kind, name, role, unit_role, share) in enumerate(
            _DEFAULT_TEMPLATE, start=1
        ):
            agency = (
                dossier.receiving_centre
                if unit_role == UnitRole.RECEIVING_CENTRE
                else dossier.competent_agency
            )
            steps.append(
                DossierStep(
                    dossier=dossier,
                    order=index,
                    block=index,
                    lane="",
                    name=str(name),
                    kind=kind,
                    role=role,
                    agency=agency,
                    allotted_minutes=max(1, int(total_minutes * share)),
                )
            )
    return DossierStep.objects.bulk_create(steps)


def start_step(step: DossierStep, calendar: WorkingCalendar, now: datetime) -> None:
    step.status = StepStatus.ACTIVE
    step.started_at = now
    step.due_at = deadlines.step_due(
        calendar, started_at=now, minutes=step.allotted_minutes
    )


def activate_ready_steps(
    steps: list[DossierStep], calendar: WorkingCalendar, now: datetime
) -> list[DossierStep]:
    """
    Start the steps that may start now; return them (unsaved).

    The current block is the first with an unfinished step. In it, each lane
    runs its steps in order, lanes in parallel.
    """
    for block in sorted({s.block for s in steps}):
        block_steps = [s for s in steps if s.block == block]
        if all(s.status in FINISHED_STEP for s in block_steps):
            continue
        started = []
        for lane in sorted({s.lane for s in block_steps}):
            lane_steps = sorted(
                (s for s in block_steps if s.lane == lane), key=lambda s: s.order
            )
            if any(s.status == StepStatus.ACTIVE for s in lane_steps):
                continue
            pending = next(
                (s for s in lane_steps if s.status == StepStatus.PENDING), None
            )
            if pending is not None:
                start_step(pending, calendar, now)
                started.append(pending)
        return started
    return []


def active_steps(steps: list[DossierStep]) -> list[DossierStep]:
    return [s for s in steps if s.status == StepStatus.ACTIVE]


def pick_step(
    steps: list[DossierStep], *, step_id: int | None, unit_ids: set[int] | None
) -> DossierStep:
    """
    Return the active step an action applies to: the given one, else the only
    active step in the actor's units. Raise RuleViolation when ambiguous.
    """
    candidates = active_steps(steps)
    if step_id is not None:
        candidates = [s for s in candidates if s.pk == step_id]
    elif unit_ids is not None:
        candidates = [s for s in candidates if s.agency_id in unit_ids] or candidates
    if len(candidates) != 1:
        raise RuleViolation(
            _("Hãy chọn bước xử lý đang thực hiện."),
            code="step_required" if candidates else "no_active_step",
            extra={"active_steps": [s.pk for s in active_steps(steps)]},
        )
    return candidates[0]


def members_of(agency_id: int, roles) -> Q:
    """A filter on users with an active membership in ``agency_id`` with one of ``roles``."""
    return Q(
        memberships__agency_id=agency_id,
        memberships__role__in=list(roles),
        memberships__is_active=True,
    )
