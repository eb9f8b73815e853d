"""
The payment endpoints: the applicant's payment page, the payer's start link, the provider's IPN, the
browser return page and the receipt download. Plain Django views; every
decision is taken by the services.
"""

import logging

from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    JsonResponse,
    QueryDict,
)
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import (
    require_GET,
    require_http_methods,
    require_POST,
)

from motcua.audit.models import AccessPurpose
from motcua.audit.services import access_record
from motcua.core.exceptions import DomainError
from motcua.core.net import client_ip

from .access import access_receipt, applicant_actor_by_link, may_pay_online
from .constants import PaymentChannel, PaymentStatus
from .errors import CallbackInvalid
from .models import PaymentIntent
from .providers import registry
from .services import (
    CallbackOutcome,
    payment_handle_callback,
    payment_receipt_pdf,
    payment_redirect,
    payment_start,
)

logger = logging.getLogger(__name__)


def _single_values(data: QueryDict) -> dict[str, str]:
    # A parameter sent twice would make the signed content ambiguous.
    if any(len(values) > 1 for _key, values in data.lists()):
        raise CallbackInvalid(code="parameter_repeated")
    return {key: str(values[0]) for key, values in data.lists() if values}


def _plugin_or_404(provider: str):
    try:
        return registry.get(provider)
    except KeyError:
        raise Http404 from None


@require_http_methods(["GET", "POST"])
def payment_page(request: HttpRequest, token: str) -> HttpResponse:
    """
    The applicant's online payment of a dossier's due fees, reached by the
    signed link of the lookup page and of the payment-due notification.

    GET shows what is due and the "pay online" button; POST opens (or
    reuses) the payment intent and sends the browser to the gateway. A link
    can be opened by a mail scanner, so only the POST creates anything.
    """
    try:
        dossier, actor = applicant_actor_by_link(token)
    except DomainError as error:
        return render(
            request,
            "payments/pay.html",
            {"state": "invalid", "message": error.message},
            status=404,
        )
    context = {
        "dossier": dossier,
        "fees": list(dossier.fees.payable().order_by("pk")),
        "payable": may_pay_online(dossier),
    }
    context["total"] = sum(f.amount for f in context["fees"])
    if request.method == "POST":
        if not context["payable"]:
            context["message"] = _(
                "Hồ sơ không có khoản phí, lệ phí nào chờ nộp trực tuyến."
            )
            return render(request, "payments/pay.html", context, status=409)
        try:
            start = payment_start(dossier, actor=actor, channel=PaymentChannel.ONLINE)
        except DomainError as error:
            logger.warning(
                "Online payment of dossier %s refused: %s", dossier.pk, error.code
            )
            context["message"] = error.message
            return render(request, "payments/pay.html", context, status=409)
        # 303: the gateway's page is fetched with GET.
        response = HttpResponseRedirect(start.redirect_url)
        response.status_code = 303
        return response
    return render(request, "payments/pay.html", context)


@require_GET
def payment_start_redirect(request: HttpRequest, intent: str) -> HttpResponse:
    """Send the payer's browser to the provider for an open intent."""
    payment = get_object_or_404(PaymentIntent, uuid=intent)
    try:
        url = payment_redirect(payment)
    except DomainError as error:
        return render(
            request,
            "payments/return.html",
            {"state": "closed", "message": error.message, "intent": payment},
            status=409,
        )
    return HttpResponseRedirect(url)


@csrf_exempt  # authenticated by the provider's signature, not by a session
@require_POST
def payment_ipn(request: HttpRequest, provider: str) -> HttpResponse:
    """The provider's server-to-server callback, answered in its own JSON."""
    plugin = _plugin_or_404(provider)
    try:
        params = _single_values(request.POST)
        result = payment_handle_callback(provider, params)
        status, body = plugin.answer(result.outcome.value)
    except DomainError as error:
        logger.warning("IPN from %s refused: %s", provider, error.code)
        status, body = plugin.answer(error)
    return JsonResponse(body, status=status)


@require_GET
def payment_return(request: HttpRequest, provider: str) -> HttpResponse:
    """
    The page the payer's browser comes back to. The callback it carries is
    processed like the IPN (idempotently), in case the IPN has not arrived.
    """
    _plugin_or_404(provider)
    context: dict = {}
    try:
        params = _single_values(request.GET)
        result = payment_handle_callback(provider, params)
    except DomainError as error:
        context = {"state": "error", "message": error.message, "code": error.code}
        status = 400
    else:
        intent = result.intent
        paid = (
            intent.status == PaymentStatus.PAID
            and result.outcome != CallbackOutcome.DUPLICATE_PAYMENT
        )
        context = {
            "state": "paid" if paid else "failed",
            "intent": intent,
            "dossier_code": intent.dossier.code or "",
            "transaction_id": result.transaction.transaction_id,
            "receipt": getattr(intent, "receipt", None) if paid else None,
            "duplicate": result.outcome == CallbackOutcome.DUPLICATE_PAYMENT,
        }
        status = 200
    return render(request, "payments/return.html", context, status=status)


@require_GET
def receipt_pdf(request: HttpRequest, number: str) -> HttpResponse:
    """
    The e-receipt as PDF, for staff who may see the dossier or for the
    applicant with the dossier's lookup secret (``?secret=``).
    """
    try:
        receipt = access_receipt(
            number=number, user=request.user, secret=request.GET.get("secret")
        )
    except DomainError:
        raise Http404 from None
    if getattr(request.user, "is_authenticated", False):
        access_record(
            actor=request.user,
            subject_id_number=receipt.payer_id_number,
            what=f"Biên lai thu phí, lệ phí {receipt.number}",
            purpose=AccessPurpose.DOWNLOAD,
            dossier=receipt.dossier,
            ip_address=client_ip(request),
        )
    response = HttpResponse(
        payment_receipt_pdf(receipt), content_type="application/pdf"
    )
    response["Content-Disposition"] = (
        f'inline; filename="bien-lai-{receipt.number}.pdf"'
    )
    response["Cache-Control"] = "private, no-store"
    return response
