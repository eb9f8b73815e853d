"""
Write services of the notification outbox: create (rendered at once), send,
retry. Which event notifies whom is data (``rules.py``); the text is in the
templates ``notifications/<kind>.{subject,body,sms}.txt``.
"""

import logging
import re
import unicodedata
from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from functools import cache, partial
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.template import Context, Engine
from django.utils import timezone

from motcua.core.calendar import LOCAL_TZ
from motcua.core.outbox import OutboxStatus, RetryPolicy
from motcua.dossiers.constants import DossierAction, DossierStatus, FeeStatus
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.feedback.access import rating_link
from motcua.payments.access import payment_link

from .channels.base import DeliveryError, NotificationChannel, channels
from .constants import Audience, Channel, NotificationKind
from .models import Notification, Reminder
from .recipients import Recipient, recipients_for
from .rules import Rule, event_rules

logger = logging.getLogger(__name__)

# Public page of the citizen site (motcua.public): lookup by code.
LOOKUP_PATH = "/lookup/"


def retry_policy() -> RetryPolicy:
    return RetryPolicy(
        max_attempts=settings.NOTIFY_MAX_ATTEMPTS,
        base_seconds=settings.NOTIFY_RETRY_BASE_SECONDS,
        cap_seconds=settings.NOTIFY_RETRY_MAX_SECONDS,
    )


# --- rendering -------------------------------------------------------------


@cache
def _text_engine() -> Engine:
    # Plain text: no HTML escaping of names like "Nguyễn Thị A & B".
    templates: list[dict[str, Any]] = settings.TEMPLATES
    dirs = [d for t in templates for d in t.get("DIRS", [])]
    return Engine(dirs=dirs, app_dirs=True, autoescape=False)


def _render(name: str, context: dict[str, Any]) -> str:
    template = _text_engine().get_template(f"notifications/{name}")
    return template.render(Context(context, autoescape=False))


def render(
    kind: NotificationKind | str, channel: Channel | str, context: dict[str, Any]
) -> tuple[str, str]:
    """Return (subject, body) of ``kind`` for ``channel``."""
    subject = " ".join(_render(f"{kind}.subject.txt", context).split())
    if channel == Channel.SMS:
        return subject, sms_text(_render(f"{kind}.sms.txt", context))
    return subject, _render(f"{kind}.body.txt", context).strip() + "\n"


_SPACES = re.compile(r"\s+")


def sms_text(text: str) -> str:
    """
    Return ``text`` on one line; without diacritics unless SMS_UNICODE, since
    a Unicode SMS holds 70 characters a segment instead of 160.
    """
    text = _SPACES.sub(" ", text).strip()
    if not settings.SMS_UNICODE:
        text = text.replace("đ", "d").replace("Đ", "D")
        text = "".join(
            ch
            for ch in unicodedata.normalize("NFD", text)
            if not unicodedata.combining(ch)
        )
    return text[: settings.SMS_MAX_LENGTH]


def format_moment(moment: datetime | str | None) -> str:
    """Return ``moment`` as "17:30 ngày 11/03/2026" in local time."""
    if not moment:
        return ""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return moment.astimezone(LOCAL_TZ).strftime("%H:%M ngày %d/%m/%Y")


def format_money(amount: Decimal | int) -> str:
    return f"{int(amount):,}".replace(",", ".") + " đồng"


def dossier_code(dossier: Dossier) -> str:
    return dossier.code or dossier.portal_id or f"#{dossier.pk}"


def notification_context(
    dossier: Dossier,
    *,
    event: DossierEvent | None = None,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Return what the templates may use about ``dossier`` (and ``event``)."""
    code = dossier_code(dossier)
    site = settings.SITE_URL.rstrip("/")
    data = event.data if event is not None else {}
    due_fees = [f for f in dossier.fees.all() if f.status == FeeStatus.DUE]
    context: dict[str, Any] = {
        "code": code,
        "procedure": dossier.procedure_version.name,
        "applicant_name": dossier.applicant_name,
        "centre": dossier.receiving_centre.name,
        "centre_short": dossier.receiving_centre.short_name
        or dossier.receiving_centre.name,
        "agency": dossier.competent_agency.name,
        "submitted_at": format_moment(dossier.submitted_at),
        "due_at": format_moment(dossier.due_at),
        "acceptance_due_at": format_moment(dossier.acceptance_due_at),
        "secret": dossier.lookup_secret,
        "lookup_url": f"{site}{LOOKUP_PATH}?code={quote(code)}",
        # Signed, without the secret (feedback.access.rating_link).
        "rating_url": f"{site}{rating_link(dossier)}",
        "reason": data.get("reason")
        or (event.note if event is not None else "")
        or dossier.decision_reason,
        "fees": [{"name": f.name, "amount": format_money(f.amount)} for f in due_fees],
        "fees_total": format_money(sum(f.amount for f in due_fees)),
        # Signed, without the secret (payments.access.payment_link).
        "payment_url": f"{site}{payment_link(dossier)}"
        if dossier.status == DossierStatus.AWAITING_PAYMENT
        and any(f.amount > 0 for f in due_fees)
        else "",
        "previous_due_at": format_moment(data.get("previous_due_at")),
        "new_due_at": format_moment(data.get("new_due_at")),
        "return_online": dossier.return_method == "online",
        "result_summary": dossier.result_summary,
    }
    if event is not None and event.action == DossierAction.REQUEST_SUPPLEMENT:
        request = dossier.supplement_requests.order_by("-requested_at", "-pk").first()
        if request is not None:
            context["items"] = request.items
            context["respond_by"] = format_moment(request.respond_by)
    context.update(extra or {})
    return context


# --- creation --------------------------------------------------------------


def _address(recipient: Recipient, channel: str) -> str:
    return {
        Channel.EMAIL: recipient.email,
        Channel.SMS: recipient.phone,
        Channel.IN_APP: recipient.user.get_username() if recipient.user else "",
    }[Channel(channel)]


def notification_create(
    *,
    kind: NotificationKind | str,
    channel: Channel | str,
    audience: Audience | str,
    recipient: Recipient,
    context: dict[str, Any],
    dedupe_key: str,
    dossier: Dossier | None = None,
    event: DossierEvent | None = None,
    reminder: Reminder | None = None,
) -> Notification | None:
    """
    Render and store one message, and send it once the transaction commits.

    Return None when the recipient has no address on this channel, or when a
    message with the same ``dedupe_key`` exists (a rerun).
    """
    address = _address(recipient, channel)
    if not address:
        return None
    subject, body = render(kind, channel, context)
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                kind=kind,
                channel=channel,
                audience=audience,
                dossier=dossier,
                event=event,
                reminder=reminder,
                recipient_user=recipient.user,
                recipient=address[:255],
                subject=subject[:255],
                body=body,
                dedupe_key=dedupe_key[:200],
                # In-app messages are delivered by being stored.
                status=OutboxStatus.SENT
                if channel == Channel.IN_APP
                else OutboxStatus.PENDING,
                sent_at=timezone.now() if channel == Channel.IN_APP else None,
            )
    except IntegrityError:
        return None
    if notification.status == OutboxStatus.PENDING:
        schedule_send(notification)
    return notification


def schedule_send(notification: Notification) -> None:
    """Enqueue the sending task when the current transaction commits."""
    from .tasks import notification_send as notification_send_task

    # robust: a queue that refuses the task must not undo the committed
    # change; the sweep picks the row up later anyway.
    transaction.on_commit(
        partial(notification_send_task.enqueue, notification_id=notification.pk),
        robust=True,
    )


def notifications_create_for_rules(
    dossier: Dossier,
    rules: tuple[Rule, ...],
    *,
    key_prefix: str,
    context: dict[str, Any],
    event: DossierEvent | None = None,
    reminder: Reminder | None = None,
    recipients: Mapping[str, list[Recipient]] | None = None,
) -> list[Notification]:
    """
    Create the messages ``rules`` call for, one per recipient and channel.
    ``recipients`` gives the people of some audiences when the caller knows
    them already; the others are resolved for the dossier.
    """
    created = []
    for rule in rules:
        if recipients is not None and rule.audience in recipients:
            people = recipients[rule.audience]
        else:
            people = recipients_for(rule.audience, dossier)
        for recipient in people:
            for channel in rule.channels:
                notification = notification_create(
                    kind=rule.kind,
                    channel=channel,
                    audience=rule.audience,
                    recipient=recipient,
                    context={**context, "recipient_name": recipient.label},
                    dedupe_key=f"{key_prefix}:{rule.kind}:{channel}:{recipient.key}",
                    dossier=dossier,
                    event=event,
                    reminder=reminder,
                )
                if notification is not None:
                    created.append(notification)
    return created


def notifications_for_event(event: DossierEvent) -> list[Notification]:
    """
    Create the messages that ``event`` calls for by the rules in force.

    Called inside the dossier's transaction (the consumer), so the messages
    exist exactly when the change does.
    """
    rules = event_rules().get(DossierAction(event.action), ())
    if not rules:
        return []
    dossier = event.dossier
    return notifications_create_for_rules(
        dossier,
        rules,
        key_prefix=f"event:{event.pk}",
        context=notification_context(dossier, event=event),
        event=event,
    )


# --- sending ---------------------------------------------------------------


def _channel_plugin(channel: str) -> NotificationChannel:
    return channels.get(channel)


def notification_send(
    notification: Notification,
    *,
    channel: NotificationChannel | None = None,
    now: datetime | None = None,
) -> Notification:
    """
    Try to deliver ``notification`` once, if it is due and nobody else is on
    it; record the outcome (sent, failed with its next attempt, or dead).
    """
    if not notification.claim(now=now):
        return notification
    plugin = channel or _channel_plugin(notification.channel)
    try:
        reference = plugin.deliver(notification)
    except DeliveryError as error:
        notification.mark_failed(
            str(error), policy=retry_policy(), retryable=error.retryable
        )
        logger.warning("Notification %s failed: %s", notification.pk, error)
    except Exception as error:
        # A bug or a misconfiguration: keep the row, give it back to the sweep.
        notification.mark_failed(
            f"{type(error).__name__}: {error}", policy=retry_policy()
        )
        logger.exception("Notification %s failed", notification.pk)
    else:
        notification.mark_sent(provider_reference=str(reference)[:128])
    return notification


def notifications_send_due(*, now: datetime | None = None, limit: int = 500) -> int:
    """Send the messages whose (re)try time has come; return how many were tried."""
    now = now or timezone.now()
    rows = list(Notification.due(now=now).order_by("next_attempt_at", "pk")[:limit])
    for notification in rows:
        notification_send(notification, now=now)
    return len(rows)


def notification_retry(queryset: QuerySet[Notification]) -> int:
    """Put failed or dead messages back in the queue with a fresh budget."""
    count = Notification.retry_now(queryset)
    ids = list(
        queryset.filter(status=OutboxStatus.PENDING).values_list("pk", flat=True)
    )
    from .tasks import notification_send as notification_send_task

    for pk in ids:
        transaction.on_commit(
            partial(notification_send_task.enqueue, notification_id=pk), robust=True
        )
    return count


def notification_mark_read(notification: Notification, *, user) -> Notification:
    """Mark an in-app message as read by its recipient."""
    if notification.recipient_user_id == user.pk and notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at", "updated_at"])
    return notification
