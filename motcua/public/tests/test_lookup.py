"""The public lookup: what the code alone shows, what the secret adds, and limits."""

from django.test import Client

import pytest

from motcua.dossiers.constants import DossierAction as A
from motcua.staff.tests.conftest import act, at, receive

pytestmark = pytest.mark.django_db

PERSONAL = ("Nguyễn Văn An", "001099012345", "0912345678", "an.nguyen@example.vn")


@pytest.fixture
def dossier(province):
    dossier = receive(province)
    dossier = act(province, dossier, A.COMPLETE_STEP, "reception_a", at(2026, 3, 2, 10))
    return act(
        province,
        dossier,
        A.REQUEST_SUPPLEMENT,
        "police_a",
        at(2026, 3, 3, 9),
        reason="Bản photo không chứng thực",
        items=[{"name": "Giấy tờ chứng minh chỗ ở hợp pháp"}],
    )


def test_the_code_alone_shows_status_dates_and_agency_and_no_personal_data(
    client, dossier
):
    response = client.get("/lookup/", {"code": dossier.code})

    html = response.text
    assert response.status_code == 200
    assert dossier.code in html
    assert "Yêu cầu bổ sung giấy tờ" in html  # the status
    assert "02/03/2026" in html and "Công an xã An Hòa" in html
    for value in PERSONAL:
        assert value not in html
    assert "Bản photo không chứng thực" not in html  # timeline details
    assert "Quá trình giải quyết" not in html
    assert "autofocus" in html.split('name="secret"', 1)[1].split(">", 1)[0]


def test_the_secret_adds_the_name_the_timeline_and_what_to_supply(client, dossier):
    response = client.post(
        "/lookup/", {"code": dossier.code, "secret": dossier.lookup_secret.lower()}
    )

    html = response.text
    assert response.status_code == 200
    assert "Nguyễn Văn An" in html
    assert "Quá trình giải quyết" in html
    assert "Bản photo không chứng thực" in html
    assert "Giấy tờ chứng minh chỗ ở hợp pháp" in html
    assert "Ai đã xem dữ liệu cá nhân của bạn" in html
    # Officers' names stay out of the citizen's timeline; agencies are shown.
    assert (
        "Nguyễn Thị Lan"
        not in html.split("Quá trình giải quyết", 1)[1].split("Ai đã xem", 1)[0]
    )
    # The identity number is never printed, even with the secret.
    assert "001099012345" not in html


def test_a_wrong_secret_shows_nothing_personal(client, dossier):
    response = client.post("/lookup/", {"code": dossier.code, "secret": "AAAAAAAA"})

    assert response.status_code == 422
    assert "Mã hồ sơ hoặc mã tra cứu không đúng." in response.text
    for value in PERSONAL:
        assert value not in response.text


def test_guessing_the_secret_is_limited_per_code(settings, dossier):
    settings.MOTCUA_LOOKUP_MAX_FAILURES_PER_CODE = 3
    for address in ("203.0.113.1", "203.0.113.2", "203.0.113.3"):
        Client(REMOTE_ADDR=address).post(
            "/lookup/", {"code": dossier.code, "secret": "WRONG123"}
        )

    # Even the right secret, from a new address, waits for the window to end.
    response = Client(REMOTE_ADDR="203.0.113.9").post(
        "/lookup/", {"code": dossier.code, "secret": dossier.lookup_secret}
    )

    assert response.status_code == 429
    assert "Bạn đã nhập sai quá nhiều lần" in response.text
    assert "Nguyễn Văn An" not in response.text


def test_guessing_is_limited_per_address_across_codes(settings, province, dossier):
    settings.MOTCUA_LOOKUP_MAX_FAILURES_PER_ADDRESS = 3
    attacker = Client(REMOTE_ADDR="198.51.100.7")
    for suffix in ("0002", "0003", "0004"):
        attacker.post(
            "/lookup/", {"code": dossier.code[:-4] + suffix, "secret": "WRONG123"}
        )

    assert (
        attacker.post(
            "/lookup/", {"code": dossier.code, "secret": dossier.lookup_secret}
        ).status_code
        == 429
    )
    assert attacker.get("/lookup/", {"code": dossier.code}).status_code == 429
    neighbour = Client(REMOTE_ADDR="198.51.100.8")
    assert (
        neighbour.post(
            "/lookup/", {"code": dossier.code, "secret": dossier.lookup_secret}
        ).status_code
        == 200
    )


def test_an_unknown_code_is_said_plainly(client, province):
    response = client.get("/lookup/", {"code": "001.01.01.H99-260302-9999"})

    assert response.status_code == 404
    assert "Không tìm thấy hồ sơ có mã 001.01.01.H99-260302-9999" in response.text


def test_the_lookup_form_posts_with_a_csrf_token(province, dossier):
    client = Client(enforce_csrf_checks=True)

    page = client.get("/lookup/").text
    refused = client.post(
        "/lookup/", {"code": dossier.code, "secret": dossier.lookup_secret}
    )

    assert 'name="csrfmiddlewaretoken"' in page
    assert refused.status_code == 403
    for field in ("id_code", "id_secret"):
        assert f'<label for="{field}">' in page
