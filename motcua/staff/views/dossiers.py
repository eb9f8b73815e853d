"""
The dossier page: who applied, what they handed in, fees, steps with their
due times, the timeline, the control sheet, the forms to print, and the
actions the officer may take, each posted to one endpoint.
"""

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from django_htmx.http import HttpResponseClientRedirect

from motcua.accounts.selectors import user_agency_ids
from motcua.audit.models import AccessPurpose
from motcua.audit.services import access_record
from motcua.core.exceptions import DomainError, NotFound, ValidationFailed
from motcua.core.net import client_ip
from motcua.documents.lifecycle import dossier_resolve_with_result
from motcua.dossiers.access import access_dossier_for_staff
from motcua.dossiers.constants import DossierAction, StepStatus
from motcua.dossiers.models import Dossier, Extension
from motcua.dossiers.selectors import dossier_for_display, dossier_timeline
from motcua.dossiers.services import dossier_apply_action
from motcua.staff import presenters
from motcua.staff.actions import action_panel, bound_action_form
from motcua.staff.forms.actions import ActionForm

try:  # The documents and forms apps are optional for this page.
    from motcua.documents.selectors import dossier_files, dossier_results
except ImportError:  # pragma: no cover - depends on the installation
    dossier_files = dossier_results = None
try:
    from motcua.forms.registry import forms_available_for
    from motcua.forms.services import FormNotAvailable, form_render_pdf
except ImportError:  # pragma: no cover - depends on the installation
    forms_available_for = form_render_pdf = None
    FormNotAvailable = DomainError


def dossier_for(user, ref: str) -> Dossier:
    """Return dossier ``ref`` (its code, or its number) if ``user`` may see it."""
    try:
        if ref.isdigit():
            return access_dossier_for_staff(user, pk=int(ref))
        return access_dossier_for_staff(user, code=ref)
    except NotFound:
        raise Http404(_("Không tìm thấy hồ sơ.")) from None


def dossier_url(dossier: Dossier) -> str:
    return reverse("staff:dossier", args=[dossier.code or dossier.pk])


def _load(dossier: Dossier) -> Dossier:
    dossier = dossier_for_display(dossier)
    prefetch_related_objects(
        [dossier],
        "components__component",
        "steps__completed_by",
        "handovers__from_agency",
        "handovers__to_agency",
        "handovers__giver",
        "handovers__receiver",
        "consultations__from_agency",
        "consultations__to_agency",
        "supplement_requests__agency",
        "procedure_version__procedure__sector",
    )
    return dossier


@dataclass(frozen=True)
class StepRow:
    step: Any
    urgency: presenters.Urgency | None


def _step_rows(dossier: Dossier, calendar, now) -> list[StepRow]:
    rows = []
    for step in dossier.steps.all():
        urgency = None
        if step.status == StepStatus.ACTIVE and step.due_at:
            urgency = presenters.step_urgency(step, now=now, calendar=calendar)
        elif step.timeliness in presenters.TIMELINESS_BADGES:
            badge, label = presenters.TIMELINESS_BADGES[step.timeliness]
            urgency = presenters.Urgency("finished", badge, str(label))
        rows.append(StepRow(step, urgency))
    return rows


def _extension(dossier: Dossier) -> Extension | None:
    try:
        return dossier.extension
    except Extension.DoesNotExist:
        return None


def _context(
    request: HttpRequest, dossier: Dossier, *, bound: ActionForm | None = None
) -> dict[str, Any]:
    user = request.user
    now = timezone.now()
    calendar = presenters.Calendars().of(dossier)
    groups = action_panel(dossier, user)
    if bound is not None:
        # Put the form sent back with its errors in place of its blank twin.
        for group in groups:
            group.forms = [
                bound
                if f.action == bound.action and f.target_id == bound.target_id
                else f
                for f in group.forms
            ]
    wanted = request.GET.get("action", "")
    forms = [f for g in groups for f in g.forms]
    opened = bound or next(
        (f for f in forms if f.action == wanted),
        next((f for f in forms if f.tone == "primary"), None),
    )
    files = list(dossier_files(dossier)) if dossier_files else []
    return {
        "dossier": dossier,
        "status": presenters.status_badge(dossier),
        "urgency": presenters.urgency(dossier, now=now, calendar=calendar),
        "steps": _step_rows(dossier, calendar, now),
        "events": [
            (event, presenters.event_lines(event))
            for event in dossier_timeline(dossier)
        ],
        "extension": _extension(dossier),
        "files": files,
        "results": list(dossier_results(dossier)) if dossier_results else [],
        "printable": forms_available_for(dossier) if forms_available_for else [],
        "groups": groups,
        "opened": opened,
    }


def _log_read(request: HttpRequest, dossier: Dossier) -> None:
    """Record that the officer saw the applicant's data (DESIGN.md §8)."""
    units = user_agency_ids(request.user)
    candidates = [
        (dossier.receiving_centre, AccessPurpose.RECEPTION),
        (dossier.competent_agency, AccessPurpose.PROCESSING),
        *((s.agency, AccessPurpose.PROCESSING) for s in dossier.steps.all()),
    ]
    agency, purpose = next(
        ((a, p) for a, p in candidates if a.pk in units),
        (None, AccessPurpose.SUPERVISION),
    )
    access_record(
        actor=request.user,
        subject_id_number=dossier.applicant_id_number,
        what="Xem hồ sơ: thông tin người nộp, thành phần hồ sơ",
        purpose=purpose,
        dossier=dossier,
        agency=agency,
        ip_address=client_ip(request),
    )


@login_required
def dossier_detail(request: HttpRequest, ref: str) -> HttpResponse:
    """The dossier page."""
    dossier = _load(dossier_for(request.user, ref))
    _log_read(request, dossier)
    return render(request, "staff/dossiers/detail.html", _context(request, dossier))


@require_POST
@login_required
def dossier_act(request: HttpRequest, ref: str) -> HttpResponse:
    """
    Apply one action from the panel through ``dossier_apply_action``, with
    the version the officer saw. Success goes back to the page (reloaded);
    a refusal answers 422 with the form and the service's message.
    """
    dossier = _load(dossier_for(request.user, ref))
    form = bound_action_form(dossier, request.user, request.POST)
    if form is None:
        seen = request.POST.get("version", "")
        if seen.isdigit() and int(seen) != dossier.version:
            # The action is no longer offered because the dossier moved on.
            messages.warning(
                request,
                _(
                    "Hồ sơ vừa được cập nhật bởi người khác; thao tác của bạn "
                    "chưa được thực hiện. Hãy xem tình trạng mới rồi thao tác lại."
                ),
            )
            return _back(request, dossier_url(dossier))
        raise Http404(_("Thao tác này không dành cho bạn trên hồ sơ này."))
    if form.is_valid():
        try:
            if form.action == DossierAction.RESOLVE:
                # Approving signs the e-result with the agency's signature
                # and files it in the applicant's store (Decree 118 Art.22).
                dossier = dossier_resolve_with_result(
                    dossier,
                    actor=request.user,
                    result_summary=form.data_for_service().get("result_summary", ""),
                    expected_version=form.cleaned_data["version"],
                )
            else:
                dossier = dossier_apply_action(
                    dossier=dossier,
                    action=form.action,
                    actor=request.user,
                    note=form.cleaned_data.get("note", ""),
                    data=form.data_for_service(),
                    expected_version=form.cleaned_data["version"],
                )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(
                request, _("Đã thực hiện: %(action)s.") % {"action": form.label}
            )
            target = dossier_url(dossier)
            if (
                not Dossier.objects.visible_to(request.user)
                .filter(pk=dossier.pk)
                .exists()
            ):
                target = reverse("staff:inbox")
            return _back(request, target)
    if request.htmx:
        return render(
            request,
            "staff/dossiers/detail.html#action_form",
            {"dossier": dossier, "form": form, "opened": form},
            status=422,
        )
    return render(
        request,
        "staff/dossiers/detail.html",
        _context(request, dossier, bound=form),
        status=422,
    )


def _back(request: HttpRequest, url: str) -> HttpResponse:
    if request.htmx:
        return HttpResponseClientRedirect(url)
    return redirect(url)


@login_required
def dossier_form_pdf(request: HttpRequest, ref: str, kind: str) -> HttpResponse:
    """One of the dossier's official forms as PDF, opened in the browser."""
    dossier = dossier_for(request.user, ref)
    if form_render_pdf is None:  # pragma: no cover - without motcua.forms
        raise Http404(_("Chức năng in biểu mẫu chưa được cài đặt."))
    try:
        pdf = form_render_pdf(dossier, kind, request_user=request.user)
    except FormNotAvailable as error:
        return render(
            request,
            "staff/dossiers/form_unavailable.html",
            {"dossier": dossier, "message": error.message},
            status=409,
        )
    except (NotFound, ValidationFailed):
        raise Http404(_("Không có biểu mẫu này.")) from None
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="{dossier.code or dossier.pk}-mau-{kind}.pdf"'
    )
    # Personal data: never kept by a shared cache or the browser's.
    response["Cache-Control"] = "private, no-store"
    return response
