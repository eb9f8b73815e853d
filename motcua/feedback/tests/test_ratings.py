"""Citizen ratings through ``rating_submit``: validation, idempotency, subjects."""

from datetime import timedelta

from django.core import signing
from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest
import time_machine

from motcua.core.exceptions import Conflict, NotFound, RuleViolation, ValidationFailed
from motcua.dossiers.constants import DossierAction as A
from motcua.feedback.access import (
    access_dossier_by_rating_token,
    access_dossier_for_rating,
    rating_link,
    rating_token,
)
from motcua.feedback.constants import RatingChannel
from motcua.feedback.models import Rating, RatingAnswer
from motcua.feedback.services import rating_submit
from motcua.testing.lifecycle import act, at, receive, returned_residence

pytestmark = pytest.mark.django_db

GOOD = {"a": 5, "b": 4, "c": 4, "d": 5, "dd": 5, "e": 4}


@pytest.fixture
def returned(province):
    return returned_residence(
        province, received=at(2026, 3, 2, 9), resolved=at(2026, 3, 4, 10)
    )


def submit(dossier, answers=None, channel=RatingChannel.KIOSK, **kwargs):
    with time_machine.travel(at(2026, 3, 5, 9), tick=False):
        return rating_submit(
            dossier, GOOD if answers is None else answers, channel, **kwargs
        )


def test_a_rating_records_answers_points_and_everyone_who_handled_the_dossier(
    province, returned
):
    rating = submit(
        returned,
        {**{k: v for k, v in GOOD.items() if k != "dd"}, "đ": 3, "h": "", "i": "2"},
        comment=" Tốt ",
    )

    # đ is accepted for dd; (i) "other" is optional and was answered with 2.
    assert dict(rating.answers.values_list("criterion", "level")) == {
        "a": 5,
        "b": 4,
        "c": 4,
        "d": 5,
        "dd": 3,
        "e": 4,
        "i": 2,
    }
    # Circular 01/2018 points: 5 → 2, 4 and 3 → 1, 2 and 1 → 0.
    assert dict(rating.answers.values_list("criterion", "points")) == {
        "a": 2,
        "b": 1,
        "c": 1,
        "d": 2,
        "dd": 1,
        "e": 1,
        "i": 0,
    }
    assert str(rating.mean_level) == "3.86"  # 27 / 7
    assert (rating.satisfied, rating.dissatisfied, rating.counts) == (
        False,
        False,
        True,
    )
    assert rating.comment == "Tốt" and rating.submitted_at == at(2026, 3, 5, 9)
    assert set(rating.agencies.values_list("agency", flat=True)) == {
        province.centre_a.pk,
        province.police_a.pk,
    }
    # The reception officer (received and returned), the police officer
    # (appraisal) and the leader who signed.
    assert dict(rating.officers.values_list("officer", "agency")) == {
        province.users["reception_a"].pk: province.centre_a.pk,
        province.users["police_a"].pk: province.police_a.pk,
        province.users["police_lead_a"].pk: province.police_a.pk,
    }


@pytest.mark.parametrize(
    ("answers", "fields"),
    [
        ({**GOOD, "a": 6}, {"a"}),
        ({**GOOD, "b": 0}, {"b"}),
        ({**GOOD, "c": "rất tốt"}, {"c"}),
        ({**GOOD, "d": True}, {"d"}),
        ({k: v for k, v in GOOD.items() if k != "e"}, {"e"}),
        ({**GOOD, "dd": None}, {"dd"}),
        ({**GOOD, "x": 3}, {"x"}),
        ({**GOOD, "h": 9}, {"h"}),
        ({}, {"a", "b", "c", "d", "dd", "e"}),
    ],
)
def test_invalid_answers_are_refused_per_criterion_in_vietnamese(
    returned, answers, fields
):
    with pytest.raises(ValidationFailed) as error:
        submit(returned, answers)
    assert error.value.code == "rating_answers_invalid"
    assert set(error.value.extra["fields"]) == fields
    assert str(error.value.message) == "Phiếu đánh giá chưa hợp lệ."
    assert not Rating.objects.exists()


def test_answers_that_are_not_a_mapping_are_refused(returned):
    with pytest.raises(ValidationFailed) as error:
        submit(returned, ["a", 5])
    assert error.value.code == "rating_answers_invalid"


def test_an_unknown_channel_a_bad_token_and_a_long_comment_are_refused(returned):
    with pytest.raises(ValidationFailed) as error:
        submit(returned, channel="email")
    assert error.value.code == "rating_channel_invalid"
    with pytest.raises(ValidationFailed) as error:
        submit(returned, client_token="short")
    assert error.value.code == "client_token_invalid"
    with pytest.raises(ValidationFailed) as error:
        submit(returned, comment="x" * 1001)
    assert error.value.code == "rating_comment_too_long"
    assert not Rating.objects.exists()


def test_only_a_dossier_with_a_result_may_be_rated(province):
    dossier = receive(province, when=at(2026, 3, 2, 9))
    with pytest.raises(RuleViolation) as error:
        submit(dossier)
    assert error.value.code == "dossier_not_finished"
    assert "đã có kết quả" in str(error.value.message)


def test_a_resolved_dossier_not_yet_returned_may_be_rated(province):
    from motcua.testing.lifecycle import resolve_residence

    dossier = resolve_residence(
        province,
        receive(province, when=at(2026, 3, 2, 9)),
        handed=at(2026, 3, 2, 9),
        appraised=at(2026, 3, 3, 9),
        resolved=at(2026, 3, 3, 10),
    )
    assert submit(dossier).counts is True


def test_a_double_tap_with_the_same_client_token_records_one_rating(returned):
    first = submit(returned, client_token="kiosk-3-session-0001")
    again = submit(returned, {**GOOD, "a": 1}, client_token="kiosk-3-session-0001")

    assert again.pk == first.pk
    assert Rating.objects.count() == 1 and RatingAnswer.objects.count() == 6
    assert again.answers.get(criterion="a").level == 5  # unchanged


def test_a_client_token_of_another_dossier_is_refused(province, returned):
    other = returned_residence(
        province, received=at(2026, 3, 2, 10), resolved=at(2026, 3, 4, 11)
    )
    submit(returned, client_token="kiosk-3-session-0001")
    with pytest.raises(Conflict) as error:
        submit(other, client_token="kiosk-3-session-0001")
    assert error.value.code == "client_token_reused"


def test_one_rating_per_channel_and_only_the_first_counts(returned):
    kiosk = submit(returned)
    with pytest.raises(Conflict) as error:
        submit(returned, {**GOOD, "a": 1})
    assert error.value.code == "rating_already_submitted"

    online = submit(returned, {**GOOD, "a": 1}, channel=RatingChannel.NOTIFICATION)

    assert (kiosk.counts, online.counts) == (True, False)
    assert Rating.objects.filter(dossier=returned).count() == 2


def test_the_lookup_secret_authenticates_the_public_channels(returned):
    assert (
        access_dossier_for_rating(
            code=returned.code, secret=returned.lookup_secret.lower()
        )
        == returned
    )
    with pytest.raises(NotFound):
        access_dossier_for_rating(code=returned.code, secret="WRONG123")


def test_the_signed_link_of_the_notification_opens_the_dossier_until_it_expires(
    returned, settings
):
    link = rating_link(returned)
    assert link.startswith("/rate/?code=001.01.01.H99-260302-0001&t=")
    token = rating_token(returned)
    assert access_dossier_by_rating_token(token) == returned
    with pytest.raises(NotFound) as error:
        access_dossier_by_rating_token(token + "x")
    assert error.value.code == "rating_link_invalid"
    forged = signing.dumps({"d": returned.pk, "s": "0" * 16}, salt="other")
    with pytest.raises(NotFound):
        access_dossier_by_rating_token(forged)
    with (
        time_machine.travel(timedelta(days=settings.MOTCUA_RATING_LINK_DAYS + 1)),
        pytest.raises(NotFound),
    ):
        access_dossier_by_rating_token(token)


def test_a_rating_costs_a_bounded_number_of_queries(returned):
    with CaptureQueriesContext(connection) as queries:
        submit(returned, client_token="kiosk-3-session-0002")
    # Independent of how many steps and officers the dossier had.
    assert len(queries) <= 16


def test_a_stopped_dossier_may_not_be_rated(province):
    dossier = receive(province, when=at(2026, 3, 2, 9))
    dossier = act(
        province, dossier, A.STOP, "police_lead_a", at(2026, 3, 3, 9), reason="Rút"
    )
    with pytest.raises(RuleViolation):
        submit(dossier)
