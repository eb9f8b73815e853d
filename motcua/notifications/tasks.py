"""Background tasks of the notification outbox: fetch by id, call the service."""

from django.tasks import task

from . import services
from .models import Notification


@task
def notification_send(notification_id: int) -> None:
    notification = Notification.objects.filter(pk=notification_id).first()
    if notification is not None:
        services.notification_send(notification)
