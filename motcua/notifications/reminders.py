"""
Reminders the sweep sends to staff, once per dossier and threshold:

- online dossiers still waiting for acceptance 2 working hours into their 8
  (Decree 118/2025 Art.17(2)), and those past the 8 hours;
- received dossiers at risk or due soon, and overdue (Art.8(1)(d), 9(1):
  the centre urges the agencies). Who is at risk, and who is concerned,
  comes from supervision's early warnings (``dossiers_at_risk``): a dossier
  is due soon when, at the usual pace of the units holding its steps, less
  than a working day of slack is left, or at the latest
  MOTCUA_DUE_SOON_WORKING_HOURS before its due time;
- dossiers that will be late at the usual pace while the apology and
  extension (Mẫu 04) may still be issued (Art.19(6)): the suggestion to
  issue it before ``extend_before``.

Nothing here changes a dossier: the acceptance breach itself is recorded by
the dossier service when the dossier is finally accepted.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from motcua.core.calendar import WorkingCalendar
from motcua.dossiers import deadlines
from motcua.dossiers.constants import StepStatus
from motcua.dossiers.models import Dossier
from motcua.supervision.selectors.warnings import (
    LEVELS,
    RiskAssessment,
    dossiers_at_risk,
)

from .constants import Audience, ReminderKind
from .models import Reminder
from .recipients import Recipient, staff_recipients
from .rules import reminder_rules
from .services import (
    format_moment,
    notification_context,
    notifications_create_for_rules,
)

logger = logging.getLogger(__name__)


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
    recipients: dict[str, list[Recipient]] | None = None,
) -> int | None:
    """
    Record the reminder and create its messages, in one transaction. Return
    the number of messages, or None if this threshold was already reminded.
    ``recipients`` names the people of some audiences (else the rules'
    audiences are resolved for the dossier).
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
            recipients=recipients,
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


def _people(risk: RiskAssessment | None) -> dict[str, list[Recipient]] | None:
    """The step holders and centre heads the early warning names, by audience."""
    if risk is None:
        return None
    return {
        Audience.STEP_HOLDER: staff_recipients(risk.officer_ids),
        Audience.CENTRE_HEAD: staff_recipients(risk.centre_head_ids),
    }


def _hours(minutes: int) -> str:
    return f"{minutes / 60:.1f}".rstrip("0").rstrip(".")


def _forecast_context(risk: RiskAssessment) -> dict[str, str]:
    return {
        "working_hours_left": _hours(max(0, risk.remaining_minutes)),
        "expected_hours": _hours(risk.expected_minutes)
        if risk.expected_minutes > 0
        else "",
        "predicted_finish": format_moment(risk.predicted_finish),
        "extend_before": format_moment(risk.extend_before),
        "suggested_due_at": format_moment(risk.suggested_due_at),
    }


def due_reminders(*, now: datetime, report: ReminderReport) -> None:
    """
    Remind the step holders and the receiving centre's heads of dossiers due
    soon or overdue, and suggest the apology and extension while it may
    still be issued; the people and the forecast come from
    ``supervision.selectors.warnings.dossiers_at_risk``.
    """
    # Every running dossier is assessed: the overdue ones take their people
    # from it too, and the fixed due-soon window needs the time left.
    risks = {r.dossier.pk: r for r in dossiers_at_risk(at=now, levels=LEVELS)}
    running = Dossier.objects.running().filter(due_at__isnull=False)
    overdue = _not_reminded(
        running.filter(due_at__lt=now), ReminderKind.OVERDUE, "due_at"
    )
    for dossier in _related(overdue).order_by("due_at", "pk"):
        # A dossier the forecast could not assess (a calendar not loaded
        # that far) is still reminded, to the audiences of the rules.
        sent = reminder_send(
            dossier,
            ReminderKind.OVERDUE,
            threshold_at=dossier.due_at,
            now=now,
            recipients=_people(risks.get(dossier.pk)),
        )
        if sent is not None:
            report.add(ReminderKind.OVERDUE, sent)

    soon_minutes = round(settings.MOTCUA_DUE_SOON_WORKING_HOURS * 60)
    done = set(
        Reminder.objects.filter(
            dossier_id__in=list(risks),
            kind__in=[ReminderKind.DUE_SOON, ReminderKind.EXTENSION_SUGGESTED],
        ).values_list("dossier_id", "kind", "threshold_at")
    )
    calendars: dict[int, WorkingCalendar] = {}
    for risk in risks.values():  # most urgent first
        dossier = risk.dossier
        due = dossier.due_at
        if due is None or risk.remaining_minutes <= 0:
            continue  # past due: the overdue reminder above
        calendar = calendars.setdefault(
            dossier.competent_agency_id, deadlines.calendar_of(dossier)
        )
        # Less than a working day of slack: "medium" or "high", or a dossier
        # already counted late (level "overdue") in the same position.
        at_risk = risk.slack_minutes < calendar.day_minutes
        kinds = []
        if at_risk or risk.remaining_minutes <= soon_minutes:
            kinds.append(ReminderKind.DUE_SOON)
        if risk.suggest_extension:
            kinds.append(ReminderKind.EXTENSION_SUGGESTED)
        for kind in kinds:
            if (dossier.pk, kind, due) in done:
                continue
            sent = reminder_send(
                dossier,
                kind,
                threshold_at=due,
                now=now,
                extra=_forecast_context(risk),
                recipients=_people(risk),
            )
            if sent is not None:
                report.add(kind, sent)


def reminders_send_due(*, now: datetime | None = None) -> ReminderReport:
    """Send every reminder whose threshold has come and that was not sent yet."""
    now = now or timezone.now()
    report = ReminderReport()
    acceptance_reminders(now=now, report=report)
    due_reminders(now=now, report=report)
    return report
