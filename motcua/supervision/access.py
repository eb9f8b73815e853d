"""
Who may open the supervision pages, and which dossiers their figures cover.

The rule is the dossiers app's staff scope (``staff_scope``): the province's
supervisors and the head of the provincial centre see the whole province;
anyone else sees the units they belong to and the units below them. Among
those, only leading and supervising roles see supervision figures.
"""

from dataclasses import dataclass

from django.db.models import Q

from motcua.accounts.constants import Role
from motcua.dossiers.access import _roles_by_unit
from motcua.dossiers.querysets import staff_scope

# Roles that watch figures: the one-stop centres' heads, the province's
# supervisors, and the leaders of agencies and divisions for their own units.
SUPERVISION_ROLES = frozenset(
    {
        Role.SUPERVISOR,
        Role.CENTRE_HEAD,
        Role.CENTRE_DEPUTY,
        Role.AGENCY_LEADER,
        Role.DIVISION_HEAD,
    }
)


@dataclass(frozen=True, slots=True)
class Scope:
    """The dossiers a set of figures covers: the province, or some units."""

    province_wide: bool
    units: frozenset[int] = frozenset()

    def dossier_filter(self, prefix: str = "") -> Q:
        """A filter on dossiers (``prefix`` reaches a dossier from another model)."""
        if self.province_wide:
            return Q()
        return Q(**{f"{prefix}receiving_centre_id__in": self.units}) | Q(
            **{f"{prefix}competent_agency_id__in": self.units}
        )

    def agency_filter(self, field: str = "pk") -> Q:
        """A filter on rows of agencies (or rows pointing at one through ``field``)."""
        if self.province_wide:
            return Q()
        return Q(**{f"{field}__in": self.units})

    def covers(self, agency_id: int | None) -> bool:
        return self.province_wide or agency_id in self.units


PROVINCE = Scope(province_wide=True)


def may_supervise(user) -> bool:
    """Return True if ``user`` may open the supervision pages."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return any(roles & SUPERVISION_ROLES for roles in _roles_by_unit(user).values())


def supervision_scope(user) -> Scope:
    """
    Return the scope of ``user``'s supervision figures: the province for the
    province's supervisors, else the units where they hold a supervising role
    and the units below them. Nothing for anyone else.
    """
    if not may_supervise(user):
        return Scope(province_wide=False)
    province_wide, _units = staff_scope(user)
    if province_wide:
        return PROVINCE
    units = frozenset(
        unit
        for unit, roles in _roles_by_unit(user).items()
        if roles & SUPERVISION_ROLES
    )
    return Scope(province_wide=False, units=units)
