"""POST /api/v1/portal/dossiers: the national portal's own delivery format."""

import pytest

from motcua.dossiers.models import Dossier
from motcua.integrations.tests.test_inbound import payload

pytestmark = pytest.mark.django_db


def test_the_portal_delivers_a_dossier_once_whatever_the_retries(portal, monday):
    first = portal.post("/portal/dossiers", payload())
    assert first.status_code == 201, first.json()
    body = first.json()
    assert body["status"] == "submitted" and body["code"] is None
    again = portal.post("/portal/dossiers", payload())
    assert again.status_code == 200 and again.json()["id"] == body["id"]
    assert Dossier.objects.filter(portal_id="DVCQG-260302-00A1B2").count() == 1


def test_field_errors_come_back_in_the_portal_s_names(portal, monday):
    response = portal.post(
        "/portal/dossiers", payload(MaTTHC="9.999999", NgayNopHoSo="hôm qua")
    )
    assert response.status_code == 422
    error = response.json()
    assert error["code"] == "portal_payload_invalid"
    assert set(error["extra"]["fields"]) >= {"MaTTHC", "NgayNopHoSo"}
    assert not Dossier.objects.exists()


def test_only_the_portal_uses_its_format(api_as, monday):
    response = api_as("reception_a").post("/portal/dossiers", payload())
    assert response.status_code == 403 and response.json()["code"] == "portal_only"
