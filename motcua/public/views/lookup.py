"""
Dossier lookup for citizens: by the dossier code alone (the QR code on Mẫu 01
leads here), the status, dates and the agency handling it, and nothing
personal; with the lookup secret printed on Mẫu 01 as well, the applicant's
name, the timeline, what is asked of them and who read their data.

Wrong secrets are limited per code and per address (``throttle``).
"""

import time
from dataclasses import dataclass

from django import forms
from django.apps import apps
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.core.exceptions import NotFound
from motcua.core.net import client_ip
from motcua.dossiers.access import access_dossier_for_citizen
from motcua.dossiers.constants import DossierStatus as S
from motcua.dossiers.constants import FeeStatus, StepStatus
from motcua.dossiers.models import Dossier
from motcua.dossiers.selectors import dossier_timeline
from motcua.public import throttle
from motcua.staff import presenters

# A successful lookup lets this browser rate the dossier for a while
# without typing the secret again (the rating page reads it).
LOOKUP_SESSION_KEY = "motcua_lookup"
LOOKUP_SESSION_SECONDS = 30 * 60


class LookupForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Mã hồ sơ"),
        max_length=64,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "spellcheck": "false",
                "placeholder": "000.00.01.H99-261128-0001",
                "class": "lookup__input",
            }
        ),
    )
    secret = forms.CharField(
        label=gettext_lazy("Mã tra cứu"),
        max_length=16,
        help_text=gettext_lazy("8 ký tự in trên Giấy tiếp nhận hồ sơ (Mẫu 01)."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "spellcheck": "false",
                "autocapitalize": "characters",
                "class": "lookup__input lookup__input--secret",
            }
        ),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


# What the citizen sees of the lifecycle, in order.
STAGES = (
    ("submitted", gettext_lazy("Nộp hồ sơ")),
    ("received", gettext_lazy("Tiếp nhận")),
    ("processing", gettext_lazy("Đang giải quyết")),
    ("resolved", gettext_lazy("Có kết quả")),
    ("returned", gettext_lazy("Đã trả kết quả")),
)
_STAGE_OF = {
    S.SUBMITTED: 0,
    S.RECEIVED: 1,
    S.IN_PROGRESS: 2,
    S.NEEDS_SUPPLEMENT: 2,
    S.AWAITING_PAYMENT: 2,
    S.WITHDRAWAL_REQUESTED: 2,
    S.RESOLVED: 3,
    S.RETURNED: 4,
}


@dataclass(frozen=True)
class Stage:
    label: str
    state: str  # done | current | todo


def stages_of(dossier: Dossier) -> list[Stage]:
    """The steps a citizen follows, with the one the dossier is at."""
    current = _STAGE_OF.get(dossier.status)
    if current is None:  # refused or stopped: the stepper stops where it was
        current = 1 if dossier.received_at else 0
    return [
        Stage(
            str(label),
            "done" if index < current else "current" if index == current else "todo",
        )
        for index, (_key, label) in enumerate(STAGES)
    ]


def _public_dossier(code: str) -> Dossier | None:
    return (
        Dossier.objects.select_related(
            "procedure_version__procedure", "competent_agency", "receiving_centre"
        )
        .filter(code=code)
        .first()
    )


def _summary(dossier: Dossier) -> dict:
    """What anyone with the code may see: no personal data."""
    active = [
        s
        for s in dossier.steps.select_related("agency")
        if s.status == StepStatus.ACTIVE
    ]
    return {
        "dossier": dossier,
        "status": presenters.status_badge(dossier),
        "stages": stages_of(dossier),
        "handling": sorted({s.agency.name for s in active}),
    }


def _details(dossier: Dossier) -> dict:
    """What the applicant sees once they gave the secret."""
    events = [
        (event, presenters.event_lines(event, public=True))
        for event in dossier_timeline(dossier, public=True)
    ]
    access_log = []
    if apps.is_installed("motcua.documents"):
        from motcua.documents.selectors import access_log_for_citizen

        access_log = access_log_for_citizen(dossier)
    supplement = (
        dossier.supplement_requests.filter(
            supplied_at__isnull=True, closed_at__isnull=True
        )
        .order_by("-requested_at")
        .first()
        if dossier.status == S.NEEDS_SUPPLEMENT
        else None
    )
    payment_url = ""
    if apps.is_installed("motcua.payments"):
        from motcua.payments.access import may_pay_online, payment_link

        if may_pay_online(dossier):
            payment_url = payment_link(dossier)
    return {
        "full": True,
        "payment_url": payment_url,
        "events": events,
        "access_log": access_log,
        "supplement": supplement,
        "fees_due": [f for f in dossier.fees.all() if f.status == FeeStatus.DUE],
        "may_rate": apps.is_installed("motcua.feedback")
        and dossier.status in (S.RESOLVED, S.RETURNED),
    }


def lookup(request: HttpRequest) -> HttpResponse:
    """
    GET with ``code``: the public summary. POST with the code and the
    secret: the applicant's view. Wrong secrets count against the code and
    the address; past the limit every try answers 429.
    """
    address = client_ip(request)
    context: dict = {}
    status = 200
    if request.method == "POST":
        form = LookupForm(request.POST)
        if form.is_valid():
            code = form.cleaned_data["code"].strip()
            if throttle.secret_tries_locked(code=code, address=address):
                context["locked"] = True
                status = 429
            else:
                try:
                    dossier = access_dossier_for_citizen(
                        code=code, secret=form.cleaned_data["secret"]
                    )
                except NotFound:
                    throttle.secret_try_failed(code=code, address=address)
                    form.add_error(
                        None,
                        _(
                            "Mã hồ sơ hoặc mã tra cứu không đúng. Kiểm tra lại "
                            "Giấy tiếp nhận hồ sơ."
                        ),
                    )
                    status = 422
                else:
                    request.session[LOOKUP_SESSION_KEY] = {
                        "dossier": dossier.pk,
                        "until": time.time() + LOOKUP_SESSION_SECONDS,
                    }
                    context.update(_summary(dossier))
                    context.update(_details(dossier))
        else:
            status = 422
    else:
        code = request.GET.get("code", "").strip()[:64]
        form = LookupForm(initial={"code": code})
        if code:
            # From the QR code: the code is there, the secret is typed next.
            form.fields["secret"].widget.attrs["autofocus"] = True
            if throttle.address_locked(address):
                context["locked"] = True
                status = 429
            else:
                dossier = _public_dossier(code)
                if dossier is None:
                    throttle.unknown_code_tried(address=address)
                    context["not_found"] = code
                    status = 404
                else:
                    context.update(_summary(dossier))
    context["form"] = form
    return render(request, "public/lookup.html", context, status=status)
