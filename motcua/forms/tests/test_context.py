"""What each form prints, read from its template context (no WeasyPrint)."""

import pytest
import segno

from motcua.dossiers.access import PORTAL
from motcua.dossiers.constants import DossierAction as A
from motcua.forms.registry import forms_available_for
from motcua.forms.services import form_context

from .conftest import at

pytestmark = pytest.mark.django_db


def test_the_qr_code_carries_the_public_lookup_url(build, settings):
    settings.SITE_URL = "https://motcua.lamhaigiang.gov.vn/"
    dossier = build.received()
    context = form_context(dossier, "01")
    url = "https://motcua.lamhaigiang.gov.vn/lookup/?code=001.01.01.H99-260302-0001"
    assert context["lookup_url"] == context["qr_payload"] == url
    expected = segno.make_qr(url, error="m").svg_data_uri(
        scale=4, border=4, omitsize=False
    )
    assert context["qr_data_uri"] == expected
    assert context["lookup_secret"] == dossier.lookup_secret


def test_the_receipt_header_follows_decree_30(build):
    context = form_context(build.received(), "01")
    assert context["header"] == {
        "parent_name": "UBND XÃ AN HÒA",
        "agency_name": "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG XÃ AN HÒA",
        "number": "001.01.01.H99-260302-0001/TNHS",
        "place_date": "An Hòa, ngày 02 tháng 3 năm 2026",
        "form_number": "Mẫu số 01",
        "title": "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
    }
    assert context["fees"] == [
        {
            "name": "Lệ phí đăng ký cư trú",
            "amount": "20.000 đồng",
            "status": "chưa nộp",
            "paid": False,
        }
    ]


def test_a_provincial_centre_dates_its_forms_in_the_province(build, province):
    dossier = build.received(
        centre=province.provincial_centre,
        actor=province.users["centre_head"],
    )
    header = form_context(dossier, "01")["header"]
    assert header["place_date"] == "Lâm Hải Giang, ngày 02 tháng 3 năm 2026"
    assert header["parent_name"] == "UBND TỈNH LÂM HẢI GIANG"


def test_supplement_items_take_their_copy_type_from_the_catalog(build):
    dossier = build.supplement_at_reception()
    items = form_context(dossier, "02")["items"]
    assert [(i["name"], i["original"], i["copy"]) for i in items] == [
        ("Tờ khai thay đổi thông tin cư trú (CT01)", "01", ""),
        ("Giấy tờ chứng minh chỗ ở hợp pháp", "01", ""),
    ]
    assert form_context(dossier, "02")["header"]["number"] == "……/HDHS"


def test_the_transfer_slip_plans_the_stages_not_yet_started(build):
    dossier = build.inter_agency(progress=1)
    stages = form_context(dossier, "transfer")["stages"]
    summary = [
        (s.number, s.parallel, [(r.agency, r.start, r.due, r.planned) for r in s.rows])
        for s in stages
    ]
    assert summary == [
        (
            1,
            False,
            [("UBND xã An Hòa", "09:00 06/04/2026", "15:00 06/04/2026", False)],
        ),
        (
            2,
            True,
            [
                ("Công an xã An Hòa", "15:00 06/04/2026", "15:00 07/04/2026", True),
                ("Bảo hiểm xã hội tỉnh", "15:00 06/04/2026", "15:00 07/04/2026", True),
            ],
        ),
        (
            3,
            False,
            [("UBND xã An Hòa", "15:00 07/04/2026", "17:00 07/04/2026", True)],
        ),
    ]
    assert stages[0].rows[0].is_lead and not stages[1].rows[0].is_lead


def test_the_transfer_slip_applies_to_inter_agency_dossiers_only(build):
    assert [k.code for k in forms_available_for(build.received())] == [
        "01",
        "06",
        "07",
    ]
    assert [k.code for k in forms_available_for(build.inter_agency())] == [
        "01",
        "06",
        "07",
        "transfer",
    ]


def test_a_lane_finished_before_its_parallel_lane_hands_over_to_the_next_stage(
    build,
):
    dossier = build.inter_agency(progress=3)
    rows = form_context(dossier, "06")["rows"]
    police = next(r for r in rows if r["giver"] == "Công an xã An Hòa")
    assert police["receiver"] == "UBND xã An Hòa"
    assert police["result"] == "Đúng hạn"
    # Not returned yet: the last block is left blank to fill in by hand.
    assert rows[-1] | {"time": ""} == {
        "giver": "Bộ phận TN&TKQ (TTPVHCC An Hòa)",
        "receiver": "Tổ chức, cá nhân",
        "time": "",
        "giver_person": "",
        "receiver_person": "",
        "result": "",
        "note": "",
        "blank": True,
    }
    assert form_context(dossier, "06")["coordinating"] == [
        "Công an xã An Hòa",
        "Bảo hiểm xã hội tỉnh",
    ]


def test_the_stop_notice_of_an_online_withdrawal_not_yet_decided(build):
    dossier = build.act(
        build.received(), A.REQUEST_WITHDRAWAL, PORTAL, at(2026, 3, 3, 9)
    )
    context = form_context(dossier, "05")
    assert context["withdrawal_channel"] == "trực tuyến qua Cổng Dịch vụ công quốc gia"
    assert context["withdrawal_requested_on"] == "ngày 03 tháng 3 năm 2026"
    assert context["stopped_at"].startswith("…… giờ")
    assert context["header"]["place_date"] == "An Hòa, ngày 03 tháng 3 năm 2026"


def test_the_stop_notice_of_a_dossier_never_supplemented(build, province):
    from motcua.dossiers.access import SWEEP

    dossier = build.supplement_in_processing()
    dossier = build.act(dossier, A.CLOSE_UNSUPPLEMENTED, SWEEP, at(2026, 3, 19, 8))
    context = form_context(dossier, "05")
    assert context["closed_unsupplemented"] is True
    assert context["reason"] == "Quá 15 ngày không bổ sung hồ sơ."
    # Closed by the deadline sweep: the head of the centre signs by hand.
    assert context["signer"] == ""
