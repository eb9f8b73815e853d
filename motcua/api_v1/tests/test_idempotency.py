"""Idempotency-Key: a retried POST creates nothing new and answers the same."""

import threading

from django.db import connection, connections

import pytest
import time_machine

from motcua.accounts.services import api_token_create
from motcua.core.models import IdempotencyRecord
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.testing.province import build_small_province

from .conftest import MONDAY, Api, counter_body, portal_body

KEY = {"Idempotency-Key": "8c1f6d0e-receipt-1"}


@pytest.mark.django_db
class TestSequential:
    def test_a_retry_returns_the_stored_answer_and_creates_nothing(
        self, province, api_as, monday
    ):
        api = api_as("reception_a")
        first = api.post("/dossiers", counter_body(province), headers=KEY)
        again = api.post("/dossiers", counter_body(province), headers=KEY)
        assert first.status_code == again.status_code == 201
        assert again.content == first.content
        assert again["Idempotent-Replayed"] == "true"
        assert not first.has_header("Idempotent-Replayed")
        assert Dossier.objects.count() == 1
        record = IdempotencyRecord.objects.get()
        assert record.scope == f"user:{province.users['reception_a'].pk}"
        assert record.status_code == 201 and record.response == first.content.decode()

    def test_the_same_key_with_another_body_is_409(self, province, api_as, monday):
        api = api_as("reception_a")
        api.post("/dossiers", counter_body(province), headers=KEY)
        other = api.post(
            "/dossiers", counter_body(province, summary="another"), headers=KEY
        )
        assert other.status_code == 409
        assert other.json()["code"] == "idempotency_key_reused"
        assert Dossier.objects.count() == 1

    def test_the_same_key_on_another_endpoint_is_a_reuse_not_a_replay(
        self, province, api_as, monday
    ):
        api = api_as("reception_a")
        code = api.post("/dossiers", counter_body(province), headers=KEY).json()["code"]
        response = api.post(
            f"/dossiers/{code}/actions", {"action": "complete_step"}, headers=KEY
        )
        assert response.status_code == 409
        assert response.json()["code"] == "idempotency_key_reused"

    def test_keys_belong_to_their_caller(self, province, api_as, monday):
        first = api_as("reception_a").post(
            "/dossiers", counter_body(province), headers=KEY
        )
        second = api_as("centre_head_a").post(
            "/dossiers", counter_body(province), headers=KEY
        )
        assert first.status_code == second.status_code == 201
        assert first.json()["code"] != second.json()["code"]

    def test_one_person_shares_keys_across_their_tokens_and_session(
        self, province, api_as, monday
    ):
        user = province.users["reception_a"]
        _, other_raw = api_token_create(user, "second device")
        first = api_as("reception_a").post(
            "/dossiers", counter_body(province), headers=KEY
        )
        again = Api(other_raw).post("/dossiers", counter_body(province), headers=KEY)
        assert again.content == first.content
        assert Dossier.objects.count() == 1

    def test_a_refused_request_is_not_stored_so_the_corrected_one_may_reuse_the_key(
        self, province, api_as, monday
    ):
        api = api_as("reception_a")
        refused = api.post(
            "/dossiers", counter_body(province, components=[]), headers=KEY
        )
        assert refused.status_code == 422
        assert not IdempotencyRecord.objects.exists()
        accepted = api.post("/dossiers", counter_body(province), headers=KEY)
        assert accepted.status_code == 201

    def test_a_retried_action_is_applied_once(self, province, api_as, monday):
        api = api_as("reception_a")
        code = api.post("/dossiers", counter_body(province)).json()["code"]
        body = {"action": "complete_step", "note": "Chuyển công an"}
        key = {"Idempotency-Key": "complete-1"}
        first = api.post(f"/dossiers/{code}/actions", body, headers=key)
        again = api.post(f"/dossiers/{code}/actions", body, headers=key)
        assert first.status_code == again.status_code == 200
        assert again.content == first.content
        assert DossierEvent.objects.filter(action="complete_step").count() == 1
        # Without the key the same request is a new one, refused by the rules.
        fresh = api.post(f"/dossiers/{code}/actions", body)
        assert fresh.status_code == 403

    def test_the_portal_retries_with_a_key_or_on_its_portal_id(
        self, province, portal, monday
    ):
        first = portal.post("/dossiers", portal_body(province), headers=KEY)
        replay = portal.post("/dossiers", portal_body(province), headers=KEY)
        fresh_key = portal.post(
            "/dossiers", portal_body(province), headers={"Idempotency-Key": "other"}
        )
        assert (first.status_code, replay.status_code, fresh_key.status_code) == (
            201,
            201,
            200,
        )
        assert fresh_key.json()["id"] == first.json()["id"]
        assert Dossier.objects.count() == 1


# --- two requests at the same instant: needs a server that runs them at once --


concurrent = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serialises writers; the race needs PostgreSQL",
)


def _at_once(count, send):
    barrier = threading.Barrier(count)
    results = [None] * count

    def worker(index):
        try:
            barrier.wait()
            with time_machine.travel(MONDAY, tick=False):
                results[index] = send(index)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@concurrent
@pytest.mark.django_db(transaction=True)
def test_two_identical_requests_at_once_create_one_dossier():
    p = build_small_province()
    _, raw = api_token_create(p.users["reception_a"], "test")
    body = counter_body(p)
    results = _at_once(4, lambda i: Api(raw).post("/dossiers", body, headers=KEY))
    assert [r.status_code for r in results] == [201] * 4
    assert len({r.content for r in results}) == 1
    assert sum(r.has_header("Idempotent-Replayed") for r in results) == 3
    assert Dossier.objects.count() == 1
    assert IdempotencyRecord.objects.count() == 1


@concurrent
@pytest.mark.django_db(transaction=True)
def test_one_portal_dossier_delivered_twice_at_once_is_created_once():
    p = build_small_province()
    user = p.users["reception_a"].__class__.objects.create_user(username="cong-dvc")
    _, raw = api_token_create(user, "portal", is_portal=True)
    body = portal_body(p)
    results = _at_once(4, lambda i: Api(raw).post("/dossiers", body))
    assert sorted(r.status_code for r in results) == [200, 200, 200, 201]
    assert len({r.json()["id"] for r in results}) == 1
    assert Dossier.objects.count() == 1


@concurrent
@pytest.mark.django_db(transaction=True)
def test_two_identical_actions_at_once_apply_once():
    p = build_small_province()
    _, raw = api_token_create(p.users["reception_a"], "test")
    with time_machine.travel(MONDAY, tick=False):
        code = Api(raw).post("/dossiers", counter_body(p)).json()["code"]
    body = {"action": "complete_step"}
    results = _at_once(
        3,
        lambda i: Api(raw).post(
            f"/dossiers/{code}/actions", body, headers={"Idempotency-Key": "c-1"}
        ),
    )
    assert [r.status_code for r in results] == [200] * 3
    assert len({r.content for r in results}) == 1
    assert DossierEvent.objects.filter(action="complete_step").count() == 1
