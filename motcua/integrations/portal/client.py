"""
Clients of the National Public Service Portal (NPSP), as plugins.

The "http" client speaks the protocol the simulator (``motcua
portal-simulator``) implements, modelled on the portal's published pattern
(token first, then the update calls):

- ``POST {PORTAL_BASE_URL}/token`` with ``grant_type=client_credentials``,
  ``client_id`` and ``client_secret`` → ``{"access_token", "expires_in"}``;
- ``POST /api/hoso/capnhat`` with ``Authorization: Bearer …`` and the header
  ``Idempotency-Key``; the body is the dossier payload. ``200 {"duplicate":
  true}`` means the portal already had this key: a success for us;
- ``GET /api/hoso/{MaHoSo}`` → the portal's current record (404 if none).
"""

import threading
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from django.conf import settings

from motcua.core.http import HttpResponse, TransportError, json_request
from motcua.core.registry import Registry


class PortalError(Exception):
    """The portal did not take the update; ``retryable`` if it may later."""

    def __init__(self, message: str, *, retryable: bool = True) -> None:
        super().__init__(message)
        self.retryable = retryable


@dataclass(frozen=True)
class PushResult:
    duplicate: bool = False
    response: dict[str, Any] = field(default_factory=dict)


class PortalClient:
    """Interface of a portal connector."""

    is_demo = False

    @property
    def configured(self) -> bool:
        return True

    def push(self, payload: dict[str, Any], *, idempotency_key: str) -> PushResult:
        """Deliver one update; raise PortalError when it was not taken."""
        raise NotImplementedError

    def fetch(self, portal_code: str) -> dict[str, Any] | None:
        """Return the portal's record of a dossier, or None if it has none."""
        raise NotImplementedError


portal_clients: Registry[PortalClient] = Registry("portal client")

# Statuses worth another attempt: the portal is busy, down or rate-limiting.
RETRYABLE_STATUSES = {408, 425, 429, 500, 502, 503, 504}

_tokens: dict[tuple[str, str], tuple[str, float]] = {}
_tokens_lock = threading.Lock()


@portal_clients.register("http")
class HttpPortalClient(PortalClient):
    """The real connector: base URL and client credentials from the environment."""

    def __init__(
        self,
        *,
        base_url: str | None = None,
        client_id: str | None = None,
        secret: str | None = None,
        timeout: float | None = None,
    ) -> None:
        self.base_url = (
            base_url if base_url is not None else settings.PORTAL_BASE_URL
        ).rstrip("/")
        self.client_id = (
            client_id if client_id is not None else settings.PORTAL_CLIENT_ID
        )
        self.secret = secret if secret is not None else settings.PORTAL_SECRET
        self.timeout = timeout or settings.PORTAL_TIMEOUT

    @property
    def configured(self) -> bool:
        return bool(self.base_url)

    # -- token ----------------------------------------------------------
    def _token(self, *, renew: bool = False) -> str:
        cache_key = (self.base_url, self.client_id)
        with _tokens_lock:
            cached = _tokens.get(cache_key)
            if cached and not renew and cached[1] > time.time():
                return cached[0]
        try:
            response = json_request(
                "POST",
                f"{self.base_url}/token",
                form={
                    "grant_type": "client_credentials",
                    "client_id": self.client_id,
                    "client_secret": self.secret,
                },
                timeout=self.timeout,
            )
        except TransportError as error:
            raise PortalError(f"Token endpoint unreachable: {error}") from error
        body = response.body if isinstance(response.body, dict) else {}
        if not response.ok or not body.get("access_token"):
            raise PortalError(
                f"Token refused ({response.status}): {response.body}",
                retryable=response.status in RETRYABLE_STATUSES,
            )
        # Renew a little early so a token does not expire in flight.
        lifetime = max(30, int(body.get("expires_in", 300)) - 30)
        with _tokens_lock:
            _tokens[cache_key] = (body["access_token"], time.time() + lifetime)
        return body["access_token"]

    def _call(
        self,
        method: str,
        path: str,
        *,
        payload: Any = None,
        headers: dict[str, str] | None = None,
    ) -> HttpResponse:
        """Call the API with the bearer token, renewing it once on a 401."""
        if not self.configured:
            raise PortalError("PORTAL_BASE_URL is not set.", retryable=False)
        for renew in (False, True):
            token = self._token(renew=renew)
            try:
                response = json_request(
                    method,
                    f"{self.base_url}{path}",
                    payload=payload,
                    headers={"Authorization": f"Bearer {token}", **(headers or {})},
                    timeout=self.timeout,
                )
            except TransportError as error:
                raise PortalError(f"Portal unreachable: {error}") from error
            if response.status != 401:
                return response
        return response

    # -- API ------------------------------------------------------------
    def push(self, payload: dict[str, Any], *, idempotency_key: str) -> PushResult:
        response = self._call(
            "POST",
            "/api/hoso/capnhat",
            payload=payload,
            headers={"Idempotency-Key": idempotency_key},
        )
        body = response.body if isinstance(response.body, dict) else {}
        if not response.ok:
            raise PortalError(
                f"Portal answered {response.status}: {response.body}",
                retryable=response.status in RETRYABLE_STATUSES,
            )
        return PushResult(duplicate=bool(body.get("duplicate", False)), response=body)

    def fetch(self, portal_code: str) -> dict[str, Any] | None:
        response = self._call("GET", f"/api/hoso/{quote(portal_code, safe='')}")
        if response.status == 404:
            return None
        if not response.ok or not isinstance(response.body, dict):
            raise PortalError(
                f"Portal answered {response.status}: {response.body}",
                retryable=response.status in RETRYABLE_STATUSES,
            )
        return response.body


def get_portal_client() -> PortalClient:
    """Return the configured client (settings.PORTAL_CLIENT, "http" by default)."""
    return portal_clients.get(settings.PORTAL_CLIENT)
