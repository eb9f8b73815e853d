"""Who an audience is, for one dossier: one resolver per audience."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from motcua.accounts.constants import Role
from motcua.accounts.models import StaffMembership, User
from motcua.dossiers.constants import StepStatus
from motcua.dossiers.models import Dossier

from .constants import Audience


@dataclass(frozen=True)
class Recipient:
    """A person with the addresses each channel needs (blank when unknown)."""

    key: str  # stable identity in dedupe keys: "applicant" or "user:<pk>"
    label: str
    email: str = ""
    phone: str = ""
    user: Any = None


def _applicant(dossier: Dossier) -> list[Recipient]:
    return [
        Recipient(
            key="applicant",
            label=dossier.applicant_name,
            email=dossier.applicant_email,
            phone=dossier.applicant_phone or dossier.representative_phone,
        )
    ]


def _staff(users: list[User], phones: dict[int, str] | None = None) -> list[Recipient]:
    seen: dict[int, Recipient] = {}
    for user in users:
        if user.pk in seen or not user.is_active:
            continue
        seen[user.pk] = Recipient(
            key=f"user:{user.pk}",
            label=user.display_name,
            email=user.email,
            phone=user.phone or (phones or {}).get(user.pk, ""),
            user=user,
        )
    return list(seen.values())


def _members(agency_id: int, roles: set[str]) -> list[Recipient]:
    memberships = (
        StaffMembership.objects.active()
        .filter(agency_id=agency_id, role__in=roles)
        .select_related("user")
        .order_by("user_id")
    )
    phones = {m.user_id: m.phone for m in memberships if m.phone}
    return _staff([m.user for m in memberships], phones)


def _centre_reception(dossier: Dossier) -> list[Recipient]:
    return _members(dossier.receiving_centre_id, {Role.RECEPTION})


def _centre_head(dossier: Dossier) -> list[Recipient]:
    # The head; the deputies stand in when the post is vacant.
    return _members(dossier.receiving_centre_id, {Role.CENTRE_HEAD}) or _members(
        dossier.receiving_centre_id, {Role.CENTRE_DEPUTY}
    )


def _step_holder(dossier: Dossier) -> list[Recipient]:
    # The officer assigned to each active step; for an unassigned step, the
    # unit's staff holding the step's role.
    recipients: list[Recipient] = []
    steps = dossier.steps.filter(status=StepStatus.ACTIVE).select_related("assignee")
    for step in steps:
        if step.assignee is not None:
            recipients.extend(_staff([step.assignee]))
        else:
            recipients.extend(_members(step.agency_id, {step.role}))
    unique = {r.key: r for r in recipients}
    return list(unique.values())


def staff_recipients(user_ids: list[int]) -> list[Recipient]:
    """
    Return the active users ``user_ids`` as recipients, in that order: for
    callers that already know who is concerned (supervision's early warnings).
    """
    users = {u.pk: u for u in User.objects.filter(pk__in=user_ids, is_active=True)}
    phones = dict(
        StaffMembership.objects.active()
        .filter(user_id__in=user_ids)
        .exclude(phone="")
        .order_by("pk")
        .values_list("user_id", "phone")
    )
    return _staff([users[pk] for pk in user_ids if pk in users], phones)


RESOLVERS: dict[Audience, Callable[[Dossier], list[Recipient]]] = {
    Audience.APPLICANT: _applicant,
    Audience.CENTRE_RECEPTION: _centre_reception,
    Audience.CENTRE_HEAD: _centre_head,
    Audience.STEP_HOLDER: _step_holder,
}


def recipients_for(audience: Audience | str, dossier: Dossier) -> list[Recipient]:
    """Return the people ``audience`` stands for on ``dossier``."""
    return RESOLVERS[Audience(audience)](dossier)
