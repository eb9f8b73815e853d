"""
The rating screen of the one-stop centre's kiosk (and of the lookup page and
the result notification's link): the citizen proves the dossier is theirs,
then rates it on the nine criteria of Decree 118/2025 Art.33(1) (a)–(i).

Ratings are written by ``motcua.feedback.services.rating_submit``; without
the feedback app the page says the service is not ready yet.
"""

import secrets
import time
from typing import Any

from django import forms
from django.apps import apps
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.core.exceptions import DomainError, NotFound
from motcua.core.net import client_ip
from motcua.dossiers.access import access_dossier_for_citizen
from motcua.dossiers.constants import DossierStatus
from motcua.dossiers.models import Dossier
from motcua.public import throttle

from .lookup import LOOKUP_SESSION_KEY, LookupForm

# Proof that this browser may rate a dossier: {"dossier", "channel", "until"}.
RATING_SESSION_KEY = "motcua_rating"
RATING_SESSION_SECONDS = 10 * 60
RATEABLE = (DossierStatus.RESOLVED, DossierStatus.RETURNED)


def ratings_available() -> bool:
    return apps.is_installed("motcua.feedback")


class RatingForm(forms.Form):
    """One question per criterion, five levels each; (g)–(i) may not apply."""

    comment = forms.CharField(
        label=gettext_lazy("Ý kiến khác (nếu có)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    client_token = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, **kwargs):
        from motcua.feedback.constants import (
            OPTIONAL_CRITERIA,
            Criterion,
            Level,
        )

        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        levels = [(str(v), label) for v, label in reversed(Level.choices)]
        self.criteria = []
        for criterion in Criterion:
            optional = criterion in OPTIONAL_CRITERIA
            letter = "đ" if criterion.value == "dd" else criterion.value
            field = forms.ChoiceField(
                label=f"{letter}) {criterion.label}",
                choices=levels + ([("", _("Không áp dụng"))] if optional else []),
                required=not optional,
                widget=forms.RadioSelect,
                error_messages={"required": _("Hãy chọn một mức.")},
            )
            self.fields[f"c_{criterion.value}"] = field
            self.criteria.append((criterion.value, optional))
        self.order_fields([f"c_{c}" for c, _opt in self.criteria] + ["comment"])

    def answers(self) -> dict[str, Any]:
        return {
            code: self.cleaned_data.get(f"c_{code}") or None
            for code, _optional in self.criteria
        }

    def add_domain_error(self, error: DomainError) -> None:
        fields = error.extra.get("fields") if isinstance(error.extra, dict) else None
        if fields:
            for key, message in fields.items():
                name = f"c_{key}"
                self.add_error(name if name in self.fields else None, message)
        else:
            self.add_error(None, str(error.message))


def _proof(request: HttpRequest) -> tuple[Dossier | None, str]:
    """The dossier this browser proved it may rate, and on which channel."""
    from motcua.feedback.constants import RatingChannel

    for key, channel in (
        (RATING_SESSION_KEY, None),
        (LOOKUP_SESSION_KEY, RatingChannel.LOOKUP),
    ):
        data = request.session.get(key)
        if data and data.get("until", 0) > time.time():
            dossier = Dossier.objects.filter(pk=data.get("dossier")).first()
            if dossier is not None:
                return dossier, channel or data.get("channel", RatingChannel.KIOSK)
    return None, ""


def _remember(request: HttpRequest, dossier: Dossier, channel: str) -> None:
    request.session[RATING_SESSION_KEY] = {
        "dossier": dossier.pk,
        "channel": channel,
        "until": time.time() + RATING_SESSION_SECONDS,
    }


def _forget(request: HttpRequest) -> None:
    request.session.pop(RATING_SESSION_KEY, None)
    request.session.pop(LOOKUP_SESSION_KEY, None)


def rate(request: HttpRequest) -> HttpResponse:
    """Identify the dossier (code and secret, or the notification's link), then rate it."""
    if not ratings_available():
        return render(request, "public/rate.html", {"unavailable": True})
    from motcua.feedback.access import access_dossier_by_rating_token
    from motcua.feedback.constants import RatingChannel
    from motcua.feedback.services import rating_submit

    if request.method == "GET" and request.GET.get("t"):
        try:
            dossier = access_dossier_by_rating_token(request.GET["t"])
        except NotFound as error:
            form = LookupForm(initial={"code": request.GET.get("code", "")})
            return render(
                request,
                "public/rate.html",
                {"identify": form, "link_error": error.message},
                status=404,
            )
        _remember(request, dossier, RatingChannel.NOTIFICATION)
        return redirect("public:rate")

    if request.method == "POST" and request.POST.get("step") == "identify":
        return _identify(request)
    if request.method == "POST" and request.POST.get("step") == "cancel":
        _forget(request)
        return redirect("public:rate")

    dossier, channel = _proof(request)
    if dossier is None:
        return render(request, "public/rate.html", {"identify": LookupForm()})
    context: dict[str, Any] = {"dossier": dossier}
    if dossier.status not in RATEABLE:
        context["not_finished"] = True
        return render(request, "public/rate.html", context)
    status = 200
    if request.method == "POST":
        form = RatingForm(request.POST)
        if form.is_valid():
            try:
                rating_submit(
                    dossier,
                    form.answers(),
                    channel,
                    client_token=form.cleaned_data["client_token"],
                    comment=form.cleaned_data["comment"],
                )
            except DomainError as error:
                if error.code == "rating_already_submitted":
                    _forget(request)
                    return render(
                        request,
                        "public/rate.html",
                        {"thanks": True, "already": error.message},
                    )
                form.add_domain_error(error)
                status = 422
            else:
                _forget(request)
                return render(request, "public/rate.html", {"thanks": True})
        else:
            status = 422
    else:
        form = RatingForm(initial={"client_token": secrets.token_urlsafe(16)})
    context["form"] = form
    return render(request, "public/rate.html", context, status=status)


def _identify(request: HttpRequest) -> HttpResponse:
    from motcua.feedback.constants import RatingChannel

    form = LookupForm(request.POST)
    address = client_ip(request)
    context: dict[str, Any] = {"identify": form}
    if not form.is_valid():
        return render(request, "public/rate.html", context, status=422)
    code = form.cleaned_data["code"].strip()
    if throttle.secret_tries_locked(code=code, address=address):
        context["locked"] = True
        return render(request, "public/rate.html", context, status=429)
    try:
        dossier = access_dossier_for_citizen(
            code=code, secret=form.cleaned_data["secret"]
        )
    except NotFound:
        throttle.secret_try_failed(code=code, address=address)
        form.add_error(None, _("Mã hồ sơ hoặc mã tra cứu không đúng."))
        return render(request, "public/rate.html", context, status=422)
    _remember(request, dossier, RatingChannel.KIOSK)
    return redirect("public:rate")
