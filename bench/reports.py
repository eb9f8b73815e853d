"""
Province-year statistics and the Decision 766 index of every unit, run in a
process of its own so that its peak memory is the report's alone. Prints one
JSON line; ``bench.suite`` reads it.
"""

import json
import resource
import time
from datetime import timedelta

import django


def main() -> None:
    django.setup()
    from django.db import connection
    from django.utils import timezone

    from motcua.supervision import periods
    from motcua.supervision.selectors.index766 import index_766_by_agency
    from motcua.supervision.selectors.statistics import (
        agency_calendars,
        dossier_statistics,
        period_dossiers,
    )

    today = timezone.localdate()
    # Twelve months ending today: a province-year of dossiers, all of the
    # generated ones, measured at now (the open dossiers in their current state).
    period = periods.custom(today - timedelta(days=364), today)
    rows = period_dossiers(period).count()

    # A process builds and caches the working calendars once (python-holidays
    # for the years without an official schedule); a web worker pays that
    # once, not per report, so it is timed apart.
    started = time.perf_counter()
    agency_calendars()
    cold = time.perf_counter() - started
    started = time.perf_counter()
    table, _total = dossier_statistics(period, group="agency")
    statistics = time.perf_counter() - started

    started = time.perf_counter()
    index = index_766_by_agency(period)
    index766 = time.perf_counter() - started

    # The floor: the same rows, one aggregate by agency, nothing else.
    floor = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(
                """
                SELECT competent_agency_id, count(*),
                       count(*) FILTER (WHERE received_at >= %s),
                       count(*) FILTER (WHERE timeliness = 'late'),
                       count(*) FILTER (WHERE finished_at IS NULL),
                       sum(paused_minutes)
                FROM dossiers_dossier
                WHERE received_at IS NOT NULL AND received_at < %s
                  AND (finished_at IS NULL OR finished_at >= %s)
                GROUP BY competent_agency_id
                """,
                [period.start, period.end, period.start],
            )
            cursor.fetchall()
        floor = min(floor, time.perf_counter() - started)

    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "statistics": statistics,
                "calendars": cold,
                "statistics_rows": f"{rows:,} dossiers, {len(table)} agency rows",
                "index766": index766,
                "index766_rows": f"{rows:,} dossiers, {len(index)} units",
                "floor": floor,
                "max_rss_mb": peak_kb / 1024,
            }
        )
    )


if __name__ == "__main__":
    main()
