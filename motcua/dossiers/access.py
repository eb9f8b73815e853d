"""
Who may see a dossier, and who may apply which action to it: the one place
where these rules are written (DESIGN.md §8).
"""

from dataclasses import dataclass
from enum import StrEnum

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.accounts.constants import Role
from motcua.core.exceptions import NotFound, PermissionDenied

from .constants import DossierAction as A
from .models import Dossier, DossierStep
from .querysets import staff_scope


class SystemKind(StrEnum):
    SWEEP = "sweep"  # scheduled rules (15-day closure, acceptance breach)
    PORTAL = "portal"  # the National Public Service Portal, on behalf of the citizen
    PAYMENT = "payment"  # the payment platform's signed callback


@dataclass(frozen=True, slots=True)
class SystemActor:
    """An actor that is not a person: recorded by label on events."""

    kind: SystemKind
    label: str

    @property
    def pk(self) -> None:
        return None

    def __str__(self) -> str:
        return self.label


SWEEP = SystemActor(SystemKind.SWEEP, "Hệ thống motcua")
PORTAL = SystemActor(SystemKind.PORTAL, "Cổng Dịch vụ công quốc gia")
PAYMENT = SystemActor(SystemKind.PAYMENT, "Nền tảng thanh toán")


class Side(StrEnum):
    CENTRE = "centre"  # the receiving one-stop centre
    COMPETENT = "competent"  # the agency that resolves the dossier
    STEP = "step"  # the unit of the step being acted on
    CONSULTED = "consulted"  # an agency asked for its opinion


_CENTRE_ROLES = frozenset({Role.RECEPTION, Role.CENTRE_HEAD, Role.CENTRE_DEPUTY})
_CENTRE_HEADS = frozenset({Role.CENTRE_HEAD, Role.CENTRE_DEPUTY})
_PROCESSING_ROLES = frozenset({Role.PROCESSING, Role.DIVISION_HEAD, Role.AGENCY_LEADER})
_LEADERS = frozenset({Role.DIVISION_HEAD, Role.AGENCY_LEADER})


@dataclass(frozen=True, slots=True)
class Rule:
    grants: tuple[tuple[Side, frozenset[Role]], ...]
    systems: frozenset[SystemKind] = frozenset()


RULES: dict[A, Rule] = {
    A.SUBMIT_ONLINE: Rule((), frozenset({SystemKind.PORTAL})),
    A.SUBMIT: Rule(((Side.CENTRE, _CENTRE_ROLES),)),
    A.RECEIVE: Rule(((Side.CENTRE, _CENTRE_ROLES),)),
    A.REFUSE: Rule(((Side.CENTRE, _CENTRE_ROLES),)),
    # The phase decides who asks: the centre at reception, the agency later;
    # see ``supplement_sides``.
    A.REQUEST_SUPPLEMENT: Rule(
        (
            (Side.CENTRE, _CENTRE_ROLES),
            (Side.STEP, _PROCESSING_ROLES),
            (Side.COMPETENT, _PROCESSING_ROLES),
        )
    ),
    A.SUPPLEMENT: Rule(((Side.CENTRE, _CENTRE_ROLES),), frozenset({SystemKind.PORTAL})),
    A.CLOSE_UNSUPPLEMENTED: Rule(
        ((Side.CENTRE, _CENTRE_HEADS),), frozenset({SystemKind.SWEEP})
    ),
    A.ASSIGN: Rule(((Side.STEP, _LEADERS | _CENTRE_HEADS),)),
    A.COMPLETE_STEP: Rule(((Side.STEP, _PROCESSING_ROLES | _CENTRE_ROLES),)),
    A.TRANSFER: Rule(((Side.STEP, _LEADERS | _CENTRE_ROLES),)),
    A.CONSULT: Rule(
        ((Side.STEP, _PROCESSING_ROLES), (Side.COMPETENT, _PROCESSING_ROLES))
    ),
    A.REPLY: Rule(((Side.CONSULTED, _PROCESSING_ROLES),)),
    A.REQUEST_PAYMENT: Rule(
        ((Side.STEP, _PROCESSING_ROLES), (Side.COMPETENT, _PROCESSING_ROLES))
    ),
    A.CONFIRM_PAYMENT: Rule(
        ((Side.CENTRE, _CENTRE_ROLES), (Side.COMPETENT, _PROCESSING_ROLES)),
        frozenset({SystemKind.PAYMENT}),
    ),
    A.EXTEND: Rule(((Side.COMPETENT, _LEADERS), (Side.CENTRE, _CENTRE_HEADS))),
    A.RESOLVE: Rule(((Side.COMPETENT, _LEADERS),)),
    A.REJECT: Rule(((Side.COMPETENT, _LEADERS),)),
    A.RETURN_RESULT: Rule(
        ((Side.CENTRE, _CENTRE_ROLES),), frozenset({SystemKind.PORTAL})
    ),
    A.REQUEST_WITHDRAWAL: Rule(
        ((Side.CENTRE, _CENTRE_ROLES),), frozenset({SystemKind.PORTAL})
    ),
    A.STOP: Rule(((Side.COMPETENT, _LEADERS), (Side.CENTRE, _CENTRE_HEADS))),
    A.CORRECT_RESULT: Rule(((Side.COMPETENT, _LEADERS),)),
    A.RECORD_PAYMENT: Rule(
        ((Side.CENTRE, _CENTRE_ROLES),), frozenset({SystemKind.PAYMENT})
    ),
    A.RECORD_REFUND: Rule(
        ((Side.CENTRE, _CENTRE_HEADS), (Side.COMPETENT, _LEADERS)),
        frozenset({SystemKind.PAYMENT}),
    ),
}


def access_centre_for_staff(user, centre_id: int):
    """
    Return the centre if ``user`` may read its books (tracking book, receipts),
    else raise NotFound: its reception staff and heads, the province's
    supervisors and superusers.
    """
    from motcua.units.models import Agency

    province_wide, _units = staff_scope(user)
    if province_wide or _roles_by_unit(user).get(centre_id, set()) & _CENTRE_ROLES:
        centre = Agency.objects.filter(pk=centre_id).first()
        if centre is not None:
            return centre
    raise NotFound(_("Không tìm thấy đơn vị."), code="centre_not_found")


def _roles_by_unit(user) -> dict[int, set[str]]:
    cached = getattr(user, "_motcua_roles", None)
    if cached is not None:
        return cached
    from motcua.accounts.models import StaffMembership
    from motcua.units.models import Agency

    roles: dict[int, set[str]] = {}
    memberships = list(
        StaffMembership.objects.active()
        .filter(user=user)
        .values_list("agency_id", "role")
    )
    if memberships:
        children: dict[int | None, list[int]] = {}
        for agency_id, parent_id in Agency.objects.values_list("id", "parent_id"):
            children.setdefault(parent_id, []).append(agency_id)
        for agency_id, role in memberships:
            # A role in a unit holds in the units below it (a department's divisions).
            frontier = [agency_id]
            while frontier:
                unit = frontier.pop()
                roles.setdefault(unit, set()).add(role)
                frontier.extend(children.get(unit, []))
    user._motcua_roles = roles
    return roles


def _units_of_side(dossier: Dossier, side: Side, step: DossierStep | None) -> list[int]:
    if side == Side.CENTRE:
        return [dossier.receiving_centre_id]
    if side == Side.COMPETENT:
        return [dossier.competent_agency_id]
    if side == Side.STEP:
        if step is not None:
            return [step.agency_id]
        return [s.agency_id for s in dossier.steps.all() if s.status == "active"]
    return [c.to_agency_id for c in dossier.consultations.all() if c.status == "open"]


def may_act(
    actor,
    action: A,
    dossier: Dossier,
    *,
    step: DossierStep | None = None,
    sides: tuple[Side, ...] | None = None,
) -> bool:
    """
    Return True if ``actor`` may apply ``action`` to ``dossier``.

    ``sides`` narrows the grants to some sides (e.g. the reception-phase
    supplement is the centre's act, the processing-phase one the agency's).
    """
    rule = RULES[action]
    if isinstance(actor, SystemActor):
        return actor.kind in rule.systems
    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return False
    if actor.is_superuser:
        return True
    roles = _roles_by_unit(actor)
    for side, allowed_roles in rule.grants:
        if sides is not None and side not in sides:
            continue
        for unit in _units_of_side(dossier, side, step):
            if roles.get(unit, set()) & allowed_roles:
                return True
    return False


def check_may_act(actor, action: A, dossier: Dossier, **kwargs) -> None:
    """Raise PermissionDenied unless ``actor`` may apply ``action`` to ``dossier``."""
    if not may_act(actor, action, dossier, **kwargs):
        raise PermissionDenied(
            _("Bạn không có quyền thực hiện thao tác này trên hồ sơ."),
            code="action_not_permitted",
            extra={"action": action.value},
        )


def supplement_sides(dossier: Dossier) -> tuple[Side, ...]:
    """
    Who asks for a supplement: the centre at reception, the agency processing
    the dossier once it has been received (Decree 118 Art.16(3), 19(5)).
    """
    return (Side.STEP, Side.COMPETENT) if dossier.is_received else (Side.CENTRE,)


def steps_blocking_conclusion(steps: list[DossierStep]) -> list[DossierStep]:
    """
    Return the steps that must finish before a dossier is resolved or
    rejected: every unfinished step ordered before the signing step (or, with
    no signing step, every unfinished step but the return).
    """
    from motcua.catalog.constants import StepKind

    finished = ("done", "skipped")
    signing = next((s.order for s in steps if s.kind == StepKind.SIGNING), None)
    if signing is not None:
        return [s for s in steps if s.order < signing and s.status not in finished]
    return [s for s in steps if s.kind != StepKind.RETURN and s.status not in finished]


def step_completes_by_itself(step: DossierStep) -> bool:
    """Signing and return steps end with 'resolve' and 'return_result', not 'complete_step'."""
    from motcua.catalog.constants import StepKind

    return step.kind not in (StepKind.SIGNING, StepKind.RETURN)


def actions_for(actor, dossier: Dossier) -> list[A]:
    """
    Return the actions to offer ``actor`` on ``dossier``: allowed by the table
    from its status and permitted to the actor. The services still decide;
    this is what a screen or an API client shows.
    """
    from . import workflow
    from .constants import DossierStatus

    actions = []
    for action in workflow.allowed_actions(DossierStatus(dossier.status)):
        if action == A.COMPLETE_STEP:
            steps = [
                s
                for s in dossier.steps.all()
                if s.status == "active" and step_completes_by_itself(s)
            ]
            permitted = any(may_act(actor, action, dossier, step=s) for s in steps)
        elif action == A.REQUEST_SUPPLEMENT:
            permitted = may_act(actor, action, dossier, sides=supplement_sides(dossier))
        elif action in (A.RESOLVE, A.REJECT):
            # Only once the steps before signing are done (as the handler decides).
            permitted = not steps_blocking_conclusion(
                list(dossier.steps.all())
            ) and may_act(actor, action, dossier)
        elif action == A.EXTEND:
            # Decree 118 Art.19(6): at most once.
            permitted = dossier.extension_count < 1 and may_act(actor, action, dossier)
        elif action == A.CLOSE_UNSUPPLEMENTED:
            # Decree 118 Art.19(5): only once the 15 days have run out.
            now = timezone.now()
            permitted = any(
                r.supplied_at is None and r.closed_at is None and r.respond_by <= now
                for r in dossier.supplement_requests.all()
            ) and may_act(actor, action, dossier)
        else:
            permitted = may_act(actor, action, dossier)
        if permitted:
            actions.append(action)
    return actions


def may_receive_at(user, centre_id: int) -> bool:
    """Return True if ``user`` may receive dossiers at the centre ``centre_id``."""
    if getattr(user, "is_superuser", False):
        return True
    return bool(_roles_by_unit(user).get(centre_id, set()) & _CENTRE_ROLES)


def access_dossier_for_staff(
    user, *, code: str | None = None, pk: int | None = None
) -> Dossier:
    """
    Return the dossier if ``user`` may see it, else raise NotFound.

    The error is the same for a missing dossier and for one the user may not
    see, so that codes cannot be probed.
    """
    queryset = Dossier.objects.visible_to(user)
    try:
        if code is not None:
            return queryset.get(code=code)
        return queryset.get(pk=pk)
    except Dossier.DoesNotExist:
        raise NotFound(_("Không tìm thấy hồ sơ."), code="dossier_not_found") from None


def access_dossier_for_citizen(*, code: str, secret: str) -> Dossier:
    """
    Return the dossier with ``code`` if ``secret`` (printed on Mẫu 01) matches.

    Same error for a wrong code and a wrong secret.
    """
    import hmac

    dossier = Dossier.objects.filter(code=code.strip()).first()
    if dossier is None or not hmac.compare_digest(
        dossier.lookup_secret, (secret or "").strip().upper()
    ):
        raise NotFound(
            _("Mã hồ sơ hoặc mã bí mật không đúng."), code="dossier_not_found"
        )
    return dossier


def staff_sees_province(user) -> bool:
    return staff_scope(user)[0]
