"""
Create the demo certificate authority and a certificate for every agency and
every staff member (idempotent: existing keys are kept).
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from motcua.accounts.models import StaffMembership, User
from motcua.documents.signing import demo_ca
from motcua.documents.signing.base import owner_for_agency, owner_for_officer
from motcua.units.models import Agency


class Command(BaseCommand):
    help = (
        "Create the demo CA (Lâm Hải Giang Root CA) and PKCS#12 keys for every "
        "agency and staff member under MOTCUA_DEMO_CA_DIR. Development only."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--root-only", action="store_true", help="only create the root CA"
        )

    def handle(self, *args, root_only=False, **options):
        if not settings.MOTCUA_DEMO_PLUGINS:
            raise CommandError(
                "The demo CA is for development: set MOTCUA_DEMO_PLUGINS=true."
            )
        try:
            root = demo_ca.ensure_root()
        except RuntimeError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Root CA “{demo_ca.ROOT_NAME}”: {demo_ca.ca_dir() / demo_ca.ROOT_PEM} "
            f"({'created' if root.created else 'kept'})"
        )
        if root_only:
            return
        created = kept = 0
        agencies = Agency.objects.filter(is_active=True).prefetch_related("codes")
        for agency in agencies:
            issued = demo_ca.ensure(owner_for_agency(agency))
            created, kept = created + issued.created, kept + (not issued.created)
        primary: dict[int, Agency] = {}
        for membership in (
            StaffMembership.objects.active().select_related("agency").order_by("pk")
        ):
            primary.setdefault(membership.user_id, membership.agency)
        for user in User.objects.filter(pk__in=primary, is_active=True):
            issued = demo_ca.ensure(owner_for_officer(user, agency=primary[user.pk]))
            created, kept = created + issued.created, kept + (not issued.created)
        self.stdout.write(
            f"Certificates: {created} created, {kept} kept "
            f"({agencies.count()} agencies, {len(primary)} staff)."
        )
