"""
Who may start a payment, refund a fee or download a receipt: the one place
where the payments app writes these rules. Dossier visibility itself is the
dossier app's (``motcua.dossiers.access``).
"""

import hashlib
import hmac
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from motcua.core.exceptions import NotFound, PermissionDenied
from motcua.dossiers.access import (
    PORTAL,
    SystemActor,
    access_dossier_for_citizen,
    access_dossier_for_staff,
    may_act,
)
from motcua.dossiers.constants import DossierAction, DossierStatus
from motcua.dossiers.models import Dossier

from .models import Receipt


@dataclass(frozen=True, slots=True)
class ApplicantActor:
    """
    The applicant of one dossier, who proved it with the dossier's lookup
    secret (printed on Mẫu 01). Obtained only through ``applicant_actor``.
    """

    dossier_id: int
    label: str = "Người nộp hồ sơ"

    @property
    def pk(self) -> None:
        return None

    def __str__(self) -> str:
        return self.label


def applicant_actor(*, code: str, secret: str) -> tuple[Dossier, ApplicantActor]:
    """Return the dossier and its applicant as an actor; NotFound if the secret is wrong."""
    dossier = access_dossier_for_citizen(code=code, secret=secret)
    return dossier, ApplicantActor(dossier.pk)


_LINK_SALT = "motcua.payments.pay-link"


def _secret_digest(dossier: Dossier) -> str:
    return hashlib.sha256(dossier.lookup_secret.encode()).hexdigest()[:16]


def payment_link(dossier: Dossier) -> str:
    """
    Return the path of the page where the applicant pays ``dossier``'s fees
    online, with a signed token in place of the lookup secret (for the
    payment-due notification and the lookup page). The link dies with the
    secret and after PAYMENT_LINK_DAYS.
    """
    token = signing.dumps(
        {"d": dossier.pk, "s": _secret_digest(dossier)}, salt=_LINK_SALT
    )
    return reverse("payments:pay", args=[token])


def applicant_actor_by_link(token: str) -> tuple[Dossier, ApplicantActor]:
    """
    Return the dossier a ``payment_link`` token was made for and its
    applicant as an actor; NotFound when the token is forged, expired, or
    the dossier's secret changed since.
    """
    error = NotFound(
        _("Đường dẫn thanh toán không hợp lệ hoặc đã hết hạn."),
        code="payment_link_invalid",
    )
    try:
        data = signing.loads(
            token or "",
            salt=_LINK_SALT,
            max_age=settings.PAYMENT_LINK_DAYS * 24 * 3600,
        )
    except signing.BadSignature:
        raise error from None
    if not isinstance(data, dict):
        raise error
    dossier = Dossier.objects.filter(pk=data.get("d")).first()
    if dossier is None or not hmac.compare_digest(
        _secret_digest(dossier), str(data.get("s", ""))
    ):
        raise error
    return dossier, ApplicantActor(dossier.pk)


def may_pay_online(dossier: Dossier) -> bool:
    """
    Whether the applicant is offered online payment of ``dossier``: the
    agency asked for a financial obligation (the dossier waits in
    ``awaiting_payment``, Decree 118 Art.24) and a fee is still due.
    """
    return (
        dossier.status == DossierStatus.AWAITING_PAYMENT
        and dossier.fees.payable().exists()
    )


def check_may_pay(actor: Any, dossier: Dossier) -> None:
    """
    Raise unless ``actor`` may start a payment of ``dossier``'s fees: the
    national portal (on the citizen's behalf), the applicant with the lookup
    secret, or a staff member who may see the dossier.
    """
    if isinstance(actor, SystemActor):
        if actor is PORTAL:
            return
        raise PermissionDenied(code="payment_not_permitted")
    if isinstance(actor, ApplicantActor):
        if actor.dossier_id == dossier.pk:
            return
        raise PermissionDenied(code="payment_not_permitted")
    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        raise PermissionDenied(code="payment_not_permitted")
    if not Dossier.objects.visible_to(actor).filter(pk=dossier.pk).exists():
        raise NotFound(_("Không tìm thấy hồ sơ."), code="dossier_not_found")


def check_may_refund(actor: Any, dossier: Dossier) -> None:
    """
    Raise unless ``actor`` is a staff member who handles this dossier's money:
    whoever may confirm its payments (the receiving centre, the competent
    agency's processing staff) may record a refund.
    """
    if isinstance(actor, SystemActor | ApplicantActor) or not may_act(
        actor, DossierAction.CONFIRM_PAYMENT, dossier
    ):
        raise PermissionDenied(
            _("Bạn không có quyền hoàn trả phí, lệ phí của hồ sơ này."),
            code="refund_not_permitted",
        )


def access_receipt(
    *, number: str, user: Any = None, secret: str | None = None
) -> Receipt:
    """
    Return the receipt ``number`` for a staff ``user`` who may see its
    dossier, or for whoever gives the dossier's lookup ``secret``.

    The error is the same for a missing receipt and a refused one, so that
    receipt numbers cannot be probed.
    """
    not_found = NotFound(_("Không tìm thấy biên lai."), code="receipt_not_found")
    receipt = (
        Receipt.objects.select_related("dossier", "agency", "transaction")
        .filter(number=number)
        .first()
    )
    if receipt is None:
        raise not_found
    if user is not None and getattr(user, "is_authenticated", False):
        try:
            access_dossier_for_staff(user, pk=receipt.dossier_id)
        except NotFound:
            pass
        else:
            return receipt
    if secret and receipt.dossier.code:
        try:
            access_dossier_for_citizen(code=receipt.dossier.code, secret=secret)
        except NotFound:
            raise not_found from None
        return receipt
    raise not_found
