"""
When a procedure is a simplification candidate: the signals, their
thresholds and the score that ranks candidates (docs/review.md, "Rules").

Pure functions over figures already counted by the database; no queries.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from .constants import ProposalKind

# A procedure with fewer dossiers received in the period is listed but not
# ranked: two dossiers say nothing about a procedure.
MIN_SAMPLE = 5
# Share of received dossiers sent back at least once for a supplement.
SUPPLEMENT_RATE = Decimal("0.20")
# Share of a component's occurrences taken from the personal data store or a
# national database: the state already holds it (Decree 118 Art.5(1)(i)).
ELECTRONIC_SHARE = Decimal("0.80")
# Share of finished dossiers finished late.
LATE_RATE = Decimal("0.10")
# Mean real processing time at most this share of the legal duration.
DURATION_USE = Decimal("0.50")
# Share of counted ratings that are dissatisfied.
DISSATISFIED_RATE = Decimal("0.20")
# No signal is worth more than this many points in the score.
MAX_STRENGTH = Decimal(2)


@dataclass(frozen=True, slots=True)
class Signal:
    code: str
    label: Any
    strength: Decimal
    detail: str
    suggests: str  # a ProposalKind


def _ratio(part: int | Decimal, whole: int | Decimal) -> Decimal | None:
    return (Decimal(part) / Decimal(whole)) if whole else None


def _strength(value: Decimal, threshold: Decimal) -> Decimal:
    return min(MAX_STRENGTH, (value / threshold)).quantize(Decimal("0.01"))


def _pct(value: Decimal) -> str:
    return f"{(value * 100).quantize(Decimal('0.1'))}%"


def signals_for(
    *,
    received: int,
    supplement_dossiers: int,
    top_supplement_component: str,
    electronic_components: list[tuple[str, int, int]],
    finished: int,
    late: int,
    top_late_step: str,
    results: int,
    avg_days: Decimal | None,
    legal_days: Decimal | None,
    ratings: int,
    dissatisfied: int,
    feedback_procedure: int,
    online_full: bool,
) -> list[Signal]:
    """
    Return the signals a procedure's figures fire, strongest first.

    ``electronic_components`` is (name, occurrences, electronic occurrences)
    per component of the procedure.
    """
    found: list[Signal] = []
    rate = _ratio(supplement_dossiers, received)
    if rate is not None and rate >= SUPPLEMENT_RATE:
        detail = _("%(rate)s hồ sơ phải bổ sung") % {"rate": _pct(rate)}
        if top_supplement_component:
            detail += _(", nhiều nhất: %(name)s") % {"name": top_supplement_component}
        found.append(
            Signal(
                "supplement",
                _("Yêu cầu bổ sung nhiều"),
                _strength(rate, SUPPLEMENT_RATE),
                str(detail),
                ProposalKind.SIMPLIFY_COMPONENT,
            )
        )
    best: tuple[Decimal, str] | None = None
    for name, total, electronic in electronic_components:
        share = _ratio(electronic, total)
        if share is None or total < MIN_SAMPLE or share < ELECTRONIC_SHARE:
            continue
        if best is None or share > best[0]:
            best = (share, name)
    if best is not None:
        found.append(
            Signal(
                "electronic",
                _("Giấy tờ nhà nước đã có dữ liệu"),
                _strength(best[0], ELECTRONIC_SHARE),
                str(
                    _("%(name)s: %(rate)s lấy từ Kho dữ liệu hoặc CSDL quốc gia")
                    % {"name": best[1], "rate": _pct(best[0])}
                ),
                ProposalKind.SIMPLIFY_COMPONENT,
            )
        )
    rate = _ratio(late, finished)
    if rate is not None and rate >= LATE_RATE:
        detail = _("%(rate)s hồ sơ trễ hạn") % {"rate": _pct(rate)}
        if top_late_step:
            detail += _(", chậm nhất ở bước: %(step)s") % {"step": top_late_step}
        found.append(
            Signal(
                "late",
                _("Trễ hạn nhiều"),
                _strength(rate, LATE_RATE),
                str(detail),
                ProposalKind.INTER_AGENCY,
            )
        )
    if avg_days is not None and legal_days and results >= MIN_SAMPLE:
        use = Decimal(avg_days) / legal_days
        if use <= DURATION_USE:
            found.append(
                Signal(
                    "duration",
                    _("Thời hạn dài hơn thực tế"),
                    # 50% of the duration used is worth 1 point, 25% 2.
                    _strength(DURATION_USE, max(use, Decimal("0.01"))),
                    str(
                        _(
                            "Trung bình %(avg)s ngày làm việc trên thời hạn %(legal)s ngày (%(use)s)"
                        )
                        % {"avg": avg_days, "legal": legal_days, "use": _pct(use)}
                    ),
                    ProposalKind.SHORTEN_DURATION,
                )
            )
    rate = _ratio(dissatisfied, ratings)
    if (rate is not None and rate >= DISSATISFIED_RATE) or feedback_procedure:
        strength = (
            _strength(rate, DISSATISFIED_RATE)
            if rate is not None and rate >= DISSATISFIED_RATE
            else Decimal(1)
        )
        found.append(
            Signal(
                "satisfaction",
                _("Người dân chưa hài lòng"),
                strength,
                str(
                    _(
                        "%(dissatisfied)s/%(ratings)s phiếu không hài lòng, %(pakn)s phản ánh về thủ tục"
                    )
                    % {
                        "dissatisfied": dissatisfied,
                        "ratings": ratings,
                        "pakn": feedback_procedure,
                    }
                ),
                ProposalKind.SIMPLIFY_COMPONENT,
            )
        )
    if not online_full:
        found.append(
            Signal(
                "not_online",
                _("Chưa trực tuyến toàn trình"),
                Decimal("0.5"),
                str(_("Thủ tục chưa cung cấp dịch vụ công trực tuyến toàn trình")),
                ProposalKind.FULL_ONLINE,
            )
        )
    found.sort(key=lambda s: -s.strength)
    return found


def score(signals: list[Signal]) -> Decimal:
    """Return the ranking score: the sum of the signals' strengths."""
    return sum((s.strength for s in signals), Decimal(0))
