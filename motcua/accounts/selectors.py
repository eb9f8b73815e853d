"""Reads about staff: their memberships in units and the roles they hold there."""

from collections.abc import Iterable
from datetime import date

from django.db.models import QuerySet

from .constants import Role
from .models import StaffMembership, User


def memberships_active_for(
    user: User, *, on: date | None = None
) -> QuerySet[StaffMembership]:
    """
    Return ``user``'s memberships in force on ``on`` (today by default), with
    their agency, in the model's order (agency, then role).

    An inactive or anonymous user has none.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return StaffMembership.objects.none()
    return (
        StaffMembership.objects.active(on)
        .filter(user=user)
        .select_related("agency", "seconded_from")
    )


def user_agency_ids(user: User, *, roles: Iterable[Role] | None = None) -> set[int]:
    """
    Return the ids of the agencies where ``user`` has an active membership,
    limited to ``roles`` when given.

    Only the units named in the memberships: which dossiers a leader sees in
    the divisions below is the dossier visibility rule, not this function's.
    """
    memberships = memberships_active_for(user)
    if roles is not None:
        memberships = memberships.filter(role__in=list(roles))
    return set(memberships.values_list("agency_id", flat=True))
