"""The portal's view of a dossier: field names, codes and dates of legal-spec §3.4."""

import pytest

from motcua.catalog.models import ResultType
from motcua.dossiers.constants import DossierAction as A
from motcua.integrations.models import SyncKind
from motcua.integrations.portal.payload import (
    parse_portal_time,
    portal_payload,
    portal_time,
    sync_kind,
)
from motcua.testing.flows import act, at, receive_residence, submit_online

pytestmark = pytest.mark.django_db


def test_dates_are_local_yyyymmddhhmmss_both_ways():
    moment = at(2026, 3, 2, 9, 5, 7)
    assert portal_time(moment) == "20260302090507"
    assert parse_portal_time("20260302090507") == moment
    assert portal_time(None) is None
    with pytest.raises(ValueError):
        parse_portal_time("2026-03-02")


def test_a_received_counter_dossier_in_the_portal_s_names(province):
    dossier = receive_residence(province, when=at(2026, 3, 2, 9, 0))
    payload = portal_payload(dossier)

    assert payload["MaHoSo"] == "001.01.01.H99-260302-0001"
    assert payload["MaTTHC"] == "1.004222"
    assert payload["TenTTHC"] == "Đăng ký thường trú"
    assert payload["MaLinhVuc"] == "cu-tru"
    assert payload["KenhThucHien"] == 1
    assert payload["TrangThaiHoSo"] == 2
    assert payload["DonViXuLy"] == "001.02.00.H99"
    assert payload["NoiNopHoSo"] == "001.01.01.H99"
    assert payload["ChuHoSo"] == "Nguyễn Văn An"
    assert payload["SoGiayToChuHoSo"] == "001099012345"
    assert payload["LoaiDoiTuong"] == 1
    assert payload["DinhDanhCHS"] == [{"LoaiDinhDanh": 1, "SoDinhDanh": "001099012345"}]
    assert payload["NgayNopHoSo"] == "20260302090000"
    assert payload["NgayTiepNhan"] == "20260302090000"
    # 7 working days of 8 hours from Monday 09:00.
    assert payload["NgayHenTra"] == "20260311090000"
    assert payload["NgayTra"] is None and payload["NgayTuChoi"] is None
    assert payload["DanhSachLePhi"] == [
        {
            "TenPhiLePhi": "Lệ phí đăng ký cư trú",
            "MaPhiLePhi": "LP-CT",
            "HinhThucThu": 1,
            "Gia": 20000,
            "LoaiPhiLePhi": 2,
        }
    ]
    assert [d["TenTepDinhKem"] for d in payload["TaiLieuNop"]] == [
        "Tờ khai thay đổi thông tin cư trú (CT01)",
        "Giấy tờ chứng minh chỗ ở hợp pháp",
    ]
    assert payload["HoSoCoThanhPhanSoHoa"] == 0
    assert payload["TaiLieuNop"][0]["DuocSoHoa"] == 0
    assert "DanhSachGiayToKetQua" not in payload
    assert [i["TrangThai"] for i in payload["QuaTrinhXuLy"]] == [1, 2]
    reception = payload["QuaTrinhXuLy"][1]
    assert reception == {
        "MaHoSo": "001.01.01.H99-260302-0001",
        "NguoiXuLy": "Nguyễn Thị Lan",
        "ChucDanh": "Cán bộ tiếp nhận",
        "ThoiDiemXuLy": "20260302090000",
        "PhongBanXuLy": "Trung tâm Phục vụ hành chính công xã An Hòa",
        "NoiDungXuLy": "Tiếp nhận",
        "TrangThai": 2,
        "NgayBatDau": "20260302090000",
        "NgayKetThucTheoQuyDinh": "20260311090000",
    }


def test_an_online_dossier_is_known_by_the_portal_id_until_it_has_a_code(province):
    dossier = submit_online(province, when=at(2026, 3, 2, 9, 0), portal_id="G-1")
    before = portal_payload(dossier)
    assert before["MaHoSo"] == "G-1" and before["MaHoSoCongDVCQG"] == "G-1"
    assert before["KenhThucHien"] == 2 and before["TrangThaiHoSo"] == 1
    assert before["HoSoCoThanhPhanSoHoa"] == 1
    dossier = act(province, dossier, A.RECEIVE, "reception_a", at(2026, 3, 2, 10, 0))
    after = portal_payload(dossier)
    assert after["MaHoSo"] == dossier.code and after["MaHoSoCongDVCQG"] == "G-1"


def test_supplements_and_results_are_listed_when_they_exist(province):
    p = province
    ResultType.objects.create(
        version=p.procedures["residence"],
        code="KQ-THUONG-TRU",
        name="Thông báo kết quả đăng ký thường trú",
    )
    dossier = receive_residence(p, when=at(2026, 3, 2, 9, 0))
    dossier = act(p, dossier, A.COMPLETE_STEP, "reception_a", at(2026, 3, 2, 10, 0))
    dossier = act(
        p,
        dossier,
        A.REQUEST_SUPPLEMENT,
        "police_a",
        at(2026, 3, 3, 9, 0),
        reason="Thiếu giấy tờ chỗ ở",
    )
    dossier = act(p, dossier, A.SUPPLEMENT, "reception_a", at(2026, 3, 4, 9, 0))
    supplement = portal_payload(dossier)["DanhSachHoSoBoSung"]
    assert supplement == [
        {
            "NguoiYeuCauBoSung": "Bùi Văn Nam",
            "NoiDungBoSung": "Thiếu giấy tờ chỗ ở",
            "NgayBoSung": "20260303090000",
            "NgayTiepNhanBoSung": "20260304090000",
            "NgayHenTraTruoc": "20260311090000",
            "NgayHenTraMoi": "20260313090000",
        }
    ]
    dossier = act(p, dossier, A.COMPLETE_STEP, "police_a", at(2026, 3, 5, 9, 0))
    dossier = act(p, dossier, A.RESOLVE, "police_lead_a", at(2026, 3, 6, 9, 0))
    payload = portal_payload(dossier)
    assert payload["TrangThaiHoSo"] == 9
    assert payload["NgayKetThucXuLy"] == "20260306090000"
    assert payload["DanhSachGiayToKetQua"] == [
        {
            "TenGiayTo": "Thông báo kết quả đăng ký thường trú",
            "MaThanhPhanHoSo": "",
            "GiayToId": f"{dossier.pk}-KQ-THUONG-TRU",
            "DuongDanTepTinKetQua": "",
            "MaGiayToKetQua": "001099012345-KQ-THUONG-TRU",
        }
    ]


@pytest.mark.parametrize(
    ("action", "from_status", "to_status", "kind"),
    [
        (A.SUBMIT_ONLINE, "", "submitted", SyncKind.STATUS),
        (A.RECEIVE, "submitted", "received", SyncKind.STATUS),
        (A.ASSIGN, "in_progress", "in_progress", SyncKind.PROGRESS),
        (A.EXTEND, "in_progress", "in_progress", SyncKind.PROGRESS),
        (A.COMPLETE_STEP, "received", "in_progress", SyncKind.STATUS),
        (A.RESOLVE, "in_progress", "resolved", SyncKind.RESULT),
        (A.RETURN_RESULT, "resolved", "returned", SyncKind.RESULT),
    ],
)
def test_each_event_is_a_status_progress_or_result_update(
    action, from_status, to_status, kind
):
    from motcua.dossiers.models import DossierEvent

    event = DossierEvent(action=action, from_status=from_status, to_status=to_status)
    assert sync_kind(event) == kind
