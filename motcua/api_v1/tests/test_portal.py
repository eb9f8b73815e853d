"""The national portal's connector: online dossiers in, supplements, withdrawals."""

import pytest

from motcua.dossiers.models import Dossier

from .conftest import at, counter_body, portal_body

pytestmark = pytest.mark.django_db


def test_an_online_dossier_arrives_once_and_a_repeat_returns_it_with_200(
    province, portal, monday
):
    first = portal.post("/dossiers", portal_body(province))
    assert first.status_code == 201
    body = first.json()
    assert body["status"] == "submitted" and body["code"] is None
    assert body["channel"] == "online"
    assert body["portal_id"] == "G22.99-260302-000123"
    # Decree 118 Art.17(2): 8 working hours to accept it.
    assert body["acceptance_due_at"] == "2026-03-03T09:00:00+07:00"

    again = portal.post("/dossiers", portal_body(province, summary="changed"))
    assert again.status_code == 200
    assert again.json()["id"] == body["id"]
    assert Dossier.objects.count() == 1
    assert Dossier.objects.get().summary != "changed"


def test_the_portal_may_not_receive_nor_file_counter_dossiers(province, portal, monday):
    receive = portal.post("/dossiers", portal_body(province, receive=True))
    assert receive.status_code == 422
    assert receive.json()["code"] == "portal_cannot_receive"
    counter = portal.post("/dossiers", portal_body(province, channel="counter"))
    assert counter.status_code == 403
    without_id = portal.post("/dossiers", portal_body(province, portal_id=None))
    assert without_id.status_code == 422
    assert without_id.json()["code"] == "portal_id_required"
    assert not Dossier.objects.exists()


def test_staff_may_not_send_the_portals_fields(province, api_as, monday):
    api = api_as("reception_a")
    for field, value in (
        ("portal_id", "G22.99-1"),
        ("submitted_at", "2026-03-01T10:00"),
    ):
        response = api.post("/dossiers", counter_body(province, **{field: value}))
        assert response.status_code == 422
        assert response.json()["code"] == f"{field}_portal_only"


def test_the_portal_reads_only_its_own_dossiers(province, portal, api_as, monday):
    online = portal.post("/dossiers", portal_body(province)).json()
    counter = api_as("reception_a").post("/dossiers", counter_body(province)).json()
    seen = portal.get(f"/dossiers/{online['id']}")
    assert seen.status_code == 200
    assert seen.json()["allowed_actions"] == ["request_withdrawal"]
    for ref in (counter["id"], counter["code"]):
        assert portal.get(f"/dossiers/{ref}").status_code == 404


def test_the_portal_sees_only_public_events(province, portal, api_as, monday):
    online = portal.post("/dossiers", portal_body(province)).json()
    api_as("reception_a").act(online["id"], "receive")
    body = portal.get(f"/dossiers/{online['id']}").json()
    assert body["code"] is not None
    assert [e["action"] for e in body["events"]] == ["submit_online", "receive"]


def test_a_reception_supplement_goes_back_and_forth_through_the_portal(
    province, portal, api_as, monday
):
    online = portal.post("/dossiers", portal_body(province)).json()
    reception = api_as("reception_a")
    asked = reception.act(
        online["id"],
        "request_supplement",
        data={
            "reason": "Thiếu giấy tờ chứng minh chỗ ở",
            "items": [{"name": "Hợp đồng thuê nhà"}],
        },
    )
    assert asked.status_code == 200 and asked.json()["status"] == "needs_supplement"
    assert portal.get(f"/dossiers/{online['id']}").json()["allowed_actions"] == [
        "supplement",
        "request_withdrawal",
    ]

    monday.move_to(at(2026, 3, 3, 9))
    supplied = portal.act(online["id"], "supplement", note="Đã bổ sung")
    assert supplied.status_code == 200
    assert supplied.json()["status"] == "submitted"
    assert supplied.json()["events"][-1]["actor"] == "Cổng Dịch vụ công quốc gia"


def test_the_portal_asks_for_withdrawal_but_may_do_nothing_else(
    province, portal, api_as, monday
):
    online = portal.post("/dossiers", portal_body(province)).json()
    api_as("reception_a").act(online["id"], "receive")
    refused = portal.act(online["id"], "complete_step")
    assert refused.status_code == 403
    assert refused.json()["code"] == "portal_not_allowed"
    assert refused.json()["extra"]["allowed_actions"] == ["request_withdrawal"]
    asked = portal.act(online["id"], "request_withdrawal", note="Công dân rút")
    assert asked.status_code == 200
    assert asked.json()["status"] == "withdrawal_requested"
