"""Who may call the API, and how a refusal looks."""

from datetime import timedelta

from django.test import Client
from django.utils import timezone

import pytest

from motcua.accounts.services import api_token_create, api_token_revoke

from .conftest import Api, counter_body

pytestmark = pytest.mark.django_db

ENDPOINTS = [
    ("get", "/dossiers"),
    ("post", "/dossiers"),
    ("get", "/dossiers/1"),
    ("post", "/dossiers/1/actions"),
    ("get", "/dossiers/1/forms/01.pdf"),
    ("get", "/inbox"),
    ("get", "/procedures"),
    ("get", "/procedures/1.004222"),
    ("get", "/agencies"),
    ("get", "/units"),
]


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_every_endpoint_refuses_an_anonymous_caller_with_401(province, method, path):
    response = getattr(Api(), method)(path)
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    "header", ["Bearer mc_not-a-real-token", "Bearer ", "Bearer " + "x" * 5000]
)
def test_a_wrong_token_is_401_and_not_a_fallback_to_anything(province, header):
    response = Client().get("/api/v1/dossiers", headers={"Authorization": header})
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_revoked_and_expired_tokens_no_longer_work(province):
    user = province.users["reception_a"]
    revoked, raw_revoked = api_token_create(user, "old")
    api_token_revoke(revoked)
    expiring, raw_expiring = api_token_create(
        user, "short", expires_at=timezone.now() + timedelta(minutes=1)
    )
    assert Api(raw_revoked).get("/dossiers").status_code == 401
    assert Api(raw_expiring).get("/dossiers").status_code == 200
    expiring.expires_at = timezone.now() - timedelta(seconds=1)
    expiring.save()
    assert Api(raw_expiring).get("/dossiers").status_code == 401


def test_the_web_session_works_and_must_send_csrf_for_unsafe_methods(province, monday):
    client = Client(enforce_csrf_checks=True)
    client.force_login(province.users["reception_a"])
    session = Api(client=client)
    assert session.get("/dossiers").status_code == 200

    refused = session.post("/dossiers", counter_body(province))
    assert refused.status_code == 403
    assert refused.json()["code"] == "csrf_failed"

    client.get("/api/v1/docs")  # any page that sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    accepted = session.post(
        "/dossiers", counter_body(province), headers={"X-CSRFToken": token}
    )
    assert accepted.status_code == 201


def test_an_unsafe_request_without_any_credentials_is_401_not_a_csrf_error(province):
    response = Api(client=Client(enforce_csrf_checks=True)).post("/dossiers", {})
    assert response.status_code == 401


def test_a_token_needs_no_csrf(province, api_as, monday):
    api = api_as("reception_a")
    api.client = Client(enforce_csrf_checks=True)
    assert api.post("/dossiers", counter_body(province)).status_code == 201


def test_messages_are_vietnamese_by_default_and_english_on_request(province):
    default = Api().get("/dossiers").json()["message"]
    english = (
        Api().get("/dossiers", headers={"Accept-Language": "en"}).json()["message"]
    )
    assert "khóa API" in default
    assert english.startswith("Authentication required")


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/dossiers"),
        ("get", "/inbox"),
        ("get", "/dossiers/1/forms/01.pdf"),
    ],
)
def test_the_portal_token_may_not_use_staff_endpoints(portal, method, path):
    response = getattr(portal, method)(path)
    assert response.status_code == 403
    assert response.json()["code"] == "portal_not_allowed"


def test_catalog_reads_are_open_to_every_authenticated_caller(portal, api_as):
    assert portal.get("/procedures").status_code == 200
    assert api_as("supervisor").get("/agencies").status_code == 200
