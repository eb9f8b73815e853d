"""The citizens' home page."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from motcua.units.models import WorkCalendar


def home(request: HttpRequest) -> HttpResponse:
    """Entry points for citizens: look up a dossier, procedures, rating, checks."""
    calendar = (
        WorkCalendar.objects.filter(is_default=True).prefetch_related("periods").first()
    )
    periods = list(calendar.periods.all()) if calendar else []
    return render(request, "public/home.html", {"office_periods": periods})
