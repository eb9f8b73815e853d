"""
motcua sms-simulator [--port 8768] [--api-key KEY]

Run the SMS gateway simulator on 127.0.0.1; point SMS_GATEWAY_URL at it.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from motcua.core.httpsim import SimulatorServer
from motcua.notifications.sms_simulator import SmsSimulator


class Command(BaseCommand):
    help = "Run the SMS gateway simulator on 127.0.0.1."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8768)
        parser.add_argument("--api-key", default=settings.SMS_API_KEY)

    def handle(self, *args, **options):
        if not options["api_key"]:
            raise CommandError("Set SMS_API_KEY (or --api-key).")
        server = SimulatorServer(
            SmsSimulator(api_key=options["api_key"]), port=options["port"]
        )
        self.stdout.write(f"SMS gateway simulator on {server.url} (Ctrl-C to stop)")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.httpd.server_close()
