"""Public pages linked from the home page whose real views are still to come."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def placeholder(request: HttpRequest, *, title: str, lead: str) -> HttpResponse:
    return render(request, "public/placeholder.html", {"title": title, "lead": lead})
