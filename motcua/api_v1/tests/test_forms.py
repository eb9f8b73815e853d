"""Official forms as PDF through the API (rendered by motcua.forms)."""

import importlib.util

import pytest

from .conftest import at, counter_body, portal_body

pytestmark = pytest.mark.django_db


def _forms_installed() -> bool:
    try:
        return importlib.util.find_spec("motcua.forms.services") is not None
    except ModuleNotFoundError:
        return False


FORMS = _forms_installed()
needs_forms = pytest.mark.skipif(
    not FORMS,
    reason="motcua.forms.services (form_render_pdf) is not merged yet: branch 'forms'",
)


@pytest.fixture
def code(province, api_as, monday):
    return (
        api_as("reception_a").post("/dossiers", counter_body(province)).json()["code"]
    )


@pytest.mark.skipif(FORMS, reason="motcua.forms is installed: see the tests below")
def test_without_the_forms_app_the_endpoint_says_so_with_501(api_as, code):
    response = api_as("reception_a").get(f"/dossiers/{code}/forms/01.pdf")
    assert response.status_code == 501
    assert response.json()["code"] == "forms_unavailable"


def test_the_forms_follow_the_dossier_scope(api_as, code):
    response = api_as("reception_b").get(f"/dossiers/{code}/forms/01.pdf")
    assert response.status_code == 404
    assert response.json()["code"] == "dossier_not_found"


def test_a_malformed_kind_is_refused_before_any_rendering(api_as, code):
    response = api_as("reception_a").get(f"/dossiers/{code}/forms/..%2Fsecret.pdf")
    assert response.status_code in (404, 422)
    assert response.json()["code"] in ("validation_failed", "unknown_endpoint")


@needs_forms
def test_every_form_the_detail_offers_downloads_as_a_pdf(api_as, code, monday):
    reception = api_as("reception_a")
    monday.move_to(at(2026, 3, 2, 10))
    reception.act(code, "complete_step")
    reception.act(code, "request_withdrawal", note="Công dân xin rút hồ sơ tại quầy")
    forms = reception.get(f"/dossiers/{code}").json()["forms"]
    assert [f["kind"] for f in forms] == ["01", "05", "06", "07"]
    for form in forms:
        response = reception.client.get(
            form["href"], headers={"Authorization": f"Bearer {reception.raw_token}"}
        )
        assert response.status_code == 200, form
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
        assert response["Cache-Control"] == "private, no-store"
        assert code in response["Content-Disposition"]


@needs_forms
def test_a_form_that_does_not_apply_or_does_not_exist_is_refused(api_as, code):
    reception = api_as("reception_a")
    refused = reception.get(f"/dossiers/{code}/forms/03.pdf")
    assert refused.status_code == 409
    assert refused.json()["code"] == "form_not_available"
    unknown = reception.get(f"/dossiers/{code}/forms/zz.pdf")
    assert unknown.status_code == 422
    assert unknown.json()["code"] == "form_kind_unknown"


@needs_forms
def test_the_portal_is_offered_no_forms(province, portal, monday):
    online = portal.post("/dossiers", portal_body(province)).json()
    assert online["forms"] == []
