"""
Row-level visibility of dossiers: the only place the rule is written.

Both the selectors (lists) and the ``access_*`` functions (single dossiers) go
through ``DossierQuerySet.visible_to``.
"""

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from motcua.accounts.constants import Role

from .constants import OPEN_STATUSES, PAUSED_STATUSES, DossierStatus


def staff_scope(user) -> tuple[bool, set[int]]:
    """
    Return (sees the whole province, ids of the units whose dossiers ``user`` sees).

    A member of a unit sees the dossiers of that unit and of the units below
    it (a department's divisions). Cached on the user object for one request.
    """
    cached = getattr(user, "_motcua_scope", None)
    if cached is not None:
        return cached
    from motcua.accounts.models import StaffMembership
    from motcua.units.models import Agency

    if not getattr(user, "is_authenticated", False) or not user.is_active:
        scope: tuple[bool, set[int]] = (False, set())
    elif user.is_superuser:
        scope = (True, set())
    else:
        memberships = list(
            StaffMembership.objects.active().filter(user=user).select_related("agency")
        )
        # A provincial supervisor, and the head of the provincial centre who
        # answers for every agency's intake, watch the whole province.
        province_wide = any(
            m.role == Role.SUPERVISOR
            or (
                m.role in (Role.CENTRE_HEAD, Role.CENTRE_DEPUTY)
                and m.agency.level == "province"
            )
            for m in memberships
        )
        units = {m.agency_id for m in memberships}
        if units:
            children: dict[int | None, list[int]] = {}
            for agency_id, parent_id in Agency.objects.values_list("id", "parent_id"):
                children.setdefault(parent_id, []).append(agency_id)
            frontier = list(units)
            while frontier:
                for child in children.get(frontier.pop(), []):
                    if child not in units:
                        units.add(child)
                        frontier.append(child)
        scope = (province_wide, units)
    user._motcua_scope = scope
    return scope


class DossierQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Return the dossiers ``user`` may see; nothing for anyone without a role."""
        province_wide, units = staff_scope(user)
        # The province's supervisors and superusers see every dossier.
        if province_wide:
            return self
        # No active membership: nothing at all.
        if not units:
            return self.none()
        from .models import Consultation, DossierStep

        return self.filter(
            # Received at one of the user's centres (they return the result).
            Q(receiving_centre_id__in=units)
            # Resolved by one of the user's agencies.
            | Q(competent_agency_id__in=units)
            # A step of an inter-agency chain, or a transferred step, is theirs.
            | Exists(
                DossierStep.objects.filter(dossier=OuterRef("pk"), agency_id__in=units)
            )
            # Their agency was asked for an opinion.
            | Exists(
                Consultation.objects.filter(
                    dossier=OuterRef("pk"), to_agency_id__in=units
                )
            )
        )

    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def running(self):
        """Received and not finished, clock running."""
        return self.filter(
            status__in=[DossierStatus.RECEIVED, DossierStatus.IN_PROGRESS]
        )

    def paused(self):
        return self.filter(status__in=PAUSED_STATUSES)

    def overdue(self, at=None):
        return self.running().filter(due_at__lt=at or timezone.now())

    def awaiting_acceptance(self):
        return self.filter(status=DossierStatus.SUBMITTED, received_at__isnull=True)
