"""Reconciliation: which dossiers the portal sees differently from us."""

from io import StringIO

from django.core.management import call_command

import pytest
import time_machine

from motcua.dossiers.constants import DossierAction as A
from motcua.integrations.portal.selectors import portal_reconcile
from motcua.testing.flows import act, at, receive_residence, submit_online
from motcua.testing.simulators import control

pytestmark = [pytest.mark.django_db, pytest.mark.simulator]

START = at(2026, 3, 2, 9, 0)


def test_a_dossier_whose_portal_status_differs_is_listed(
    province, portal, django_capture_on_commit_callbacks
):
    p = province
    with time_machine.travel(START, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            agreeing = receive_residence(p, when=START)
        with django_capture_on_commit_callbacks(execute=True):
            differing = receive_residence(p, when=START, id_number="001099000111")
        with django_capture_on_commit_callbacks(execute=True):
            online = submit_online(p, when=START, portal_id="DVCQG-42")
        with django_capture_on_commit_callbacks(execute=True):
            online = act(p, online, A.RECEIVE, "reception_a", START)
        # Someone changed the portal's record behind our back.
        control(
            portal,
            "/_control/set-status",
            {"MaHoSo": differing.code, "TrangThaiHoSo": 10},
        )
        rows = portal_reconcile()
    assert [(r.dossier, r.our_status, r.portal_status, r.problems) for r in rows] == [
        (differing, 2, 10, ["status"])
    ]
    assert not rows[0].explained_by_pending_sync
    assert agreeing.code and online.code  # both found, by our code


def test_updates_still_in_the_outbox_explain_a_difference(
    province, portal, django_capture_on_commit_callbacks
):
    with time_machine.travel(START, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            dossier = receive_residence(province, when=START)
        control(portal, "/_control/fail", {"seconds": 600})
        with django_capture_on_commit_callbacks(execute=True):
            act(province, dossier, A.COMPLETE_STEP, "reception_a", START)
        control(portal, "/_control/recover", {})
        (row,) = portal_reconcile()
    assert (row.our_status, row.portal_status, row.unsent) == (4, 2, 1)
    assert row.explained_by_pending_sync


def test_the_report_command_lists_the_differences_and_can_fail_a_check(
    province, portal, django_capture_on_commit_callbacks
):
    with time_machine.travel(START, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            sent = receive_residence(province, when=START)
        control(
            portal, "/_control/set-status", {"MaHoSo": sent.code, "TrangThaiHoSo": 9}
        )
        waiting = receive_residence(province, when=START, id_number="001099000222")
        out = StringIO()
        with pytest.raises(SystemExit) as exit_code:
            call_command("portal_reconcile", "--all", "--check", stdout=out)
    assert exit_code.value.code == 1
    lines = out.getvalue().splitlines()
    assert lines == [
        f"{sent.code}\tours=2\tportal=9\tstatus differs",
        f"{waiting.code}\tours=2\tportal=-\tnot on the portal (pending sync)",
        "2 dossiers compared, 2 differ, 1 not explained by pending sync.",
    ]
