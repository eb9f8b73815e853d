"""
The action panel of the dossier page: which action forms an officer sees,
grouped by the active step or the open consultation they act on.

What is offered comes from ``dossier_actions_for`` (the lifecycle table and
``may_act``), narrowed to the steps and consultations of the officer's units;
the services still decide when a form is sent.
"""

from dataclasses import dataclass, field
from typing import Any

from motcua.catalog.constants import StepKind
from motcua.dossiers.access import may_act
from motcua.dossiers.constants import ConsultationStatus, StepStatus
from motcua.dossiers.constants import DossierAction as A
from motcua.dossiers.models import Consultation, Dossier, DossierStep
from motcua.dossiers.querysets import staff_scope
from motcua.dossiers.selectors import dossier_actions_for

from .forms.actions import (
    ACTION_FORMS,
    CONSULTATION_ACTIONS,
    STEP_ACTIONS,
    ActionForm,
)

# Dossier-level actions, the usual next move first and the final ones last.
ORDER = (
    A.RECEIVE,
    A.SUPPLEMENT,
    A.RESOLVE,
    A.CONFIRM_PAYMENT,
    A.RETURN_RESULT,
    A.REQUEST_SUPPLEMENT,
    A.REQUEST_PAYMENT,
    A.CONSULT,
    A.EXTEND,
    A.REQUEST_WITHDRAWAL,
    A.CORRECT_RESULT,
    A.REFUSE,
    A.REJECT,
    A.STOP,
    A.CLOSE_UNSUPPLEMENTED,
)


@dataclass
class ActionGroup:
    """The forms for one active step, one consultation, or the whole dossier."""

    forms: list[ActionForm] = field(default_factory=list)
    step: DossierStep | None = None
    consultation: Consultation | None = None


def _step_permits(user, dossier: Dossier, action: A, step: DossierStep) -> bool:
    if action == A.COMPLETE_STEP and step.kind in (StepKind.SIGNING, StepKind.RETURN):
        # Those steps end with "resolve" and "return_result".
        return False
    return may_act(user, action, dossier, step=step)


def _my_consultations(user, dossier: Dossier) -> list[Consultation]:
    _province_wide, units = staff_scope(user)
    return [
        c
        for c in dossier.consultations.all()
        if c.status == ConsultationStatus.OPEN
        and (user.is_superuser or c.to_agency_id in units)
    ]


def action_panel(dossier: Dossier, user) -> list[ActionGroup]:
    """
    Return the action forms ``user`` may use on ``dossier``, unbound: one
    group per active step and open consultation of theirs, then the
    dossier-wide actions. Empty when there is nothing for them to do.
    """
    allowed = set(dossier_actions_for(user, dossier))
    groups: list[ActionGroup] = []
    active = [s for s in dossier.steps.all() if s.status == StepStatus.ACTIVE]
    for step in active:
        forms = [
            ACTION_FORMS[action](dossier=dossier, step=step)
            for action in STEP_ACTIONS
            if action in allowed and _step_permits(user, dossier, action, step)
        ]
        if forms:
            groups.append(ActionGroup(forms=forms, step=step))
    if A.REPLY in allowed:
        groups.extend(
            ActionGroup(
                forms=[ACTION_FORMS[A.REPLY](dossier=dossier, consultation=c)],
                consultation=c,
            )
            for c in _my_consultations(user, dossier)
        )
    rest = [
        ACTION_FORMS[action](dossier=dossier)
        for action in ORDER
        if action in allowed
        and action not in STEP_ACTIONS
        and action not in CONSULTATION_ACTIONS
    ]
    if rest:
        groups.append(ActionGroup(forms=rest))
    return groups


def bound_action_form(dossier: Dossier, user, data: Any) -> ActionForm | None:
    """
    Return the form of the action posted in ``data``, bound, if ``user`` is
    offered it on ``dossier`` (for that step or consultation); else None.
    """
    try:
        action = A(data.get("action", ""))
    except ValueError:
        return None
    target = data.get("target", "")
    target_id = int(target) if str(target).isdigit() else None
    if action not in dossier_actions_for(user, dossier):
        return None
    form_class = ACTION_FORMS[action]
    if action in STEP_ACTIONS:
        step = next(
            (
                s
                for s in dossier.steps.all()
                if s.pk == target_id and s.status == StepStatus.ACTIVE
            ),
            None,
        )
        if step is None or not _step_permits(user, dossier, action, step):
            return None
        return form_class(data, dossier=dossier, step=step)
    if action in CONSULTATION_ACTIONS:
        consultation = next(
            (c for c in _my_consultations(user, dossier) if c.pk == target_id), None
        )
        if consultation is None:
            return None
        return form_class(data, dossier=dossier, consultation=consultation)
    return form_class(data, dossier=dossier)
