"""
The counter: pick the procedure (searched without diacritics), the competent
agency, the applicant (typed or looked up in the population database), the
components handed in; see the due time live; receive, ask for a supplement
(Mẫu 02) or refuse (Mẫu 03). Then print, and collect the fees due.
"""

from datetime import timedelta
from typing import Any

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from django_htmx.http import HttpResponseClientRedirect

from motcua.catalog.constants import Channel, FeeStage
from motcua.catalog.models import Procedure, ProcedureVersion
from motcua.catalog.selectors import fees_for, procedure_search
from motcua.core.exceptions import DomainError
from motcua.core.net import client_ip
from motcua.dossiers import deadlines
from motcua.dossiers.access import may_act, may_receive_at
from motcua.dossiers.constants import DossierAction, DossierStatus, FeeStatus
from motcua.dossiers.models import Dossier
from motcua.dossiers.selectors import procedures_received_most
from motcua.dossiers.services import dossier_apply_action, dossier_create
from motcua.staff.forms.reception import (
    APPLICANT_FIELDS,
    ReceptionForm,
    counter_centres,
)
from motcua.units.calendars import calendar_for_agency
from motcua.units.models import Agency

from .dossiers import dossier_for

SEARCH_LIMIT = 12


def population_available() -> bool:
    """The population database connector is part of this installation."""
    return apps.is_installed("motcua.integrations.population")


def _published(queryset):
    return queryset.prefetch_related(
        Prefetch(
            "versions",
            queryset=ProcedureVersion.objects.published(),
            to_attr="published",
        )
    )


def _search(user, query: str) -> tuple[list[Procedure], bool]:
    """Return the procedures for ``query``, or the centre's usual ones; and
    whether they are the quick picks."""
    if query.strip():
        return list(_published(procedure_search(query, limit=SEARCH_LIMIT))), False
    centres = {c.pk for c in counter_centres(user)}
    ids = procedures_received_most(centre_ids=centres) if centres else []
    order = {pk: ids.index(pk) for pk in ids}
    versions = dict(
        ProcedureVersion.objects.filter(pk__in=ids).values_list("procedure_id", "pk")
    )
    picks = _published(
        Procedure.objects.filter(pk__in=versions).select_related("sector")
    )
    return sorted(picks, key=lambda p: order[versions[p.pk]]), True


def _due_preview(version: ProcedureVersion | None, agency: Agency | None) -> dict:
    """The due time the service would compute for a reception now."""
    if version is None or agency is None or not version.duration_unit:
        return {}
    now = timezone.now()
    calendar = calendar_for_agency(agency)
    due = deadlines.legal_due(
        calendar,
        start=now,
        value=version.duration_value,
        unit=version.duration_unit,
        cutoff=version.cutoff_time,
    )
    local_now = timezone.localtime(now)
    after_cutoff = bool(version.cutoff_time and local_now.time() >= version.cutoff_time)
    return {
        "due_at": due,
        "now": now,
        "after_cutoff": after_cutoff,
        "unconfirmed": not calendar.is_confirmed(timezone.localdate(due)),
        "outside_hours": calendar.working_minutes_between(
            now, now + timedelta(minutes=1)
        )
        == 0,
    }


def _counter_fees(version: ProcedureVersion | None) -> list:
    return fees_for(version, Channel.COUNTER) if version is not None else []


def _context(request: HttpRequest, form: ReceptionForm, **extra: Any) -> dict:
    version = form.version
    agency = None
    if version is not None:
        raw = form["competent_agency"].value()
        agency = (
            form.fields["competent_agency"].queryset.filter(pk=raw).first()
            if raw and str(raw).isdigit()
            else None
        )
    fees = _counter_fees(version)
    return {
        "form": form,
        "version": version,
        "fees": fees,
        "fees_total": sum(f.amount for f in fees),
        "due": _due_preview(version, agency),
        "population": population_available(),
        **extra,
    }


def _submit(form: ReceptionForm, user) -> Dossier:
    """Receive, or record the request for a supplement or the refusal."""
    data = form.cleaned_data
    kwargs = {
        "procedure_version": data["procedure_version"],
        "channel": Channel.COUNTER,
        "receiving_centre": data["receiving_centre"],
        "competent_agency": data["competent_agency"],
        "applicant": form.applicant(),
        "actor": user,
        "components": form.component_items(),
        "paper_sets": data["paper_sets"],
        "return_method": data["return_method"],
        "return_address": data.get("return_address", ""),
        "note": data.get("note", ""),
    }
    decision = data["decision"]
    if decision == "receive":
        return dossier_create(**kwargs, receive=True)
    # The counter's refusal or supplement request is recorded on a dossier
    # that is never received (no code); both writes stand or fall together.
    with transaction.atomic():
        dossier = dossier_create(**kwargs, receive=False)
        if decision == "supplement":
            return dossier_apply_action(
                dossier=dossier,
                action=DossierAction.REQUEST_SUPPLEMENT,
                actor=user,
                data={
                    "reason": data["reason"],
                    "items": [{"component": c.pk} for c in form.missing_components()],
                },
            )
        return dossier_apply_action(
            dossier=dossier,
            action=DossierAction.REFUSE,
            actor=user,
            data={"reason": data["reason"]},
        )


@login_required
def counter(request: HttpRequest) -> HttpResponse:
    """The counter page; the POST receives, asks for a supplement or refuses."""
    user = request.user
    if request.method == "POST":
        form = ReceptionForm(request.POST, user=user)
        if form.is_valid():
            try:
                dossier = _submit(form, user)
            except DomainError as error:
                form.add_domain_error(error)
            else:
                url = reverse("staff:reception-done", args=[dossier.pk])
                if request.htmx:
                    return HttpResponseClientRedirect(url)
                return redirect(url)
        template = "staff/reception/counter.html"
        if request.htmx:
            template += "#counter_form"
        return render(request, template, _context(request, form), status=422)
    form = ReceptionForm(
        user=user, initial={"procedure_version": request.GET.get("procedure_version")}
    )
    query = request.GET.get("q", "")
    # Once a procedure is chosen, its card replaces the quick picks.
    results, quick = (
        _search(user, query) if query or form.version is None else ([], False)
    )
    return render(
        request,
        "staff/reception/counter.html",
        _context(request, form, query=query, results=results, quick=quick),
    )


@require_GET
@login_required
def procedure_results(request: HttpRequest) -> HttpResponse:
    """The search results (htmx): "dang ky khai sinh" finds "Đăng ký khai sinh"."""
    query = request.GET.get("q", "")
    results, quick = _search(request.user, query)
    return render(
        request,
        "staff/reception/counter.html#results",
        {"results": results, "query": query, "quick": quick},
    )


@require_GET
@login_required
def procedure_details(request: HttpRequest) -> HttpResponse:
    """The parts of the counter that depend on the chosen procedure (htmx)."""
    form = ReceptionForm(
        user=request.user,
        initial={"procedure_version": request.GET.get("procedure_version")},
    )
    if form.version is None:
        raise Http404(_("Không có thủ tục này hoặc thủ tục chưa được công bố."))
    return render(
        request,
        "staff/reception/counter.html#procedure_details",
        _context(request, form, oob=True),
    )


@require_GET
@login_required
def due_preview(request: HttpRequest) -> HttpResponse:
    """The due time if received now, with the service's deadline code (htmx)."""
    form = ReceptionForm(
        user=request.user,
        initial={"procedure_version": request.GET.get("procedure_version")},
    )
    agency = None
    raw = request.GET.get("competent_agency", "")
    if form.version is not None and raw.isdigit():
        agency = form.fields["competent_agency"].queryset.filter(pk=raw).first()
    return render(
        request,
        "staff/reception/counter.html#due",
        {"due": _due_preview(form.version, agency), "version": form.version},
    )


@require_POST
@login_required
def population_lookup_view(request: HttpRequest) -> HttpResponse:
    """
    Look the applicant up in the national population database by personal id
    number and fill in the applicant's fields (htmx). The lookup is logged.
    """
    if not population_available():
        raise Http404
    from motcua.integrations.population.services import population_lookup

    values = {field: request.POST.get(field, "") for field in APPLICANT_FIELDS.values()}
    values["identity_verified"] = bool(request.POST.get("identity_verified"))
    lookup: dict[str, Any] = {}
    status = 200
    try:
        record = population_lookup(
            values["applicant_id_number"],
            actor=request.user,
            purpose=_("Tiếp nhận hồ sơ tại quầy"),
            ip_address=client_ip(request),
        )
    except DomainError as error:
        lookup["error"] = error.message
        status = 422 if error.status == 422 else 200
    else:
        if record is None:
            lookup["missing"] = True
        else:
            values.update(
                applicant_type="person",
                applicant_name=record.full_name,
                applicant_id_number=record.id_number,
                applicant_birth_date=record.birth_date.isoformat(),
                applicant_address=record.permanent_address,
            )
            lookup["record"] = record
    form = ReceptionForm(user=request.user, initial=values)
    if lookup.get("error") and status == 422:
        form.fields["applicant_id_number"].widget.attrs.update(
            {"aria-invalid": "true", "aria-describedby": "population-result"}
        )
    return render(
        request,
        "staff/reception/counter.html#applicant",
        {"form": form, "lookup": lookup, "population": True},
        status=status,
    )


# -- after the decision --------------------------------------------------------


def _due_fees(dossier: Dossier) -> list:
    return [
        f
        for f in dossier.fees.all()
        if f.status == FeeStatus.DUE and f.stage == FeeStage.RECEPTION
    ]


@login_required
def done(request: HttpRequest, pk: int) -> HttpResponse:
    """What the counter hands over: the code, the secret, the forms to print, the fees."""
    dossier = dossier_for(request.user, str(pk))
    # A counter page: for the staff who receive at the dossier's centre.
    if not may_receive_at(request.user, dossier.receiving_centre_id):
        raise Http404
    kinds = {
        DossierStatus.NEEDS_SUPPLEMENT: "02",
        DossierStatus.REFUSED: "03",
    }
    fees = _due_fees(dossier)
    return render(
        request,
        "staff/reception/done.html",
        {
            "dossier": dossier,
            "form_kind": kinds.get(dossier.status, "01" if dossier.code else ""),
            "fees": fees,
            "fees_total": sum(f.amount for f in fees),
            "paid": [f for f in dossier.fees.all() if f.status == FeeStatus.PAID],
            "may_collect": bool(fees)
            and may_act(request.user, DossierAction.RECORD_PAYMENT, dossier),
            "supplement": dossier.supplement_requests.order_by("-requested_at").first(),
        },
    )


@require_POST
@login_required
def collect_fees(request: HttpRequest, pk: int) -> HttpResponse:
    """
    Confirm the fees due at reception were paid at the counter: the
    ``record_payment`` action, on the timeline and synced like any other.
    """
    dossier = dossier_for(request.user, str(pk))
    if not may_act(request.user, DossierAction.RECORD_PAYMENT, dossier):
        raise Http404
    fees = _due_fees(dossier)
    reference = request.POST.get("reference", "").strip()[:100]
    try:
        dossier_apply_action(
            dossier=dossier,
            action=DossierAction.RECORD_PAYMENT,
            actor=request.user,
            data={
                "fees": [f.pk for f in fees],
                "payment_reference": reference
                or f"Thu tại quầy – {request.user.get_username()}",
            },
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("staff:reception-done", pk=dossier.pk)
    total = sum(f.amount for f in fees)
    messages.success(
        request,
        _("Đã xác nhận thu %(amount)s đồng phí, lệ phí tại quầy.")
        % {"amount": f"{total:,.0f}".replace(",", ".")},
    )
    return redirect("staff:reception-done", pk=dossier.pk)
