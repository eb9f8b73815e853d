"""
motcua portal-simulator [--port 8765] [--submit-every SECONDS] [--store FILE]

Run the national portal simulator on 127.0.0.1 (see
motcua/integrations/portal/simulator.py for its protocol). It accepts our
sync with PORTAL_CLIENT_ID/PORTAL_SECRET and, with --submit-every, files a
random online dossier with our API (MOTCUA_API_URL, token MOTCUA_PORTAL_TOKEN)
every SECONDS.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from motcua.core.httpsim import SimulatorServer
from motcua.integrations.portal.selectors import portal_submission_catalog
from motcua.integrations.portal.simulator import PortalSimulator


class Command(BaseCommand):
    help = "Run the national public service portal simulator on 127.0.0.1."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8765)
        parser.add_argument("--client-id", default=settings.PORTAL_CLIENT_ID)
        parser.add_argument("--secret", default=settings.PORTAL_SECRET)
        parser.add_argument("--token-ttl", type=int, default=3600, metavar="SECONDS")
        parser.add_argument("--api-url", default=settings.MOTCUA_API_URL)
        parser.add_argument("--api-token", default=settings.MOTCUA_PORTAL_TOKEN)
        parser.add_argument(
            "--submit-every",
            type=float,
            metavar="SECONDS",
            help="file a random online dossier with our API every SECONDS",
        )
        parser.add_argument(
            "--store",
            type=Path,
            metavar="FILE",
            help="keep the portal's records in this JSON file across restarts",
        )
        parser.add_argument("--seed", type=int, help="seed of the random applicants")

    def handle(self, *args, **options):
        if not options["client_id"] or not options["secret"]:
            raise CommandError(
                "Set PORTAL_CLIENT_ID and PORTAL_SECRET (or --client-id/--secret)."
            )
        catalog = portal_submission_catalog()
        app = PortalSimulator(
            clients={options["client_id"]: options["secret"]},
            token_ttl=options["token_ttl"],
            api_url=options["api_url"],
            api_token=options["api_token"],
            catalog=catalog,
            store=options["store"],
            seed=options["seed"],
        )
        server = SimulatorServer(app, port=options["port"])
        self.stdout.write(
            f"Portal simulator on {server.url} "
            f"({len(catalog)} procedures to submit from; Ctrl-C to stop)"
        )
        every = options["submit_every"]
        if every:
            if not options["api_token"]:
                self.stderr.write(
                    "MOTCUA_PORTAL_TOKEN is empty: submissions will be refused. "
                    "Create one with `motcua create-api-token USER --portal`."
                )
            app.submit_every(every)
            self.stdout.write(
                f"Submitting a dossier to {options['api_url']} every {every:g} s"
            )
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            app.stop()
            server.httpd.server_close()
