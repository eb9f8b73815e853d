import importlib

from django.apps import apps

import pytest
import time_machine

from motcua.feedback.access import SENDER
from motcua.feedback.constants import FeedbackAction
from motcua.feedback.services import (
    feedback_apply_action,
    feedback_submit,
    rating_submit,
)
from motcua.testing.lifecycle import at
from motcua.testing.province import build_small_province

from .scenario import build_march

_SEED = importlib.import_module("motcua.supervision.migrations.0002_seed_indicators")


@pytest.fixture(autouse=True)
def _seeded_indicators(request):
    """
    The 766 indicators come from a data migration, which a transactional
    test elsewhere in the session flushes away: put them back when missing.
    """
    names = request.fixturenames
    if "transactional_db" in names:
        request.getfixturevalue("transactional_db")
    elif "db" in names:
        request.getfixturevalue("db")
    else:
        return
    if not apps.get_model("supervision", "Indicator").objects.exists():
        _SEED.seed(apps, None)


@pytest.fixture
def province(db):
    # Built before the month the scenario plays in, so the catalog's
    # publication dates are not in it.
    with time_machine.travel(at(2026, 1, 15, 9), tick=False):
        return build_small_province()


@pytest.fixture
def march(province):
    return build_march(province)


@pytest.fixture
def april_15():
    """Measure in the middle of April: March is over, its events all past."""
    with time_machine.travel(at(2026, 4, 15, 9), tick=False):
        yield


PAKN = {
    "content": "Nội dung phản ánh đủ dài để được tiếp nhận.",
    "sender_name": "Lê Văn Bình",
    "sender_phone": "0912345678",
}


def rate(dossier, level, channel, when):
    answers = dict.fromkeys(["a", "b", "c", "d", "dd", "e"], level)
    with time_machine.travel(when, tick=False):
        return rating_submit(dossier, answers, channel)


def pakn(p, when, title, *steps):
    feedback = feedback_submit(data={**PAKN, "title": title}, now=when)
    for action, who, moment, data in steps:
        actor = SENDER if who == "sender" else p.users[who]
        feedback = feedback_apply_action(
            feedback=feedback, action=action, actor=actor, data=data, now=moment
        )
    return feedback


@pytest.fixture
def march_feedback(march, province):
    p, d = province, march.d
    # Three counted ratings, one of them dissatisfied; D4's second rating,
    # on another channel, is kept but does not count.
    rate(d["D1"], 5, "kiosk", at(2026, 3, 6, 10))
    rate(d["D2"], 4, "notification", at(2026, 3, 10, 10))
    rate(d["D4"], 2, "lookup", at(2026, 3, 20, 10))
    rate(d["D4"], 5, "kiosk", at(2026, 3, 21, 10))
    # P1 answered and published on time, the sender satisfied.
    pakn(
        p,
        at(2026, 3, 2, 9),
        "Thái độ cán bộ",
        (
            FeedbackAction.ASSIGN,
            "centre_head",
            at(2026, 3, 2, 10),
            {"category": "staff", "agency": p.centre_a.pk},
        ),
        (
            FeedbackAction.ANSWER,
            "centre_head_a",
            at(2026, 3, 10, 9),
            {"answer": "Đã chấn chỉnh."},
        ),
        (
            FeedbackAction.PUBLISH,
            "centre_head_a",
            at(2026, 3, 11, 9),
            {"public_question": "Về thái độ phục vụ."},
        ),
        (FeedbackAction.RATE_ANSWER, "sender", at(2026, 3, 12, 9), {"satisfied": True}),
    )
    # P2 refused after its 2 working days: late.
    pakn(
        p,
        at(2026, 3, 3, 9),
        "Lệ phí cư trú",
        (
            FeedbackAction.ASSIGN,
            "centre_head",
            at(2026, 3, 3, 10),
            {"category": "procedure", "agency": p.police_a.pk},
        ),
        (
            FeedbackAction.REJECT,
            "police_a",
            at(2026, 3, 9, 9),
            {"reason": "Không thuộc phạm vi."},
        ),
    )
    # P3 not yet due at the end of March; P4 overdue (due 23/03) and untouched.
    pakn(
        p,
        at(2026, 3, 20, 9),
        "Góp ý chung",
        (
            FeedbackAction.ASSIGN,
            "centre_head",
            at(2026, 3, 20, 10),
            {"category": "other", "agency": p.centre_a.pk},
        ),
    )
    pakn(p, at(2026, 3, 2, 10), "Chưa được trả lời")
    return march
