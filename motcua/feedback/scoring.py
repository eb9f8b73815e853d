"""
The two ways a rating is scored, as pure functions.

- The 5-level mean: each answer is a level 1–5 ("Rất không hài lòng" to "Rất
  hài lòng"); a rating's score is the mean of its answers.
- Circular 01/2018/TT-VPCP Art.12–15 (the most concrete official scheme; the
  scheme of Circular 03/2025 was not obtained, legal-spec §8.1): each index is
  worth 0, 1 or 2 points. A 5-level answer maps to points by what it says of
  the service against the rule: "Rất hài lòng" exceeded it (2), "Hài lòng" and
  "Bình thường" met it (1), the two dissatisfied levels failed it (0).

No database access here.
"""

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

from .constants import DISSATISFIED_MEAN, SATISFIED_MEAN, Criterion

TT01_POINTS = {5: 2, 4: 1, 3: 1, 2: 0, 1: 0}

# Which Circular 01/2018 index (Art.13) each Decree 118 criterion measures.
# Index 2 (each agency's time against its allotment) and 5 (one-stop
# organisation) come from the dossiers, not from the citizen.
TT01_INDEX_OF = {
    Criterion.A: 1,
    Criterion.C: 3,
    Criterion.B: 4,
    Criterion.D: 6,
    Criterion.DD: 7,
    Criterion.G: 8,
    Criterion.H: 9,
}
# Circular 01/2018 Art.15(3): an officer is scored on indexes 1, 2, 3, 4 and 7
# (10 points at most).
TT01_STAFF_INDEXES = (1, 2, 3, 4, 7)
TT01_STAFF_MAX = Decimal(10)
# Art.15(3) bands for officers: ≥5 completed 100% of their tasks, 3.5–<5
# completed 70–<100%, below 3.5 less than 70%.
TT01_STAFF_BANDS = (
    (Decimal(5), _("Hoàn thành 100% nhiệm vụ")),
    (Decimal("3.5"), _("Hoàn thành từ 70% đến dưới 100%")),
    (Decimal(0), _("Hoàn thành dưới 70%")),
)

_HUNDREDTH = Decimal("0.01")
_TENTH = Decimal("0.1")


def tt01_points(level: int) -> int:
    """Return the Circular 01/2018 points (0, 1 or 2) of a 5-level answer."""
    return TT01_POINTS[level]


def mean_level(levels: Iterable[int]) -> Decimal:
    """Return the mean of ``levels`` rounded half up to two decimals."""
    values = list(levels)
    if not values:
        raise ValueError("A rating needs at least one answer.")
    return (Decimal(sum(values)) / len(values)).quantize(_HUNDREDTH, ROUND_HALF_UP)


def is_satisfied(mean: Decimal) -> bool:
    return mean >= SATISFIED_MEAN


def is_dissatisfied(mean: Decimal) -> bool:
    return mean < DISSATISFIED_MEAN


def tt01_index_score(points_sum: int | Decimal, count: int) -> Decimal | None:
    """
    Return an index's score: the mean points of the dossiers scored on it,
    rounded to one decimal (Circular 01/2018 Art.15(2)); None without data,
    since an index without enough data is left out.
    """
    if not count:
        return None
    return (Decimal(points_sum) / count).quantize(_TENTH, ROUND_HALF_UP)


def tt01_step_points(timeliness: str) -> int:
    """Index 2 of a step: 2 if done early, 1 on time, 0 late (Art.13(2))."""
    return {"early": 2, "on_time": 1}.get(timeliness, 0)


def tt01_staff_band(total: Decimal) -> str:
    """Return the officer's task-completion band for a total out of 10."""
    for threshold, label in TT01_STAFF_BANDS:
        if total >= threshold:
            return str(label)
    return str(TT01_STAFF_BANDS[-1][1])
