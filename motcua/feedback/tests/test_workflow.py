"""The PAKN lifecycle table, exhaustively."""

import pytest

from motcua.core.exceptions import InvalidTransition
from motcua.feedback import workflow
from motcua.feedback.constants import FeedbackAction as A
from motcua.feedback.constants import FeedbackStatus as S

EXPECTED = {
    (S.RECEIVED, A.ASSIGN): S.ASSIGNED,
    (S.ASSIGNED, A.ASSIGN): S.ASSIGNED,
    (S.ASSIGNED, A.REQUEST_INFO): S.INFO_REQUESTED,
    (S.INFO_REQUESTED, A.SUPPLY_INFO): S.ASSIGNED,
    (S.RECEIVED, A.REJECT): S.REJECTED,
    (S.ASSIGNED, A.REJECT): S.REJECTED,
    (S.INFO_REQUESTED, A.REJECT): S.REJECTED,
    (S.ASSIGNED, A.ANSWER): S.ANSWERED,
    (S.ANSWERED, A.PUBLISH): S.PUBLISHED,
    (S.ANSWERED, A.RATE_ANSWER): S.ANSWERED,
    (S.PUBLISHED, A.RATE_ANSWER): S.PUBLISHED,
}


@pytest.mark.parametrize("status", list(S))
@pytest.mark.parametrize("action", [a for a in A if a != A.SUBMIT])
def test_every_pair_of_status_and_action(status, action):
    expected = EXPECTED.get((status, action))
    if expected is None:
        with pytest.raises(InvalidTransition) as error:
            workflow.next_status(status, action)
        assert error.value.extra["status"] == status.value
    else:
        assert workflow.next_status(status, action) == expected


def test_rejected_and_published_are_final_for_staff():
    assert workflow.allowed_actions(S.REJECTED) == []
    assert workflow.allowed_actions(S.PUBLISHED, actor="staff") == []
    assert workflow.allowed_actions(S.PUBLISHED, actor="citizen") == [A.RATE_ANSWER]


def test_the_deadlines_are_those_decision_766_measures():
    assert (
        workflow.REJECT_DAYS,
        workflow.REQUEST_INFO_DAYS,
        workflow.ANSWER_DAYS,
        workflow.PUBLISH_DAYS,
    ) == (2, 5, 15, 2)
