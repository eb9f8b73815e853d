"""
A dossier's life through the pages, in Debian's Chromium: received at the
counter and printed, found in the inbox and moved on, looked up and rated by
the citizen. The ``page`` fixture fails a test on any CSP violation, script
error or unexpected failed request.
"""

import re

import pytest
from playwright.sync_api import expect

from motcua.dossiers.constants import DossierAction as A
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import dossier_apply_action
from motcua.testing.province import TEST_PASSWORD, build_small_province

pytestmark = pytest.mark.browser


@pytest.fixture
def province(transactional_db):
    return build_small_province()


def sign_in(page, username):
    page.goto("/staff/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page).to_have_url(re.compile("/staff/$"))


def sign_out(page):
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page).to_have_url(re.compile("/staff/login/$"))


def receive_at_the_counter(page) -> tuple[str, str]:
    """Receive a residence registration; return the code and the secret."""
    page.goto("/staff/reception/")
    search = page.get_by_label("Tìm theo tên hoặc mã thủ tục (gõ không dấu được)")
    expect(search).to_be_focused()  # on arrival
    page.get_by_role("heading", level=1).click()
    page.keyboard.press("/")  # and back with the shortcut
    expect(search).to_be_focused()
    search.press_sequentially("dang ky thuong tru")
    page.get_by_role("link", name=re.compile("^1.004222 Đăng ký thường trú")).click()
    expect(page.locator(".chosen")).to_contain_text("Đăng ký thường trú")
    expect(page.get_by_label("Cơ quan giải quyết", exact=True)).to_have_value(
        re.compile(r"\d+")
    )
    expect(page.locator("#due .due__time")).to_have_text(re.compile(r"\d\d:\d\d"))

    page.get_by_role("heading", level=1).click()
    page.keyboard.press("d")
    expect(
        page.get_by_label("Số định danh cá nhân / mã số doanh nghiệp")
    ).to_be_focused()
    page.keyboard.type("001099012345")
    page.get_by_label("Họ và tên / tên tổ chức").fill("Nguyễn Văn An")
    page.get_by_label("Điện thoại", exact=True).fill("0912345678")
    page.get_by_role(
        "checkbox", name="Tờ khai thay đổi thông tin cư trú (CT01)"
    ).check()
    page.get_by_role("checkbox", name="Giấy tờ chứng minh chỗ ở hợp pháp").check()
    page.get_by_role("button", name="Tiếp nhận hồ sơ").click()

    expect(page).to_have_url(re.compile(r"/staff/reception/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Đã tiếp nhận hồ sơ")
    code = page.locator(".receipt__code").inner_text().strip()
    secret = page.locator(".receipt__secret-value").inner_text().strip()
    return code, secret


def test_a_dossier_from_the_counter_to_the_citizens_rating(page, province):
    # (a) The reception officer receives a dossier and opens Mẫu 01.
    sign_in(page, "tiepnhan.anhoa")
    code, secret = receive_at_the_counter(page)
    assert re.fullmatch(r"001\.01\.01\.H99-\d{6}-\d{4}", code)

    print_link = page.get_by_role("link", name=re.compile("In Giấy tiếp nhận"))
    expect(print_link).to_have_attribute("target", "_blank")
    expect(print_link).to_be_focused()  # Enter prints at once
    pdf = page.request.get(print_link.get_attribute("href"))
    assert pdf.status == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Xác nhận đã thu tại quầy").click()
    expect(
        page.get_by_role("status").filter(has_text="Đã xác nhận thu")
    ).to_be_visible()

    # The centre hands the dossier over to the police (htmx, then a reload).
    page.get_by_role("link", name="Xem hồ sơ").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(code)
    page.locator("#actions").get_by_role(
        "button", name="Hoàn thành bước, chuyển tiếp"
    ).click()
    expect(page.get_by_role("status").filter(has_text="Đã thực hiện")).to_be_visible()
    sign_out(page)

    # (b) The police officer finds it in the inbox and completes the step.
    sign_in(page, "congan.anhoa")
    page.locator("body").press("3")
    expect(page).to_have_url(re.compile("/staff/inbox/$"))
    page.get_by_placeholder("Tên người nộp hoặc mã hồ sơ").press_sequentially(
        "nguyen van an"
    )
    row = page.locator("tbody tr", has_text=code)
    expect(row).to_contain_text("Nguyễn Văn An")
    expect(row).to_contain_text("còn")  # time left in working time, as words
    row.get_by_role("link", name="Hoàn thành bước, chuyển tiếp").click()

    panel = page.locator("#actions")
    # A refusal comes back next to its form (htmx, 422) with the cursor on the field.
    panel.locator("summary", has_text="Yêu cầu bổ sung").click()
    panel.get_by_role("button", name="Yêu cầu bổ sung").click()
    expect(panel.locator(".errorlist").first).to_be_visible()
    expect(panel.locator('[aria-invalid="true"]').first).to_be_focused()

    panel.get_by_label("Kết quả xử lý của bước").fill("Đã xác minh chỗ ở hợp pháp.")
    panel.get_by_role("button", name="Hoàn thành bước, chuyển tiếp").click()
    expect(page.get_by_role("status").filter(has_text="Đã thực hiện")).to_be_visible()
    expect(
        page.locator(".step-row--done", has_text="Đã xác minh chỗ ở hợp pháp")
    ).to_be_visible()
    sign_out(page)

    # The leader signs and the centre hands the result over.
    dossier = Dossier.objects.get(code=code)
    dossier = dossier_apply_action(
        dossier=dossier, action=A.RESOLVE, actor=province.users["police_lead_a"]
    )
    dossier_apply_action(
        dossier=dossier, action=A.RETURN_RESULT, actor=province.users["reception_a"]
    )

    # (c) The citizen looks it up with the code and the secret, then rates it.
    page.goto(f"/lookup/?code={code}")
    expect(page.get_by_role("heading", level=2)).to_have_text(code)
    expect(page.locator("main")).not_to_contain_text("Nguyễn Văn An")
    expect(page.get_by_label("Mã tra cứu")).to_be_focused()
    page.keyboard.type(secret)
    page.get_by_role("button", name="Tra cứu").click()
    expect(page.locator("main")).to_contain_text("Nguyễn Văn An")
    expect(page.locator(".stepper [aria-current=step]")).to_contain_text(
        "Đã trả kết quả"
    )

    page.get_by_role("link", name="Đánh giá", exact=True).last.click()
    for criterion in ("a", "b", "c", "d", "dd", "e"):
        page.locator(f"label[for=id_c_{criterion}_0]").click()
    page.locator("label[for=id_c_c_1]").click()
    page.get_by_role("button", name="Gửi đánh giá").click()
    expect(page.get_by_text("Xin cảm ơn Ông/Bà đã đánh giá!")).to_be_visible()

    rating = dossier.ratings.get()
    assert rating.channel == "lookup"
    assert dict(rating.answers.values_list("criterion", "level"))["c"] == 4


def test_the_counter_refuses_with_mau_03_after_a_confirmation(page, province):
    sign_in(page, "tiepnhan.anhoa")
    page.goto("/staff/reception/")
    page.get_by_label("Tìm theo tên hoặc mã thủ tục (gõ không dấu được)").fill(
        "khai sinh"
    )
    page.locator(".proc", has_text="Đăng ký khai sinh").first.click()
    expect(page.locator(".chosen")).to_be_visible()
    page.get_by_label("Số định danh cá nhân / mã số doanh nghiệp").fill("001099012345")
    page.get_by_label("Họ và tên / tên tổ chức").fill("Trần Thị Bình")

    # No reason yet: the form comes back with the error, nothing is written.
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Từ chối").click()
    expect(page.get_by_text("Ghi rõ lý do từ chối tiếp nhận.")).to_be_visible()
    assert not Dossier.objects.exists()

    page.get_by_label("Lý do", exact=True).fill("Người nộp không phải cha, mẹ của trẻ.")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Từ chối").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Đã từ chối tiếp nhận hồ sơ"
    )
    link = page.get_by_role("link", name=re.compile("Mẫu 03"))
    assert page.request.get(link.get_attribute("href")).body().startswith(b"%PDF")


def test_the_inbox_and_the_dossier_fit_1366_without_horizontal_scroll(page, province):
    sign_in(page, "tiepnhan.anhoa")
    receive_at_the_counter(page)
    for path in ("/staff/reception/", "/staff/inbox/"):
        page.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 1366, path
    page.get_by_role("link", name=re.compile(r"001\.01\.01")).first.click()
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
