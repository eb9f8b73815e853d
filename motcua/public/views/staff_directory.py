"""
The public staff directory (Decree 118/2025 Art.9(8)): for each one-stop
centre, the name, title and phone of its head and deputies, and the name,
title, sector and phone of every officer working there, from the staff
memberships in force today.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from motcua.review.selectors.directory import staff_directory
from motcua.units.constants import AgencyKind, AgencyLevel
from motcua.units.models import Agency


def staff_directory_view(request: HttpRequest) -> HttpResponse:
    """Every centre's directory, or one centre's (``?centre=ID``)."""
    raw = request.GET.get("centre", "")
    centre_id = int(raw) if raw.isdigit() else None
    # The provincial centre first, as in the directory.
    centres = sorted(
        Agency.objects.filter(kind=AgencyKind.SERVICE_CENTRE, is_active=True)
        .values_list("pk", "name", "level")
        .order_by("name"),
        key=lambda row: row[2] != AgencyLevel.PROVINCE,
    )
    return render(
        request,
        "public/staff_directory.html",
        {
            "directory": staff_directory(centre_id=centre_id),
            "centres": [(pk, name) for pk, name, _level in centres],
            "centre_id": centre_id,
        },
    )
