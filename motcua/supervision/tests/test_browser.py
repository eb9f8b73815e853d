"""The supervisor dashboard and reports in Debian's Chromium: no CSP violation, no script error."""

import re

import pytest
import time_machine
from playwright.sync_api import expect

from motcua.testing.lifecycle import at
from motcua.testing.province import TEST_PASSWORD, build_small_province

from .scenario import build_march

pytestmark = pytest.mark.browser


@pytest.fixture
def province_with_march(transactional_db):
    with time_machine.travel(at(2026, 1, 15, 9), tick=False):
        province = build_small_province()
    build_march(province)
    return province


def sign_in(page, username: str) -> None:
    page.goto("/staff/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_load_state()


def test_the_supervisor_dashboard_renders_its_charts_without_csp_violations(
    page, province_with_march
):
    sign_in(page, "giamsat.tinh")
    page.get_by_role("link", name="Giám sát").first.click()
    expect(page).to_have_url(re.compile("/staff/supervision/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Giám sát giải quyết thủ tục hành chính"
    )
    page.goto("/staff/supervision/?period=month:2026-03")
    # Three server-drawn charts, each an image with a title.
    expect(page.locator("svg.chart")).to_have_count(3)
    expect(
        page.get_by_role("img", name=re.compile("Tỷ lệ hồ sơ giải quyết đúng hạn"))
    ).to_be_visible()
    bars = page.locator("svg.chart rect")
    assert bars.count() > 10
    # The statistics drill down to the late dossiers.
    page.goto("/staff/supervision/statistics/?period=month:2026-03&group=province")
    page.get_by_role("link", name="2", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Danh sách hồ sơ")


def test_the_public_transparency_and_feedback_pages_render_without_csp_violations(
    page, province_with_march
):
    page.goto("/transparency/?period=year:2026")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Công khai kết quả giải quyết thủ tục hành chính"
    )
    expect(page.get_by_role("table")).to_contain_text("Công an xã An Hòa")
    page.goto("/feedback/")
    page.get_by_label("Tiêu đề").fill("Góp ý về giờ làm việc")
    page.get_by_label("Nội dung phản ánh, kiến nghị").fill(
        "Đề nghị mở cửa tiếp nhận vào sáng thứ Bảy cho người đi làm."
    )
    page.get_by_label("Họ và tên").fill("Đỗ Văn Khánh")
    page.get_by_label("Điện thoại").fill("0901234567")
    page.get_by_role("button", name="Gửi", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Đã tiếp nhận phản ánh, kiến nghị của Ông/Bà"
    )
