"""The rating kiosk: identify, rate on the nine criteria, once."""

import pytest

from motcua.dossiers.constants import DossierAction as A
from motcua.feedback.models import Rating
from motcua.staff.tests.conftest import act, at, receive

pytestmark = pytest.mark.django_db

REQUIRED = ("a", "b", "c", "d", "dd", "e")


@pytest.fixture
def returned(province):
    dossier = receive(province, key="birth", when=at(2026, 3, 2, 9))
    dossier = act(
        province, dossier, A.COMPLETE_STEP, "reception_a", at(2026, 3, 2, 9, 10)
    )
    dossier = act(
        province, dossier, A.COMPLETE_STEP, "processing_a", at(2026, 3, 2, 10)
    )
    dossier = act(province, dossier, A.RESOLVE, "leader_a", at(2026, 3, 2, 11))
    return act(province, dossier, A.RETURN_RESULT, "reception_a", at(2026, 3, 2, 14))


def identify(client, dossier, secret=None):
    return client.post(
        "/rate/",
        {
            "step": "identify",
            "code": dossier.code,
            "secret": secret or dossier.lookup_secret,
        },
    )


KIOSK_TOKEN = "kiosk-token-0001"


def answers(token=KIOSK_TOKEN, **levels):
    data = {"step": "rate", "client_token": token}
    data.update({f"c_{c}": "5" for c in REQUIRED})
    data.update({f"c_{k}": v for k, v in levels.items()})
    return data


def test_the_kiosk_asks_for_the_code_and_the_secret(client, province):
    html = client.get("/rate/").text

    assert 'name="step" value="identify"' in html
    assert '<label for="id_code">' in html and '<label for="id_secret">' in html


def test_a_wrong_secret_does_not_open_the_form(client, returned):
    response = identify(client, returned, secret="WRONG123")

    assert response.status_code == 422
    assert "Mã hồ sơ hoặc mã tra cứu không đúng." in response.text
    assert "c_a" not in response.text


def test_the_citizen_rates_the_nine_criteria_once(client, returned):
    assert identify(client, returned).status_code == 302

    form = client.get("/rate/").text
    for letter in ("a)", "b)", "c)", "d)", "đ)", "e)", "g)", "h)", "i)"):
        assert letter in form
    assert "Rất hài lòng" in form and "Rất không hài lòng" in form
    assert "Không áp dụng" in form  # (g), (h), (i) may not apply

    response = client.post(
        "/rate/", {**answers(c="3", i="4"), "comment": "Cán bộ nhiệt tình"}
    )

    assert "Xin cảm ơn Ông/Bà đã đánh giá!" in response.text
    rating = Rating.objects.get()
    assert (rating.dossier, rating.channel, rating.comment) == (
        returned,
        "kiosk",
        "Cán bộ nhiệt tình",
    )
    levels = dict(rating.answers.values_list("criterion", "level"))
    assert levels == {"a": 5, "b": 5, "c": 3, "d": 5, "dd": 5, "e": 5, "i": 4}
    # The proof is spent: the next citizen starts again.
    assert 'name="step" value="identify"' in client.get("/rate/").text


def test_a_double_tap_counts_once(client, returned):
    identify(client, returned)
    client.post("/rate/", answers())
    identify(client, returned)

    again = client.post("/rate/", answers())

    assert "Xin cảm ơn" in again.text
    assert Rating.objects.count() == 1


def test_a_missing_answer_comes_back_next_to_its_criterion(client, returned):
    identify(client, returned)
    data = answers()
    del data["c_dd"]

    response = client.post("/rate/", data)

    assert response.status_code == 422
    assert "Hãy chọn một mức." in response.text
    assert not Rating.objects.exists()


def test_a_dossier_without_a_result_cannot_be_rated_yet(client, province):
    dossier = receive(province)
    identify(client, dossier)

    html = client.get("/rate/").text

    assert "Hồ sơ chưa có kết quả giải quyết." in html


def test_after_a_lookup_with_the_secret_no_second_typing_is_needed(client, returned):
    client.post("/lookup/", {"code": returned.code, "secret": returned.lookup_secret})

    assert "c_a" in client.get("/rate/").text
    client.post("/rate/", answers())

    assert Rating.objects.get().channel == "lookup"


def test_the_notifications_signed_link_opens_the_form(client, returned):
    from motcua.feedback.access import rating_link

    response = client.get(rating_link(returned))
    assert response.status_code == 302
    client.post("/rate/", answers())

    assert Rating.objects.get().channel == "notification"
    assert client.get("/rate/", {"t": "forged"}).status_code == 404


def test_without_the_feedback_app_the_page_says_it_is_not_ready(client, monkeypatch):
    monkeypatch.setattr("motcua.public.views.rate.ratings_available", lambda: False)

    html = client.get("/rate/").text

    assert "Chức năng đánh giá chưa sẵn sàng." in html
