"""The officer's start page."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from motcua.dossiers.selectors import inbox_counts


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Show where the officer works (units and roles) and what waits for them."""
    # The memberships come from the staff context processor, shared with the
    # top bar: one query for both.
    return render(
        request, "staff/home.html", {"counts": inbox_counts(user=request.user)}
    )
