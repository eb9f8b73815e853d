"""
The API through HTTP: django's test Client with Bearer tokens made by the
accounts service, on the small test province.
"""

import json
from datetime import datetime
from typing import Any

from django.test import Client

import pytest
import time_machine

from motcua.accounts.models import User
from motcua.accounts.services import api_token_create
from motcua.core.calendar import LOCAL_TZ
from motcua.testing.province import all_components, applicant, build_small_province

# Monday 2 March 2026, 09:00 in Vietnam: a plain working morning.
MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=LOCAL_TZ)


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=LOCAL_TZ)


class Api:
    """A client of /api/v1 with one caller's credentials."""

    def __init__(self, raw_token: str | None = None, client: Client | None = None):
        self.client = client or Client()
        self.raw_token = raw_token

    def _headers(self, headers: dict[str, str] | None) -> dict[str, str]:
        result = {}
        if self.raw_token:
            result["Authorization"] = f"Bearer {self.raw_token}"
        result.update(headers or {})
        return result

    def get(
        self,
        path: str,
        params: dict[str, Any] | None = None,
        *,
        headers: dict[str, str] | None = None,
    ):
        return self.client.get(
            f"/api/v1{path}", params or {}, headers=self._headers(headers)
        )

    def post(
        self,
        path: str,
        body: Any = None,
        *,
        raw: str | bytes | None = None,
        headers: dict[str, str] | None = None,
    ):
        data = raw if raw is not None else ("" if body is None else json.dumps(body))
        return self.client.post(
            f"/api/v1{path}",
            data=data,
            content_type="application/json",
            headers=self._headers(headers),
        )

    def act(self, ref: str | int, action: str, **kwargs: Any):
        body = {"action": action, **kwargs}
        return self.post(f"/dossiers/{ref}/actions", body)


@pytest.fixture
def province(db):
    return build_small_province()


@pytest.fixture
def monday():
    with time_machine.travel(MONDAY, tick=False) as traveller:
        yield traveller


@pytest.fixture
def api_as(province):
    """Return an Api for the test province's user called ``name``."""
    clients: dict[str, Api] = {}

    def make(name: str) -> Api:
        if name not in clients:
            _, raw = api_token_create(province.users[name], "test")
            clients[name] = Api(raw)
        return clients[name]

    return make


@pytest.fixture
def portal(province):
    """An Api with the national portal connector's token."""
    user = User.objects.create_user(username="cong-dvc", full_name="Cổng DVC")
    _, raw = api_token_create(user, "portal", is_portal=True)
    return Api(raw)


def counter_body(p, **overrides: Any) -> dict[str, Any]:
    """A permanent-residence dossier at An Hòa's centre, as the counter sends it."""
    version = p.procedures["residence"]
    body = {
        "procedure": "1.004222",
        "competent_agency": p.police_a.pk,
        "applicant": applicant(),
        "components": all_components(version),
    }
    body.update(overrides)
    return body


def portal_body(p, portal_id: str = "G22.99-260302-000123", **overrides: Any):
    version = p.procedures["residence"]
    body = {
        "procedure": "1.004222",
        "channel": "online",
        "receiving_centre": "001.01.01.H99",
        "competent_agency": "001.02.00.H99",
        "applicant": applicant(),
        "components": all_components(version, "uploaded"),
        "portal_id": portal_id,
        "return_method": "online",
    }
    body.update(overrides)
    return body
