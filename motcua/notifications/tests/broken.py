"""A mailer that cannot reach its server (tests of retries)."""

from django.core.mail.backends.base import BaseEmailBackend


class Mailer(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise ConnectionRefusedError("SMTP server unreachable")
