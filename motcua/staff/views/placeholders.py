"""Pages announced in the navigation whose real views are still to come."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@login_required
def placeholder(request: HttpRequest, *, title: str, lead: str) -> HttpResponse:
    return render(request, "staff/placeholder.html", {"title": title, "lead": lead})


@login_required
def ui_patterns(request: HttpRequest) -> HttpResponse:
    """The building blocks of the staff pages, as a reference for page authors."""
    return render(request, "staff/ui.html")
