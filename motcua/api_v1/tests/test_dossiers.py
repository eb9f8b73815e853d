"""Dossiers through HTTP: reception, reads, scope, the work queue and actions."""

import pytest
import time_machine

from motcua.audit.models import DataAccessLog
from motcua.dossiers.models import Dossier, DossierEvent

from .conftest import at, counter_body

pytestmark = pytest.mark.django_db


def receive(api, p, **overrides):
    response = api.post("/dossiers", counter_body(p, **overrides))
    assert response.status_code == 201, response.json()
    return response.json()


class TestReception:
    def test_the_counter_receives_at_once_and_answers_what_the_receipt_prints(
        self, province, api_as, monday
    ):
        body = receive(api_as("reception_a"), province)
        assert body["code"] == "001.01.01.H99-260302-0001"
        assert body["status"] == "received"
        assert body["received_at"] == "2026-03-02T09:00:00+07:00"
        # 7 working days of 8 hours from Monday 09:00 (see the services' tests).
        assert body["due_at"] == "2026-03-11T09:00:00+07:00"
        assert len(body["lookup_secret"]) == 8
        # The officer works at one centre: it is the default receiving centre.
        assert body["receiving_centre"]["id"] == province.centre_a.pk
        assert body["channel"] == "counter"

    def test_agencies_may_be_named_by_their_electronic_code(
        self, province, api_as, monday
    ):
        body = receive(
            api_as("reception_a"),
            province,
            receiving_centre="001.01.01.H99",
            competent_agency="001.02.00.H99",
        )
        assert body["competent_agency"]["id"] == province.police_a.pk

    def test_without_receive_the_dossier_waits_uncoded_and_is_addressed_by_id(
        self, province, api_as, monday
    ):
        api = api_as("reception_a")
        body = receive(api, province, receive=False)
        assert body["code"] is None and body["status"] == "submitted"
        assert "receive" in body["allowed_actions"]
        detail = api.get(f"/dossiers/{body['id']}")
        assert detail.status_code == 200 and detail.json()["id"] == body["id"]
        received = api.act(body["id"], "receive")
        assert received.status_code == 200
        assert received.json()["code"] == "001.01.01.H99-260302-0001"

    def test_an_officer_with_no_centre_must_name_one_and_may_not_receive_elsewhere(
        self, province, api_as, monday
    ):
        leader = api_as("leader_a")
        missing = leader.post("/dossiers", counter_body(province))
        assert missing.status_code == 422
        assert missing.json()["code"] == "receiving_centre_required"
        elsewhere = api_as("reception_b").post(
            "/dossiers", counter_body(province, receiving_centre=province.centre_a.pk)
        )
        assert elsewhere.status_code == 403
        assert not Dossier.objects.exists()

    def test_a_service_refusal_keeps_its_code_and_writes_nothing(
        self, province, api_as, monday
    ):
        response = api_as("reception_a").post(
            "/dossiers", counter_body(province, components=[])
        )
        assert response.status_code == 422
        assert response.json()["code"] == "components_missing"
        assert response.json()["extra"]["missing"]
        assert not Dossier.objects.exists() and not DossierEvent.objects.exists()

    def test_staff_may_not_create_online_dossiers(self, province, api_as, monday):
        response = api_as("reception_a").post(
            "/dossiers", counter_body(province, channel="online")
        )
        assert response.status_code == 403
        assert response.json()["code"] == "online_only_via_portal"


class TestDetail:
    def test_the_detail_has_events_steps_with_due_times_components_fees_and_actions(
        self, province, api_as, monday
    ):
        api = api_as("reception_a")
        code = receive(api, province)["code"]
        monday.move_to(at(2026, 3, 2, 10))
        api.act(code, "complete_step")

        body = api.get(f"/dossiers/{code}").json()
        assert [e["action"] for e in body["events"]] == [
            "submit",
            "receive",
            "complete_step",
        ]
        steps = body["steps"]
        assert [s["status"] for s in steps] == ["done", "active", "pending", "pending"]
        assert steps[0]["due_at"] == "2026-03-02T15:00:00+07:00"
        assert steps[1]["due_at"] is not None and steps[1]["agency"]["name"] == (
            "Công an xã An Hòa"
        )
        assert body["handovers"][0]["kind"] == "forward"
        assert body["handovers"][0]["to_agency"]["id"] == province.police_a.pk
        assert len(body["components"]) == 2
        assert [(f["amount"], f["status"]) for f in body["fees"]] == [(20000, "due")]
        assert body["applicant"]["name"] == "Nguyễn Văn An"
        # The step is now the police's: the centre can no longer complete it.
        assert "complete_step" not in body["allowed_actions"]
        assert (
            "complete_step"
            in (api_as("police_a").get(f"/dossiers/{code}").json()["allowed_actions"])
        )

    def test_a_staff_read_of_the_detail_is_logged_as_a_personal_data_access(
        self, province, api_as, monday
    ):
        api = api_as("reception_a")
        code = receive(api, province)["code"]
        api.get(f"/dossiers/{code}")
        log = DataAccessLog.objects.get()
        assert log.actor == province.users["reception_a"]
        assert log.dossier_code == code and log.subject_id_number == "001099012345"

    def test_the_detail_takes_a_bounded_number_of_queries(
        self, province, api_as, monday, django_assert_max_num_queries
    ):
        api = api_as("reception_a")
        code = receive(api, province)["code"]
        api.act(code, "complete_step")
        with django_assert_max_num_queries(40):
            assert api.get(f"/dossiers/{code}").status_code == 200


class TestScope:
    @pytest.mark.parametrize("other", ["reception_b", "processing_b", "leader_b"])
    def test_an_officer_of_another_commune_gets_404_not_403(
        self, province, api_as, monday, other
    ):
        dossier = receive(api_as("reception_a"), province)
        api = api_as(other)
        for ref in (dossier["code"], dossier["id"]):
            seen = api.get(f"/dossiers/{ref}")
            assert seen.status_code == 404
            assert seen.json()["code"] == "dossier_not_found"
            acted = api.act(ref, "complete_step")
            assert acted.status_code == 404
        assert api.get("/dossiers").json()["count"] == 0

    def test_a_missing_dossier_answers_exactly_like_a_hidden_one(
        self, province, api_as, monday
    ):
        hidden = receive(api_as("reception_a"), province)["code"]
        api = api_as("reception_b")
        missing = api.get("/dossiers/001.01.01.H99-260302-9999").json()
        assert api.get(f"/dossiers/{hidden}").json() == missing

    def test_the_competent_agency_and_the_supervisor_see_it(
        self, province, api_as, monday
    ):
        code = receive(api_as("reception_a"), province)["code"]
        for name in ("police_a", "police_lead_a", "supervisor", "centre_head"):
            assert api_as(name).get(f"/dossiers/{code}").status_code == 200, name

    def test_an_action_the_officer_may_not_take_is_403_with_what_they_may_do(
        self, province, api_as, monday
    ):
        code = receive(api_as("reception_a"), province)["code"]
        response = api_as("reception_a").act(code, "resolve")
        assert response.status_code == 403
        body = response.json()
        assert body["code"] == "action_not_permitted"
        assert body["extra"]["status"] == "received"
        assert body["extra"]["allowed_actions"] == [
            "complete_step",
            "transfer",
            "request_withdrawal",
        ]


class TestActions:
    def test_a_transition_outside_the_table_is_409_with_the_allowed_actions(
        self, province, api_as, monday
    ):
        code = receive(api_as("reception_a"), province)["code"]
        response = api_as("reception_a").act(code, "return_result")
        assert response.status_code == 409
        body = response.json()
        assert body["code"] == "invalid_transition"
        assert body["extra"]["allowed_actions"] == [
            "complete_step",
            "transfer",
            "request_withdrawal",
        ]

    def test_a_rule_violation_is_422_with_its_code(self, province, api_as, monday):
        api = api_as("reception_a")
        code = receive(api, province)["code"]
        api.act(code, "complete_step")
        monday.move_to(at(2026, 3, 2, 10))
        response = api_as("police_lead_a").act(code, "resolve")
        assert response.status_code == 422
        assert response.json()["code"] == "steps_unfinished"
        missing_reason = api_as("police_lead_a").act(code, "reject")
        assert missing_reason.json()["code"] == "reason_required"

    def test_a_stale_expected_version_is_409_conflict(self, province, api_as, monday):
        api = api_as("reception_a")
        body = receive(api, province)
        response = api.act(
            body["code"], "complete_step", expected_version=body["version"] - 1
        )
        assert response.status_code == 409
        assert response.json()["code"] == "conflict"
        assert response.json()["extra"]["version"] == body["version"]
        fresh = api.act(body["code"], "complete_step", expected_version=body["version"])
        assert fresh.status_code == 200
        assert fresh.json()["version"] == body["version"] + 1

    def test_the_whole_walk_from_reception_to_returned(self, province, api_as):
        with time_machine.travel(at(2026, 3, 2, 9), tick=False) as clock:
            reception = api_as("reception_a")
            body = receive(reception, province)
            code = body["code"]

            clock.move_to(at(2026, 3, 2, 10))
            body = reception.act(code, "complete_step", note="Chuyển công an").json()
            assert body["status"] == "in_progress"

            clock.move_to(at(2026, 3, 2, 11))
            lead = api_as("police_lead_a")
            officer = province.users["police_a"]
            body = lead.act(code, "assign", data={"assignee": officer.pk}).json()
            assert body["steps"][1]["assignee"]["id"] == officer.pk

            clock.move_to(at(2026, 3, 4, 10))
            body = api_as("police_a").act(
                code, "complete_step", data={"result_note": "Đủ điều kiện"}
            )
            assert body.status_code == 200
            # The signing step is active: it ends with 'resolve', by the head.
            assert "complete_step" not in body.json()["allowed_actions"]
            assert (
                "resolve" in (lead.get(f"/dossiers/{code}").json()["allowed_actions"])
            )

            clock.move_to(at(2026, 3, 5, 10))
            body = lead.act(
                code, "resolve", data={"result_summary": "Đã đăng ký thường trú"}
            ).json()
            assert body["status"] == "resolved" and body["timeliness"] == "early"
            assert (
                "return_result"
                in (reception.get(f"/dossiers/{code}").json()["allowed_actions"])
            )

            clock.move_to(at(2026, 3, 5, 14))
            unpaid = reception.act(code, "return_result")
            assert unpaid.status_code == 422
            assert unpaid.json()["code"] == "fees_unpaid"
            body = reception.act(
                code, "return_result", data={"collect_fees": True}
            ).json()
        assert body["status"] == "returned"
        assert body["returned_at"] == "2026-03-05T14:00:00+07:00"
        assert body["fees"][0]["status"] == "paid"
        assert body["allowed_actions"] == []
        assert [h["kind"] for h in body["handovers"]] == [
            "forward",
            "assign",
            "forward",
            "forward",
            "return",
        ]
        assert [e["action"] for e in body["events"]] == [
            "submit",
            "receive",
            "complete_step",
            "assign",
            "complete_step",
            "resolve",
            "return_result",
        ]


class TestList:
    @pytest.fixture
    def dossiers(self, province, api_as, monday):
        a, b = api_as("reception_a"), api_as("reception_b")
        first = receive(a, province)
        monday.move_to(at(2026, 3, 2, 10))
        second = receive(
            a,
            province,
            applicant={**counter_body(province)["applicant"], "name": "Trần Thị Bình"},
        )
        # Birth registration (immediate: due today) at the other centre.
        birth = province.procedures["birth"]
        third = receive(
            b,
            province,
            procedure="1.001193",
            competent_agency=province.committee_b.pk,
            applicant={
                **counter_body(province)["applicant"],
                "name": "Lê Văn Đức",
                "id_number": "001099054321",
            },
            components=[
                {"component": c.pk} for c in birth.components.filter(required=True)
            ],
            channel="post",
        )
        return first, second, third

    def test_the_supervisor_sees_all_most_urgent_first(self, api_as, dossiers):
        first, second, third = dossiers
        body = api_as("supervisor").get("/dossiers").json()
        assert body["count"] == 3
        assert [d["id"] for d in body["items"]] == [
            third["id"],
            first["id"],
            second["id"],
        ]

    def test_an_officer_sees_only_their_units_dossiers(self, api_as, dossiers):
        first, second, _ = dossiers
        body = api_as("reception_a").get("/dossiers").json()
        assert {d["id"] for d in body["items"]} == {first["id"], second["id"]}

    @pytest.mark.parametrize(
        ("params", "expected"),
        [
            ({"applicant": "tran thi binh"}, [1]),
            ({"applicant": "TRẦN bình"}, [1]),
            ({"applicant": "nguyen an"}, [0]),
            ({"applicant": "duc"}, [2]),
            ({"procedure": "1.001193"}, [2]),
            ({"channel": "post"}, [2]),
            ({"channel": "counter"}, [0, 1]),
            ({"status": "received"}, [2, 0, 1]),
            ({"status": "returned"}, []),
            ({"due_before": "2026-03-05T00:00:00+07:00"}, [2]),
            ({"due_before": "2026-03-05T00:00"}, [2]),
            ({"code": "002.01.01.H99"}, [2]),
        ],
    )
    def test_filters(self, province, api_as, dossiers, params, expected):
        body = api_as("supervisor").get("/dossiers", params).json()
        assert [d["id"] for d in body["items"]] == [dossiers[i]["id"] for i in expected]

    def test_agency_and_overdue_filters(self, province, api_as, dossiers):
        supervisor = api_as("supervisor")
        by_agency = supervisor.get("/dossiers", {"agency": province.committee_b.pk})
        assert [d["id"] for d in by_agency.json()["items"]] == [dossiers[2]["id"]]
        assert supervisor.get("/dossiers", {"overdue": "true"}).json()["count"] == 0
        with time_machine.travel(at(2026, 3, 3, 9), tick=False):
            overdue = supervisor.get("/dossiers", {"overdue": "true"}).json()
        assert [d["id"] for d in overdue["items"]] == [dossiers[2]["id"]]

    def test_pagination_and_its_bounds(self, api_as, dossiers):
        supervisor = api_as("supervisor")
        page = supervisor.get("/dossiers", {"limit": 2, "offset": 1}).json()
        assert page["count"] == 3 and page["limit"] == 2 and page["offset"] == 1
        assert [d["id"] for d in page["items"]] == [
            dossiers[0]["id"],
            dossiers[1]["id"],
        ]
        for params in ({"limit": 0}, {"limit": 101}, {"offset": -1}, {"limit": "x"}):
            response = supervisor.get("/dossiers", params)
            assert response.status_code == 422, params
            assert response.json()["code"] == "validation_failed"
            assert set(response.json()["extra"]["fields"]) <= {"limit", "offset"}

    def test_the_list_takes_a_constant_number_of_queries(
        self, api_as, dossiers, django_assert_max_num_queries
    ):
        with django_assert_max_num_queries(12):
            assert api_as("supervisor").get("/dossiers").json()["count"] == 3


class TestInbox:
    def test_the_inbox_holds_what_waits_for_the_caller(self, province, api_as, monday):
        reception = api_as("reception_a")
        code = receive(reception, province)["code"]
        assert [d["code"] for d in reception.get("/inbox").json()["items"]] == [code]
        assert api_as("police_a").get("/inbox").json()["count"] == 0
        reception.act(code, "complete_step")
        assert reception.get("/inbox").json()["count"] == 0
        assert [
            d["code"] for d in api_as("police_a").get("/inbox").json()["items"]
        ] == [code]
        assert api_as("processing_b").get("/inbox").json()["count"] == 0
