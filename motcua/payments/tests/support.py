"""Helpers shared by the payments tests: dossiers in known states, signed callbacks, a browser."""

import re
import urllib.error
import urllib.request
from datetime import datetime
from http.cookiejar import CookieJar
from urllib.parse import urlencode, urljoin

from django.utils import timezone

import time_machine

from motcua.core.calendar import LOCAL_TZ
from motcua.dossiers.access import PORTAL
from motcua.dossiers.constants import DossierAction as A
from motcua.dossiers.services import dossier_apply_action, dossier_create
from motcua.payments import protocol, signing
from motcua.testing.province import all_components, applicant

MERCHANT = "MOTCUA-TEST"
SECRET = "test-payment-secret"


def at(*args) -> datetime:
    return datetime(*args, tzinfo=LOCAL_TZ)


def act(p, dossier, action, who, when, **data):
    with time_machine.travel(when, tick=False):
        return dossier_apply_action(
            dossier=dossier,
            action=action,
            actor=p.users[who] if isinstance(who, str) else who,
            data=data,
        )


def counter_residence(p, *, when=None, police=None, **applicant_overrides):
    """A residence dossier received at the counter of An Hòa (fee 20,000 due)."""
    version = p.procedures["residence"]
    with time_machine.travel(when or at(2026, 3, 2, 9, 0), tick=False):
        return dossier_create(
            procedure_version=version,
            channel="counter",
            receiving_centre=p.centre_a,
            competent_agency=police or p.police_a,
            applicant=applicant(**applicant_overrides),
            components=all_components(version),
            actor=p.users["reception_a"],
            receive=True,
        )


def online_residence(p, *, when=None, portal_id="G22.99-260302-0001"):
    """A residence dossier from the national portal, received (fee 10,000 due)."""
    version = p.procedures["residence"]
    when = when or at(2026, 3, 2, 9, 0)
    with time_machine.travel(when, tick=False):
        dossier = dossier_create(
            procedure_version=version,
            channel="online",
            receiving_centre=p.centre_a,
            competent_agency=p.police_a,
            applicant=applicant(),
            components=all_components(version, source="uploaded"),
            actor=PORTAL,
            portal_id=portal_id,
        )
        return dossier_apply_action(
            dossier=dossier, action=A.RECEIVE, actor=p.users["reception_a"]
        )


def awaiting_payment(p):
    """A counter residence dossier whose agency requested payment on Tue 03/03 09:00."""
    dossier = counter_residence(p)
    dossier = act(p, dossier, A.COMPLETE_STEP, "reception_a", at(2026, 3, 2, 10))
    return act(p, dossier, A.REQUEST_PAYMENT, "police_a", at(2026, 3, 3, 9, 0))


def callback_for(
    intent,
    *,
    transaction_id="900000000001",
    amount=None,
    code=protocol.RC_SUCCESS,
    secret=SECRET,
    when=None,
    **changes,
) -> dict[str, str]:
    """The signed callback the gateway would send for ``intent``."""
    params = {
        "merchant_id": MERCHANT,
        "order_ref": intent.reference,
        "amount": str(int(intent.amount) if amount is None else amount),
        "currency": "VND",
        "transaction_id": transaction_id,
        "response_code": code,
        "pay_date": protocol.format_time(when or timezone.now()),
        "bank_code": "TESTBANK",
        **changes,
    }
    return signing.signed(params, secret)


class Browser:
    """
    A payer's browser: follows redirects, keeps cookies (our CSRF cookie),
    submits forms, never uses a proxy.
    """

    def __init__(self) -> None:
        self.opener = urllib.request.build_opener(
            urllib.request.ProxyHandler({}),
            urllib.request.HTTPCookieProcessor(CookieJar()),
        )
        self.url = ""

    def _open(self, request) -> tuple[int, str]:
        try:
            with self.opener.open(request, timeout=10) as response:
                self.url = response.url
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            self.url = error.url
            return error.code, error.read().decode()

    def get(self, url: str) -> tuple[int, str]:
        return self._open(urllib.request.Request(url))  # noqa: S310

    def submit(self, page: str, button: str) -> tuple[int, str]:
        """Submit the page's form with the button whose value is ``button``."""
        form = re.search(
            r'<form method="post" action="([^"]+)">(.*?)</form>', page, re.S
        )
        assert form, page
        fields = dict(
            re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form[2])
        )
        buttons = re.findall(
            r'<button type="submit" name="([^"]+)" value="([^"]+)"', form[2]
        )
        name = next(n for n, v in buttons if v == button)
        fields[name] = button
        data = urlencode(fields).encode()
        return self._open(
            urllib.request.Request(  # noqa: S310 - loopback test servers
                urljoin(self.url, form[1]), data=data, method="POST"
            )
        )
