"""``motcua payment-simulator``: a local payment gateway for the demo."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from motcua.payments.simulator import GatewaySimulator


class Command(BaseCommand):
    help = (
        "Run a local payment gateway (hmac-gateway protocol) on loopback, with "
        "a payment page, signed callbacks and a settlement list."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8766)
        parser.add_argument(
            "--merchant-id",
            default=None,
            help="merchant id (default PAYMENT_MERCHANT_ID)",
        )
        parser.add_argument(
            "--secret", default=None, help="shared secret (default PAYMENT_SECRET)"
        )

    def handle(self, *args, host, port, merchant_id, secret, **options):
        try:
            simulator = GatewaySimulator(
                merchant_id=merchant_id or settings.PAYMENT_MERCHANT_ID,
                secret=secret or settings.PAYMENT_SECRET,
                host=host,
                port=port,
            )
            simulator.bind()
        except (ValueError, OSError) as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Payment gateway simulator on {simulator.url} "
            f"(merchant {simulator.merchant_id}); set PAYMENT_GATEWAY_URL={simulator.url}. "
            "Ctrl+C to stop."
        )
        try:
            simulator.serve_forever()
        except KeyboardInterrupt:
            self.stdout.write("Stopped.")
