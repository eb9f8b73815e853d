"""Online dossiers from the portal: the mapping the API uses, and the submitter."""

import pytest
import time_machine

from motcua.core.exceptions import ValidationFailed
from motcua.dossiers.access import PORTAL
from motcua.dossiers.constants import ComponentSource, DossierStatus
from motcua.dossiers.services import dossier_create
from motcua.integrations.portal.inbound import (
    portal_dossier_create,
    portal_dossier_from_payload,
)
from motcua.integrations.portal.selectors import portal_submission_catalog
from motcua.integrations.portal.simulator import PortalSimulator
from motcua.testing.flows import at
from motcua.testing.simulators import control, running

pytestmark = pytest.mark.django_db

START = at(2026, 3, 2, 9, 0)


def payload(**overrides):
    data = {
        "MaHoSo": "DVCQG-260302-00A1B2",
        "MaTTHC": "1.004222",
        "NoiNopHoSo": "001.01.01.H99",
        "DonViXuLy": "001.02.00.H99",
        "NgayNopHoSo": "20260302084500",
        "TrichYeuHoSo": "Đăng ký thường trú cho hộ gia đình",
        "LoaiDoiTuong": 1,
        "ChuHoSo": "Trần Thị Bình",
        "SoGiayToChuHoSo": "001188009876",
        "NgaySinh": "19880412",
        "DiaChiChuHoSo": "Số 5 đường Trần Phú, xã An Hòa",
        "Email": "binh.tran@example.vn",
        "SoDienThoai": "0987654321",
        "TaiKhoanDuocXacThucVoiVNeID": 1,
        "HinhThucNhanKetQua": 3,
        "TaiLieuNop": [
            {
                "MaThanhPhanHoSo": "",
                "TenThanhPhanHoSo": "Tờ khai thay đổi thông tin cư trú (CT01)",
            },
            {
                "TenThanhPhanHoSo": "Giấy tờ chứng minh chỗ ở hợp pháp",
                "DuocTaiSuDung": 1,
                "MaKetQuaThayThe": "001188009876-KQ-QSDD",
            },
            {"TenTepDinhKem": "Ảnh chụp hộ khẩu cũ", "LoaiBan": 1, "SoTrang": 2},
        ],
    }
    data.update(overrides)
    return data


def test_the_portal_s_fields_become_dossier_create_s_arguments(province):
    p = province
    with time_machine.travel(START, tick=False):
        args = portal_dossier_from_payload(payload())
    assert args["procedure_version"] == p.procedures["residence"]
    assert args["channel"] == "online"
    assert args["receiving_centre"] == p.centre_a
    assert args["competent_agency"] == p.police_a
    assert args["portal_id"] == "DVCQG-260302-00A1B2"
    assert args["submitted_at"] == at(2026, 3, 2, 8, 45)
    assert args["return_method"] == "online"
    assert args["applicant"] == {
        "type": "person",
        "name": "Trần Thị Bình",
        "id_number": "001188009876",
        "birth_date": "1988-04-12",
        "address": "Số 5 đường Trần Phú, xã An Hòa",
        "phone": "0987654321",
        "email": "binh.tran@example.vn",
        "identity_verified": True,
    }
    first, second, extra = args["components"]
    assert first["component"] and first["source"] == ComponentSource.UPLOADED
    assert second["source"] == ComponentSource.REUSED
    assert second["reuse_reference"] == "001188009876-KQ-QSDD"
    assert extra["name"] == "Ảnh chụp hộ khẩu cũ" and extra["copy_type"] == "copy"

    with time_machine.travel(START, tick=False):
        dossier = dossier_create(**args, actor=PORTAL)
    assert dossier.status == DossierStatus.SUBMITTED and dossier.channel == "online"
    assert dossier.components.count() == 3
    assert dossier.acceptance_due_at is not None


def test_every_error_is_reported_at_once_in_the_portal_s_names(province):
    with pytest.raises(ValidationFailed) as caught:
        portal_dossier_from_payload(
            payload(
                MaHoSo="",
                MaTTHC="9.999999",
                NoiNopHoSo="000.00.99.H99",
                DonViXuLy="",
                NgayNopHoSo="02/03/2026",
                LoaiDoiTuong=7,
                HinhThucNhanKetQua=9,
                NgaySinh="12-04-88",
                TaiLieuNop="all of them",
            )
        )
    assert caught.value.code == "portal_payload_invalid"
    assert set(caught.value.extra["fields"]) == {
        "MaHoSo",
        "MaTTHC",
        "NoiNopHoSo",
        "DonViXuLy",
        "NgayNopHoSo",
        "LoaiDoiTuong",
        "HinhThucNhanKetQua",
        "NgaySinh",
    }


def test_a_submission_from_the_future_is_refused(province):
    with (
        time_machine.travel(START, tick=False),
        pytest.raises(ValidationFailed) as caught,
    ):
        portal_dossier_from_payload(payload(NgayNopHoSo="20260302091000"))
    assert "NgayNopHoSo" in caught.value.extra["fields"]


def test_a_submission_more_than_a_year_old_is_refused(province):
    with (
        time_machine.travel(START, tick=False),
        pytest.raises(ValidationFailed) as caught,
    ):
        portal_dossier_from_payload(payload(NgayNopHoSo="20250301090000"))
    assert caught.value.extra["fields"]["NgayNopHoSo"] == (
        "Ngày nộp không thể trước đây quá một năm."
    )


def test_the_portal_may_send_the_same_dossier_twice(province):
    with time_machine.travel(START, tick=False):
        first = portal_dossier_create(payload())
        second = portal_dossier_create(payload())
    assert first.pk == second.pk


def test_the_submission_catalog_pairs_centres_with_competent_agencies(province):
    catalog = {entry["MaTTHC"]: entry for entry in portal_submission_catalog()}
    assert catalog["1.004222"]["pairs"] == [
        {
            "DonViXuLy": "001.02.00.H99",
            "NoiNopHoSo": "001.01.01.H99",
            "DiaBan": "Xã An Hòa, Tỉnh Lâm Hải Giang",
        }
    ]
    assert [c["TenThanhPhanHoSo"] for c in catalog["1.004222"]["TaiLieuNop"]] == [
        "Tờ khai thay đổi thông tin cư trú (CT01)",
        "Giấy tờ chứng minh chỗ ở hợp pháp",
    ]
    birth_centres = {pair["NoiNopHoSo"] for pair in catalog["1.001193"]["pairs"]}
    assert birth_centres == {"001.01.01.H99", "002.01.01.H99"}


def portal_token():
    from motcua.accounts.models import User
    from motcua.accounts.services import api_token_create

    service, _ = User.objects.get_or_create(
        username="cong-dvc", defaults={"full_name": "Cổng DVC quốc gia"}
    )
    return api_token_create(service, "portal", is_portal=True)[1]


@pytest.mark.simulator
def test_the_simulator_files_random_citizens_dossiers_with_our_api(
    transactional_db, live_server
):
    from motcua.dossiers.models import Dossier
    from motcua.testing.province import build_small_province

    build_small_province()
    portal_app = PortalSimulator(
        clients={},
        api_url=f"{live_server.url}/api/v1",
        api_token=portal_token(),
        catalog=portal_submission_catalog(),
        seed=3,
    )
    with running(portal_app) as portal_server, time_machine.travel(START):
        answer = control(portal_server, "/_control/submit", {"count": 3})
        again = portal_app.submit_one()  # a new citizen: another dossier
    assert [r["status"] for r in answer["results"]] == [201, 201, 201]
    assert again["status"] == 201
    dossiers = list(Dossier.objects.filter(channel="online").order_by("pk"))
    assert len(dossiers) == 4
    for result, dossier in zip(answer["results"], dossiers, strict=False):
        assert dossier.portal_id == result["MaHoSo"]
        assert dossier.status == DossierStatus.SUBMITTED and dossier.code is None
        assert len(dossier.applicant_id_number) == 12 and dossier.applicant_name


@pytest.mark.simulator
def test_a_wrong_token_is_reported_by_the_submitter(transactional_db, live_server):
    from motcua.testing.province import build_small_province

    build_small_province()
    portal_app = PortalSimulator(
        clients={},
        api_url=f"{live_server.url}/api/v1",
        api_token="stolen",
        catalog=portal_submission_catalog(),
    )
    result = portal_app.submit_one()
    assert result["status"] == 401
