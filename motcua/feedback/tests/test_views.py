"""PAKN on the public site and in the staff pages; the transparency page."""

from django.test import Client

import pytest

from motcua.feedback.constants import FeedbackStatus
from motcua.feedback.models import Feedback
from motcua.staff.tests.test_templates import csp_problems
from motcua.testing.province import TEST_PASSWORD

pytestmark = pytest.mark.django_db

FORM = {
    "title": "Hướng dẫn chưa rõ ràng",
    "content": "Trang thủ tục đăng ký thường trú thiếu mẫu tờ khai CT01.",
    "sender_name": "Phạm Thị Hoa",
    "sender_phone": "0987654321",
    "sender_email": "",
    "dossier_code": "",
    "website": "",
}


def staff(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=TEST_PASSWORD)
    return client


def test_the_public_form_takes_a_pakn_and_shows_its_code_and_secret(province):
    response = Client().post("/feedback/", FORM)
    feedback = Feedback.objects.get()
    assert response.status_code == 200
    assert feedback.code in response.text and feedback.secret in response.text
    assert csp_problems(response.text) == []


def test_the_public_form_shows_errors_per_field(province):
    response = Client().post(
        "/feedback/", {**FORM, "content": "ngắn", "sender_phone": ""}
    )
    assert response.status_code == 422
    assert "Nội dung cần ít nhất 20 ký tự." in response.text
    assert "Hãy để lại số điện thoại hoặc thư điện tử" in response.text
    assert not Feedback.objects.exists()


def test_a_filled_honeypot_creates_nothing(province):
    assert (
        Client().post("/feedback/", {**FORM, "website": "http://spam"}).status_code
        == 422
    )
    assert not Feedback.objects.exists()


def test_the_public_form_is_rate_limited_per_address(province, settings):
    settings.MOTCUA_FEEDBACK_RATE_LIMIT = 2
    client = Client(REMOTE_ADDR="203.0.113.9")
    assert [client.post("/feedback/", FORM).status_code for _ in range(3)] == [
        200,
        200,
        429,
    ]
    assert Feedback.objects.count() == 2
    other = Client(REMOTE_ADDR="203.0.113.10")
    assert other.post("/feedback/", FORM).status_code == 200


def test_the_home_page_links_the_feedback_and_transparency_pages(province):
    text = Client().get("/").text
    assert 'href="/feedback/"' in text and 'href="/transparency/"' in text


def test_staff_assign_answer_publish_and_the_public_sees_the_answer_without_personal_data(
    province,
):
    p = province
    Client().post("/feedback/", FORM)
    feedback = Feedback.objects.get()
    head = staff(p.users["centre_head"])
    listing = head.get("/staff/feedback/")
    assert feedback.code in listing.text and csp_problems(listing.text) == []
    url = f"/staff/feedback/{feedback.code}/"
    page = head.get(url)
    assert page.status_code == 200 and "0987654321" in page.text
    invalid = head.post(url, {"action": "assign", "assign-category": "procedure"})
    assert invalid.status_code == 422
    head.post(
        url,
        {
            "action": "assign",
            "assign-category": "procedure",
            "assign-agency": p.police_a.pk,
        },
    )
    feedback.refresh_from_db()
    assert (feedback.status, feedback.agency) == (FeedbackStatus.ASSIGNED, p.police_a)
    officer = staff(p.users["police_a"])
    officer.post(url, {"action": "answer", "answer-text": "Đã bổ sung mẫu CT01."})
    assert staff(p.users["processing_a"]).get(url).status_code == 404
    head.post(url, {"action": "publish", "publish-text": "Thiếu mẫu tờ khai CT01."})
    feedback.refresh_from_db()
    assert feedback.status == FeedbackStatus.PUBLISHED
    public = Client().get("/feedback/").text
    assert "Thiếu mẫu tờ khai CT01." in public and "Đã bổ sung mẫu CT01." in public
    assert "Phạm Thị Hoa" not in public and "0987654321" not in public


def test_the_sender_follows_and_rates_with_the_secret(province):
    p = province
    Client().post("/feedback/", FORM)
    feedback = Feedback.objects.get()
    head = staff(p.users["centre_head"])
    url = f"/staff/feedback/{feedback.code}/"
    head.post(
        url,
        {
            "action": "assign",
            "assign-category": "other",
            "assign-agency": p.centre_a.pk,
        },
    )
    head.post(url, {"action": "answer", "answer-text": "Cảm ơn góp ý."})
    citizen = Client()
    wrong = citizen.post("/feedback/follow/", {"code": feedback.code, "secret": "SAI"})
    assert wrong.status_code == 404 and "Cảm ơn góp ý." not in wrong.text
    page = citizen.post(
        "/feedback/follow/", {"code": feedback.code, "secret": feedback.secret}
    )
    assert "Cảm ơn góp ý." in page.text and csp_problems(page.text) == []
    citizen.post(
        "/feedback/follow/",
        {
            "code": feedback.code,
            "secret": feedback.secret,
            "action": "rate_answer",
            "satisfied": "true",
        },
    )
    feedback.refresh_from_db()
    assert feedback.citizen_satisfied is True


def test_the_transparency_page_has_agencies_and_no_personal_data(province):
    from motcua.testing.lifecycle import at, returned_residence

    dossier = returned_residence(
        province, received=at(2026, 3, 2, 9), resolved=at(2026, 3, 4, 10)
    )
    response = Client().get("/transparency/?period=year:2026")
    assert response.status_code == 200
    assert "Công an xã An Hòa" in response.text
    assert (
        dossier.applicant_name not in response.text
        and dossier.code not in response.text
    )
    assert "Lê Minh Tuấn" not in response.text  # no officer names
    assert csp_problems(response.text) == []
    assert Client().get("/transparency/?period=year:1999").status_code == 404
