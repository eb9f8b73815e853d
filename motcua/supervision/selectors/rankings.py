"""
Rankings of agencies and officers for a period: on-time rate, minutes of
lateness charged by the ledger, citizen satisfaction and (agencies) the
Decision 766 score.

The minimum sample rule: a unit or officer is ranked on a measure only with
enough data behind it (``MOTCUA_RANKING_MIN_DOSSIERS`` finished dossiers or
steps, ``MOTCUA_RATING_MIN_SAMPLE`` counted ratings); otherwise its figure
is shown, marked "not enough data", and not ranked — one rating does not
rank an officer. Ranks are competition ranks (1, 2, 2, 4).
"""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings

from motcua.accounts.models import StaffMembership, User
from motcua.supervision.access import PROVINCE, Scope
from motcua.supervision.periods import Period
from motcua.supervision.selectors.index766 import index_766_by_agency
from motcua.supervision.selectors.ledger import ledger_for_period
from motcua.supervision.selectors.satisfaction import (
    officer_step_figures,
    satisfaction_by_agency,
    satisfaction_by_officer,
    tt01_staff_total,
)
from motcua.supervision.selectors.statistics import dossier_statistics
from motcua.units.models import Agency

# measure: (label, higher is better)
AGENCY_MEASURES = {
    "on_time_rate": True,
    "ledger_minutes": False,
    "satisfaction": True,
    "index_766": True,
}
OFFICER_MEASURES = {
    "on_time_rate": True,
    "ledger_minutes": False,
    "satisfaction": True,
    "tt01_total": True,
}


@dataclass
class RankRow:
    key: int
    label: str
    unit: str = ""
    values: dict[str, Any] = field(default_factory=dict)
    samples: dict[str, int] = field(default_factory=dict)
    eligible: dict[str, bool] = field(default_factory=dict)
    ranks: dict[str, int | None] = field(default_factory=dict)

    def __getattr__(self, name: str) -> Any:
        # Template access: row.on_time_rate, row.rank_on_time_rate…
        values = self.__dict__.get("values", {})
        if name.startswith("rank_"):
            return self.__dict__.get("ranks", {}).get(name[5:])
        if name in values:
            return values[name]
        raise AttributeError(name)


def _rank(rows: list[RankRow], measures: dict[str, bool]) -> None:
    for measure, higher_better in measures.items():
        ranked = [
            r
            for r in rows
            if r.eligible.get(measure) and r.values.get(measure) is not None
        ]
        ranked.sort(key=lambda r: r.values[measure], reverse=higher_better)
        previous, previous_rank = None, 0
        for position, row in enumerate(ranked, start=1):
            value = row.values[measure]
            rank = previous_rank if value == previous else position
            row.ranks[measure] = rank
            previous, previous_rank = value, rank
        for row in rows:
            row.ranks.setdefault(measure, None)


def agency_rankings(
    period: Period, *, scope: Scope = PROVINCE, now: datetime | None = None
) -> list[RankRow]:
    """Return every agency with data in ``period``, ranked on each measure."""
    min_dossiers = settings.MOTCUA_RANKING_MIN_DOSSIERS
    rows: dict[int, RankRow] = {}

    def row(key: int) -> RankRow:
        return rows.setdefault(key, RankRow(key=key, label=""))

    for group in ("agency", "centre"):
        stat_rows, _total = dossier_statistics(
            period, group=group, scope=scope, now=now
        )
        for stat in stat_rows:
            if stat.key is None or not scope.covers(stat.key):
                continue
            target = row(stat.key)
            finished = stat.counts["finished"] + target.samples.get("on_time_rate", 0)
            good = (
                stat.counts["early"]
                + stat.counts["on_time"]
                + target.values.get("_good", 0)
            )
            target.values["_good"] = good
            target.samples["on_time_rate"] = finished
            target.values["on_time_rate"] = (
                (Decimal(good * 100) / finished).quantize(Decimal("0.01"))
                if finished
                else None
            )
            target.eligible["on_time_rate"] = finished >= min_dossiers
    ledger = ledger_for_period(period, scope=scope, now=now)
    charged = {t.key: t for t in ledger.agencies}
    for key, target in rows.items():
        total = charged.get(key)
        target.values["ledger_minutes"] = total.over_minutes if total else 0
        target.samples["ledger_minutes"] = target.samples.get("on_time_rate", 0)
        target.eligible["ledger_minutes"] = (
            target.samples["ledger_minutes"] >= min_dossiers
        )
    for key, figures in satisfaction_by_agency(period, scope=scope).items():
        target = row(key)
        target.values["satisfaction"] = figures.mean_level
        target.values["satisfied_rate"] = figures.satisfied_rate
        target.samples["satisfaction"] = figures.ratings
        target.eligible["satisfaction"] = figures.enough
    for result in index_766_by_agency(period, scope=scope, now=now):
        if result.key in rows:
            target = rows[result.key]
            target.values["index_766"] = result.normalized
            target.values["index_total"] = result.total
            target.eligible["index_766"] = target.eligible.get("on_time_rate", False)
    names = {
        pk: short or name
        for pk, name, short in Agency.objects.filter(pk__in=list(rows)).values_list(
            "pk", "name", "short_name"
        )
    }
    result_rows = list(rows.values())
    for r in result_rows:
        r.label = names.get(r.key, "—")
        r.values.pop("_good", None)
        for measure in AGENCY_MEASURES:
            r.values.setdefault(measure, None)
            r.eligible.setdefault(measure, False)
    _rank(result_rows, AGENCY_MEASURES)
    result_rows.sort(key=lambda r: (r.ranks["index_766"] or 10**6, r.label))
    return result_rows


def officer_rankings(
    period: Period,
    *,
    scope: Scope = PROVINCE,
    agency_id: int | None = None,
    now: datetime | None = None,
) -> list[RankRow]:
    """Return every officer who finished steps or was rated in ``period``, ranked."""
    min_steps = settings.MOTCUA_RANKING_MIN_DOSSIERS
    steps = officer_step_figures(period, scope=scope, agency_id=agency_id)
    ratings = satisfaction_by_officer(period, scope=scope, agency_id=agency_id)
    ledger = ledger_for_period(period, scope=scope, now=now)
    charged = {t.key: t for t in ledger.officers}
    keys = set(steps) | set(ratings)
    if agency_id:
        keys |= {k for k, t in charged.items() if t.agency_id == agency_id}
    else:
        keys |= set(charged)
    keys.discard(None)
    people = {u.pk: u.display_name for u in User.objects.filter(pk__in=keys)}
    units = dict(
        StaffMembership.objects.active()
        .filter(user_id__in=keys)
        .order_by("user_id", "pk")
        .values_list("user_id", "agency__name")
    )
    rows = []
    for key in keys:
        step = steps.get(key)
        rating = ratings.get(key)
        total = charged.get(key)
        r = RankRow(key=key, label=people.get(key, "—"), unit=units.get(key, ""))
        r.values = {
            "on_time_rate": step.on_time_rate if step else None,
            "steps": step.steps if step else 0,
            "late_steps": step.late if step else 0,
            "ledger_minutes": total.over_minutes if total else 0,
            "breaches": total.breaches if total else 0,
            "satisfaction": rating.mean_level if rating else None,
            "satisfied_rate": rating.satisfied_rate if rating else None,
            "tt01_total": tt01_staff_total(rating, step),
        }
        r.samples = {
            "on_time_rate": step.steps if step else 0,
            "ledger_minutes": step.steps if step else 0,
            "satisfaction": rating.ratings if rating else 0,
            "tt01_total": rating.ratings if rating else 0,
        }
        r.eligible = {
            "on_time_rate": r.samples["on_time_rate"] >= min_steps,
            "ledger_minutes": r.samples["ledger_minutes"] >= min_steps,
            "satisfaction": bool(rating and rating.enough),
            "tt01_total": bool(rating and rating.enough),
        }
        rows.append(r)
    _rank(rows, OFFICER_MEASURES)
    rows.sort(key=lambda r: (r.ranks["on_time_rate"] or 10**6, r.label))
    return rows
