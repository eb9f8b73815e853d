"""The procedure catalog, the agencies and the administrative units, read through the API."""

import pytest

from motcua.catalog.constants import VersionStatus
from motcua.catalog.models import Procedure, ProcedureVersion

pytestmark = pytest.mark.django_db


class TestProcedures:
    @pytest.mark.parametrize(
        ("q", "codes"),
        [
            ("dang ky thuong tru", ["1.004222", "1.013090"]),
            ("thuong tru 1.004", ["1.004222"]),
            ("ĐĂNG KÝ khai sinh", ["1.001193", "1.013090"]),
            ("khai sinh bhyt", ["1.013090"]),
            ("1.0042", ["1.004222"]),
            ("", ["1.001193", "1.004222", "1.013090"]),
            ("ly hon", []),
        ],
    )
    def test_search_without_diacritics(self, province, api_as, q, codes):
        body = api_as("reception_a").get("/procedures", {"q": q}).json()
        assert [p["code"] for p in body["items"]] == codes
        assert body["count"] == len(codes)

    def test_only_published_versions_are_listed(self, province, api_as):
        draft = Procedure.objects.create(code="9.000001", name="Thủ tục dự thảo")
        ProcedureVersion.objects.create(
            procedure=draft, name=draft.name, status=VersionStatus.DRAFT
        )
        api = api_as("reception_a")
        assert "9.000001" not in [
            p["code"] for p in api.get("/procedures").json()["items"]
        ]
        missing = api.get("/procedures/9.000001")
        assert missing.status_code == 404
        assert missing.json()["code"] == "procedure_not_found"

    def test_the_list_filters_by_sector_and_pages(self, province, api_as):
        api = api_as("reception_a")
        civil = api.get("/procedures", {"sector": "ho-tich"}).json()
        assert [p["code"] for p in civil["items"]] == ["1.001193", "1.013090"]
        page = api.get("/procedures", {"limit": 1, "offset": 1}).json()
        assert page["count"] == 3 and [p["code"] for p in page["items"]] == ["1.004222"]

    def test_the_detail_has_duration_components_fees_and_steps(
        self, province, api_as, django_assert_max_num_queries
    ):
        with django_assert_max_num_queries(15):
            response = api_as("reception_a").get("/procedures/1.004222")
        body = response.json()
        assert body["name"] == "Đăng ký thường trú"
        assert body["sector"] == {"code": "cu-tru", "name": "Đăng ký, quản lý cư trú"}
        assert (body["duration_value"], body["duration_unit"]) == (7.0, "working_days")
        assert body["duration_label"] == "7 ngày làm việc"
        assert [c["name"] for c in body["components"]] == [
            "Tờ khai thay đổi thông tin cư trú (CT01)",
            "Giấy tờ chứng minh chỗ ở hợp pháp",
        ]
        assert [(f["amount"], f["channel"]) for f in body["fees"]] == [
            (20000, ""),
            (10000, "online"),
        ]
        assert [s["kind"] for s in body["steps"]] == [
            "reception",
            "appraisal",
            "signing",
            "return",
        ]
        assert body["agencies"] == [
            {"id": province.police_a.pk, "name": "Công an xã An Hòa"}
        ]

    def test_an_inter_agency_procedure_shows_its_participants(self, province, api_as):
        body = api_as("reception_a").get("/procedures/1.013090").json()
        assert body["is_inter_agency"] is True
        assert body["cutoff_time"] == "15:00:00"
        assert [p["work"] for p in body["participants"]] == [
            "Đăng ký khai sinh",
            "Đăng ký thường trú",
            "Cấp thẻ bảo hiểm y tế",
        ]
        assert body["steps"][2]["participant"] == "Đăng ký thường trú"


class TestAgencies:
    def test_the_list_gives_ids_and_electronic_codes(self, province, api_as):
        body = api_as("reception_a").get("/agencies", {"limit": 100}).json()
        assert body["count"] == 9
        codes = {a["name"]: a["code"] for a in body["items"]}
        assert codes["Công an xã An Hòa"] == "001.02.00.H99"
        centre = next(a for a in body["items"] if a["code"] == "001.01.01.H99")
        assert centre["kind"] == "service_centre"
        assert centre["area"]["name"] == "Xã An Hòa"

    @pytest.mark.parametrize(
        ("params", "names"),
        [
            (
                {"q": "binh minh"},
                [
                    "Trung tâm Phục vụ hành chính công phường Bình Minh",
                    "UBND phường Bình Minh",
                ],
            ),
            ({"kind": "vertical", "level": "commune"}, ["Công an xã An Hòa"]),
            ({"procedure": "1.001193"}, ["UBND phường Bình Minh", "UBND xã An Hòa"]),
        ],
    )
    def test_filters(self, province, api_as, params, names):
        body = api_as("reception_a").get("/agencies", params).json()
        assert [a["name"] for a in body["items"]] == names

    def test_the_list_takes_a_constant_number_of_queries(
        self, province, api_as, django_assert_max_num_queries
    ):
        api = api_as("reception_a")
        api.get("/agencies")  # the token's first use is written once
        with django_assert_max_num_queries(6):
            assert api.get("/agencies", {"limit": 100}).status_code == 200


class TestUnits:
    @pytest.mark.parametrize(
        ("params", "codes"),
        [
            ({}, ["99", "99001", "99002"]),
            ({"level": "commune"}, ["99001", "99002"]),
            ({"parent": "99", "q": "binh minh"}, ["99002"]),
            ({"q": "AN HÒA"}, ["99001"]),
            ({"structure": "three_level"}, []),
        ],
    )
    def test_filters_give_the_ids_an_applicant_address_takes(
        self, province, api_as, params, codes
    ):
        body = api_as("reception_a").get("/units", params).json()
        assert [u["code"] for u in body["items"]] == codes
        assert body["count"] == len(codes)

    def test_the_id_is_what_a_new_dossier_takes_as_the_applicant_unit(
        self, province, api_as
    ):
        body = api_as("reception_a").get("/units", {"q": "an hoa"}).json()
        assert body["items"][0]["id"] == province.commune_a.pk
        assert body["items"][0]["full_name"] == "Xã An Hòa"
        assert body["items"][0]["parent_id"] == province.province.pk

    def test_a_bad_level_is_refused_with_a_stable_code(self, province, api_as):
        response = api_as("reception_a").get("/units", {"level": "hamlet"})
        assert response.status_code == 422
        assert response.json()["code"] == "validation_failed"
