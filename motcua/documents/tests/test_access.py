"""Downloads go through the access check and land in the citizen's access log."""

from django.urls import reverse

import pytest
import time_machine

from motcua.audit.models import AccessPurpose, DataAccessLog
from motcua.documents.selectors import access_log_for_citizen
from motcua.documents.services import (
    access_log_record,
    component_scan_attach,
    result_issue,
)
from motcua.testing.province import TEST_PASSWORD

from .conftest import RESIDENCE_RESULT, at, pdf_bytes, ready_for_result

pytestmark = pytest.mark.django_db


@pytest.fixture
def scanned(province):
    dossier = ready_for_result(province)
    component = dossier.components.order_by("order").first()
    with time_machine.travel(at(2026, 3, 2, 9, 10), tick=False):
        row = component_scan_attach(
            component,
            [("to-khai.pdf", pdf_bytes(300))],
            actor=province.users["reception_a"],
        )
    return dossier, row


def download_url(dossier, stored_file):
    return reverse(
        "documents:download",
        kwargs={"dossier_id": dossier.pk, "file_id": stored_file.pk},
    )


def login(client, user):
    assert client.login(username=user.username, password=TEST_PASSWORD)


def test_staff_of_the_dossier_download_and_the_access_is_logged(
    province, scanned, client
):
    dossier, row = scanned
    officer = province.users["police_a"]
    login(client, officer)
    response = client.get(download_url(dossier, row.file), REMOTE_ADDR="10.0.0.7")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"
    log = DataAccessLog.objects.get()
    assert log.actor == officer and log.agency == province.police_a
    assert log.purpose == AccessPurpose.DOWNLOAD
    assert log.dossier_id == dossier.pk and log.dossier_code == dossier.code
    assert log.subject_id_number == "001099012345"
    assert log.ip_address == "10.0.0.7"
    assert row.name in log.what


def test_staff_of_other_units_get_404_and_nothing_is_logged(province, scanned, client):
    dossier, row = scanned
    for who in ("reception_b", "processing_b", "insurance"):
        login(client, province.users[who])
        assert client.get(download_url(dossier, row.file)).status_code == 404
    assert not DataAccessLog.objects.exists()


def test_a_file_of_another_dossier_is_not_found(province, scanned, client):
    dossier, row = scanned
    other = ready_for_result(province)
    login(client, province.users["reception_a"])
    assert client.get(download_url(other, row.file)).status_code == 404
    assert client.get(download_url(dossier, row.file)).status_code == 200


def test_anonymous_visitors_get_nothing(scanned, client):
    dossier, row = scanned
    assert client.get(download_url(dossier, row.file)).status_code in (302, 404)
    assert not DataAccessLog.objects.exists()


def test_a_result_is_downloaded_by_the_centre_that_returns_it(province, client):
    dossier = ready_for_result(province)
    with time_machine.travel(at(2026, 3, 3, 9, 0), tick=False):
        document = result_issue(
            dossier,
            actor=province.users["police_lead_a"],
            result_type_code=RESIDENCE_RESULT,
        )
    login(client, province.users["reception_a"])
    response = client.get(download_url(dossier, document.file))
    assert response.status_code == 200
    assert DataAccessLog.objects.get().agency == province.centre_a


def test_the_citizen_sees_who_accessed_their_data(province, scanned, client):
    dossier, row = scanned
    with time_machine.travel(at(2026, 3, 2, 14, 0), tick=False):
        access_log_record(
            dossier,
            actor=province.users["police_a"],
            what="Xem thông tin người nộp",
            purpose=AccessPurpose.PROCESSING,
        )
    login(client, province.users["reception_a"])
    with time_machine.travel(at(2026, 3, 2, 15, 0), tick=False):
        client.get(download_url(dossier, row.file))
    rows = access_log_for_citizen(dossier)
    assert [(r.staff_name, r.unit, r.purpose) for r in rows] == [
        (
            "Nguyễn Thị Lan",
            "Trung tâm Phục vụ hành chính công xã An Hòa",
            "Tải tệp",
        ),
        ("Bùi Văn Nam", "Công an xã An Hòa", "Giải quyết hồ sơ"),
    ]
    assert rows[0].accessed_at == at(2026, 3, 2, 15, 0)
    assert access_log_for_citizen(ready_for_result(province)) == []
