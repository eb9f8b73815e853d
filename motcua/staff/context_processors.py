"""Template context of the staff layout: the officer's units and roles."""

from django.utils.functional import SimpleLazyObject

from motcua.accounts.selectors import memberships_active_for


def staff(request):
    """
    Add ``staff_memberships``, the signed-in user's memberships in force.

    Evaluated only when a template uses it, so that public pages load neither
    the session's user nor the memberships.
    """
    return {
        "staff_memberships": SimpleLazyObject(
            lambda: list(memberships_active_for(request.user))
        )
    }
