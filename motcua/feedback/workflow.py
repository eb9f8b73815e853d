"""
Lifecycle of a citizen's report or recommendation (PAKN): which action is
allowed from which status, where it leads, and the deadline it answers to.

No database access here. Deadlines in working days, as Decision 766 measures
them (legal-spec §6.1, §9.1 indicator 5.2): refuse within 2, ask for more
information within 5, handle within 15, publish the answer within 2.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from motcua.core.exceptions import InvalidTransition

from .constants import FeedbackAction as A
from .constants import FeedbackStatus as S

REJECT_DAYS = 2
REQUEST_INFO_DAYS = 5
ANSWER_DAYS = 15
PUBLISH_DAYS = 2


@dataclass(frozen=True, slots=True)
class Transition:
    sources: frozenset[S]
    # None keeps the current status.
    target: S | None
    # Who acts: "citizen" (with the PAKN's secret), "staff".
    actor: str = "staff"
    legal_basis: str = field(default="", compare=False)


TRANSITIONS: dict[A, Transition] = {
    A.SUBMIT: Transition(frozenset(), S.RECEIVED, actor="citizen"),
    A.ASSIGN: Transition(
        frozenset({S.RECEIVED, S.ASSIGNED}),
        S.ASSIGNED,
        legal_basis="Classification by subject (766 indicator 5.1); reassignment allowed",
    ),
    A.REQUEST_INFO: Transition(
        frozenset({S.ASSIGNED}),
        S.INFO_REQUESTED,
        legal_basis="766 indicator 5.2: ask for more information within 5 working days, once",
    ),
    A.SUPPLY_INFO: Transition(
        frozenset({S.INFO_REQUESTED}),
        S.ASSIGNED,
        actor="citizen",
        legal_basis="The 15 working days do not run while waiting for the sender",
    ),
    A.REJECT: Transition(
        frozenset({S.RECEIVED, S.ASSIGNED, S.INFO_REQUESTED}),
        S.REJECTED,
        legal_basis="766 indicator 5.2: refusal with reasons within 2 working days",
    ),
    A.ANSWER: Transition(
        frozenset({S.ASSIGNED}),
        S.ANSWERED,
        legal_basis="766 indicator 5.2: handled within 15 working days",
    ),
    A.PUBLISH: Transition(
        frozenset({S.ANSWERED}),
        S.PUBLISHED,
        legal_basis="766 indicator 5.2: answer published within 2 working days",
    ),
    A.RATE_ANSWER: Transition(
        frozenset({S.ANSWERED, S.PUBLISHED}),
        None,
        actor="citizen",
        legal_basis="766 indicator 5.3: satisfaction with the handling of PAKN",
    ),
}


def next_status(current: S, action: A) -> S:
    """
    Return the status reached by applying ``action`` in ``current``; raise
    InvalidTransition when the action is not allowed there.
    """
    transition = TRANSITIONS[action]
    if current not in transition.sources:
        raise InvalidTransition(
            _(
                "Thao tác không được phép ở trạng thái hiện tại của phản ánh, kiến nghị."
            ),
            extra={
                "action": action.value,
                "status": current.value,
                "allowed_actions": [a.value for a in allowed_actions(current)],
            },
        )
    return transition.target or current


def allowed_actions(current: S, *, actor: str | None = None) -> list[A]:
    """Return the actions offered in ``current`` (to ``actor`` if given)."""
    return [
        a
        for a, t in TRANSITIONS.items()
        if current in t.sources and (actor is None or t.actor == actor)
    ]
