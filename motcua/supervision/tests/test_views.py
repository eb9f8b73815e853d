"""The supervision pages: access, figures on the page, exports that open, bounded queries."""

from io import BytesIO

from django.test import Client

import pytest
from openpyxl import load_workbook

from motcua.audit.models import AuditLog
from motcua.staff.tests.test_templates import csp_problems
from motcua.testing.province import TEST_PASSWORD

pytestmark = pytest.mark.django_db

MARCH = "month:2026-03"
PAGES = [
    "/staff/supervision/",
    "/staff/supervision/statistics/",
    "/staff/supervision/statistics/?group=procedure",
    "/staff/supervision/statistics/dossiers/?cell=late",
    "/staff/supervision/flow/",
    "/staff/supervision/index/",
    "/staff/supervision/rankings/",
    "/staff/supervision/ledger/",
    "/staff/supervision/warnings/",
    "/staff/supervision/reports/staff-sheet/",
    "/staff/supervision/reports/agency-pack/?period=quarter:2026-Q1",
]


def client_for(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=TEST_PASSWORD)
    return client


def with_period(url: str) -> str:
    if "period=" in url:
        return url
    return url + ("&" if "?" in url else "?") + f"period={MARCH}"


def test_every_page_renders_for_a_supervisor_without_inline_code(
    march_feedback, april_15, province
):
    client = client_for(province.users["supervisor"])
    for url in PAGES:
        response = client.get(with_period(url))
        assert response.status_code == 200, url
        assert csp_problems(response.text) == [], url
        assert "<svg" in response.text or "table" in response.text


def test_the_navigation_marks_the_supervision_entry(province):
    response = client_for(province.users["supervisor"]).get("/staff/supervision/")
    assert (
        '<a href="/staff/supervision/" aria-keyshortcuts="4" aria-current="page">'
        in response.text
    )


def test_only_supervising_roles_get_in(province):
    assert Client().get("/staff/supervision/").status_code == 302
    assert (
        client_for(province.users["reception_a"]).get("/staff/supervision/").status_code
        == 403
    )
    assert (
        client_for(province.users["police_a"])
        .get("/staff/supervision/flow/")
        .status_code
        == 403
    )
    assert (
        client_for(province.users["centre_head_a"])
        .get("/staff/supervision/")
        .status_code
        == 200
    )
    assert (
        client_for(province.users["police_lead_a"])
        .get("/staff/supervision/")
        .status_code
        == 200
    )


def test_the_statistics_page_shows_the_figures_and_links_each_to_its_dossiers(
    march_feedback, april_15, province
):
    client = client_for(province.users["supervisor"])
    response = client.get(
        f"/staff/supervision/statistics/?period={MARCH}&group=province"
    )
    text = response.text
    assert "Toàn tỉnh" in text and "80,00" in text  # on-time rate, Vietnamese decimal
    assert "cell=open_overdue" in text
    late = client.get(
        f"/staff/supervision/statistics/dossiers/?period={MARCH}&cell=late"
    )
    assert (
        march_feedback.d["D8"].code in late.text
        and march_feedback.d["D9"].code in late.text
    )
    assert march_feedback.d["D1"].code not in late.text


def test_a_centre_head_sees_only_the_figures_of_the_centre(march, april_15, province):
    client = client_for(province.users["centre_head_a"])
    response = client.get(f"/staff/supervision/statistics/?period={MARCH}&group=centre")
    assert "TTPVHCC An Hòa" in response.text
    assert "TTPVHCC Bình Minh" not in response.text
    assert (
        client.get(
            f"/staff/supervision/index/{province.centre_b.pk}/?period={MARCH}"
        ).status_code
        == 404
    )


def test_exports_open_with_openpyxl_in_the_766_report_layout(
    march_feedback, april_15, province
):
    client = client_for(province.users["supervisor"])
    response = client.get(
        f"/staff/supervision/statistics/?period={MARCH}&group=agency&format=xlsx"
    )
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0].startswith("BÁO CÁO TÌNH HÌNH TIẾP NHẬN")
    header = next(i for i, row in enumerate(values) if row[2] == "Tiếp nhận")
    assert values[header][7] == "Đã xử lý"
    assert values[header + 1][2:5] == ("Tổng số", "Kỳ trước chuyển qua", "Trực tuyến")
    police = values[header + 2]
    assert police[1] == "Công an xã An Hòa"
    assert police[2:12] == (13, 1, 1, 10, 1, 10, 4, 4, 2, 80.0)
    total = values[-1]
    assert total[1] == "Tổng cộng" and total[2] == 13
    assert AuditLog.objects.filter(event_type="export").count() == 1
    for url in PAGES[3:]:
        response = client.get(with_period(url) + "&format=xlsx")
        assert response.status_code == 200, url
        workbook = load_workbook(BytesIO(response.content))
        assert workbook.active.max_row >= 5, url


def test_a_province_year_costs_a_bounded_number_of_queries(
    march_feedback, april_15, province, django_assert_max_num_queries
):
    client = client_for(province.users["supervisor"])
    client.get("/staff/supervision/")  # warm the session and calendars
    with django_assert_max_num_queries(25):
        client.get("/staff/supervision/statistics/?period=year:2026&group=agency")
    with django_assert_max_num_queries(30):
        client.get("/staff/supervision/index/?period=year:2026")
    with django_assert_max_num_queries(60):
        client.get("/staff/supervision/?period=year:2026")
