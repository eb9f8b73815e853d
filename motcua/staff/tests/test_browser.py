"""The staff pages in Debian's Chromium; every page is also checked for CSP
violations and script errors by the ``page`` fixture."""

import re

import pytest
from playwright.sync_api import expect

from motcua.accounts.constants import Role
from motcua.accounts.tests.factories import DEMO_PASSWORD, MembershipFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def officer(transactional_db):
    return MembershipFactory(
        user__username="lan",
        user__full_name="Trần Thị Lan",
        agency__name="Trung tâm Phục vụ hành chính công tỉnh Demo",
        role=Role.RECEPTION,
    )


def sign_in(page, username="lan", password=DEMO_PASSWORD):
    page.goto("/staff/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_load_state()


def test_login_page_renders(page, officer):
    page.goto("/staff/login/")

    expect(page).to_have_title(re.compile("^Đăng nhập"))
    expect(page.get_by_role("heading", name="Đăng nhập")).to_be_visible()
    expect(page.get_by_label("Tên đăng nhập")).to_be_focused()
    expect(page.get_by_label("Mật khẩu")).to_have_attribute("type", "password")


def test_wrong_password_shows_the_vietnamese_error(page, officer):
    sign_in(page, password="sai-mat-khau")

    expect(page.get_by_role("alert")).to_have_text(
        "Tên đăng nhập hoặc mật khẩu không đúng."
    )
    expect(page).to_have_url(re.compile("/staff/login/$"))


def test_correct_login_lands_on_staff_home_with_the_membership(page, officer):
    sign_in(page)

    expect(page).to_have_url(re.compile("/staff/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Xin chào, Trần Thị Lan")
    table = page.get_by_role("table")
    expect(table).to_contain_text("Trung tâm Phục vụ hành chính công tỉnh Demo")
    expect(table).to_contain_text("Cán bộ tiếp nhận")
    expect(page.locator(".topbar")).to_contain_text("Cán bộ tiếp nhận")


def test_logout_returns_to_the_login_page(page, officer):
    sign_in(page)

    page.get_by_role("button", name="Đăng xuất").click()

    expect(page).to_have_url(re.compile("/staff/login/$"))
    page.goto("/staff/")
    expect(page).to_have_url(re.compile(r"/staff/login/\?next=/staff/$"))


def test_keyboard_shortcuts_navigate_and_list_themselves(page, officer):
    sign_in(page)

    page.keyboard.press("3")
    expect(page).to_have_url(re.compile("/staff/inbox/$"))

    page.keyboard.press("?")
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Hồ sơ cần xử lý")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()


def test_shortcuts_do_not_fire_while_typing(page, officer):
    page.goto("/staff/login/")

    page.get_by_label("Tên đăng nhập").press_sequentially("a3?")

    expect(page.get_by_label("Tên đăng nhập")).to_have_value("a3?")
    expect(page.get_by_role("dialog")).to_have_count(0)


def test_confirm_dialog_can_cancel_and_accept(page, officer):
    sign_in(page)
    page.goto("/staff/ui/")
    button = page.get_by_role("button", name="Từ chối")
    questions = []

    page.once("dialog", lambda d: (questions.append(d.message), d.dismiss()))
    button.click()
    page.once("dialog", lambda d: (questions.append(d.message), d.accept()))
    button.click()

    assert questions == ["Từ chối tiếp nhận hồ sơ này?"] * 2


@pytest.mark.urls("motcua.staff.tests.urls_htmx")
def test_htmx_swaps_a_422_form_error_and_focuses_the_field(page, officer):
    sign_in(page)
    page.goto("/test/htmx-form/")

    page.get_by_label("Mã hồ sơ").fill("abc")
    with page.expect_response("**/test/htmx-form/") as answer:
        page.get_by_role("button", name="Lưu").click()

    assert answer.value.status == 422
    field = page.get_by_label("Mã hồ sơ")
    expect(page.locator(".errorlist")).to_have_text("Mã hồ sơ chỉ gồm chữ số.")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_be_focused()

    # The CSRF token travels in a header (motcua.js), so the POST succeeds.
    field.fill("123")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("status").filter(has_text="Đã lưu 123.")).to_be_visible()


@pytest.mark.urls("motcua.staff.tests.urls_htmx")
def test_a_server_error_under_htmx_shows_a_toast(page, officer, page_log):
    sign_in(page)
    page.goto("/test/htmx-form/")

    page.get_by_role("button", name="Lỗi máy chủ").click()

    expect(page.locator("#toasts")).to_contain_text(
        "Máy chủ không xử lý được yêu cầu. Vui lòng thử lại."
    )
    expect(page.locator("#code-form")).to_be_visible()  # nothing swapped
    assert any("500" in failure for failure in page_log.failed_responses)
    page_log.clear()  # the 500 was provoked on purpose


def test_language_switch_turns_the_staff_pages_english(page, officer):
    sign_in(page)

    page.get_by_role("button", name="EN").click()

    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    expect(page).to_have_url(re.compile("/staff/$"))


def test_staff_home_fits_1366x768_without_horizontal_scroll(page, officer):
    sign_in(page)

    width = page.evaluate("document.documentElement.scrollWidth")

    assert width <= 1366


def test_print_hides_navigation_and_buttons(page, officer):
    sign_in(page)
    page.emulate_media(media="print")

    expect(page.locator(".mainnav")).to_be_hidden()
    expect(page.locator(".langswitch")).to_be_hidden()
    expect(page.get_by_role("table")).to_be_visible()
