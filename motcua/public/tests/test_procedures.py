"""The public procedure catalog."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_catalog_lists_the_published_procedures(client, province):
    html = client.get("/procedures/").text

    assert "3 thủ tục" in html
    for name in ("Đăng ký khai sinh", "Đăng ký thường trú"):
        assert name in html
    assert '<label for="procedure-q">' in html


def test_the_search_works_without_diacritics(client, province):
    html = client.get("/procedures/", {"q": "dang ky thuong tru"}).text

    assert "Đăng ký thường trú" in html
    assert "Đăng ký khai sinh" not in html


def test_the_search_answers_htmx_with_the_results_only(client, province):
    response = client.get("/procedures/", {"q": "khai sinh"}, HTTP_HX_REQUEST="true")

    assert response.text.lstrip().startswith('<div id="results"')
    assert "Đăng ký khai sinh" in response.text


def test_a_procedure_page_says_what_to_bring_how_long_what_it_costs_and_where(
    client, province
):
    response = client.get("/procedures/1.004222/")

    html = response.text
    assert response.status_code == 200
    assert "<h1>Đăng ký thường trú</h1>" in html
    assert "7 ngày làm việc" in html
    assert "Tờ khai thay đổi thông tin cư trú (CT01)" in html
    assert "Không cần nộp lại nếu đã có trong Kho dữ liệu" in html
    assert "20.000 đ" in html and "10.000 đ" in html  # counter and online
    assert "Công an xã An Hòa" in html
    assert "Tại mọi Trung tâm Phục vụ hành chính công trong tỉnh" in html
    assert "Toàn trình" in html


def test_an_unknown_or_unpublished_procedure_is_404(client, province):
    assert client.get("/procedures/9.999999/").status_code == 404
