"""
motcua portal-reconcile [--days 30 | --all] [--check]

Compare each dossier the portal follows with the portal's record and list the
differences. Differences that updates still waiting in the outbox explain are
marked "pending sync". With --check, exit with status 1 when any other
difference remains (for monitoring).
"""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from motcua.integrations.portal.client import get_portal_client
from motcua.integrations.portal.selectors import portal_reconcile, synced_dossiers

PROBLEMS = {
    "missing": "not on the portal",
    "status": "status differs",
    "due": "due date differs",
    "error": "portal error",
}


class Command(BaseCommand):
    help = "List dossiers whose status on the national portal differs from ours."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=30,
            help="dossiers changed in the last DAYS days (default 30)",
        )
        parser.add_argument("--all", action="store_true", help="every dossier")
        parser.add_argument(
            "--check", action="store_true", help="exit 1 on unexplained differences"
        )

    def handle(self, *args, **options):
        client = get_portal_client()
        if not client.configured:
            raise CommandError("The portal is not configured (PORTAL_BASE_URL).")
        since = (
            None if options["all"] else timezone.now() - timedelta(days=options["days"])
        )
        dossiers = synced_dossiers(since=since)
        total = dossiers.count()
        rows = portal_reconcile(dossiers=dossiers, client=client)
        unexplained = [r for r in rows if not r.explained_by_pending_sync]
        for row in rows:
            problems = ", ".join(PROBLEMS[p] for p in row.problems)
            note = " (pending sync)" if row.explained_by_pending_sync else ""
            portal = "-" if row.portal_status is None else row.portal_status
            self.stdout.write(
                f"{row.portal_code}\tours={row.our_status}\tportal={portal}\t"
                f"{problems}{note}{(' – ' + row.error) if row.error else ''}"
            )
        self.stdout.write(
            f"{total} dossiers compared, {len(rows)} differ, "
            f"{len(unexplained)} not explained by pending sync."
        )
        if options["check"] and unexplained:
            raise SystemExit(1)
