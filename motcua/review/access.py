"""
Who may take part in the procedure review.

- Reading the candidates and making proposals: whoever may open the
  supervision pages (``supervision.access.may_supervise``), on the figures of
  their own scope.
- Opening and closing rounds, approving, rejecting and adopting proposals:
  the provincial office only — the province's supervisors and the heads of
  the provincial service centre, which sits under the PPC Office (Decree
  118/2025 Art.7(2), Art.40(5),(6): the centre absorbs the TTHC-control
  function) — and administrators.
"""

from motcua.accounts.constants import Role
from motcua.accounts.selectors import memberships_active_for
from motcua.supervision.access import may_supervise
from motcua.units.constants import AgencyLevel

APPROVING_ROLES = frozenset({Role.SUPERVISOR, Role.CENTRE_HEAD, Role.CENTRE_DEPUTY})


def may_review(user) -> bool:
    """Return True if ``user`` may read the candidates and propose."""
    return may_supervise(user)


def may_approve(user) -> bool:
    """Return True if ``user`` speaks for the provincial office."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return any(
        m.role in APPROVING_ROLES and m.agency.level == AgencyLevel.PROVINCE
        for m in memberships_active_for(user)
    )
