"""
Dossier lifecycle: which action is allowed from which status, where it leads
and what it does to the processing clock.

No database access here, so every rule can be tested as a plain function. The
legal basis of each rule is cited next to its entry.
"""

from dataclasses import dataclass, field
from enum import StrEnum

from motcua.core.exceptions import InvalidTransition

from .constants import DossierAction as A
from .constants import DossierStatus as S


class Clock(StrEnum):
    START = "start"  # reception: the legal duration starts (D118 Art.17(3))
    KEEP = "keep"  # nothing changes
    PAUSE = "pause"  # waiting for the applicant: time does not count
    RESUME = "resume"  # the wait ends; the due time moves by the working time lost
    RESTART = "restart"  # complete supplement: duration counted afresh (D118 Art.19(5))
    STOP = "stop"  # final or resolved: the finish time is recorded


@dataclass(frozen=True, slots=True)
class Transition:
    sources: frozenset[S]
    # None keeps the current status (step-level actions).
    target: S | None
    clock: Clock = Clock.KEEP
    # A different target or clock when the action happens in the reception
    # phase (before the dossier was received), e.g. a supplement at the counter.
    reception_target: S | None = None
    reception_clock: Clock | None = None
    legal_basis: str = field(default="", compare=False)


_ACTIVE = frozenset({S.RECEIVED, S.IN_PROGRESS})
_BEFORE_DECISION = frozenset(
    {S.SUBMITTED, S.RECEIVED, S.IN_PROGRESS, S.NEEDS_SUPPLEMENT, S.AWAITING_PAYMENT}
)

TRANSITIONS: dict[A, Transition] = {
    A.SUBMIT_ONLINE: Transition(
        frozenset(),
        S.SUBMITTED,
        legal_basis="D118 Art.15(3), 17(2): online only through the NPSP",
    ),
    A.SUBMIT: Transition(frozenset(), S.SUBMITTED, legal_basis="D118 Art.15(1)(a)-(b)"),
    A.RECEIVE: Transition(
        frozenset({S.SUBMITTED}),
        S.RECEIVED,
        Clock.START,
        legal_basis="D118 Art.17(3): code issued and clock started on reception",
    ),
    A.REFUSE: Transition(
        frozenset({S.SUBMITTED, S.NEEDS_SUPPLEMENT}),
        S.REFUSED,
        Clock.STOP,
        legal_basis="D118 Art.17(1)(d): refusal with reasons, Mẫu 03",
    ),
    A.REQUEST_SUPPLEMENT: Transition(
        frozenset({S.SUBMITTED, S.RECEIVED, S.IN_PROGRESS}),
        S.NEEDS_SUPPLEMENT,
        Clock.PAUSE,
        reception_clock=Clock.KEEP,
        legal_basis="D118 Art.16(3), 19(5): once per phase; processing within 3 working days",
    ),
    A.SUPPLEMENT: Transition(
        frozenset({S.NEEDS_SUPPLEMENT}),
        S.IN_PROGRESS,
        Clock.RESTART,
        reception_target=S.SUBMITTED,
        reception_clock=Clock.KEEP,
        legal_basis="D118 Art.19(5): the duration restarts from the complete supplement",
    ),
    A.CLOSE_UNSUPPLEMENTED: Transition(
        frozenset({S.NEEDS_SUPPLEMENT}),
        S.STOPPED,
        Clock.STOP,
        legal_basis="D118 Art.19(5): closed after 15 days without a supplement",
    ),
    A.ASSIGN: Transition(_ACTIVE, None),
    A.COMPLETE_STEP: Transition(_ACTIVE, S.IN_PROGRESS),
    A.TRANSFER: Transition(_ACTIVE, S.IN_PROGRESS, legal_basis="D118 Art.18, 20"),
    A.CONSULT: Transition(_ACTIVE, S.IN_PROGRESS, legal_basis="D118 Art.19(4)(b)"),
    A.REPLY: Transition(
        frozenset({S.RECEIVED, S.IN_PROGRESS, S.NEEDS_SUPPLEMENT, S.AWAITING_PAYMENT}),
        None,
        legal_basis="D118 Art.19(4)(b): opinion within the requested time",
    ),
    A.REQUEST_PAYMENT: Transition(
        _ACTIVE,
        S.AWAITING_PAYMENT,
        Clock.PAUSE,
        legal_basis="Sectoral law: time for financial obligations is not counted",
    ),
    A.CONFIRM_PAYMENT: Transition(
        frozenset({S.AWAITING_PAYMENT}), S.IN_PROGRESS, Clock.RESUME
    ),
    A.EXTEND: Transition(
        _ACTIVE,
        None,
        legal_basis="D118 Art.19(6): apology and extension at least 1 day before, once",
    ),
    A.RESOLVE: Transition(
        _ACTIVE, S.RESOLVED, Clock.STOP, legal_basis="D118 Art.19(2), 22"
    ),
    A.REJECT: Transition(
        _ACTIVE,
        S.RESOLVED,
        Clock.STOP,
        legal_basis="D118 Art.19(3): refusal with legal reasons",
    ),
    A.RETURN_RESULT: Transition(
        frozenset({S.RESOLVED}), S.RETURNED, legal_basis="D118 Art.22"
    ),
    A.REQUEST_WITHDRAWAL: Transition(
        _BEFORE_DECISION,
        S.WITHDRAWAL_REQUESTED,
        legal_basis="D118 Art.21: stop on request only before the decision is issued",
    ),
    A.STOP: Transition(
        _BEFORE_DECISION | {S.WITHDRAWAL_REQUESTED},
        S.STOPPED,
        Clock.STOP,
        legal_basis="D118 Art.21, TT03/2025 Art.7: Mẫu 05",
    ),
    A.CORRECT_RESULT: Transition(
        frozenset({S.RESOLVED, S.RETURNED}),
        None,
        legal_basis="D118 Art.23(1): errors in a result fixed within 3 working days",
    ),
}

# Actions whose effect is on one processing step rather than the whole dossier.
STEP_ACTIONS = frozenset({A.ASSIGN, A.COMPLETE_STEP, A.TRANSFER})
# Actions that create a dossier; they have no source status.
CREATING_ACTIONS = frozenset({A.SUBMIT_ONLINE, A.SUBMIT})


@dataclass(frozen=True, slots=True)
class Outcome:
    target: S
    clock: Clock


def apply(current: S, action: A, *, received: bool = True) -> Outcome:
    """
    Return the status and clock effect of ``action`` on a dossier in ``current``.

    ``received`` says whether the dossier has been received (its code issued):
    a supplement requested before that belongs to the reception phase and
    neither pauses nor restarts the legal clock. Raise InvalidTransition when
    the action is not allowed from ``current``.
    """
    transition = TRANSITIONS[action]
    if current not in transition.sources:
        raise InvalidTransition(
            extra={
                "action": action.value,
                "status": current.value,
                "allowed_actions": [a.value for a in allowed_actions(current)],
            }
        )
    target = transition.target or current
    clock = transition.clock
    if not received:
        target = transition.reception_target or target
        clock = transition.reception_clock or clock
    return Outcome(target, clock)


def allowed_actions(current: S) -> list[A]:
    """Return the actions that may be offered for a dossier in ``current``."""
    return [a for a, t in TRANSITIONS.items() if current in t.sources]


def table_markdown() -> str:
    """Return the transition table as Markdown (docs/workflow.md is generated from it)."""
    from .constants import PORTAL_STATUS_CODES

    lines = [
        "# Dossier lifecycle",
        "",
        "Generated from `motcua/dossiers/workflow.py` by `motcua/dossiers/tests/test_docs.py`;",
        "do not edit by hand (run `MOTCUA_REGENERATE_DOCS=1 pytest motcua/dossiers/tests/test_docs.py`).",
        "",
        "## Statuses",
        "",
        "| portal code | status | label |",
        "|---|---|---|",
    ]
    lines += [f"| {PORTAL_STATUS_CODES[s]} | `{s.value}` | {s.label} |" for s in S]
    lines += [
        "",
        "## Actions",
        "",
        "| action | from | to | clock | before reception | legal basis |",
        "|---|---|---|---|---|---|",
    ]
    for action, t in TRANSITIONS.items():
        sources = (
            ", ".join(f"`{s.value}`" for s in sorted(t.sources)) or "(new dossier)"
        )
        target = f"`{t.target.value}`" if t.target else "(unchanged)"
        reception = ""
        if t.reception_target or t.reception_clock:
            parts = [
                f"`{t.reception_target.value}`" if t.reception_target else "",
                t.reception_clock or "",
            ]
            reception = " / ".join(p for p in parts if p)
        lines.append(
            f"| `{action.value}` | {sources} | {target} | {t.clock} | {reception} | {t.legal_basis} |"
        )
    return "\n".join(lines) + "\n"


def reachable_statuses() -> set[S]:
    """Return every status reachable from a new dossier (used to check the table)."""
    seen: set[S] = {S.SUBMITTED}
    frontier = [S.SUBMITTED]
    while frontier:
        status = frontier.pop()
        for action in allowed_actions(status):
            for received in (False, True):
                try:
                    target = apply(status, action, received=received).target
                except InvalidTransition:
                    continue
                if target not in seen:
                    seen.add(target)
                    frontier.append(target)
    return seen
