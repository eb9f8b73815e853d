"""In-app notifications: the row itself is the message, shown in the staff UI."""

from motcua.notifications.constants import Channel

from .base import NotificationChannel, channels


@channels.register(Channel.IN_APP)
class InAppChannel(NotificationChannel):
    def deliver(self, notification) -> str:
        return ""
