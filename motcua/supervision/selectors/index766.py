"""
The Decision 766 index of a unit (or the province) for a period: every
indicator of legal-spec §9.1 our data supports, each with its numerator,
denominator, ratio, score, maximum and a note on the quality of its data.

Maximums and targets are data (``supervision.Indicator``, editable in the
admin). Counts come from a handful of aggregate queries whatever the number
of units or dossiers:

- dossiers: one query (per grouping) of conditional counts over the
  dossiers of the period, with the measurement rules of the statistics
  (``selectors.statistics``);
- the catalog: one query over the published procedure versions (plus the
  versions published in the period, for indicator 1.1);
- PAKN and ratings: one query each.

Indicators whose source lives in another app (payments, the portal sync,
signed e-results) are computed when that app is installed and reported as
"no data source" otherwise (``apps.is_installed``).
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.apps import apps
from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalog.constants import Channel, OnlineLevel, VersionStatus
from motcua.catalog.models import (
    Component,
    FeeItem,
    ProcedureVersion,
    ResultType,
    StepTemplate,
)
from motcua.dossiers.constants import ApplicantType, ComponentSource, ResultKind
from motcua.dossiers.models import DossierComponent, DossierFee
from motcua.feedback.constants import FeedbackCategory
from motcua.feedback.models import Feedback, Rating, RatingAgency
from motcua.supervision.access import PROVINCE, Scope
from motcua.supervision.constants import IndicatorGroup, IndicatorStatus
from motcua.supervision.models import Indicator
from motcua.supervision.periods import Period
from motcua.supervision.selectors.statistics import (
    _cells,
    _processing_minutes,
    period_dossiers,
)
from motcua.units.calendars import get_calendar
from motcua.units.models import Agency

_RATIO = Decimal("0.0001")
_SCORE = Decimal("0.01")
# Decision 766 (provincial level): a procedure is published on time when its
# decision comes at least 5 working days before it takes effect.
PUBLISH_LEAD_DAYS = 5
# Portal sync is expected within 10 minutes (D63/2024 Art.7(4), legal-spec §3.4).
SYNC_LATENCY = timedelta(minutes=10)
# payments.PaymentChannel.ONLINE: paid through the portal or the lookup page
# (Decree 118 Art.24), as opposed to a card or QR code at the counter.
ONLINE_PAYMENT_CHANNEL = "online"


# -- optional sources ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Source:
    app: str
    label: str
    model: str
    description: str

    def get(self):
        """Return the source's model, or None when its app is not installed."""
        if not apps.is_installed(self.app):
            return None
        try:
            return apps.get_model(self.label, self.model)
        except LookupError:
            return None


PAYMENTS = Source(
    "motcua.payments", "payments", "PaymentIntent", "thanh toán trực tuyến"
)
PORTAL_SYNC = Source(
    "motcua.integrations",
    "integrations",
    "PortalSyncMessage",
    "đồng bộ Cổng DVC quốc gia",
)
E_RESULTS = Source("motcua.documents", "documents", "ResultDocument", "kết quả điện tử")


# -- results ------------------------------------------------------------------


@dataclass
class IndicatorResult:
    code: str
    number: str
    group: str
    name: str
    max_score: Decimal
    target: Decimal | None
    status: str
    numerator: Decimal | int | None = None
    denominator: int | None = None
    ratio: Decimal | None = None
    score: Decimal | None = None
    note: str = ""

    @property
    def ratio_percent(self) -> Decimal | None:
        if self.ratio is None:
            return None
        return (self.ratio * 100).quantize(_SCORE, ROUND_HALF_UP)

    @property
    def is_scored(self) -> bool:
        return self.status == IndicatorStatus.SCORED

    @property
    def group_label(self) -> str:
        return str(IndicatorGroup(self.group).label)

    @property
    def status_label(self) -> str:
        return str(IndicatorStatus(self.status).label)


@dataclass
class GroupScore:
    group: str
    label: str
    score: Decimal
    max_score: Decimal
    measured_max: Decimal


@dataclass
class IndexResult:
    """The index of one unit (``key``) or of a whole scope (``key`` None)."""

    key: int | None
    label: str
    indicators: list[IndicatorResult] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        """Sum of the scores (indicators without data score nothing)."""
        return sum((i.score or Decimal(0) for i in self.indicators), Decimal(0))

    @property
    def max_total(self) -> Decimal:
        return sum((i.max_score for i in self.indicators), Decimal(0))

    @property
    def measured_max(self) -> Decimal:
        """Sum of the maximums of the indicators that could be scored."""
        return sum((i.max_score for i in self.indicators if i.is_scored), Decimal(0))

    @property
    def normalized(self) -> Decimal | None:
        """The score out of 100 over the indicators that could be scored."""
        if not self.measured_max:
            return None
        return (self.total * 100 / self.measured_max).quantize(_SCORE, ROUND_HALF_UP)

    def by_code(self, code: str) -> IndicatorResult:
        return next(i for i in self.indicators if i.code == code)

    def groups(self) -> list[GroupScore]:
        result = []
        for group in IndicatorGroup:
            items = [i for i in self.indicators if i.group == group]
            if not items:
                continue
            result.append(
                GroupScore(
                    group=group.value,
                    label=str(group.label),
                    score=sum((i.score or Decimal(0) for i in items), Decimal(0)),
                    max_score=sum((i.max_score for i in items), Decimal(0)),
                    measured_max=sum(
                        (i.max_score for i in items if i.is_scored), Decimal(0)
                    ),
                )
            )
        return result


def score_ratio(
    ratio: Decimal, *, max_score: Decimal, target: Decimal | None
) -> Decimal:
    """
    Apply the generic 766 rule: the maximum when ``ratio`` reaches
    ``target``, else ratio / target × maximum; without a target, ratio ×
    maximum. Rounded half up to two decimals.
    """
    if target:
        value = max_score if ratio >= target else ratio / target * max_score
    else:
        value = ratio * max_score
    return Decimal(value).quantize(_SCORE, ROUND_HALF_UP)


# -- counting -----------------------------------------------------------------


def _dossier_conditions(period: Period, measured_at: datetime) -> dict[str, Any]:
    """Conditional counts over ``period_dossiers`` for the dossier indicators."""
    cells = _cells(period, measured_at)
    new = cells["received"]
    full_online = Q(procedure_version__online_level=OnlineLevel.FULL)
    components = DossierComponent.objects.filter(dossier=OuterRef("pk")).exclude(
        source=ComponentSource.PRESENTED
    )
    reusable = Component.objects.filter(
        version=OuterRef("procedure_version"), reusable_source__gt=""
    )
    citizen = new & Q(applicant_type=ApplicantType.PERSON)
    citizen_data = citizen & (
        Q(identity_verified=True)
        | Exists(
            DossierComponent.objects.filter(
                dossier=OuterRef("pk"), source=ComponentSource.NATIONAL_DATABASE
            )
        )
    )
    conditions: dict[str, Any] = {
        "progress_good": cells["early"]
        | cells["on_time"]
        | cells["open_in_time"]
        | cells["paused_in_time"],
        "progress_all": cells["total"],
        "finished": cells["finished"],
        "late": cells["late"],
        "received": new,
        "online_eligible": new & full_online,
        "online_received": new & full_online & Q(channel=Channel.ONLINE),
        "digitized": new
        & Exists(components)
        & ~Exists(components.filter(is_digitized=False)),
        "reuse_eligible": new & Exists(reusable),
        "reused": new
        & Exists(reusable)
        & Exists(
            DossierComponent.objects.filter(dossier=OuterRef("pk"), is_reused=True)
        ),
        "citizen": citizen,
        "citizen_data": citizen_data,
    }
    distinct: dict[str, Any] = {
        "procedures": new,
        "procedures_citizen_data": citizen_data,
    }
    intent = PAYMENTS.get()
    if intent is not None:
        fees_due = new & Exists(
            DossierFee.objects.filter(dossier=OuterRef("pk"), amount__gt=0)
        )
        # Every intent goes through a gateway (cash at the counter makes
        # none); what tells an online payment is where the payer started it.
        # Paid before the end, so that a past period's figure stays put.
        paid_online = fees_due & Exists(
            intent.objects.filter(
                dossier=OuterRef("pk"),
                status="paid",
                channel=ONLINE_PAYMENT_CHANNEL,
                paid_at__lt=measured_at,
            )
        )
        conditions |= {"fees_due": fees_due, "paid_online": paid_online}
        distinct["procedures_paid_online"] = paid_online
    result_document = E_RESULTS.get()
    if result_document is not None:
        results = cells["resolved"] & Q(result_kind=ResultKind.APPROVED)
        # Any kind: the result of a certification is its certified e-copy,
        # which the resolve check (documents.result_require_signed) accepts.
        documents = result_document.objects.filter(
            dossier=OuterRef("pk"), signed_at__lt=measured_at
        )
        conditions |= {
            "results": results,
            "e_results": results & Exists(documents),
            "e_results_stored": results
            & Exists(documents.filter(store_entry__added_at__lt=measured_at)),
        }
    sync = PORTAL_SYNC.get()
    if sync is not None:
        messages = sync.objects.filter(
            dossier=OuterRef("pk"), created_at__lt=measured_at
        )
        unsent = messages.filter(Q(sent_at__isnull=True) | Q(sent_at__gte=measured_at))
        # Slow: sent before the end, more than 10 minutes after the change.
        # An update still unsent at the end is "not synced", not "slow".
        slow = messages.filter(
            sent_at__lt=measured_at, sent_at__gt=F("created_at") + SYNC_LATENCY
        )
        conditions |= {
            "synced": new & Exists(messages) & ~Exists(unsent),
            "sync_slow": new & Exists(slow),
        }
    aggregates: dict[str, Any] = {
        name: Count("pk", filter=q) for name, q in conditions.items()
    }
    aggregates |= {
        name: Count("procedure_version__procedure", distinct=True, filter=q)
        for name, q in distinct.items()
    }
    aggregates["paused_minutes"] = Sum("paused_minutes", filter=cells["resolved"])
    return aggregates


# Counted for the agency that resolves the dossiers only: procedures belong
# to it, and so does the processing time.
_COMPETENT_ONLY = (
    "procedures",
    "procedures_citizen_data",
    "procedures_paid_online",
    "paused_minutes",
)


def _dossier_counts(
    period: Period, scope: Scope, by_agency: bool, now: datetime | None
) -> dict[int | None, dict[str, int]]:
    measured_at = period.measured_at(now)
    qs = period_dossiers(period, scope=scope, now=now)
    aggregates = _dossier_conditions(period, measured_at)
    resolved = qs.filter(_cells(period, measured_at)["resolved"])
    counts: dict[int | None, dict[str, int]] = defaultdict(dict)
    if not by_agency:
        counts[None] = {k: v or 0 for k, v in qs.aggregate(**aggregates).items()}
        minutes, number = _processing_minutes(resolved, None).get(None, (0, 0))
        counts[None] |= {"processing_minutes": minutes, "processing_count": number}
        return counts
    # A unit's dossiers: those it resolves, and those it received for
    # another agency (a centre is never the competent agency of its own).
    for field_name, extra in (
        ("competent_agency", Q()),
        ("receiving_centre", ~Q(receiving_centre=F("competent_agency"))),
    ):
        rows = (
            qs.filter(extra)
            .values(_key=F(field_name))
            .annotate(**aggregates)
            .order_by()
        )
        for raw in rows:
            row: dict[str, Any] = dict(raw)
            target = counts[row.pop("_key")]
            for name, value in row.items():
                if field_name == "receiving_centre" and name in _COMPETENT_ONLY:
                    continue
                target[name] = target.get(name, 0) + (value or 0)
    processing = _processing_minutes(resolved, "competent_agency")
    for key, (minutes, number) in processing.items():
        counts[key] |= {"processing_minutes": minutes, "processing_count": number}
    return counts


def _catalog_counts(
    period: Period, scope: Scope, by_agency: bool
) -> dict[int | None, dict[str, int]]:
    """Counts over the published procedure versions (and those published in the period)."""
    fees = FeeItem.objects.filter(version=OuterRef("pk"), amount__gt=0)
    steps = Exists(StepTemplate.objects.filter(version=OuterRef("pk"))) | Q(
        steps_text__gt=""
    )
    full = (
        steps
        & ~Q(channels=[])
        & (
            Exists(Component.objects.filter(version=OuterRef("pk")))
            | Q(components_text__gt="")
        )
        & Q(duration_unit__gt="")
        & Q(applicant_types__gt="")
        & (Q(competent_agency_text__gt="") | Q(competent_agency_kind__gt=""))
        & (
            Q(result_text__gt="")
            | Exists(ResultType.objects.filter(version=OuterRef("pk")))
        )
    )
    conditions: dict[str, Any] = {
        "versions": Q(),
        "versions_full": full,
        "versions_online": Q(online_level__in=[OnlineLevel.FULL, OnlineLevel.PARTIAL]),
        "versions_fees": Exists(fees),
        "versions_fees_online": Exists(fees) & ~Q(online_level=OnlineLevel.NONE),
    }
    published = ProcedureVersion.objects.filter(status=VersionStatus.PUBLISHED)
    counts: dict[int | None, dict[str, int]] = defaultdict(dict)
    if by_agency:
        rows = (
            published.filter(scope.agency_filter("procedure__agencies"))
            .filter(procedure__agencies__isnull=False)
            .values(_key=F("procedure__agencies"))
            .annotate(**{n: Count("pk", filter=q) for n, q in conditions.items()})
            .order_by()
        )
        for raw in rows:
            row: dict[str, Any] = dict(raw)
            counts[row.pop("_key")] |= row
    else:
        if not scope.province_wide:
            published = published.filter(procedure__agencies__in=scope.units)
        counts[None] = published.aggregate(
            **{n: Count("pk", distinct=True, filter=q) for n, q in conditions.items()}
        )
    # 1.1: versions published in the period, against their effective date.
    calendar = get_calendar(None)
    lead = PUBLISH_LEAD_DAYS * calendar.day_minutes
    in_period = ProcedureVersion.objects.filter(
        published_at__gte=period.start, published_at__lt=period.end
    )
    if not scope.province_wide:
        in_period = in_period.filter(procedure__agencies__in=scope.units)
    seen: set[tuple[int, int | None]] = set()
    for pk, published_at, valid_from, agency_id in in_period.values_list(
        "pk", "published_at", "valid_from", "procedure__agencies"
    ):
        key = agency_id if by_agency else None
        if (pk, key) in seen or (
            by_agency and (agency_id is None or not scope.covers(agency_id))
        ):
            continue
        seen.add((pk, key))
        target = counts[key]
        target["published"] = target.get("published", 0) + 1
        if valid_from is None or published_at is None:
            target["published_undated"] = target.get("published_undated", 0) + 1
            continue
        effective = datetime.combine(
            valid_from, datetime.min.time(), tzinfo=published_at.tzinfo
        )
        on_time = calendar.working_minutes_between(published_at, effective) >= lead
        target["published_on_time"] = target.get("published_on_time", 0) + int(on_time)
    return counts


def _pakn_counts(
    period: Period, scope: Scope, by_agency: bool, now: datetime | None
) -> dict[int | None, dict[str, int]]:
    start, end = period.start, period.end
    measured_at = period.measured_at(now)
    answered = Q(answered_at__gte=start, answered_at__lt=end)
    rejected = Q(rejected_at__gte=start, rejected_at__lt=end)
    published_ok = Q(
        published_at__isnull=False, published_at__lte=F("publish_due_at")
    ) | Q(published_at__isnull=True, publish_due_at__gte=measured_at)
    info_ok = Q(info_requested_at__isnull=True) | Q(
        info_requested_at__lte=F("info_due_at")
    )
    on_time = (rejected & Q(rejected_at__lte=F("reject_due_at"))) | (
        answered & Q(answered_at__lte=F("answer_due_at")) & info_ok & published_ok
    )
    open_overdue = (
        Q(submitted_at__lt=measured_at, answer_due_at__lt=measured_at)
        & (Q(answered_at__isnull=True) | Q(answered_at__gte=end))
        & (Q(rejected_at__isnull=True) | Q(rejected_at__gte=end))
    )
    submitted = Q(submitted_at__gte=start, submitted_at__lt=end)
    rated = Q(satisfaction_at__gte=start, satisfaction_at__lt=end)
    conditions: dict[str, Any] = {
        "pakn_submitted": submitted,
        "pakn_procedure": submitted & Q(category=FeedbackCategory.PROCEDURE),
        "pakn_staff": submitted & Q(category=FeedbackCategory.STAFF),
        "pakn_concluded": answered | rejected,
        "pakn_on_time": on_time,
        "pakn_open_overdue": open_overdue,
        "pakn_rated": rated,
        "pakn_satisfied": rated & Q(citizen_satisfied=True),
    }
    aggregates = {n: Count("pk", filter=q) for n, q in conditions.items()}
    qs = Feedback.objects.filter(scope.agency_filter("agency"))
    if by_agency:
        rows = (
            qs.filter(agency__isnull=False)
            .values(_key=F("agency"))
            .annotate(**aggregates)
            .order_by()
        )
        return {raw["_key"]: _without_key(raw) for raw in rows}
    return {None: qs.aggregate(**aggregates)}


def _rating_counts(
    period: Period, scope: Scope, by_agency: bool
) -> dict[int | None, dict[str, int]]:
    in_period = Q(
        rating__counts=True,
        rating__submitted_at__gte=period.start,
        rating__submitted_at__lt=period.end,
    )
    if by_agency:
        rows = (
            RatingAgency.objects.filter(in_period, scope.agency_filter("agency"))
            .values(_key=F("agency"))
            .annotate(
                ratings=Count("rating"),
                ratings_satisfied=Count("rating", filter=Q(rating__satisfied=True)),
                ratings_dissatisfied=Count(
                    "rating", filter=Q(rating__dissatisfied=True)
                ),
            )
            .order_by()
        )
        return {raw["_key"]: _without_key(raw) for raw in rows}
    qs = Rating.objects.filter(
        counts=True, submitted_at__gte=period.start, submitted_at__lt=period.end
    )
    if not scope.province_wide:
        qs = qs.filter(
            Exists(
                RatingAgency.objects.filter(
                    rating=OuterRef("pk"), agency__in=scope.units
                )
            )
        )
    return {
        None: qs.aggregate(
            ratings=Count("pk"),
            ratings_satisfied=Count("pk", filter=Q(satisfied=True)),
            ratings_dissatisfied=Count("pk", filter=Q(dissatisfied=True)),
        )
    }


def _certified_copies(
    period: Period, scope: Scope, by_agency: bool
) -> dict[int | None, int] | None:
    document = E_RESULTS.get()
    if document is None:
        return None
    qs = document.objects.filter(
        kind="certified_copy", signed_at__gte=period.start, signed_at__lt=period.end
    ).filter(scope.agency_filter("issuing_agency"))
    if by_agency:
        return dict(
            qs.values_list("issuing_agency")
            .annotate(n=Count("pk"))
            .values_list("issuing_agency", "n")
        )
    return {None: qs.count()}


# -- evaluating ---------------------------------------------------------------


def _fmt(value: Decimal | float) -> str:
    return f"{Decimal(value):.2f}".replace(".", ",")


# An evaluator returns (numerator, denominator, note), (ratio, None, note),
# or "no_source".
Evaluator = Callable[[dict[str, Any]], Any]


def _ratio(numerator_key: str, denominator_key: str, note: str = "") -> Evaluator:
    def evaluate(c: dict[str, int]):
        return c.get(numerator_key, 0), c.get(denominator_key, 0), note

    return evaluate


def _needs(source: Source, evaluate: Evaluator) -> tuple[Source, Evaluator]:
    return source, evaluate


def _progress(c: dict[str, int]):
    return (
        c.get("progress_good", 0),
        c.get("progress_all", 0),
        _(
            "Hồ sơ chưa xử lý xong được đánh giá tại thời điểm cuối kỳ (còn hạn tính là đúng hạn); "
            "hồ sơ yêu cầu bổ sung quá một lần tính là quá hạn; thời gian chờ bổ sung không tính."
        ),
    )


def _avg_days(c: dict[str, int]):
    count = c.get("processing_count", 0)
    if not count:
        return 0, 0, ""
    minutes = max(0, c.get("processing_minutes", 0) - c.get("paused_minutes", 0))
    days = (Decimal(minutes) / count / 480).quantize(_SCORE, ROUND_HALF_UP)
    return (
        days,
        count,
        _("Ngày làm việc 8 giờ, trừ thời gian tạm dừng; %(n)s hồ sơ có kết quả.")
        % {"n": count},
    )


def _publish(c: dict[str, int]):
    undated = c.get("published_undated", 0)
    note = _(
        "Ngày quyết định công bố lấy theo thời điểm công bố phiên bản trên hệ thống."
    )
    if undated:
        note += " " + _(
            "%(n)s phiên bản chưa có ngày hiệu lực, không đánh giá được."
        ) % {"n": undated}
    return c.get("published_on_time", 0), c.get("published", 0) - undated, note


def _sync(c: dict[str, int]):
    slow = c.get("sync_slow", 0)
    note = _(
        "Đồng bộ đủ: mọi cập nhật phát sinh trước cuối kỳ đã gửi thành công trước cuối kỳ."
    )
    if slow:
        note += " " + _("%(n)s hồ sơ có cập nhật gửi chậm quá 10 phút.") % {"n": slow}
    return c.get("synced", 0), c.get("received", 0), note


def _certified(c: dict[str, int]):
    if c.get("_certified") is None:
        return "no_source"
    return (
        int(c["_certified"] > 0),
        1,
        _("%(n)s bản sao điện tử chứng thực cấp trong kỳ.") % {"n": c["_certified"]},
    )


def _pakn_on_time(c: dict[str, int]):
    return (
        c.get("pakn_on_time", 0),
        c.get("pakn_concluded", 0) + c.get("pakn_open_overdue", 0),
        _("%(n)s phản ánh quá hạn chưa xử lý cuối kỳ được tính là không đúng hạn.")
        % {"n": c.get("pakn_open_overdue", 0)},
    )


def _classification(c: dict[str, int]):
    submitted = c.get("pakn_submitted", 0)
    return (
        c.get("pakn_procedure", 0) + c.get("pakn_staff", 0),
        submitted,
        _(
            "Về quy định TTHC: %(p)s; về cán bộ: %(s)s; tổng số tiếp nhận trong kỳ: %(t)s."
        )
        % {
            "p": c.get("pakn_procedure", 0),
            "s": c.get("pakn_staff", 0),
            "t": submitted,
        },
    )


def _satisfaction(c: dict[str, int]):
    finished, ratings = c.get("finished", 0), c.get("ratings", 0)
    if not finished and not ratings:
        return 0, 0, ""
    late_share = Decimal(c.get("late", 0)) / finished if finished else Decimal(0)
    dislike = (
        Decimal(c.get("ratings_dissatisfied", 0)) / ratings if ratings else Decimal(0)
    )
    ratio = max(Decimal(0), 1 - late_share - dislike)
    note = _(
        "100%% − %(late)s%% hồ sơ quá hạn − %(dislike)s%% phiếu không hài lòng "
        "(%(n)s phiếu được tính). Công thức gần đúng của Cổng DVC quốc gia."
    ) % {"late": _fmt(late_share * 100), "dislike": _fmt(dislike * 100), "n": ratings}
    return ratio, None, note


EVALUATORS: dict[str, Evaluator | tuple[Source, Evaluator]] = {
    "PUBLISH_ON_TIME": _publish,
    "PUBLIC_UPDATE_ON_TIME": lambda c: "no_source",
    "PUBLIC_CONTENT_FULL": _ratio(
        "versions_full",
        "versions",
        _(
            "Đủ 7 bộ phận: trình tự, cách thức, thành phần hồ sơ, thời hạn, đối tượng, cơ quan, kết quả."
        ),
    ),
    "DOSSIER_SYNC": _needs(PORTAL_SYNC, _sync),
    "PROGRESS_ON_TIME": _progress,
    "AVG_PROCESSING_DAYS": _avg_days,
    "ONLINE_PROCEDURES": _ratio("versions_online", "versions"),
    "ONLINE_DOSSIERS": _ratio(
        "online_received",
        "online_eligible",
        _(
            "Công thức của nhóm chỉ số này chưa được xác nhận; tính trên hồ sơ của TTHC toàn trình."
        ),
    ),
    "PAYMENT_PROCEDURES_OFFERED": _ratio(
        "versions_fees_online",
        "versions_fees",
        _("TTHC có phí, lệ phí và được thực hiện trực tuyến."),
    ),
    "PAYMENT_PROCEDURES_USED": _needs(
        PAYMENTS, _ratio("procedures_paid_online", "versions_fees")
    ),
    "PAYMENT_DOSSIERS": _needs(PAYMENTS, _ratio("paid_online", "fees_due")),
    "ORIGINAL_RESULT_AVAILABLE": _needs(E_RESULTS, _ratio("e_results", "results")),
    "SO_HOA_GIAY_TO_GIAI_QUYET": _ratio(
        "digitized", "received", _("Giấy tờ chỉ xuất trình không tính.")
    ),
    "ELECTRONIC_CERTIFIED_COPY": _needs(E_RESULTS, _certified),
    "REUSED_DIGITIZED_DATA": _ratio("reused", "reuse_eligible"),
    "SYNCED_WITH_DVCQG_PERSONAL_STORAGE": _needs(
        E_RESULTS, _ratio("e_results_stored", "e_results")
    ),
    "CITIZEN_DATA_CONNECTED_FORMALITY": _ratio("procedures_citizen_data", "procedures"),
    "CITIZEN_DATA_CONNECTED_DOSSIER": _ratio(
        "citizen_data",
        "citizen",
        _(
            "Xác thực định danh điện tử (VNeID) hoặc thành phần khai thác từ CSDL quốc gia."
        ),
    ),
    "PETITION_CLASSIFICATION": _classification,
    "PETITION_PROCESSING_ON_TIME": _pakn_on_time,
    "PETITION_HANDLING_SATISFACTION": _ratio("pakn_satisfied", "pakn_rated"),
    "DOSSIER_RECEIVING_SATISFACTION": _satisfaction,
}


def _evaluate(indicator: Indicator, counts: dict[str, int]) -> IndicatorResult:
    result = IndicatorResult(
        code=indicator.code,
        number=indicator.number,
        group=indicator.group,
        name=indicator.name,
        max_score=indicator.max_score,
        target=indicator.target,
        status=IndicatorStatus.NO_DATA,
    )
    evaluator = EVALUATORS.get(indicator.code)
    if evaluator is None:
        result.status = IndicatorStatus.NO_SOURCE
        result.note = _("Hệ thống chưa có cách tính chỉ số này.")
        return result
    if isinstance(evaluator, tuple):
        source, evaluator = evaluator
        if source.get() is None:
            result.status = IndicatorStatus.NO_SOURCE
            result.note = _(
                "Chưa có nguồn dữ liệu: phân hệ %(source)s chưa được cài đặt."
            ) % {"source": source.description}
            return result
    outcome: Any = evaluator(counts)
    if outcome == "no_source":
        result.status = IndicatorStatus.NO_SOURCE
        result.note = _("Chưa có nguồn dữ liệu trên hệ thống.")
        return result
    numerator, denominator, note = outcome
    result.note = note
    if indicator.code == "AVG_PROCESSING_DAYS":
        result.numerator, result.denominator = numerator, denominator
        result.status = IndicatorStatus.INFO if denominator else IndicatorStatus.NO_DATA
        return result
    if denominator is None:  # the evaluator gives the ratio itself
        ratio = Decimal(numerator)
    elif not denominator:
        result.denominator = 0
        result.note = (note + " " if note else "") + _("Không có số liệu trong kỳ.")
        return result
    else:
        result.numerator, result.denominator = numerator, denominator
        ratio = Decimal(numerator) / Decimal(denominator)
    result.ratio = ratio.quantize(_RATIO, ROUND_HALF_UP)
    if indicator.max_score:
        result.status = IndicatorStatus.SCORED
        result.score = score_ratio(
            ratio, max_score=indicator.max_score, target=indicator.target
        )
    else:
        result.status = IndicatorStatus.INFO
    return result


def _indicators() -> list[Indicator]:
    return list(Indicator.objects.filter(is_active=True).order_by("order", "code"))


def _without_key(row: Any) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k != "_key"}


def _collect(
    period: Period, scope: Scope, by_agency: bool, now: datetime | None
) -> dict[int | None, dict[str, int]]:
    merged: dict[int | None, dict[str, Any]] = defaultdict(dict)
    for part in (
        _dossier_counts(period, scope, by_agency, now),
        _catalog_counts(period, scope, by_agency),
        _pakn_counts(period, scope, by_agency, now),
        _rating_counts(period, scope, by_agency),
    ):
        for key, values in part.items():
            merged[key] |= {k: v or 0 for k, v in values.items()}
    copies = _certified_copies(period, scope, by_agency)
    for key in merged:
        merged[key]["_certified"] = None if copies is None else copies.get(key, 0)
    return merged


def index_766(
    period: Period,
    *,
    scope: Scope = PROVINCE,
    label: str | None = None,
    now: datetime | None = None,
) -> IndexResult:
    """
    Return the Decision 766 index of ``scope`` (the province, or a set of
    units taken together: ``Scope(False, {agency_id})`` for one agency) for
    ``period``.
    """
    counts = _collect(period, scope, False, now or timezone.now()).get(None, {})
    return IndexResult(
        key=None,
        label=label or (_("Toàn tỉnh") if scope.province_wide else _("Đơn vị")),
        indicators=[_evaluate(i, counts) for i in _indicators()],
    )


def _serves(counts: dict[str, int]) -> bool:
    """Whether a unit served anyone in the period: dossiers, PAKN or ratings."""
    return any(
        counts.get(key)
        for key in ("progress_all", "pakn_submitted", "pakn_concluded", "ratings")
    )


def index_766_by_agency(
    period: Period, *, scope: Scope = PROVINCE, now: datetime | None = None
) -> list[IndexResult]:
    """
    Return the Decision 766 index of every agency in ``scope`` that served
    anyone in ``period`` (dossiers it resolved or received, PAKN or
    ratings), best first, in a bounded number of queries. A unit with
    published procedures but no dossier would otherwise score on the
    catalog alone.
    """
    counts = _collect(period, scope, True, now or timezone.now())
    counts.pop(None, None)
    indicators = _indicators()
    names = {
        pk: short or name
        for pk, name, short in Agency.objects.filter(pk__in=list(counts)).values_list(
            "pk", "name", "short_name"
        )
    }
    results = [
        IndexResult(
            key=key,
            label=names.get(key or 0, "—"),
            indicators=[_evaluate(i, c) for i in indicators],
        )
        for key, c in counts.items()
        if scope.covers(key) and _serves(c)
    ]
    results.sort(key=lambda r: (-(r.normalized or 0), r.label))
    return results
