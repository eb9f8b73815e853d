"""E-mail through Django's mailers (settings.MAILERS, Django 6.1)."""

from django.conf import settings
from django.core.mail import EmailMessage, mailers

from motcua.notifications.constants import Channel

from .base import DeliveryError, NotificationChannel, channels


@channels.register(Channel.EMAIL)
class EmailChannel(NotificationChannel):
    """Send with the mailer named by MOTCUA_NOTIFICATION_MAILER ("default")."""

    def deliver(self, notification) -> str:
        message = EmailMessage(
            subject=notification.subject,
            body=notification.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[notification.recipient],
            headers={"X-Motcua-Notification": str(notification.pk)},
        )
        alias = getattr(settings, "MOTCUA_NOTIFICATION_MAILER", "default")
        try:
            sent = mailers[alias].send_messages([message])
        except Exception as error:  # SMTP, socket and configuration errors alike
            raise DeliveryError(f"{type(error).__name__}: {error}") from error
        if not sent:
            raise DeliveryError("The mailer accepted no message.")
        return message.extra_headers.get("Message-ID", "")
