"""
Reminders the sweep sends to staff, once per dossier and threshold:

- online dossiers still waiting for acceptance 2 working hours into their 8
  (Decree 118/2025 Art.17(2)), and those past the 8 hours;
- received dossiers due soon (within MOTCUA_DUE_SOON_WORKING_HOURS) and
  overdue (Art.8(1)(d), 9(1): the centre urges the agencies).

Nothing here changes a dossier: the acceptance breach itself is recorded by
the dossier service when the dossier is finally accepted.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from motcua.core.calendar import WorkingCalendar
from motcua.dossiers import deadlines
from motcua.dossiers.constants import StepStatus
from motcua.dossiers.models import Dossier

from .constants import ReminderKind
from .models import Reminder
from .rules import reminder_rules
from .services import notification_context, notifications_create_for_rules

logger = logging.getLogger(__name__)

# Longest wall-clock stretch one working day can span (Tết: 9 days off).
_LOOKAHEAD = timedelta(days=21)


@dataclass
class ReminderReport:
    sent: dict[str, int] = field(default_factory=dict)
    notifications: int = 0

    def add(self, kind: str, notifications: int) -> None:
        self.sent[kind] = self.sent.get(kind, 0) + 1
        self.notifications += notifications


def _not_reminded(queryset, kind: ReminderKind, threshold_field: str):
    return queryset.exclude(
        Exists(
            Reminder.objects.filter(
                dossier=OuterRef("pk"),
                kind=kind,
                threshold_at=OuterRef(threshold_field),
            )
        )
    )


def reminder_send(
    dossier: Dossier,
    kind: ReminderKind,
    *,
    threshold_at: datetime,
    now: datetime,
    extra: dict | None = None,
) -> int | None:
    """
    Record the reminder and create its messages, in one transaction. Return
    the number of messages, or None if this threshold was already reminded.
    """
    with transaction.atomic():
        reminder, created = Reminder.objects.get_or_create(
            dossier=dossier,
            kind=kind,
            threshold_at=threshold_at,
            defaults={"created_at": now},
        )
        if not created:
            return None
        steps = [s.name for s in dossier.steps.all() if s.status == StepStatus.ACTIVE]
        created_messages = notifications_create_for_rules(
            dossier,
            reminder_rules().get(kind, ()),
            key_prefix=f"reminder:{reminder.pk}",
            context=notification_context(
                dossier, extra={"steps": steps, **(extra or {})}
            ),
            reminder=reminder,
        )
        reminder.recipients = len({n.recipient_user_id for n in created_messages})
        reminder.save(update_fields=["recipients"])
    return len(created_messages)


def _related(queryset):
    return queryset.select_related(
        "procedure_version", "receiving_centre", "competent_agency"
    ).prefetch_related("steps", "fees")


def acceptance_reminders(*, now: datetime, report: ReminderReport) -> None:
    """Alert reception staff of online dossiers waiting for acceptance."""
    alert_after = deadlines.ONLINE_ALERT_MINUTES
    window = deadlines.ONLINE_ACCEPTANCE_MINUTES
    waiting = Dossier.objects.awaiting_acceptance().filter(
        channel="online", acceptance_due_at__isnull=False
    )
    overdue = _not_reminded(
        waiting.filter(acceptance_due_at__lte=now),
        ReminderKind.ACCEPTANCE_OVERDUE,
        "acceptance_due_at",
    )
    for dossier in _related(overdue).order_by("acceptance_due_at", "pk"):
        sent = reminder_send(
            dossier,
            ReminderKind.ACCEPTANCE_OVERDUE,
            threshold_at=dossier.acceptance_due_at,
            now=now,
        )
        if sent is not None:
            report.add(ReminderKind.ACCEPTANCE_OVERDUE, sent)
    pending = _not_reminded(
        waiting.filter(acceptance_due_at__gt=now),
        ReminderKind.ACCEPTANCE_ALERT,
        "acceptance_due_at",
    )
    for dossier in _related(pending).order_by("acceptance_due_at", "pk"):
        calendar = deadlines.calendar_of(dossier)
        # Counted back from the acceptance due time, so a dossier resubmitted
        # after a reception-phase supplement gets its own fresh 2 hours.
        left = calendar.working_minutes_between(now, dossier.acceptance_due_at)
        if window - left < alert_after:
            continue
        sent = reminder_send(
            dossier,
            ReminderKind.ACCEPTANCE_ALERT,
            threshold_at=dossier.acceptance_due_at,
            now=now,
        )
        if sent is not None:
            report.add(ReminderKind.ACCEPTANCE_ALERT, sent)


def due_reminders(*, now: datetime, report: ReminderReport) -> None:
    """Remind the step holders and the centre head of due-soon and overdue dossiers."""
    running = Dossier.objects.running().filter(due_at__isnull=False)
    overdue = _not_reminded(
        running.filter(due_at__lt=now), ReminderKind.OVERDUE, "due_at"
    )
    for dossier in _related(overdue).order_by("due_at", "pk"):
        sent = reminder_send(
            dossier, ReminderKind.OVERDUE, threshold_at=dossier.due_at, now=now
        )
        if sent is not None:
            report.add(ReminderKind.OVERDUE, sent)
    soon_minutes = round(settings.MOTCUA_DUE_SOON_WORKING_HOURS * 60)
    soon = _not_reminded(
        running.filter(due_at__gte=now, due_at__lte=now + _LOOKAHEAD),
        ReminderKind.DUE_SOON,
        "due_at",
    )
    calendars: dict[int, WorkingCalendar] = {}
    for dossier in _related(soon).order_by("due_at", "pk"):
        calendar = calendars.setdefault(
            dossier.competent_agency_id, deadlines.calendar_of(dossier)
        )
        left = calendar.working_minutes_between(now, dossier.due_at)
        if left > soon_minutes:
            continue
        sent = reminder_send(
            dossier,
            ReminderKind.DUE_SOON,
            threshold_at=dossier.due_at,
            now=now,
            extra={"working_hours_left": f"{left / 60:.1f}".rstrip("0").rstrip(".")},
        )
        if sent is not None:
            report.add(ReminderKind.DUE_SOON, sent)


def reminders_send_due(*, now: datetime | None = None) -> ReminderReport:
    """Send every reminder whose threshold has come and that was not sent yet."""
    now = now or timezone.now()
    report = ReminderReport()
    acceptance_reminders(now=now, report=report)
    due_reminders(now=now, report=report)
    return report
