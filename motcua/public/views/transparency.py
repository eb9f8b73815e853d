"""
The public transparency page (Decree 118/2025 Art.31(2), 32(2), 34(1):
evaluation results are published): per agency, the on-time rate, citizen
satisfaction and the Decision 766 score. No personal data, no officers.
"""

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from motcua.core.exceptions import ValidationFailed
from motcua.supervision import periods
from motcua.supervision.selectors.rankings import agency_rankings
from motcua.supervision.selectors.statistics import dossier_statistics

# Heavy aggregates, the same for every visitor: computed once per period
# every ten minutes.
CACHE_SECONDS = 600


def _choices() -> list[periods.Period]:
    today = timezone.localdate()
    month = periods.current("month", today=today)
    quarter = periods.current("quarter", today=today)
    year = periods.current("year", today=today)
    return [month, month.previous(), quarter, quarter.previous(), year, year.previous()]


def transparency(request: HttpRequest) -> HttpResponse:
    """Every agency's results for a month, quarter or year."""
    choices = _choices()
    try:
        period = periods.parse(request.GET.get("period"), default=choices[0])
    except ValidationFailed:
        raise Http404 from None
    if period.key not in {p.key for p in choices}:
        raise Http404
    key = f"motcua:transparency:{period.key}"
    data = cache.get(key)
    if data is None:
        rows = agency_rankings(period)
        province = dossier_statistics(period, group="province")[1]
        data = {
            "rows": [
                {
                    "label": r.label,
                    "finished": r.samples.get("on_time_rate", 0),
                    "on_time_rate": r.values.get("on_time_rate"),
                    "satisfaction": r.values.get("satisfaction")
                    if r.eligible.get("satisfaction")
                    else None,
                    "satisfied_rate": r.values.get("satisfied_rate")
                    if r.eligible.get("satisfaction")
                    else None,
                    "ratings": r.samples.get("satisfaction", 0),
                    "index_766": r.values.get("index_766"),
                }
                for r in sorted(rows, key=lambda r: r.label)
            ],
            "received": province.counts["received"],
            "finished": province.counts["finished"],
            "on_time_rate": province.on_time_rate,
            "computed_at": timezone.now(),
        }
        cache.set(key, data, CACHE_SECONDS)
    return render(
        request,
        "public/transparency.html",
        {
            "period": period,
            "choices": choices,
            "min_ratings": settings.MOTCUA_RATING_MIN_SAMPLE,
            **data,
        },
    )
