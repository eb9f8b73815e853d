"""
The officer's inbox: what waits for them (or their unit), most urgent first,
with the time left in working time and the actions they may take.
"""

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.dossiers.constants import DossierAction, DossierStatus, StepStatus
from motcua.dossiers.models import Dossier
from motcua.dossiers.selectors import dossier_actions_for, inbox_for
from motcua.staff import presenters
from motcua.staff.forms.filters import InboxFilterForm, procedures_in

PAGE_SIZE = 25


@dataclass(frozen=True)
class InboxRow:
    dossier: Dossier
    status: tuple[str, str]
    urgency: presenters.Urgency
    steps: list[Any]
    actions: list[Any]
    deadline: tuple[str, Any] | None


# The next move first: what moves the dossier on, then the rest.
_FIRST = (
    DossierAction.COMPLETE_STEP,
    DossierAction.RECEIVE,
    DossierAction.RESOLVE,
    DossierAction.RETURN_RESULT,
    DossierAction.SUPPLEMENT,
    DossierAction.CONFIRM_PAYMENT,
    DossierAction.REPLY,
    DossierAction.ASSIGN,
)


def _importance(action: DossierAction) -> int:
    return _FIRST.index(action) if action in _FIRST else len(_FIRST)


def _deadline(dossier: Dossier) -> tuple[str, Any] | None:
    """The due time a row shows: of processing, or of acceptance online."""
    if dossier.status in (DossierStatus.RECEIVED, DossierStatus.IN_PROGRESS):
        return (_("hạn"), dossier.due_at)
    if dossier.status == DossierStatus.SUBMITTED and dossier.acceptance_due_at:
        return (_("hạn tiếp nhận"), dossier.acceptance_due_at)
    return None


def rows_for(dossiers, user) -> list[InboxRow]:
    """Decorate a page of dossiers for a list: badges, time left, actions."""
    now = timezone.now()
    calendars = presenters.Calendars()
    return [
        InboxRow(
            dossier=d,
            status=presenters.status_badge(d),
            urgency=presenters.urgency(d, now=now, calendar=calendars.of(d)),
            steps=[s for s in d.steps.all() if s.status == StepStatus.ACTIVE],
            actions=sorted(dossier_actions_for(user, d), key=_importance),
            deadline=_deadline(d),
        )
        for d in dossiers
    ]


def with_list_relations(queryset):
    """What a row shows and what ``may_act`` reads, fetched once per page."""
    return queryset.prefetch_related(
        "steps__agency",
        "steps__assignee",
        "consultations",
        "supplement_requests",
    )


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    user = request.user
    unfiltered = inbox_for(user=user)
    form = InboxFilterForm(request.GET or None, procedures=procedures_in(unfiltered))
    queryset = inbox_for(user=user, scope=form.scope_value, filters=form.filters())
    page = Paginator(with_list_relations(queryset), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "rows": rows_for(page.object_list, user),
        "query": query.urlencode(),
        "scope": form.scope_value,
    }
    template = "staff/inbox.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return render(request, template, context)
