"""The portal simulator speaks the protocol our client expects, over real HTTP."""

import pytest
import time_machine

from motcua.core.http import json_request
from motcua.integrations.portal.client import HttpPortalClient, PortalError

from .conftest import CLIENT_ID, SECRET

pytestmark = pytest.mark.simulator


def token(portal):
    response = json_request(
        "POST",
        f"{portal.url}/token",
        form={
            "grant_type": "client_credentials",
            "client_id": CLIENT_ID,
            "client_secret": SECRET,
        },
    )
    assert response.status == 200
    return response.body["access_token"]


def update(portal, body, *, key="k-1", bearer=None):
    return json_request(
        "POST",
        f"{portal.url}/api/hoso/capnhat",
        payload=body,
        headers={
            "Authorization": f"Bearer {bearer or token(portal)}",
            "Idempotency-Key": key,
        },
    )


def test_a_token_is_needed_and_only_for_known_clients(portal):
    refused = json_request(
        "POST",
        f"{portal.url}/token",
        form={
            "grant_type": "client_credentials",
            "client_id": CLIENT_ID,
            "client_secret": "x",
        },
    )
    assert refused.status == 401
    assert (
        update(portal, {"MaHoSo": "A", "TrangThaiHoSo": 2}, bearer="nope").status == 401
    )


def test_updates_are_de_duplicated_on_the_idempotency_key(portal):
    body = {"MaHoSo": "A-1", "TrangThaiHoSo": 2}
    first = update(portal, body)
    again = update(portal, body)
    other_body = update(portal, {"MaHoSo": "A-1", "TrangThaiHoSo": 4})
    assert (first.status, first.body["duplicate"]) == (200, False)
    assert (again.status, again.body["duplicate"]) == (200, True)
    assert again.body["MaTiepNhan"] == first.body["MaTiepNhan"]
    assert other_body.status == 409
    assert len(portal.app.received) == 1


def test_a_record_is_found_by_our_code_or_by_the_portal_id(portal):
    update(
        portal, {"MaHoSo": "P-7", "MaHoSoCongDVCQG": "P-7", "TrangThaiHoSo": 1}, key="a"
    )
    update(
        portal,
        {"MaHoSo": "X-0001", "MaHoSoCongDVCQG": "P-7", "TrangThaiHoSo": 2},
        key="b",
    )
    client = HttpPortalClient(base_url=portal.url, client_id=CLIENT_ID, secret=SECRET)
    assert client.fetch("X-0001")["TrangThaiHoSo"] == 2
    assert client.fetch("P-7")["TrangThaiHoSo"] == 2
    assert client.fetch("nothing") is None
    assert set(portal.app.records) == {"X-0001"}


def test_an_expired_token_is_renewed_by_the_client(portal):
    portal.app.token_ttl = 60
    client = HttpPortalClient(base_url=portal.url, client_id=CLIENT_ID, secret=SECRET)
    with time_machine.travel("2026-03-02 09:00 +07:00", tick=False) as traveller:
        client.push({"MaHoSo": "T-1", "TrangThaiHoSo": 2}, idempotency_key="t1")
        issued = set(portal.app.tokens)
        traveller.shift(3600)
        client.push({"MaHoSo": "T-1", "TrangThaiHoSo": 4}, idempotency_key="t2")
    assert len(portal.app.tokens) == len(issued) + 1


def test_a_failing_portal_answers_the_status_it_was_told(portal):
    client = HttpPortalClient(base_url=portal.url, client_id=CLIENT_ID, secret=SECRET)
    client.push({"MaHoSo": "F-1", "TrangThaiHoSo": 2}, idempotency_key="f0")
    json_request(
        "POST", f"{portal.url}/_control/fail", payload={"requests": 1, "status": 429}
    )
    with pytest.raises(PortalError) as caught:
        client.push({"MaHoSo": "F-1", "TrangThaiHoSo": 4}, idempotency_key="f1")
    assert caught.value.retryable and "429" in str(caught.value)
    json_request(
        "POST", f"{portal.url}/_control/fail", payload={"requests": 1, "status": 400}
    )
    with pytest.raises(PortalError) as caught:
        client.push({"MaHoSo": "F-1", "TrangThaiHoSo": 4}, idempotency_key="f1")
    assert not caught.value.retryable


def test_nothing_listens_means_a_retryable_error():
    client = HttpPortalClient(base_url="http://127.0.0.1:9", client_id="a", secret="b")
    with pytest.raises(PortalError) as caught:
        client.push({"MaHoSo": "N", "TrangThaiHoSo": 1}, idempotency_key="n")
    assert caught.value.retryable and "unreachable" in str(caught.value)
