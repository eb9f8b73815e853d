"""Official forms as PDF through the API (rendered by motcua.forms)."""

import importlib.util

import pytest

from .conftest import counter_body

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
def test_the_receipt_downloads_as_a_pdf(api_as, code):
    # TODO(forms): list every kind once motcua.forms publishes its kinds.
    response = api_as("reception_a").get(f"/dossiers/{code}/forms/01.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert response["Cache-Control"] == "private, no-store"


@needs_forms
def test_an_unknown_kind_is_the_forms_apps_error_not_a_500(api_as, code):
    response = api_as("reception_a").get(f"/dossiers/{code}/forms/zz.pdf")
    assert 400 <= response.status_code < 500
