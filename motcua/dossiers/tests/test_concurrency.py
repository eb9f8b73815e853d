"""Two officers at once: row locks and counters on a real PostgreSQL server."""

import threading
from datetime import datetime

from django.db import connection, connections

import pytest
import time_machine

from motcua.core.calendar import LOCAL_TZ
from motcua.core.exceptions import DomainError
from motcua.dossiers.constants import DossierAction as A
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import dossier_apply_action, dossier_create
from motcua.testing.province import all_components, applicant, build_small_province

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite serialises writers; locks need PostgreSQL",
    ),
]

WHEN = datetime(2026, 3, 2, 9, 0, tzinfo=LOCAL_TZ)


def run_in_threads(count, target):
    barrier = threading.Barrier(count)
    results: list = []

    def worker(index):
        try:
            barrier.wait()
            results.append(("ok", target(index)))
        except DomainError as error:
            results.append(("error", error.code))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_two_officers_completing_the_same_step_cannot_both_succeed():
    p = build_small_province()
    version = p.procedures["residence"]
    with time_machine.travel(WHEN, tick=False):
        dossier = dossier_create(
            procedure_version=version,
            channel="counter",
            receiving_centre=p.centre_a,
            competent_agency=p.police_a,
            applicant=applicant(),
            components=all_components(version),
            actor=p.users["reception_a"],
            receive=True,
        )
        dossier = dossier_apply_action(
            dossier=dossier, action=A.COMPLETE_STEP, actor=p.users["reception_a"]
        )
        officers = [p.users["police_a"], p.users["police_lead_a"]]
        results = run_in_threads(
            2,
            lambda i: (
                dossier_apply_action(
                    dossier=dossier, action=A.COMPLETE_STEP, actor=officers[i]
                ).pk
            ),
        )
    assert sorted(kind for kind, _ in results) == ["error", "ok"]
    assert (
        Dossier.objects.get(pk=dossier.pk).events.filter(action=A.COMPLETE_STEP).count()
        == 2
    )


def test_concurrent_receptions_get_distinct_codes_and_book_numbers():
    p = build_small_province()
    version = p.procedures["residence"]

    def receive(index):
        with time_machine.travel(WHEN, tick=False):
            return dossier_create(
                procedure_version=version,
                channel="counter",
                receiving_centre=p.centre_a,
                competent_agency=p.police_a,
                applicant=applicant(name=f"Người nộp {index}"),
                components=all_components(version),
                actor=p.users["reception_a"],
                receive=True,
            ).code

    results = run_in_threads(6, receive)
    codes = sorted(code for kind, code in results if kind == "ok")
    assert codes == [f"001.01.01.H99-260302-{n:04d}" for n in range(1, 7)]
    assert sorted(Dossier.objects.values_list("book_sequence", flat=True)) == list(
        range(1, 7)
    )
