"""
motcua sweep [--job NAME ...] [--every SECONDS]

Run the periodic rules once (cron, systemd timer) or, with --every, in a loop
(development). Prints one line per job with its report.
"""

import json
import time

from django.core.management.base import BaseCommand, CommandError

from motcua.integrations.sweep import sweep_run


class Command(BaseCommand):
    help = (
        "Close dossiers 15 days after an unanswered supplement request, alert "
        "and remind staff, and retry the portal sync and notifications."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--job",
            action="append",
            dest="jobs",
            metavar="NAME",
            help="run only this job (repeatable), e.g. retry_portal_sync",
        )
        parser.add_argument(
            "--every",
            type=float,
            metavar="SECONDS",
            help="keep running, one sweep every SECONDS (development only)",
        )

    def handle(self, *args, **options):
        every = options["every"]
        if every is not None and every < 5:
            raise CommandError("--every must be at least 5 seconds.")
        while True:
            report = sweep_run(only=options["jobs"])
            for job, result in report.items():
                self.stdout.write(f"{job}: {json.dumps(result, ensure_ascii=False)}")
            if every is None:
                return
            time.sleep(every)
