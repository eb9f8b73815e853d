from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

import pytest

from motcua.accounts.tests.factories import ProvinceFactory
from motcua.units.models import OfficePeriod, WorkCalendar

pytestmark = pytest.mark.django_db

PLACEHOLDERS = {
    "public:lookup": ("/lookup/", "Tra cứu hồ sơ"),
    "public:procedures": ("/procedures/", "Thủ tục hành chính"),
    "public:rate": ("/rate/", "Đánh giá sự hài lòng"),
    "public:staff-directory": ("/staff-directory/", "Danh bạ cán bộ"),
}


def test_home_links_to_every_citizen_service(client):
    response = client.get("/")

    assert response.status_code == 200
    html = response.text
    assert '<html lang="vi">' in html
    assert "Tra cứu hồ sơ thủ tục hành chính" in html
    for path, _ in PLACEHOLDERS.values():
        assert f'href="{path}"' in html
    assert 'href="/verify/"' in html  # the documents app's verification page
    # The lookup form works without JavaScript: a GET to /lookup/ with a label.
    assert 'action="/lookup/" method="get"' in html
    assert '<label class="lookup__label" for="lookup-code">' in html


def test_home_names_the_province_and_its_office_hours(client):
    ProvinceFactory(full_name="Tỉnh Demo")
    calendar = WorkCalendar.objects.create(code="tinh", name="Tỉnh", is_default=True)
    OfficePeriod.objects.create(calendar=calendar, start="07:30", end="11:30")
    OfficePeriod.objects.create(calendar=calendar, start="13:30", end="17:30")

    html = client.get("/").text

    assert "Tỉnh Demo" in html
    assert "07:30–11:30, 13:30–17:30" in html


def test_home_without_units_or_calendar_still_renders(client):
    html = client.get("/").text

    assert "Hệ thống giải quyết thủ tục hành chính" in html
    assert "Giờ tiếp nhận" not in html


@pytest.mark.parametrize("name", PLACEHOLDERS)
def test_placeholder_pages_render_under_their_names(client, name):
    path, title = PLACEHOLDERS[name]
    assert reverse(name) == path

    response = client.get(path)

    assert response.status_code == 200
    assert f"<h1>{title}</h1>" in response.text


def test_language_switcher_is_a_post_form_to_set_language(client):
    html = client.get("/procedures/").text

    form = html.split('<form class="langswitch"', 1)[1].split("</form>", 1)[0]
    assert 'action="/i18n/setlang/" method="post"' in form
    assert 'name="csrfmiddlewaretoken"' in form
    assert 'name="next" value="/procedures/"' in form
    assert 'name="language" value="en"' in form
    assert 'value="vi"' in form


def test_switching_to_english_translates_the_home(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response["Location"] == "/"

    html = client.get("/").text

    assert '<html lang="en">' in html
    assert "Look up an administrative dossier" in html
    assert "Staff directory" in html


def test_unknown_address_gets_the_vietnamese_404_page(client):
    response = client.get("/khong-co/")

    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.text
    assert 'href="/"' in response.text


def test_500_page_renders_without_request_or_database():
    # No request, so no middleware picks the language: a test that left
    # English active in this thread must not change what is checked here.
    with translation.override("vi"):
        html = render_to_string("500.html")

    assert "Hệ thống đang gặp sự cố" in html
    assert "/static/css/motcua.css" in html
