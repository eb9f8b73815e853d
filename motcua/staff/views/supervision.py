"""
Supervisor dashboards under /staff/supervision/: statistics with drill-down,
the boundary-free flow, the Decision 766 index, rankings, the lateness
ledger, early warnings, and the periodic reports; every table exports to
Excel (``?format=xlsx``, recorded in the audit log).

Access: ``motcua.supervision.access`` (the province's supervisors, centre
heads, agency and division leaders); figures cover the user's scope only.
"""

from collections.abc import Callable
from datetime import date
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.accounts.models import User
from motcua.audit.models import AuditEvent
from motcua.audit.services import audit_record
from motcua.core.exceptions import ValidationFailed
from motcua.core.net import client_ip
from motcua.supervision import charts, exports, periods
from motcua.supervision.access import Scope, may_supervise, supervision_scope
from motcua.supervision.selectors.dashboard import on_time_trend, queue_ages
from motcua.supervision.selectors.index766 import index_766, index_766_by_agency
from motcua.supervision.selectors.ledger import ledger_for_period
from motcua.supervision.selectors.rankings import agency_rankings, officer_rankings
from motcua.supervision.selectors.reports import agency_pack, staff_sheet
from motcua.supervision.selectors.statistics import (
    CELL_LABELS,
    GROUP_LABELS,
    GROUPS,
    StatFilters,
    dossier_statistics,
    flow_matrix,
    statistics_dossiers,
)
from motcua.supervision.selectors.warnings import (
    LEVELS,
    dossiers_at_risk,
    risk_counts,
)
from motcua.units.models import Agency

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
RISK_LABELS = {
    "overdue": gettext_lazy("Đã quá hạn"),
    "high": gettext_lazy("Nguy cơ trễ hạn"),
    "medium": gettext_lazy("Sắp đến hạn"),
    "low": gettext_lazy("Trong hạn"),
}
# The columns of the statistics table, in the order of legal-spec §9.3.
CELLS_BEFORE_RATE = (
    "total",
    "carried_over",
    "received_online",
    "received_counter",
    "received_post",
    "finished",
    "early",
    "on_time",
    "late",
)
CELLS_AFTER_RATE = (
    "stopped",
    "open_in_time",
    "open_overdue",
    "paused_supplement",
    "paused_payment",
    "paused_in_time",
    "paused_overdue",
)
# Next level of the drill path when a row label is followed.
DRILL_NEXT = {
    "province": "agency",
    "agency": "sector",
    "centre": "agency",
    "sector": "procedure",
}


def supervisor_required(view: Callable) -> Callable:
    """Let in only users who supervise (403 otherwise); add their scope to the request."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not may_supervise(request.user):
            raise PermissionDenied
        request.supervision_scope = supervision_scope(request.user)  # type: ignore[attr-defined]
        return view(request, *args, **kwargs)

    return wrapper


def _scope(request: HttpRequest) -> Scope:
    """The scope ``supervisor_required`` put on the request."""
    return request.supervision_scope  # type: ignore[attr-defined]


def _period(request: HttpRequest, default_kind: str = "month") -> periods.Period:
    first, last = request.GET.get("from"), request.GET.get("to")
    try:
        if first and last:
            return periods.custom(date.fromisoformat(first), date.fromisoformat(last))
        return periods.parse(
            request.GET.get("period"), default=periods.current(default_kind)
        )
    except (ValueError, ValidationFailed):
        raise Http404(_("Kỳ báo cáo không hợp lệ.")) from None


def _period_choices(current: periods.Period) -> list[tuple[str, str]]:
    today = timezone.localdate()
    month = periods.current("month", today=today)
    choices = [(p.key, p.label) for p in reversed(periods.months_back(12, until=month))]
    quarter = periods.current("quarter", today=today)
    for _i in range(4):
        choices.append((quarter.key, quarter.label))
        quarter = quarter.previous()
    year = periods.current("year", today=today)
    for _i in range(3):
        choices.append((year.key, year.label))
        year = year.previous()
    choices.insert(0, (periods.day(today).key, periods.day(today).label))
    if current.key not in {key for key, _label in choices}:
        choices.insert(0, (current.key, current.label))
    return choices


def _scope_label(scope: Scope) -> str:
    if scope.province_wide:
        return _("Toàn tỉnh")
    names = list(
        Agency.objects.filter(pk__in=scope.units).values_list("name", flat=True)[:3]
    )
    return ", ".join(names) or "—"


def _context(request: HttpRequest, period: periods.Period, **extra) -> dict:
    return {
        "period": period,
        "period_choices": _period_choices(period),
        "scope": _scope(request),
        "scope_label": _scope_label(_scope(request)),
        "query": request.GET.urlencode(),
        **extra,
    }


def _xlsx(request: HttpRequest, workbook, filename: str, report: str) -> HttpResponse:
    audit_record(
        event_type=AuditEvent.EXPORT,
        actor=request.user,
        extra={"report": report, "query": request.GET.urlencode()},
        ip_address=client_ip(request),
    )
    response = HttpResponse(exports.to_bytes(workbook), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def _wants_xlsx(request: HttpRequest) -> bool:
    return request.GET.get("format") == "xlsx"


def _int(request: HttpRequest, name: str) -> int | None:
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() else None


# -- dashboard ------------------------------------------------------------------


@supervisor_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """The supervisor's start: key figures, on-time trend, 766 by unit, queue ages, warnings."""
    scope = _scope(request)
    period = _period(request)
    _rows, total = dossier_statistics(period, group="province", scope=scope)
    trend = on_time_trend(period, scope=scope)
    trend_chart = charts.columns(
        [
            (
                f"{m.period.first:%m/%y}",
                m.rate,
                "bar--good"
                if (m.rate or 0) >= 90
                else "bar--warn"
                if (m.rate or 0) >= 70
                else "bar--bad",
            )
            for m in trend
        ],
        maximum=100,
        suffix="%",
        title=_("Tỷ lệ hồ sơ giải quyết đúng hạn theo tháng"),
    )
    units = index_766_by_agency(period, scope=scope)[:12]
    index_chart = charts.horizontal_bars(
        [(u.label, u.normalized, "bar") for u in units],
        maximum=100,
        title=_("Điểm Chỉ số 766 theo đơn vị (thang 100, trên các chỉ số đo được)"),
    )
    ages = queue_ages(scope=scope)
    biggest = max([b.total for b in ages] + [1])
    age_chart = charts.columns(
        [(b.label, b.total, "bar") for b in ages],
        maximum=biggest,
        title=_("Hồ sơ đang giải quyết theo số ngày kể từ khi tiếp nhận"),
    )
    risks = dossiers_at_risk(scope=scope)
    return render(
        request,
        "staff/supervision/dashboard.html",
        _context(
            request,
            period,
            total=total,
            trend=trend,
            trend_chart=trend_chart,
            units=units,
            index_chart=index_chart,
            ages=ages,
            age_chart=age_chart,
            risks=risks[:10],
            risk_counts=risk_counts(risks),
            risk_labels=RISK_LABELS,
        ),
    )


# -- statistics and drill-down ---------------------------------------------------


def _filters(request: HttpRequest) -> StatFilters:
    return StatFilters(
        competent_agency_id=_int(request, "agency"),
        receiving_centre_id=_int(request, "centre"),
        sector_id=_int(request, "sector"),
        procedure_id=_int(request, "procedure"),
    )


def _drill_url(period, group: str, filters: StatFilters, key) -> str:
    """The URL that narrows the table to one row and groups by the next level."""
    params = {"period": period.key, **filters.as_params()}
    field = {
        "agency": "agency",
        "centre": "centre",
        "sector": "sector",
        "procedure": "procedure",
    }.get(group)
    if field and key is not None:
        params[field] = key
    params["group"] = DRILL_NEXT.get(group, group)
    return "?" + urlencode(params)


@supervisor_required
def statistics(request: HttpRequest) -> HttpResponse:
    """The 766 progress table by unit, sector or procedure, every figure a link."""
    scope = _scope(request)
    period = _period(request)
    group = request.GET.get("group", "agency")
    if group not in GROUPS:
        raise Http404
    filters = _filters(request)
    rows, total = dossier_statistics(period, group=group, scope=scope, filters=filters)
    if _wants_xlsx(request):
        return _xlsx(
            request,
            exports.statistics_workbook(
                rows=rows,
                total=total,
                group_label=str(GROUP_LABELS[group]),
                scope_label=_scope_label(scope),
                period_label=period.label,
            ),
            f"tien-do-{period.key.replace(':', '-')}",
            "statistics",
        )
    base = {"period": period.key, "group": group, **filters.as_params()}
    for row in [*rows, total]:
        query = (
            {**base, "key": row.key}
            if row is not total and row.key is not None
            else base
        )
        row.cells_before = [
            (name, row.counts[name], urlencode({**query, "cell": name}))
            for name in CELLS_BEFORE_RATE
        ]
        row.cells_after = [
            (name, row.counts[name], urlencode({**query, "cell": name}))
            for name in CELLS_AFTER_RATE
        ]
        row.drill_url = (
            _drill_url(period, group, filters, row.key)
            if row is not total and group != "procedure" and row.key is not None
            else ""
        )
    narrowed = {
        "agency": Agency.objects.filter(pk=filters.competent_agency_id or 0).first(),
        "centre": Agency.objects.filter(pk=filters.receiving_centre_id or 0).first(),
    }
    return render(
        request,
        "staff/supervision/statistics.html",
        _context(
            request,
            period,
            rows=rows,
            total=total,
            group=group,
            groups=[(key, label) for key, label in GROUP_LABELS.items()],
            group_label=GROUP_LABELS[group],
            filters=filters,
            narrowed=narrowed,
            export_query=urlencode({**base, "format": "xlsx"}),
        ),
    )


@supervisor_required
def statistics_dossiers_view(request: HttpRequest) -> HttpResponse:
    """The dossiers behind one figure of the statistics (or of the flow matrix)."""
    scope = _scope(request)
    period = _period(request)
    cell = request.GET.get("cell", "total")
    if cell not in CELL_LABELS:
        raise Http404
    group = request.GET.get("group") or None
    if group is not None and group not in GROUPS:
        raise Http404
    dossiers = statistics_dossiers(
        period,
        cell,
        scope=scope,
        filters=_filters(request),
        group=group,
        key=_int(request, "key"),
    )
    if _wants_xlsx(request):
        return _xlsx(
            request,
            exports.dossiers_workbook(
                dossiers=dossiers,
                cell_label=str(CELL_LABELS[cell]),
                scope_label=_scope_label(scope),
                period_label=period.label,
            ),
            f"ho-so-{cell}",
            "statistics_dossiers",
        )
    page = Paginator(dossiers, 50).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "staff/supervision/dossiers.html",
        _context(
            request,
            period,
            page=page,
            cell=cell,
            cell_label=CELL_LABELS[cell],
            base_query=params.urlencode(),
        ),
    )


@supervisor_required
def flow(request: HttpRequest) -> HttpResponse:
    """The boundary-free flow: dossiers received at each centre for each agency."""
    scope = _scope(request)
    period = _period(request)
    matrix = flow_matrix(period, scope=scope)
    if _wants_xlsx(request):
        return _xlsx(
            request,
            exports.flow_workbook(
                matrix=matrix,
                scope_label=_scope_label(scope),
                period_label=period.label,
            ),
            "phi-dia-gioi",
            "flow",
        )
    return render(
        request,
        "staff/supervision/flow.html",
        _context(
            request,
            period,
            matrix=matrix,
            rows=matrix.rows(),
            column_totals=matrix.column_totals(),
        ),
    )


# -- 766 ------------------------------------------------------------------------


@supervisor_required
def index(request: HttpRequest) -> HttpResponse:
    """The Decision 766 index of the scope, and of each unit in it."""
    scope = _scope(request)
    period = _period(request)
    overall = index_766(period, scope=scope, label=_scope_label(scope))
    units = index_766_by_agency(period, scope=scope)
    if _wants_xlsx(request):
        return _xlsx(
            request,
            exports.index_workbook(
                province=overall,
                units=units,
                scope_label=_scope_label(scope),
                period_label=period.label,
            ),
            f"chi-so-766-{period.key.replace(':', '-')}",
            "index766",
        )
    return render(
        request,
        "staff/supervision/index.html",
        _context(
            request,
            period,
            overall=overall,
            units=units,
            chart=charts.horizontal_bars(
                [(u.label, u.normalized, "bar") for u in units[:20]],
                maximum=100,
                title=_("Điểm quy đổi thang 100 theo đơn vị"),
            ),
        ),
    )


@supervisor_required
def index_unit(request: HttpRequest, agency_id: int) -> HttpResponse:
    """One unit's 766 indicators, with numerators, denominators and notes."""
    scope = _scope(request)
    if not scope.covers(agency_id):
        raise Http404
    agency = get_object_or_404(Agency, pk=agency_id)
    period = _period(request)
    result = index_766(
        period, scope=Scope(False, frozenset({agency.pk})), label=agency.name
    )
    if _wants_xlsx(request):
        return _xlsx(
            request,
            exports.index_workbook(
                province=result,
                units=[],
                scope_label=agency.name,
                period_label=period.label,
            ),
            f"chi-so-766-{agency.pk}",
            "index766_unit",
        )
    return render(
        request,
        "staff/supervision/index_unit.html",
        _context(request, period, agency=agency, result=result),
    )


# -- rankings, ledger, warnings ---------------------------------------------------


@supervisor_required
def rankings(request: HttpRequest) -> HttpResponse:
    """Agencies and officers ranked on on-time rate, lateness, satisfaction and 766."""
    scope = _scope(request)
    period = _period(request)
    agencies = agency_rankings(period, scope=scope)
    officers = officer_rankings(period, scope=scope)
    if _wants_xlsx(request):
        return _xlsx(
            request,
            exports.rankings_workbook(
                agencies=agencies,
                officers=officers,
                scope_label=_scope_label(scope),
                period_label=period.label,
            ),
            "xep-hang",
            "rankings",
        )
    return render(
        request,
        "staff/supervision/rankings.html",
        _context(
            request,
            period,
            agencies=agencies,
            officers=officers,
            min_dossiers=settings.MOTCUA_RANKING_MIN_DOSSIERS,
            min_ratings=settings.MOTCUA_RATING_MIN_SAMPLE,
        ),
    )


def _ledger_names(report) -> dict:
    agency_ids = {e.agency_id for d in report.dossiers for e in d.entries}
    user_ids = {
        e.officer_id for d in report.dossiers for e in d.entries if e.officer_id
    }
    names = {
        ("agency", pk): name
        for pk, name in Agency.objects.filter(pk__in=agency_ids).values_list(
            "pk", "name"
        )
    }
    names |= {
        ("user", u.pk): u.display_name for u in User.objects.filter(pk__in=user_ids)
    }
    return names


@supervisor_required
def ledger(request: HttpRequest) -> HttpResponse:
    """The fair lateness ledger: who held the late dossiers beyond their allotment."""
    scope = _scope(request)
    period = _period(request)
    report = ledger_for_period(period, scope=scope)
    names = _ledger_names(report)
    if _wants_xlsx(request):
        return _xlsx(
            request,
            exports.ledger_workbook(
                report=report,
                names=names,
                scope_label=_scope_label(scope),
                period_label=period.label,
            ),
            "so-tre-han",
            "ledger",
        )
    for dossier in report.dossiers:
        for entry in dossier.entries:
            entry.agency_name = names.get(("agency", entry.agency_id), "")
            entry.officer_name = (
                names.get(("user", entry.officer_id), "") if entry.officer_id else ""
            )
    return render(
        request,
        "staff/supervision/ledger.html",
        _context(request, period, report=report),
    )


@supervisor_required
def warnings(request: HttpRequest) -> HttpResponse:
    """The due-soon and at-risk queue, most urgent first."""
    scope = _scope(request)
    level = request.GET.get("level", "")
    levels = (level,) if level in LEVELS else ("overdue", "high", "medium")
    everything = dossiers_at_risk(scope=scope, levels=LEVELS)
    assessments = [a for a in everything if a.level in levels]
    if _wants_xlsx(request):
        return _xlsx(
            request,
            exports.warnings_workbook(
                assessments=assessments,
                labels={k: str(v) for k, v in RISK_LABELS.items()},
                scope_label=_scope_label(scope),
            ),
            "canh-bao-som",
            "warnings",
        )
    all_counts = risk_counts(everything)
    return render(
        request,
        "staff/supervision/warnings.html",
        _context(
            request,
            periods.current("month"),
            assessments=assessments,
            level=level,
            levels=[(key, RISK_LABELS[key], all_counts.get(key, 0)) for key in LEVELS],
            risk_labels=RISK_LABELS,
        ),
    )


# -- periodic reports -------------------------------------------------------------


def _report_agencies(scope: Scope):
    qs = Agency.objects.filter(is_active=True).order_by("level", "name")
    return qs if scope.province_wide else qs.filter(pk__in=scope.units)


@supervisor_required
def staff_sheet_view(request: HttpRequest) -> HttpResponse:
    """The monthly staff sheet of a unit (Decree 118 Art.9(3)), printable and as Excel."""
    scope = _scope(request)
    period = _period(request)
    agencies = _report_agencies(scope)
    agency = (
        agencies.filter(pk=_int(request, "agency")).first()
        if _int(request, "agency")
        else agencies.first()
    )
    sheet = staff_sheet(period, agency) if agency else None
    if sheet and _wants_xlsx(request):
        return _xlsx(
            request,
            exports.staff_sheet_workbook(sheet),
            f"can-bo-{agency.pk}",
            "staff_sheet",
        )
    return render(
        request,
        "staff/supervision/staff_sheet.html",
        _context(request, period, agencies=agencies, agency=agency, sheet=sheet),
    )


@supervisor_required
def agency_pack_view(request: HttpRequest) -> HttpResponse:
    """The quarterly pack of an agency (Decree 118 Art.9(2)), printable and as Excel."""
    scope = _scope(request)
    period = _period(request, default_kind="quarter")
    agencies = _report_agencies(scope)
    agency = (
        agencies.filter(pk=_int(request, "agency")).first()
        if _int(request, "agency")
        else agencies.first()
    )
    pack = agency_pack(period, agency) if agency else None
    if pack and _wants_xlsx(request):
        return _xlsx(
            request,
            exports.agency_pack_workbook(pack),
            f"bao-cao-quy-{agency.pk}",
            "agency_pack",
        )
    return render(
        request,
        "staff/supervision/agency_pack.html",
        _context(request, period, agencies=agencies, agency=agency, pack=pack),
    )
