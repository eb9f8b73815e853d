"""The lifecycle table, checked as data."""

import pytest

from motcua.core.exceptions import InvalidTransition
from motcua.dossiers.constants import FINAL_STATUSES, DossierAction, DossierStatus
from motcua.dossiers.workflow import (
    CREATING_ACTIONS,
    TRANSITIONS,
    Clock,
    allowed_actions,
    apply,
    reachable_statuses,
)

ALL_PAIRS = [
    (s, a) for s in DossierStatus for a in DossierAction if a not in CREATING_ACTIONS
]


def test_every_status_is_reachable_from_a_new_dossier():
    assert reachable_statuses() == set(DossierStatus)


@pytest.mark.parametrize(
    "status", [s for s in DossierStatus if s not in FINAL_STATUSES]
)
def test_every_open_status_has_a_way_forward(status):
    assert allowed_actions(status)


@pytest.mark.parametrize("status", [DossierStatus.REFUSED, DossierStatus.STOPPED])
def test_refused_and_stopped_dossiers_accept_only_a_refund(status):
    assert allowed_actions(status) == [DossierAction.RECORD_REFUND]


@pytest.mark.parametrize(("status", "action"), ALL_PAIRS)
def test_apply_follows_the_table(status, action):
    transition = TRANSITIONS[action]
    if status in transition.sources:
        outcome = apply(status, action, received=True)
        assert outcome.target == (transition.target or status)
    else:
        with pytest.raises(InvalidTransition) as error:
            apply(status, action, received=True)
        assert action.value not in error.value.extra["allowed_actions"]
        assert error.value.extra["status"] == status.value


def test_a_supplement_before_reception_neither_pauses_nor_restarts_the_clock():
    requested = apply(
        DossierStatus.SUBMITTED, DossierAction.REQUEST_SUPPLEMENT, received=False
    )
    assert (requested.target, requested.clock) == (
        DossierStatus.NEEDS_SUPPLEMENT,
        Clock.KEEP,
    )
    supplied = apply(
        DossierStatus.NEEDS_SUPPLEMENT, DossierAction.SUPPLEMENT, received=False
    )
    assert (supplied.target, supplied.clock) == (DossierStatus.SUBMITTED, Clock.KEEP)


def test_a_supplement_during_processing_pauses_then_restarts_the_clock():
    assert (
        apply(DossierStatus.IN_PROGRESS, DossierAction.REQUEST_SUPPLEMENT).clock
        == Clock.PAUSE
    )
    supplied = apply(DossierStatus.NEEDS_SUPPLEMENT, DossierAction.SUPPLEMENT)
    assert (supplied.target, supplied.clock) == (
        DossierStatus.IN_PROGRESS,
        Clock.RESTART,
    )


def test_withdrawal_is_refused_once_a_decision_exists():
    for status in (DossierStatus.RESOLVED, DossierStatus.RETURNED):
        assert DossierAction.REQUEST_WITHDRAWAL not in allowed_actions(status)
        assert DossierAction.STOP not in allowed_actions(status)


def test_every_rule_from_the_law_cites_its_basis():
    for action in (
        DossierAction.REQUEST_SUPPLEMENT,
        DossierAction.EXTEND,
        DossierAction.CORRECT_RESULT,
        DossierAction.RECEIVE,
        DossierAction.CLOSE_UNSUPPLEMENTED,
        DossierAction.STOP,
    ):
        assert "Art." in TRANSITIONS[action].legal_basis
