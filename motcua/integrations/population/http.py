"""
The "http" population source: the population database's REST interface
(through the data coordination platform), configured by POPULATION_API_URL,
POPULATION_API_KEY and POPULATION_TIMEOUT.

``GET {url}/api/v1/citizens/{id_number}`` with the header ``X-API-Key``
answers 200 with the person (``synthetic.Resident.as_json``), 404 when there
is no such person. ``motcua population-simulator`` serves the same interface.
"""

import json
import logging
import socket
import urllib.error
import urllib.request
from datetime import date
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .base import (
    BasePopulationSource,
    PersonRecord,
    PopulationAccessDenied,
    PopulationNotConfigured,
    PopulationTimeout,
    PopulationUnavailable,
)
from .registry import register

logger = logging.getLogger(__name__)

_LOOPBACK = ("127.0.0.1", "localhost", "::1")


def _is_timeout(error: BaseException) -> bool:
    reason = getattr(error, "reason", error)
    return isinstance(reason, TimeoutError | socket.timeout)


@register("http")
class HttpPopulationSource(BasePopulationSource):
    verbose_name = _("CSDL quốc gia về dân cư (HTTP)")

    def __init__(
        self,
        *,
        url: str | None = None,
        api_key: str | None = None,
        timeout: float | None = None,
    ) -> None:
        self.url = (url or settings.POPULATION_API_URL).rstrip("/")
        self.api_key = api_key if api_key is not None else settings.POPULATION_API_KEY
        self.timeout = timeout or settings.POPULATION_TIMEOUT

    def _get(self, path: str) -> tuple[int, bytes]:
        request = urllib.request.Request(  # noqa: S310 - configured http(s) URL
            f"{self.url}{path}",
            headers={"X-API-Key": self.api_key, "Accept": "application/json"},
        )
        handlers = []
        if urlsplit(self.url).hostname in _LOOPBACK:
            # The simulator on loopback never goes through an environment proxy.
            handlers.append(urllib.request.ProxyHandler({}))
        opener = urllib.request.build_opener(*handlers)
        host = urlsplit(self.url).netloc
        try:
            with opener.open(request, timeout=self.timeout) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()
        except (urllib.error.URLError, OSError) as error:
            logger.warning("Population database %s unreachable: %s", host, error)
            if _is_timeout(error):
                raise PopulationTimeout(extra={"host": host}) from None
            raise PopulationUnavailable(extra={"host": host}) from None

    def lookup(self, id_number: str) -> PersonRecord | None:
        if not self.url or not self.api_key:
            raise PopulationNotConfigured(
                extra={"settings": "POPULATION_API_URL, POPULATION_API_KEY"}
            )
        status, body = self._get(f"/api/v1/citizens/{quote(id_number)}")
        if status == 404:
            return None
        if status in (401, 403):
            raise PopulationAccessDenied(extra={"status": status})
        if status != 200:
            raise PopulationUnavailable(extra={"status": status})
        try:
            data = json.loads(body)
            address = data["permanent_address"]
            household = data.get("household") or {}
            return PersonRecord(
                id_number=str(data["id_number"]),
                full_name=str(data["full_name"]),
                gender=str(data["gender"]),
                birth_date=date.fromisoformat(data["birth_date"]),
                permanent_address=str(address["text"]),
                commune_code=str(address.get("commune_code", "")),
                household_id=str(household.get("id", "")),
                household_head_id_number=str(household.get("head_id_number", "")),
                household_head_name=str(household.get("head_name", "")),
                relation_to_head=str(household.get("relation_to_head", "")),
            )
        except (ValueError, KeyError, TypeError):
            raise PopulationUnavailable(code="population_answer_invalid") from None
