"""
Procedure review under /staff/review/: the simplification candidates of a
period with their evidence and the dossiers behind it, the compliance cost
of a procedure, the yearly review rounds with their proposals, the
provincial office's decisions and the report (Word and Excel).

Access: ``motcua.review.access`` — reading and proposing for supervisors of
any scope (figures of their scope), deciding for the provincial office.
"""

from collections.abc import Callable
from functools import wraps

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from motcua.audit.models import AuditEvent
from motcua.audit.services import audit_record
from motcua.catalog.models import Component, Procedure
from motcua.catalog.selectors import procedure_version_in_force
from motcua.core.exceptions import DomainError, ValidationFailed
from motcua.core.net import client_ip
from motcua.dossiers.constants import Timeliness
from motcua.dossiers.models import Dossier, SupplementRequest
from motcua.review import exports
from motcua.review.access import may_approve, may_review
from motcua.review.constants import ProposalKind, ProposalStatus, RoundStatus
from motcua.review.models import Proposal, ReviewRound
from motcua.review.rules import MIN_SAMPLE
from motcua.review.selectors.candidates import (
    received_dossiers,
    simplification_candidates,
)
from motcua.review.selectors.costs import procedure_cost, wage_rate_for
from motcua.review.services import (
    proposal_adopt,
    proposal_create,
    proposal_decide,
    review_round_close,
    review_round_open,
)
from motcua.supervision import periods
from motcua.supervision.access import PROVINCE, Scope, supervision_scope
from motcua.units.constants import AgencyKind, AgencyLevel
from motcua.units.models import Agency

from .supervision import XLSX, _period_choices, _scope_label

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DRILLS = {
    "received": gettext_lazy("Hồ sơ tiếp nhận trong kỳ"),
    "supplement": gettext_lazy("Hồ sơ phải bổ sung"),
    "late": gettext_lazy("Hồ sơ trễ hạn"),
}


def reviewer_required(view: Callable) -> Callable:
    """Let in only users who may review (403 otherwise); add their scope."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not may_review(request.user):
            raise PermissionDenied
        request.review_scope = supervision_scope(request.user)  # type: ignore[attr-defined]
        return view(request, *args, **kwargs)

    return wrapper


def _scope(request: HttpRequest) -> Scope:
    return request.review_scope  # type: ignore[attr-defined]


def _period(request: HttpRequest) -> periods.Period:
    try:
        return periods.parse(request.GET.get("period"), default=periods.current("year"))
    except ValidationFailed:
        raise Http404(_("Kỳ báo cáo không hợp lệ.")) from None


def _context(request: HttpRequest, **extra) -> dict:
    return {
        "scope_label": _scope_label(_scope(request)),
        "may_approve": may_approve(request.user),
        **extra,
    }


def _province_name() -> str:
    centre = Agency.objects.filter(
        kind=AgencyKind.PROVINCIAL_COMMITTEE, level=AgencyLevel.PROVINCE
    ).first()
    return centre.administrative_unit.full_name if centre else ""


# -- candidates -------------------------------------------------------------------


@reviewer_required
def candidates(request: HttpRequest) -> HttpResponse:
    """The ranked simplification candidates of a period, with their evidence."""
    period = _period(request)
    found = simplification_candidates(period, scope=_scope(request))
    return render(
        request,
        "staff/review/candidates.html",
        _context(
            request,
            period=period,
            period_choices=_period_choices(period),
            ranked=[c for c in found if c.rank is not None],
            unranked=[c for c in found if c.rank is None],
            min_sample=MIN_SAMPLE,
        ),
    )


class ProposalForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Phương án"), choices=ProposalKind.choices
    )
    description = forms.CharField(
        label=gettext_lazy("Nội dung phương án, lý do"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )
    component = forms.ModelChoiceField(
        label=gettext_lazy("Thành phần hồ sơ đề nghị bỏ"),
        queryset=Component.objects.none(),
        required=False,
    )
    new_duration_value = forms.DecimalField(
        label=gettext_lazy("Thời hạn mới (cùng đơn vị)"),
        required=False,
        min_value=0,
        max_digits=7,
        decimal_places=2,
    )
    hours_saved = forms.DecimalField(
        label=gettext_lazy("Số giờ người dân tiết kiệm cho một hồ sơ"),
        required=False,
        min_value=0,
        max_digits=7,
        decimal_places=2,
    )
    expenses_saved = forms.DecimalField(
        label=gettext_lazy("Chi phí khác tiết kiệm cho một hồ sơ (đồng)"),
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=0,
    )
    fees_saved = forms.DecimalField(
        label=gettext_lazy("Phí, lệ phí giảm cho một hồ sơ (đồng)"),
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=0,
    )

    def __init__(self, *args, version=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["component"]
        if version is not None and isinstance(field, forms.ModelChoiceField):
            field.queryset = version.components.all()


def _drill(
    request: HttpRequest, period: periods.Period, procedure: Procedure, show: str
):
    qs = received_dossiers(period, scope=_scope(request), procedure_id=procedure.pk)
    if show == "supplement":
        qs = qs.filter(Exists(SupplementRequest.objects.filter(dossier=OuterRef("pk"))))
    elif show == "late":
        qs = Dossier.objects.filter(
            _scope(request).dossier_filter(),
            procedure_version__procedure=procedure,
            timeliness=Timeliness.LATE,
            finished_at__gte=period.start,
            finished_at__lt=period.end,
        )
    qs = qs.select_related("receiving_centre", "competent_agency").order_by(
        "received_at", "pk"
    )
    return Paginator(qs, 50).get_page(request.GET.get("page"))


@reviewer_required
def procedure_evidence(request: HttpRequest, procedure_id: int) -> HttpResponse:
    """One procedure's evidence, compliance cost, dossiers, and the proposal form."""
    procedure = get_object_or_404(
        Procedure.objects.select_related("sector"), pk=procedure_id
    )
    period = _period(request)
    found = simplification_candidates(
        period, scope=_scope(request), procedure_id=procedure.pk
    )
    candidate = found[0] if found else None
    show = request.GET.get("show", "supplement")
    if show not in DRILLS:
        raise Http404
    cost, cost_error = None, ""
    try:
        cost = procedure_cost(procedure, period.first.year)
    except DomainError as error:
        cost_error = str(error.message)
    version = procedure_version_in_force(procedure)
    open_round = ReviewRound.objects.filter(
        year=period.first.year, status=RoundStatus.OPEN
    ).first()
    form = ProposalForm(version=version) if open_round and version else None
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "staff/review/procedure.html",
        _context(
            request,
            procedure=procedure,
            version=version,
            period=period,
            period_choices=_period_choices(period),
            c=candidate,
            cost=cost,
            cost_error=cost_error,
            open_round=open_round,
            form=form,
            show=show,
            drills=list(DRILLS.items()),
            page=_drill(request, period, procedure, show),
            base_query=params.urlencode(),
            proposals=procedure.review_proposals.select_related("round").order_by(
                "-round__year", "-pk"
            ),
        ),
    )


@require_POST
@reviewer_required
def propose(request: HttpRequest, round_id: int, procedure_id: int) -> HttpResponse:
    """Record a proposal for a procedure in an open round."""
    review_round = get_object_or_404(ReviewRound, pk=round_id)
    procedure = get_object_or_404(Procedure, pk=procedure_id)
    version = procedure_version_in_force(procedure)
    form = ProposalForm(request.POST, version=version)
    back = f"{reverse('staff:review-procedure', args=[procedure.pk])}?period=year:{review_round.year}"
    if not form.is_valid():
        messages.error(
            request, _("Phương án chưa hợp lệ: %(errors)s") % {"errors": _errors(form)}
        )
        return redirect(back)
    data = form.cleaned_data
    try:
        proposal_create(
            review_round=review_round,
            procedure=procedure,
            kind=data["kind"],
            description=data["description"],
            component=data["component"],
            new_duration_value=data["new_duration_value"],
            hours_saved=data["hours_saved"] or 0,
            expenses_saved=data["expenses_saved"] or 0,
            fees_saved=data["fees_saved"] or 0,
            actor=request.user,
        )
    except DomainError as error:
        messages.error(request, str(error.message))
        return redirect(back)
    messages.success(
        request,
        _("Đã ghi nhận phương án cho thủ tục %(code)s.") % {"code": procedure.code},
    )
    return redirect("staff:review-round", round_id=review_round.pk)


def _errors(form: forms.Form) -> str:
    return "; ".join(
        f"{form.fields[name].label if name in form.fields else ''}: {' '.join(errors)}"
        for name, errors in form.errors.items()
    )


# -- rounds -----------------------------------------------------------------------


@reviewer_required
def rounds(request: HttpRequest) -> HttpResponse:
    """The review rounds; the provincial office opens the year's round here."""
    if request.method == "POST":
        try:
            year = int(request.POST.get("year", ""))
        except ValueError:
            messages.error(request, _("Năm rà soát không hợp lệ."))
            return redirect("staff:review-rounds")
        try:
            review_round = review_round_open(
                year=year, title=request.POST.get("title", ""), actor=request.user
            )
        except DomainError as error:
            messages.error(request, str(error.message))
            return redirect("staff:review-rounds")
        messages.success(request, _("Đã mở đợt rà soát năm %(year)s.") % {"year": year})
        return redirect("staff:review-round", round_id=review_round.pk)
    return render(
        request,
        "staff/review/rounds.html",
        _context(
            request,
            rounds=ReviewRound.objects.all(),
            this_year=timezone.localdate().year,
        ),
    )


def _round_data(review_round: ReviewRound, scope: Scope):
    found = simplification_candidates(periods.year(review_round.year), scope=scope)
    proposals = list(
        review_round.proposals.select_related(
            "procedure", "component", "proposed_by", "decided_by", "adopted_version"
        )
    )
    return found, proposals


@reviewer_required
def round_detail(request: HttpRequest, round_id: int) -> HttpResponse:
    """A round's proposals, decisions and report (``?format=docx`` / ``xlsx``)."""
    review_round = get_object_or_404(ReviewRound, pk=round_id)
    fmt = request.GET.get("format", "")
    if fmt in ("docx", "xlsx"):
        # The province's report: the whole province's evidence.
        found, proposals = _round_data(review_round, PROVINCE)
        province = _province_name()
        audit_record(
            event_type=AuditEvent.EXPORT,
            actor=request.user,
            target=review_round,
            extra={"report": f"review_{fmt}", "year": review_round.year},
            ip_address=client_ip(request),
        )
        if fmt == "xlsx":
            body = exports.review_workbook(
                review_round=review_round,
                candidates=found,
                proposals=proposals,
                province=province,
            )
            content_type = XLSX
        else:
            try:
                wage = wage_rate_for(review_round.year).hourly_wage
            except DomainError:
                wage = None
            body = exports.review_document(
                review_round=review_round,
                candidates=found,
                proposals=proposals,
                province=province,
                hourly_wage=wage,
            )
            content_type = DOCX
        response = HttpResponse(body, content_type=content_type)
        response["Content-Disposition"] = (
            f'attachment; filename="ra-soat-tthc-{review_round.year}.{fmt}"'
        )
        return response
    proposals = review_round.proposals.select_related(
        "procedure", "component", "proposed_by", "decided_by", "adopted_version"
    )
    return render(
        request,
        "staff/review/round.html",
        _context(
            request,
            review_round=review_round,
            proposals=proposals,
            statuses=ProposalStatus,
            is_open=review_round.status == RoundStatus.OPEN,
        ),
    )


@require_POST
@reviewer_required
def round_close(request: HttpRequest, round_id: int) -> HttpResponse:
    review_round = get_object_or_404(ReviewRound, pk=round_id)
    try:
        review_round_close(review_round, actor=request.user)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Đã kết thúc đợt rà soát."))
    return redirect("staff:review-round", round_id=review_round.pk)


@require_POST
@reviewer_required
def proposal_act(request: HttpRequest, proposal_id: int) -> HttpResponse:
    """Approve, reject or adopt a proposal (the provincial office)."""
    proposal = get_object_or_404(Proposal, pk=proposal_id)
    action = request.POST.get("action", "")
    try:
        if action in ("approve", "reject"):
            proposal_decide(
                proposal,
                approve=action == "approve",
                note=request.POST.get("note", ""),
                actor=request.user,
            )
            messages.success(request, _("Đã ghi nhận ý kiến phê duyệt."))
        elif action == "adopt":
            proposal = proposal_adopt(proposal, actor=request.user)
            messages.success(request, proposal.adoption_note)
        else:
            raise Http404
    except DomainError as error:
        messages.error(request, str(error.message))
    return redirect("staff:review-round", round_id=proposal.round_id)
