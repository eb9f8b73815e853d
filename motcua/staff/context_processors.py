"""Template context of the staff layout: the officer's units and roles."""

from django.utils.functional import SimpleLazyObject

from motcua.accounts.constants import LEADING_ROLES, SUPERVISING_ROLES
from motcua.accounts.selectors import memberships_active_for

_WATCHING_ROLES = SUPERVISING_ROLES | LEADING_ROLES


def staff(request):
    """
    Add ``staff_memberships``, the signed-in user's memberships in force.

    Evaluated only when a template uses it, so that public pages load neither
    the session's user nor the memberships.
    """
    memberships = SimpleLazyObject(lambda: list(memberships_active_for(request.user)))
    return {
        "staff_memberships": memberships,
        # Heads and supervisors get the queues in the navigation; read from
        # the memberships already loaded for the top bar.
        "staff_watches_queues": SimpleLazyObject(
            lambda: (
                request.user.is_superuser
                or any(m.role in _WATCHING_ROLES for m in memberships)
            )
        ),
    }
