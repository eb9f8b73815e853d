"""PAKN through the services: deadlines in working days, transitions, rights."""

import pytest

from motcua.core.exceptions import (
    InvalidTransition,
    NotFound,
    PermissionDenied,
    RuleViolation,
    ValidationFailed,
)
from motcua.feedback.access import (
    SENDER,
    access_feedback_for_sender,
    feedback_visible_to,
)
from motcua.feedback.constants import FeedbackAction as A
from motcua.feedback.constants import FeedbackStatus as S
from motcua.feedback.models import Feedback, FeedbackEvent
from motcua.feedback.services import feedback_apply_action, feedback_submit
from motcua.testing.lifecycle import at, receive

pytestmark = pytest.mark.django_db

FORM = {
    "title": "Chờ lâu tại quầy",
    "content": "Tôi phải chờ hơn hai giờ tại quầy tiếp nhận xã An Hòa.",
    "sender_name": "  Trần   Thị Bích ",
    "sender_phone": "0912 345 678",
}


def submit(when=None, **overrides):
    return feedback_submit(data={**FORM, **overrides}, now=when or at(2026, 3, 2, 9))


def do(feedback, action, who, when, p=None, **data):
    actor = p.users[who] if isinstance(who, str) else who
    return feedback_apply_action(
        feedback=feedback, action=action, actor=actor, data=data, now=when
    )


def test_submission_gets_a_code_a_secret_and_its_deadlines_in_working_days(province):
    feedback = submit()
    assert feedback.code == "PAKN-260302-0001" and len(feedback.secret) == 10
    assert feedback.sender_name == "Trần Thị Bích" and feedback.status == S.RECEIVED
    # Monday 02/03 09:00: 2, 5 and 15 working days of 8 hours.
    assert feedback.reject_due_at == at(2026, 3, 4, 9)
    assert feedback.info_due_at == at(2026, 3, 9, 9)
    assert feedback.answer_due_at == at(2026, 3, 23, 9)
    assert submit().code == "PAKN-260302-0002"
    assert feedback.events.get().action == A.SUBMIT


def test_deadlines_skip_the_tet_holiday(province):
    feedback = submit(when=at(2026, 2, 12, 9))
    # Thu 12/02 + 2 working days: Fri 13/02, then Tết until Mon 23/02.
    assert feedback.reject_due_at == at(2026, 2, 23, 9)


@pytest.mark.parametrize(
    ("overrides", "fields"),
    [
        ({"title": "abc"}, {"title"}),
        ({"content": "ngắn"}, {"content"}),
        ({"sender_name": " "}, {"sender_name"}),
        ({"sender_phone": "", "sender_email": ""}, {"sender_phone"}),
        ({"sender_phone": "12"}, {"sender_phone"}),
        ({"sender_email": "a@"}, {"sender_email"}),
        ({"dossier_code": "000-KHONG-CO"}, {"dossier_code"}),
    ],
)
def test_invalid_submissions_are_refused_field_by_field(province, overrides, fields):
    with pytest.raises(ValidationFailed) as error:
        submit(**overrides)
    assert error.value.code == "feedback_invalid"
    assert set(error.value.extra["fields"]) == fields
    assert not Feedback.objects.exists()


def test_a_submission_may_name_the_dossier_it_is_about(province):
    dossier = receive(province, when=at(2026, 3, 2, 8))
    assert submit(dossier_code=dossier.code).dossier == dossier


def test_the_full_lifecycle_with_an_information_request_that_stops_the_clock(
    province,
):
    p = province
    feedback = submit()
    feedback = do(
        feedback,
        A.ASSIGN,
        "centre_head",
        at(2026, 3, 2, 10),
        p,
        category="staff",
        agency=p.centre_a.pk,
        officer=p.users["centre_head_a"].pk,
    )
    assert (feedback.status, feedback.category, feedback.agency) == (
        S.ASSIGNED,
        "staff",
        p.centre_a,
    )
    feedback = do(
        feedback,
        A.REQUEST_INFO,
        "centre_head_a",
        at(2026, 3, 3, 9),
        p,
        message="Ông/Bà đến quầy số mấy?",
    )
    assert feedback.status == S.INFO_REQUESTED
    with pytest.raises(PermissionDenied):
        do(feedback, A.SUPPLY_INFO, "centre_head_a", at(2026, 3, 4, 9), p, message="x")
    feedback = do(feedback, A.SUPPLY_INFO, SENDER, at(2026, 3, 5, 9), message="Quầy 2")
    # Two working days waited: the answer is due two working days later.
    assert feedback.info_wait_minutes == 960
    assert feedback.answer_due_at == at(2026, 3, 25, 9)
    feedback = do(
        feedback,
        A.ANSWER,
        "centre_head_a",
        at(2026, 3, 10, 9),
        p,
        answer="Trung tâm đã bố trí thêm cán bộ tại quầy 2.",
    )
    assert feedback.publish_due_at == at(2026, 3, 12, 9)
    with pytest.raises(ValidationFailed) as error:
        do(feedback, A.PUBLISH, "centre_head_a", at(2026, 3, 11, 9), p)
    assert error.value.code == "public_question_required"
    feedback = do(
        feedback,
        A.PUBLISH,
        "centre_head_a",
        at(2026, 3, 11, 9),
        p,
        public_question="Phản ánh về thời gian chờ tại quầy tiếp nhận.",
    )
    assert feedback.status == S.PUBLISHED
    feedback = do(feedback, A.RATE_ANSWER, SENDER, at(2026, 3, 12, 9), satisfied="true")
    assert feedback.citizen_satisfied is True
    with pytest.raises(RuleViolation) as error:
        do(feedback, A.RATE_ANSWER, SENDER, at(2026, 3, 12, 10), satisfied=False)
    assert error.value.code == "feedback_already_rated"
    assert list(feedback.events.values_list("action", "to_status")) == [
        (A.SUBMIT, S.RECEIVED),
        (A.ASSIGN, S.ASSIGNED),
        (A.REQUEST_INFO, S.INFO_REQUESTED),
        (A.SUPPLY_INFO, S.ASSIGNED),
        (A.ANSWER, S.ANSWERED),
        (A.PUBLISH, S.PUBLISHED),
        (A.RATE_ANSWER, S.PUBLISHED),
    ]
    assert FeedbackEvent.objects.filter(data__on_time=True).count() == 3


def test_information_is_requested_once_and_a_reason_is_needed_to_refuse(province):
    p = province
    feedback = submit()
    with pytest.raises(InvalidTransition):
        do(feedback, A.ANSWER, "centre_head", at(2026, 3, 2, 10), p, answer="x")
    feedback = do(
        feedback,
        A.ASSIGN,
        "centre_head",
        at(2026, 3, 2, 10),
        p,
        category="procedure",
        agency=p.police_a.pk,
    )
    feedback = do(
        feedback, A.REQUEST_INFO, "police_a", at(2026, 3, 2, 11), p, message="?"
    )
    feedback = do(feedback, A.SUPPLY_INFO, SENDER, at(2026, 3, 2, 14), message="!")
    with pytest.raises(RuleViolation) as error:
        do(feedback, A.REQUEST_INFO, "police_a", at(2026, 3, 3, 9), p, message="??")
    assert error.value.code == "info_already_requested"
    with pytest.raises(ValidationFailed) as error:
        do(feedback, A.REJECT, "police_a", at(2026, 3, 3, 9), p, reason=" ")
    assert error.value.code == "reason_required"
    feedback = do(
        feedback,
        A.REJECT,
        "police_a",
        at(2026, 3, 5, 9),
        p,
        reason="Nội dung không thuộc thẩm quyền.",
    )
    assert feedback.status == S.REJECTED
    # Refused after its 2 working days: recorded as late.
    assert feedback.events.last().data == {"on_time": False}


def test_assignment_needs_a_category_an_agency_and_an_officer_of_it(province):
    p = province
    feedback = submit()
    with pytest.raises(ValidationFailed) as error:
        do(
            feedback,
            A.ASSIGN,
            "centre_head",
            at(2026, 3, 2, 10),
            p,
            agency=p.police_a.pk,
        )
    assert error.value.code == "category_required"
    with pytest.raises(ValidationFailed) as error:
        do(feedback, A.ASSIGN, "centre_head", at(2026, 3, 2, 10), p, category="other")
    assert error.value.code == "agency_required"
    with pytest.raises(ValidationFailed) as error:
        do(
            feedback,
            A.ASSIGN,
            "centre_head",
            at(2026, 3, 2, 10),
            p,
            category="other",
            agency=p.police_a.pk,
            officer=p.users["processing_a"].pk,
        )
    assert error.value.code == "officer_invalid"


def test_who_sees_and_handles_a_pakn(province):
    p = province
    feedback = submit()
    # Unassigned: the province's supervisors and the centre heads triage it.
    assert feedback in feedback_visible_to(p.users["supervisor"])
    assert feedback in feedback_visible_to(p.users["centre_head_a"])
    assert feedback not in feedback_visible_to(p.users["police_a"])
    with pytest.raises(PermissionDenied):
        do(
            feedback,
            A.ASSIGN,
            "police_lead_a",
            at(2026, 3, 2, 10),
            p,
            category="other",
            agency=p.police_a.pk,
        )
    feedback = do(
        feedback,
        A.ASSIGN,
        "supervisor",
        at(2026, 3, 2, 10),
        p,
        category="other",
        agency=p.police_a.pk,
    )
    assert feedback in feedback_visible_to(p.users["police_a"])
    assert feedback not in feedback_visible_to(p.users["processing_a"])
    with pytest.raises(PermissionDenied):
        do(feedback, A.ANSWER, "processing_a", at(2026, 3, 2, 11), p, answer="x")
    # The agency's leader reassigns within it.
    feedback = do(
        feedback,
        A.ASSIGN,
        "police_lead_a",
        at(2026, 3, 2, 11),
        p,
        category="other",
        agency=p.police_a.pk,
        officer=p.users["police_a"].pk,
    )
    feedback = do(
        feedback, A.ANSWER, "police_a", at(2026, 3, 3, 9), p, answer="Đã xử lý."
    )
    assert feedback.answered_by == p.users["police_a"]
    # Publishing is for the agency's leaders and the triage roles.
    with pytest.raises(PermissionDenied):
        do(feedback, A.PUBLISH, "police_a", at(2026, 3, 3, 10), p, public_question="x")
    feedback = do(
        feedback,
        A.PUBLISH,
        "police_lead_a",
        at(2026, 3, 3, 10),
        p,
        public_question="Hỏi về lệ phí đăng ký thường trú.",
    )
    assert feedback.status == S.PUBLISHED


def test_the_sender_follows_the_pakn_with_its_code_and_secret(province):
    feedback = submit()
    assert (
        access_feedback_for_sender(code=feedback.code.lower(), secret=feedback.secret)
        == feedback
    )
    with pytest.raises(NotFound):
        access_feedback_for_sender(code=feedback.code, secret="WRONG")
