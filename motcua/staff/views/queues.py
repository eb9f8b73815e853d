"""
Queues for the heads of one-stop centres, agency leaders and the province's
supervisors: per unit what is overdue, due soon or paused, and the online
dossiers waiting for acceptance against their 8 working hours.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from motcua.accounts.constants import LEADING_ROLES, SUPERVISING_ROLES
from motcua.accounts.selectors import memberships_active_for
from motcua.dossiers.selectors import dossier_queues

from .inbox import rows_for, with_list_relations

LIST_LIMIT = 50


def may_watch_queues(user) -> bool:
    """Heads and supervisors watch queues; officers work from their inbox."""
    if user.is_superuser:
        return True
    roles = SUPERVISING_ROLES | LEADING_ROLES
    return memberships_active_for(user).filter(role__in=list(roles)).exists()


@login_required
def queues(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not may_watch_queues(user):
        raise PermissionDenied
    raw = request.GET.get("unit", "")
    now = timezone.now()
    result = dossier_queues(
        user=user, agency_id=int(raw) if raw.isdigit() else None, now=now
    )
    unit = next((u for u in result.units if str(u.agency_id) == raw), None)

    def rows(queryset):
        return rows_for(with_list_relations(queryset)[:LIST_LIMIT], user)

    totals = {
        key: sum(getattr(u, key) for u in result.units)
        for key in (
            "running",
            "overdue",
            "due_soon",
            "paused",
            "awaiting_acceptance",
            "acceptance_breached",
        )
    }
    return render(
        request,
        "staff/queues.html",
        {
            "queues": result,
            "unit": unit,
            "totals": totals,
            "overdue": rows(result.overdue),
            "due_soon": rows(result.due_soon),
            "paused": rows(result.paused),
            "awaiting": rows(result.awaiting_acceptance),
            "limit": LIST_LIMIT,
        },
    )
