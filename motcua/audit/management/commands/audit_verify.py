"""
``motcua audit-verify``: walk the sealed audit chain; exit 1 at the first
break, naming the row, so that a nightly timer or a restore drill can alarm.
"""

from django.core.management.base import BaseCommand, CommandError

from motcua.audit.models import AuditLog
from motcua.audit.services import audit_verify


class Command(BaseCommand):
    help = "Check the audit log's hash chain; exit 1 at the first break."

    def handle(self, *args, **options):
        intact, checked, reason = audit_verify()
        if not intact:
            raise CommandError(f"audit chain broken after {checked} rows: {reason}")
        head = AuditLog.objects.exclude(row_hash="").order_by("-pk").first()
        unsealed = AuditLog.objects.filter(row_hash="").count()
        self.stdout.write(
            f"audit chain intact: {checked} sealed rows, head "
            f"{head.row_hash if head else '-'}; {unsealed} rows waiting for the seal"
        )
