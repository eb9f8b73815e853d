"""
Who is calling the API: an API token (``Authorization: Bearer <token>``) or
the web UI's Django session.

A session is the staff member who logged in; CSRF is enforced on its unsafe
methods (the token cannot be sent by another site, the session cookie can).
A token is its user, except a portal token (``ApiToken.is_portal``), which
acts as the National Public Service Portal (``PORTAL``) and is confined to
online dossiers (see ``require_staff`` and the dossier endpoints).
"""

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from motcua.accounts.models import ApiToken, User
from motcua.accounts.services import api_token_lookup
from motcua.dossiers.access import PORTAL

from .errors import CsrfFailed, NotAuthenticated, PortalNotAllowed

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


@dataclass(frozen=True, slots=True)
class Caller:
    """The authenticated caller of one request (``request.auth``)."""

    user: User
    token: ApiToken | None = None

    @property
    def is_portal(self) -> bool:
        return self.token is not None and self.token.is_portal

    @property
    def actor(self) -> Any:
        """The actor handed to the services: the user, or PORTAL."""
        return PORTAL if self.is_portal else self.user

    @property
    def identity(self) -> str:
        """
        A stable name for the caller, the scope of its idempotency keys: the
        person (whichever of their tokens or their session), or the portal
        connector acting through a service account.
        """
        kind = "portal" if self.is_portal else "user"
        return f"{kind}:{self.user.pk}"


class BearerToken(HttpBearer):
    """``Authorization: Bearer <token>``, checked by the accounts service."""

    def authenticate(self, request: HttpRequest, token: str) -> Caller | None:
        found = api_token_lookup(token.strip())
        if found is None:
            # A token was presented and is wrong: say so rather than fall
            # back to the session, so a client learns its token is dead.
            raise NotAuthenticated(
                _("Khóa API không hợp lệ, đã hết hạn hoặc đã bị thu hồi.")
            )
        return Caller(user=found.user, token=found)


class SessionAuth(APIKeyCookie):
    """The web UI's session; CSRF checked on unsafe methods only."""

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self) -> None:
        # ``csrf`` tells ninja's docs page to send the CSRF header; the check
        # itself is done below, after authentication, so that a request with
        # no session at all gets 401 rather than a CSRF failure.
        super().__init__(csrf=True)

    def __call__(self, request: HttpRequest) -> Caller | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.is_active:
            return None
        if request.method not in SAFE_METHODS and check_csrf(request) is not None:
            raise CsrfFailed
        return Caller(user=user)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        raise NotImplementedError  # __call__ does the work


def require_staff(request: HttpRequest) -> Caller:
    """Return the caller, or raise PortalNotAllowed for a portal token."""
    caller: Caller = request.auth  # type: ignore[attr-defined]
    if caller.is_portal:
        raise PortalNotAllowed
    return caller
