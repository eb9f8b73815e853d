"""
The one entry point that changes a dossier: ``dossier_apply_action``.

It locks the dossier, checks the caller's right and the transition table,
lets the action's handler apply its legal rules, moves the clock, appends the
event and the audit row, and hands the event to the configured consumers
(portal outbox, notifications) — all in one transaction.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.audit.models import AuditEvent
from motcua.audit.services import audit_record
from motcua.core.calendar import WorkingCalendar
from motcua.core.exceptions import Conflict, InvalidTransition, ValidationFailed
from motcua.core.registry import configured_callables
from motcua.dossiers import deadlines, workflow
from motcua.dossiers.access import Side, SystemActor, check_may_act
from motcua.dossiers.constants import (
    ConsultationStatus,
    DossierAction,
    DossierStatus,
    StepStatus,
)
from motcua.dossiers.models import Dossier, DossierEvent, DossierStep
from motcua.dossiers.workflow import Clock


@dataclass
class ActionContext:
    """What a handler needs and records while applying one action."""

    dossier: Dossier
    action: DossierAction
    actor: Any
    now: datetime
    note: str
    data: dict[str, Any]
    calendar: WorkingCalendar
    outcome: workflow.Outcome
    steps: list[DossierStep] = field(default_factory=list)
    step: DossierStep | None = None
    agency_id: int | None = None
    event_data: dict[str, Any] = field(default_factory=dict)
    event_public: bool = True
    authorized: bool = False
    changed_steps: set[int] = field(default_factory=set)
    # When the finish measured for timeliness differs from the actual one.
    measured_finish: datetime | None = None

    def authorize(self, *, sides: tuple[Side, ...] | None = None) -> None:
        check_may_act(
            self.actor, self.action, self.dossier, step=self.step, sides=sides
        )
        self.authorized = True

    def require(self, key: str, message: Any) -> Any:
        value = self.data.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            raise ValidationFailed(
                message, code=f"{key}_required", extra={"field": key}
            )
        return value.strip() if isinstance(value, str) else value

    def touch(self, step: DossierStep) -> None:
        self.changed_steps.add(step.pk)


Handler = Callable[[ActionContext], None]
HANDLERS: dict[DossierAction, Handler] = {}


def handles(action: DossierAction) -> Callable[[Handler], Handler]:
    def register(func: Handler) -> Handler:
        HANDLERS[action] = func
        return func

    return register


def record_event(
    dossier: Dossier,
    *,
    action: DossierAction,
    from_status: str,
    actor: Any,
    now: datetime,
    note: str = "",
    data: dict[str, Any] | None = None,
    agency_id: int | None = None,
    step: DossierStep | None = None,
    public: bool = True,
) -> DossierEvent:
    """Append an event, the audit row, and hand the event to the consumers."""
    event = DossierEvent.objects.create(
        dossier=dossier,
        action=action,
        from_status=from_status,
        to_status=dossier.status,
        actor=None if isinstance(actor, SystemActor) else actor,
        actor_label=str(getattr(actor, "display_name", None) or actor),
        agency_id=agency_id,
        step=step,
        note=note,
        data=data or {},
        due_at=dossier.due_at,
        is_public=public,
        created_at=now,
    )
    audit_record(
        event_type=AuditEvent.DOSSIER_CREATE
        if action in workflow.CREATING_ACTIONS
        else AuditEvent.DOSSIER_ACTION,
        actor=None if isinstance(actor, SystemActor) else actor,
        target=dossier,
        extra={
            "action": action.value,
            "from": from_status,
            "to": dossier.status,
            "event": event.pk,
        },
    )
    for consumer in configured_callables("MOTCUA_DOSSIER_EVENT_CONSUMERS"):
        consumer(event)
    return event


def sub_state_of(dossier: Dossier, steps: list[DossierStep]) -> str:
    """Return the internal sub-state shown in queues (the active step's kind)."""
    if dossier.status in (DossierStatus.RECEIVED, DossierStatus.IN_PROGRESS):
        if dossier.consultations.filter(status=ConsultationStatus.OPEN).exists():
            return "consulting"
        kinds = sorted({s.kind for s in steps if s.status == StepStatus.ACTIVE})
        return "+".join(kinds)[:32]
    if dossier.status == DossierStatus.SUBMITTED:
        return "awaiting_acceptance"
    if dossier.status == DossierStatus.RESOLVED:
        return "awaiting_return"
    return ""


def _apply_clock(ctx: ActionContext) -> None:
    dossier, now, calendar = ctx.dossier, ctx.now, ctx.calendar
    clock = ctx.outcome.clock
    if clock == Clock.PAUSE:
        dossier.paused_at = now
    elif clock == Clock.RESUME and dossier.paused_at is not None:
        # Waiting for a financial obligation does not count: the due time and
        # the running steps move by the working time lost.
        lost = max(0, calendar.working_minutes_between(dossier.paused_at, now))
        if lost:
            dossier.due_at = calendar.moment_at(calendar.offset(dossier.due_at) + lost)
            for step in ctx.steps:
                if step.status == StepStatus.ACTIVE and step.due_at is not None:
                    step.due_at = calendar.moment_at(
                        calendar.offset(step.due_at) + lost
                    )
                    ctx.touch(step)
        dossier.paused_minutes += lost
        dossier.paused_at = None
    elif clock == Clock.RESTART:
        # Decree 118 Art.19(5): the full duration counts again from the
        # complete supplement; the running steps start over too.
        if dossier.paused_at is not None:
            dossier.paused_minutes += max(
                0, calendar.working_minutes_between(dossier.paused_at, now)
            )
        dossier.paused_at = None
        dossier.clock_started_at = now
        dossier.due_at = deadlines.dossier_legal_due(calendar, dossier, start=now)
        for step in ctx.steps:
            if step.status == StepStatus.ACTIVE:
                step.started_at = now
                step.due_at = deadlines.step_due(
                    calendar, started_at=now, minutes=step.allotted_minutes
                )
                ctx.touch(step)
    elif clock == Clock.STOP:
        dossier.paused_at = None
        if dossier.finished_at is None:
            dossier.finished_at = now
        if dossier.received_at is not None:
            dossier.timeliness = deadlines.timeliness(
                calendar,
                finished_at=ctx.measured_finish or dossier.finished_at,
                due_at=dossier.due_at,
                counted_late=dossier.counted_late,
            )


@transaction.atomic
def dossier_apply_action(
    *,
    dossier: Dossier,
    action: DossierAction | str,
    actor: Any,
    note: str = "",
    data: dict[str, Any] | None = None,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Dossier:
    """
    Apply a lifecycle ``action`` to ``dossier`` on behalf of ``actor``.

    ``data`` carries the action's parameters (reason, step, assignee, new due
    time…). Raise a DomainError, changing nothing, when the action is not
    allowed, not permitted or breaks a legal rule. Return the updated dossier.
    """
    action = DossierAction(action)
    if action in workflow.CREATING_ACTIONS:
        raise InvalidTransition(
            _("Dùng dịch vụ tạo hồ sơ để nộp hồ sơ mới."), code="use_dossier_create"
        )
    # Row lock on PostgreSQL: a second officer acting at the same time waits,
    # then sees the new status and is refused by the table if it no longer fits.
    dossier = (
        Dossier.objects.select_for_update()
        .select_related(
            "procedure_version__procedure", "competent_agency", "receiving_centre"
        )
        .get(pk=dossier.pk)
    )
    if expected_version is not None and dossier.version != expected_version:
        raise Conflict(
            extra={"expected_version": expected_version, "version": dossier.version}
        )
    previous = DossierStatus(dossier.status)
    outcome = workflow.apply(previous, action, received=dossier.is_received)
    ctx = ActionContext(
        dossier=dossier,
        action=action,
        actor=actor,
        now=now or timezone.now(),
        note=(note or "").strip(),
        data=dict(data or {}),
        calendar=deadlines.calendar_of(dossier),
        outcome=outcome,
        steps=list(dossier.steps.order_by("order")),
    )
    HANDLERS[action](ctx)
    if not ctx.authorized:
        raise AssertionError(f"The handler of {action} did not authorise the actor.")
    dossier.status = outcome.target
    _apply_clock(ctx)
    dossier.sub_state = sub_state_of(dossier, ctx.steps)
    dossier.version += 1
    dossier.save()
    changed = [s for s in ctx.steps if s.pk in ctx.changed_steps]
    if changed:
        DossierStep.objects.bulk_update(
            changed,
            [
                "status",
                "started_at",
                "due_at",
                "completed_at",
                "completed_by",
                "timeliness",
                "used_minutes",
                "assignee",
                "agency",
                "result_note",
            ],
        )
    record_event(
        dossier,
        action=action,
        from_status=previous,
        actor=actor,
        now=ctx.now,
        note=ctx.note,
        data=ctx.event_data,
        agency_id=ctx.agency_id,
        step=ctx.step,
        public=ctx.event_public,
    )
    return dossier
