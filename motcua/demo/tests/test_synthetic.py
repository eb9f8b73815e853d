"""
The synthetic province on a small N, on SQLite and (with TEST_DATABASE_URL)
on PostgreSQL: the rows are those the services would leave, so that the
app's own selectors agree with them and a real reception afterwards gets a
fresh code.
"""

import re
from collections import Counter
from datetime import timedelta

from django.db.models import Count
from django.utils import timezone

import pytest

from motcua.core.text import fold
from motcua.demo.catalog import GROUP_CODE, build_catalog
from motcua.demo.structure import build_structure
from motcua.demo.synthetic import ProvinceGenerator
from motcua.dossiers import deadlines
from motcua.dossiers.constants import DossierStatus, StepStatus
from motcua.dossiers.models import Dossier, DossierEvent, DossierStep
from motcua.dossiers.selectors import inbox_for
from motcua.dossiers.services import dossier_create
from motcua.supervision import periods
from motcua.supervision.selectors.statistics import dossier_statistics
from motcua.testing.province import all_components, applicant

pytestmark = pytest.mark.django_db(transaction=False)

CODE = re.compile(r"^[0-9A-Z.]+-\d{6}-\d{4,}$")


def test_generated_province():
    # One test: building the demo province is what costs; each part below
    # checks one promise of the generator on the same rows.
    demo = build_structure()
    catalog = build_catalog(demo)
    now = timezone.now()
    # A short window so that today's codes are issued too.
    outcome = ProvinceGenerator(demo, catalog, now=now, seed=7).run(400, years=0.02)
    _rows_are_those_the_services_leave(outcome)
    _selectors_agree_with_the_generated_rows(demo)
    _a_real_reception_afterwards_gets_a_fresh_code(demo, catalog)


def _rows_are_those_the_services_leave(outcome):
    dossiers = list(Dossier.objects.all())
    assert len(dossiers) == 400 == outcome.dossiers
    assert set(outcome.rows) >= {"dossiers_dossierevent", "dossiers_handover"}
    channels = Counter(d.channel for d in dossiers)
    assert 0.55 < channels["online"] / 400 < 0.85
    received = [d for d in dossiers if d.received_at]
    codes = [d.code for d in received]
    assert len(set(codes)) == len(codes) and all(CODE.match(c) for c in codes)
    assert all(d.applicant_search == fold(d.applicant_name) for d in dossiers)
    for dossier in received[:40]:
        calendar = deadlines.calendar_of(dossier)
        due = deadlines.dossier_legal_due(
            calendar, dossier, start=dossier.clock_started_at
        )
        assert dossier.due_at == due
    # Every dossier has its history, opened by a submission; the status is the
    # last event's.
    events = dict(Dossier.objects.annotate(n=Count("events")).values_list("pk", "n"))
    assert min(events.values()) >= 1
    assert sum(events.values()) / 400 >= 3
    last = {e.dossier_id: e for e in DossierEvent.objects.order_by("created_at", "pk")}
    assert all(last[d.pk].to_status == d.status for d in dossiers)
    finished = [d for d in received if d.timeliness]
    late = sum(d.timeliness == "late" for d in finished)
    assert finished and late / len(finished) < 0.25


def _selectors_agree_with_the_generated_rows(demo):
    period = periods.custom(
        timezone.localdate() - timedelta(days=30), timezone.localdate()
    )
    _rows, total = dossier_statistics(period, group="agency")
    in_period = Dossier.objects.filter(
        received_at__gte=period.start, received_at__lt=period.end
    )
    assert total.counts["received"] == in_period.count()
    assert total.counts["late"] == in_period.filter(timeliness="late").count()
    officer = demo.users["tiepnhan.anhoa"]
    centre_id = officer.memberships.get().agency_id
    expected = (
        set(
            DossierStep.objects.filter(
                status=StepStatus.ACTIVE, agency_id=centre_id, assignee__isnull=True
            ).values_list("dossier_id", flat=True)
        )
        | set(
            DossierStep.objects.filter(
                status=StepStatus.ACTIVE, assignee=officer
            ).values_list("dossier_id", flat=True)
        )
        | set(
            Dossier.objects.filter(
                receiving_centre_id=centre_id,
                status__in=[
                    DossierStatus.SUBMITTED,
                    DossierStatus.RESOLVED,
                    DossierStatus.WITHDRAWAL_REQUESTED,
                ],
            ).values_list("pk", flat=True)
        )
    )
    assert set(inbox_for(user=officer).values_list("pk", flat=True)) == expected


def _a_real_reception_afterwards_gets_a_fresh_code(demo, catalog):
    version = catalog.versions[GROUP_CODE]
    officer = demo.users["tiepnhan.anhoa"]
    centre_id = officer.memberships.get().agency_id
    commune = next(c for c in demo.communes if c["centre"].pk == centre_id)
    issued = set(Dossier.objects.exclude(code=None).values_list("code", flat=True))
    before = Dossier.objects.filter(
        receiving_centre=commune["centre"], book_year=timezone.localdate().year
    ).count()
    dossier = dossier_create(
        procedure_version=version,
        channel="counter",
        receiving_centre=commune["centre"],
        competent_agency=commune["committee"],
        applicant=applicant(),
        components=all_components(version),
        actor=officer,
        receive=True,
    )
    assert dossier.code and dossier.code not in issued
    if before:
        assert dossier.book_sequence > before
