"""The citizens' pages in Debian's Chromium, checked for CSP violations too."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_public_home_renders(page):
    page.goto("/")

    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Tra cứu hồ sơ thủ tục hành chính"
    )
    nav = page.get_by_role("navigation", name="Dịch vụ")
    for name in (
        "Tra cứu hồ sơ",
        "Thủ tục hành chính",
        "Đánh giá",
        "Xác thực kết quả",
        "Danh bạ cán bộ",
    ):
        expect(nav.get_by_role("link", name=name, exact=True)).to_be_visible()
    # The stylesheet applied: the header band is red, not the browser default.
    band = page.locator(".pubheader").evaluate(
        "e => getComputedStyle(e).backgroundColor"
    )
    assert band != "rgba(0, 0, 0, 0)"


def test_lookup_form_sends_the_code_to_the_lookup_page(page):
    page.goto("/")

    page.get_by_label("Mã hồ sơ").fill("000.00.01.H99-261128-0001")
    page.get_by_role("button", name="Tra cứu").click()

    expect(page).to_have_url(
        re.compile(r"/lookup/\?code=000\.00\.01\.H99-261128-0001$")
    )


def test_public_touch_targets_are_large(page):
    page.goto("/")

    targets = page.locator(".pubnav a, .langswitch button, .lookup button, .tile")
    heights = [box["height"] for box in (t.bounding_box() for t in targets.all())]

    assert len(heights) >= 10
    assert min(heights) >= 44


def test_language_switcher_posts_and_comes_back_in_english(page):
    page.goto("/procedures/")

    page.get_by_role("button", name="EN").click()

    expect(page).to_have_url(re.compile("/procedures/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Administrative procedures"
    )


def test_404_page_is_the_project_one(page):
    response = page.goto("/khong-co-trang-nay/")

    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Không tìm thấy trang")


def test_the_csp_watch_catches_a_violation(page, page_log):
    """The CSP check of every browser test can fail: an inline script is seen."""
    page.goto("/")

    page.evaluate(
        """() => {
        const s = document.createElement("script");
        s.textContent = "window.__ran = true";
        document.body.append(s);
    }"""
    )
    page.wait_for_timeout(200)

    assert page.evaluate("window.__ran === undefined")
    assert any("script-src" in v for v in page_log.csp_violations), page_log
    page_log.clear()
