"""
Garbage in: every bad request gets the error envelope, never a 500, and
changes nothing.
"""

import pytest

from motcua.audit.models import AuditLog
from motcua.core.models import IdempotencyRecord
from motcua.dossiers.models import Dossier, DossierEvent, DossierStep

from .conftest import counter_body

pytestmark = pytest.mark.django_db

HUGE = "Nguyễn " * 20_000


@pytest.fixture
def received(province, api_as, monday):
    """A received dossier, and a snapshot of what exists before the garbage."""
    body = api_as("reception_a").post("/dossiers", counter_body(province)).json()
    return body


def snapshot():
    return (
        Dossier.objects.count(),
        DossierEvent.objects.count(),
        DossierStep.objects.filter(status="done").count(),
        AuditLog.objects.count(),
        IdempotencyRecord.objects.count(),
        list(Dossier.objects.values_list("status", "version")),
    )


def assert_envelope(response, status, code=None):
    assert response.status_code == status, response.content[:500]
    body = response.json()
    assert set(body) == {"code", "message", "extra"}
    assert isinstance(body["message"], str) and body["message"]
    if code is not None:
        assert body["code"] == code, body
    return body


CREATE_GARBAGE = [
    ("malformed json", {"raw": "{not json"}, 400, "malformed_request"),
    ("truncated json", {"raw": '{"procedure": "1.004222", '}, 400, "malformed_request"),
    ("missing body", {"raw": ""}, 422, "validation_failed"),
    ("json null", {"raw": "null"}, 422, "validation_failed"),
    ("json list", {"raw": "[1, 2, 3]"}, 422, "validation_failed"),
    ("json string", {"raw": '"dossier"'}, 422, "validation_failed"),
    ("json number", {"raw": "42"}, 422, "validation_failed"),
    ("not utf-8", {"raw": b"\xff\xfe\x00garbage"}, 400, "malformed_request"),
    ("deep nesting", {"raw": "[" * 100_000 + "]" * 100_000}, 400, "malformed_request"),
    ("NaN number", {"raw": '{"paper_sets": NaN}'}, 422, "validation_failed"),
]


@pytest.mark.parametrize(
    ("label", "request_kwargs", "status", "code"),
    CREATE_GARBAGE,
    ids=[c[0] for c in CREATE_GARBAGE],
)
def test_unparseable_bodies(
    province, api_as, received, label, request_kwargs, status, code
):
    before = snapshot()
    response = api_as("reception_a").post("/dossiers", **request_kwargs)
    assert_envelope(response, status, code)
    assert snapshot() == before


def bad(province, **changes):
    body = counter_body(province)
    for path, value in changes.items():
        target = body
        *parents, leaf = path.split("__")
        for key in parents:
            target = target[key]
        target[leaf] = value
    return body


FIELD_GARBAGE = [
    ("procedure", {"procedure": 123}, "procedure"),
    ("procedure too long", {"procedure": "1" * 10_000}, "procedure"),
    ("agency object", {"competent_agency": {"id": 1}}, "competent_agency"),
    ("agency negative", {"competent_agency": -5}, "competent_agency"),
    ("agency huge", {"competent_agency": 10**30}, "competent_agency"),
    ("applicant string", {"applicant": "me"}, "applicant"),
    ("applicant name huge", {"applicant__name": HUGE}, "applicant.name"),
    ("applicant name list", {"applicant__name": ["a"]}, "applicant.name"),
    ("applicant unknown field", {"applicant__shoe_size": 42}, "applicant.shoe_size"),
    (
        "applicant birth date",
        {"applicant__birth_date": "yesterday"},
        "applicant.birth_date",
    ),
    ("applicant type", {"applicant__type": "alien"}, "applicant.type"),
    ("components not a list", {"components": "all"}, "components"),
    ("too many components", {"components": [{"name": "x"}] * 101}, "components"),
    (
        "component id text",
        {"components": [{"component": "abc"}]},
        "components.0.component",
    ),
    (
        "component count",
        {"components": [{"name": "x", "paper_count": -1}]},
        "components.0.paper_count",
    ),
    ("paper sets", {"paper_sets": "many"}, "paper_sets"),
    ("paper sets zero", {"paper_sets": 0}, "paper_sets"),
    ("channel", {"channel": "fax"}, "channel"),
    ("receive", {"receive": "perhaps"}, "receive"),
    ("unknown top field", {"priority": "urgent"}, "priority"),
    ("NUL character", {"summary": "abc\x00def"}, "summary"),
    ("lone surrogate", {"applicant__name": "\ud800"}, "applicant.name"),
    ("year 1", {"submitted_at": "0001-01-01T00:00:00"}, "submitted_at"),
]


@pytest.mark.parametrize(
    ("label", "changes", "field"), FIELD_GARBAGE, ids=[c[0] for c in FIELD_GARBAGE]
)
def test_wrong_types_and_sizes_name_the_field(
    province, api_as, received, label, changes, field
):
    before = snapshot()
    response = api_as("reception_a").post("/dossiers", bad(province, **changes))
    body = assert_envelope(response, 422, "validation_failed")
    assert field in body["extra"]["fields"], body
    assert snapshot() == before


DOMAIN_GARBAGE = [
    ("unknown procedure", {"procedure": "9.999999"}, 422, "procedure_unknown"),
    ("unknown agency id", {"competent_agency": 999_999}, 422, "agency_unknown"),
    (
        "unknown agency code",
        {"competent_agency": "000.00.00.X00"},
        422,
        "agency_unknown",
    ),
    ("unknown centre", {"receiving_centre": "000.00.99.H99"}, 422, "agency_unknown"),
    (
        "agency that does not resolve it",
        {"competent_agency": "001.01.00.H99"},
        422,
        "competent_agency_invalid",
    ),
    (
        "component of another procedure",
        {"components": [{"component": 1}]},
        422,
        "component_unknown",
    ),
    ("bad id number", {"applicant__id_number": "12"}, 422, "applicant_invalid"),
    ("unknown commune", {"applicant__unit": 999_999}, 422, "unit_unknown"),
]


@pytest.mark.parametrize(
    ("label", "changes", "status", "code"),
    DOMAIN_GARBAGE,
    ids=[c[0] for c in DOMAIN_GARBAGE],
)
def test_well_formed_nonsense_is_refused_by_the_rules(
    province, api_as, received, label, changes, status, code
):
    before = snapshot()
    response = api_as("reception_a").post("/dossiers", bad(province, **changes))
    assert_envelope(response, status, code)
    assert snapshot() == before


ACTION_GARBAGE = [
    ("malformed json", {"raw": '{"action": '}, 400, "malformed_request", None),
    ("missing body", {"raw": ""}, 422, "validation_failed", "body"),
    (
        "unknown action",
        {"body": {"action": "teleport"}},
        422,
        "validation_failed",
        "action",
    ),
    ("action number", {"body": {"action": 7}}, 422, "validation_failed", "action"),
    (
        "data list",
        {"body": {"action": "complete_step", "data": [1]}},
        422,
        "validation_failed",
        "data",
    ),
    (
        "unknown data key",
        {"body": {"action": "complete_step", "data": {"stepp": 1}}},
        422,
        "validation_failed",
        "data.stepp",
    ),
    (
        "step text",
        {"body": {"action": "complete_step", "data": {"step": "first"}}},
        422,
        "validation_failed",
        "data.step",
    ),
    (
        "assignee huge",
        {"body": {"action": "assign", "data": {"assignee": 10**40}}},
        422,
        "validation_failed",
        "data.assignee",
    ),
    (
        "days infinite",
        {"raw": '{"action": "consult", "data": {"days": Infinity}}'},
        422,
        "validation_failed",
        "data.days",
    ),
    (
        "fees not a list",
        {"body": {"action": "request_payment", "data": {"fees": 5}}},
        422,
        "validation_failed",
        "data.fees",
    ),
    (
        "fee amount text",
        {
            "body": {
                "action": "request_payment",
                "data": {"fees": [{"name": "x", "amount": "lots"}]},
            }
        },
        422,
        "validation_failed",
        "data.fees.0.amount",
    ),
    (
        "new due garbage",
        {"body": {"action": "extend", "data": {"new_due_at": "soon"}}},
        422,
        "validation_failed",
        "data.new_due_at",
    ),
    (
        "note huge",
        {"body": {"action": "complete_step", "note": HUGE}},
        422,
        "validation_failed",
        "note",
    ),
    (
        "reason NUL",
        {"body": {"action": "stop", "data": {"reason": "\x00"}}},
        422,
        "validation_failed",
        "data.reason",
    ),
    (
        "version text",
        {"body": {"action": "complete_step", "expected_version": "v2"}},
        422,
        "validation_failed",
        "expected_version",
    ),
    (
        "creating action",
        {"body": {"action": "submit"}},
        409,
        "use_dossier_create",
        None,
    ),
    (
        "unknown step",
        {"body": {"action": "complete_step", "data": {"step": 999_999}}},
        422,
        "no_active_step",
        None,
    ),
    (
        "assign by the centre",
        {"body": {"action": "assign", "data": {"assignee": 999_999}}},
        403,
        "action_not_permitted",
        None,
    ),
    (
        "empty reason",
        {"body": {"action": "stop", "data": {"reason": "   "}}},
        403,
        None,
        None,
    ),
]


@pytest.mark.parametrize(
    ("label", "request_kwargs", "status", "code", "field"),
    ACTION_GARBAGE,
    ids=[c[0] for c in ACTION_GARBAGE],
)
def test_action_garbage(
    province, api_as, received, label, request_kwargs, status, code, field
):
    before = snapshot()
    api = api_as("reception_a")
    if "body" in request_kwargs:
        response = api.post(
            f"/dossiers/{received['code']}/actions", request_kwargs["body"]
        )
    else:
        response = api.post(
            f"/dossiers/{received['code']}/actions", raw=request_kwargs["raw"]
        )
    assert response.status_code != 500
    body = assert_envelope(response, status, code)
    if field is not None:
        assert field in body["extra"]["fields"], body
    assert snapshot() == before


@pytest.mark.parametrize(
    "ref",
    [
        "0",
        "99999999999999999999999999",
        "-1",
        "%00",
        "x" * 500,
        "001.01.01.H99-260302-0001%00",
        "%F0%9F%92%A9",
        "..",
    ],
)
def test_garbage_references_are_404(province, api_as, received, ref):
    api = api_as("reception_a")
    assert_envelope(api.get(f"/dossiers/{ref}"), 404)
    response = api.post(f"/dossiers/{ref}/actions", {"action": "complete_step"})
    assert response.status_code in (404, 422)
    assert_envelope(response, response.status_code)


@pytest.mark.parametrize(
    "params",
    [
        {"status": "lost"},
        {"agency": "abc"},
        {"agency": str(10**30)},
        {"due_before": "tomorrow"},
        {"due_before": "0001-01-01T00:00"},
        {"overdue": "maybe"},
        {"channel": "pigeon"},
        {"applicant": "x" * 1000},
        {"applicant": "a\x00b"},
        {"code": "\x00"},
        {"limit": "9" * 40},
        {"offset": "9" * 40},
    ],
)
def test_garbage_filters_are_422(province, api_as, received, params):
    response = api_as("supervisor").get("/dossiers", params)
    assert_envelope(response, 422, "validation_failed")


@pytest.mark.parametrize(
    "path",
    [
        "/procedures?q=%00",
        "/procedures?limit=-1",
        "/procedures/%00",
        "/procedures/" + "9" * 300,
        "/agencies?kind=castle",
        "/agencies?q=" + "x" * 300,
    ],
)
def test_catalog_garbage(province, api_as, path):
    response = api_as("reception_a").client.get(
        f"/api/v1{path}",
        headers={"Authorization": f"Bearer {api_as('reception_a').raw_token}"},
    )
    assert response.status_code in (404, 422)
    assert_envelope(response, response.status_code)


def test_a_body_over_the_upload_limit_is_413(province, api_as, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = api_as("reception_a").post(
        "/dossiers", raw='{"note": "' + "x" * 5000 + '"}'
    )
    assert_envelope(response, 413, "request_too_large")


def test_an_unknown_address_under_the_api_is_a_json_404(province, api_as):
    response = api_as("reception_a").get("/nothing/here")
    assert_envelope(response, 404, "unknown_endpoint")


def test_a_bad_idempotency_key_is_422(province, api_as, monday):
    for key in ("", "has space", "k" * 129, "khóa"):
        response = api_as("reception_a").post(
            "/dossiers", counter_body(province), headers={"Idempotency-Key": key}
        )
        assert response.status_code == 422, key
    assert not Dossier.objects.exists()


@pytest.mark.parametrize(
    ("method", "path"),
    [("delete", "/dossiers"), ("put", "/dossiers/1"), ("patch", "/procedures")],
)
def test_a_method_the_path_does_not_take_is_405_in_the_envelope(
    province, api_as, method, path
):
    api = api_as("reception_a")
    response = getattr(api.client, method)(
        f"/api/v1{path}", headers={"Authorization": f"Bearer {api.raw_token}"}
    )
    body = assert_envelope(response, 405, "method_not_allowed")
    assert body["extra"]["allowed"] and response["Allow"]
