"""
The portal sync against the portal simulator over real HTTP on loopback:
outbox written with the change, delivered in order, exactly once, through
outages, lost acknowledgements and a dead letter.
"""

from datetime import timedelta

from django.db import transaction

import pytest
import time_machine

from motcua.core.outbox import OutboxStatus
from motcua.dossiers.constants import DossierAction as A
from motcua.dossiers.models import DossierEvent
from motcua.integrations.models import PortalSyncMessage, SyncKind
from motcua.integrations.portal.selectors import portal_sync_health
from motcua.integrations.portal.services import portal_sync_flush, portal_sync_retry
from motcua.integrations.sweep import sweep_run
from motcua.testing.flows import act, at, receive_residence, submit_online
from motcua.testing.province import all_components, applicant
from motcua.testing.simulators import control

pytestmark = [pytest.mark.django_db, pytest.mark.simulator]

START = at(2026, 3, 2, 9, 0)


def received(portal):
    return control(portal, "/_control/messages")["received"]


def make_events(p, capture):
    """Receive a dossier and move it through three more steps, one a minute."""
    with capture(execute=True):
        dossier = receive_residence(p, when=START)
    with capture(execute=True):
        dossier = act(
            p, dossier, A.COMPLETE_STEP, "reception_a", START + timedelta(minutes=1)
        )
    with capture(execute=True):
        dossier = act(
            p,
            dossier,
            A.ASSIGN,
            "police_lead_a",
            START + timedelta(minutes=2),
            assignee=p.users["police_a"].pk,
        )
    with capture(execute=True):
        dossier = act(
            p, dossier, A.COMPLETE_STEP, "police_a", START + timedelta(minutes=3)
        )
    return dossier


def retry_until_sent(traveller, *, minutes, step=2):
    for minute in range(4, minutes, step):
        traveller.move_to(START + timedelta(minutes=minute))
        sweep_run(only=["retry_portal_sync"])
        if not PortalSyncMessage.objects.exclude(status=OutboxStatus.SENT).exists():
            return minute
    return None


class TestOutbox:
    def test_every_event_of_a_received_dossier_is_written_with_the_change(
        self, province
    ):
        dossier = receive_residence(province, when=START)
        dossier = act(province, dossier, A.COMPLETE_STEP, "reception_a", START)
        messages = list(PortalSyncMessage.objects.order_by("pk"))
        # The counter submission came before reception: the portal hears from
        # the dossier once it is received.
        events = list(dossier.events.exclude(action=A.SUBMIT).order_by("pk"))
        assert [m.event_id for m in messages] == [e.pk for e in events]
        assert [m.kind for m in messages] == [SyncKind.STATUS, SyncKind.STATUS]
        assert [m.portal_status for m in messages] == [2, 4]
        assert all(m.status == OutboxStatus.PENDING for m in messages)
        assert messages[0].payload["TrangThaiHoSo"] == 2
        assert messages[1].payload["TrangThaiHoSo"] == 4
        assert len({m.idempotency_key for m in messages}) == 2

    def test_a_counter_dossier_not_received_is_not_synced(self, province):
        from motcua.dossiers.services import dossier_create

        version = province.procedures["residence"]
        with time_machine.travel(START, tick=False):
            dossier_create(
                procedure_version=version,
                channel="counter",
                receiving_centre=province.centre_a,
                competent_agency=province.police_a,
                applicant=applicant(),
                components=all_components(version),
                actor=province.users["reception_a"],
            )
        assert not PortalSyncMessage.objects.exists()

    def test_an_online_submission_is_acknowledged_under_the_portal_id(self, province):
        submit_online(province, when=START, portal_id="DVCQG-1")
        message = PortalSyncMessage.objects.get()
        assert message.portal_code == "DVCQG-1" and message.portal_status == 1

    def test_a_rolled_back_change_leaves_no_message(self, province):
        dossier = receive_residence(province, when=START)
        before = PortalSyncMessage.objects.count()
        with pytest.raises(RuntimeError), transaction.atomic():
            act(province, dossier, A.COMPLETE_STEP, "reception_a", START)
            raise RuntimeError("the request failed after the service call")
        assert PortalSyncMessage.objects.count() == before
        assert dossier.events.count() == 2

    def test_without_a_portal_configured_the_updates_wait(
        self, province, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            receive_residence(province, when=START)
        message = PortalSyncMessage.objects.get()
        assert message.status == OutboxStatus.PENDING and message.attempts == 0


class TestDelivery:
    def test_the_commit_sends_and_records_the_latency(
        self, province, portal, django_capture_on_commit_callbacks
    ):
        with time_machine.travel(START, tick=False) as traveller:
            with django_capture_on_commit_callbacks(execute=True):
                dossier = receive_residence(province, when=START)
                # Nothing leaves before the commit, which comes 3 s later.
                assert received(portal) == []
                traveller.move_to(START + timedelta(seconds=3))
            with django_capture_on_commit_callbacks(execute=True):
                dossier = act(
                    province,
                    dossier,
                    A.COMPLETE_STEP,
                    "reception_a",
                    START + timedelta(seconds=3),
                )
        assert [r["MaHoSo"] for r in received(portal)] == [dossier.code] * 2
        sent = list(PortalSyncMessage.objects.order_by("pk"))
        assert [m.status for m in sent] == [OutboxStatus.SENT] * 2
        assert [m.latency_seconds for m in sent] == [3.0, 0.0]
        assert [m.attempts for m in sent] == [1, 1]
        assert control(portal, "/_control/health")["records"] == 1

    def test_sync_survives_the_portal_being_down_and_arrives_once_in_order(
        self, province, portal, django_capture_on_commit_callbacks
    ):
        with time_machine.travel(START, tick=False) as traveller:
            control(portal, "/_control/fail", {"seconds": 30 * 60, "status": 503})
            dossier = make_events(province, django_capture_on_commit_callbacks)

            messages = list(PortalSyncMessage.objects.order_by("pk"))
            assert len(messages) == 4
            # The first failed once; the later ones wait behind it untried.
            assert [(m.status, m.attempts) for m in messages] == [
                (OutboxStatus.FAILED, 1),
                (OutboxStatus.PENDING, 0),
                (OutboxStatus.PENDING, 0),
                (OutboxStatus.PENDING, 0),
            ]
            first = messages[0]
            delay = (first.next_attempt_at - START).total_seconds()
            assert 15 <= delay <= 30  # half to all of the 30 s base, jittered
            assert received(portal) == []

            done_at = retry_until_sent(traveller, minutes=120)
            assert done_at is not None and done_at >= 30
            attempts = PortalSyncMessage.objects.get(pk=first.pk).attempts
            assert 3 <= attempts < 12
            # More sweeps deliver nothing more.
            for minute in (done_at + 5, done_at + 10):
                traveller.move_to(START + timedelta(minutes=minute))
                sweep_run(only=["retry_portal_sync"])

        arrivals = received(portal)
        ordered = PortalSyncMessage.objects.order_by("pk")
        assert [a["key"] for a in arrivals] == [m.idempotency_key for m in ordered]
        assert [a["TrangThaiHoSo"] for a in arrivals] == [2, 4, 4, 4]
        assert {a["MaHoSo"] for a in arrivals} == {dossier.code}
        # The portal's record is the last state, with the whole history.
        assert arrivals[-1]["progress_items"] == dossier.events.count()
        health = portal_sync_health(now=START + timedelta(hours=3))
        assert health.sent == 4 and health.pending == health.failed == 0
        assert health.latency_max >= 30 * 60 and health.within_sla == 0

    def test_a_lost_acknowledgement_is_not_a_duplicate(
        self, province, portal, django_capture_on_commit_callbacks
    ):
        with time_machine.travel(START, tick=False) as traveller:
            with django_capture_on_commit_callbacks(execute=True):
                dossier = receive_residence(province, when=START)
            # The portal stores the next update but its answer never comes back.
            control(portal, "/_control/fail", {"requests": 1, "mode": "drop"})
            with django_capture_on_commit_callbacks(execute=True):
                act(province, dossier, A.COMPLETE_STEP, "reception_a", START)
            lost = PortalSyncMessage.objects.order_by("pk").last()
            assert lost.status == OutboxStatus.FAILED
            assert "unreachable" in lost.last_error
            assert len(received(portal)) == 2

            traveller.move_to(START + timedelta(minutes=1))
            sweep_run(only=["retry_portal_sync"])

        lost.refresh_from_db()
        assert lost.status == OutboxStatus.SENT and lost.duplicate_ack
        assert lost.response["duplicate"] is True
        arrivals = received(portal)
        assert len(arrivals) == 2
        assert arrivals[1]["key"] == lost.idempotency_key

    def test_after_the_last_attempt_the_update_is_dead_and_blocks_the_later_ones(
        self, province, portal, settings, django_capture_on_commit_callbacks
    ):
        settings.PORTAL_SYNC_MAX_ATTEMPTS = 3
        with time_machine.travel(START, tick=False) as traveller:
            control(portal, "/_control/fail", {"seconds": 10**6, "status": 502})
            with django_capture_on_commit_callbacks(execute=True):
                dossier = receive_residence(province, when=START)
            with django_capture_on_commit_callbacks(execute=True):
                act(province, dossier, A.COMPLETE_STEP, "reception_a", START)
            for minute in range(10, 60, 10):
                traveller.move_to(START + timedelta(minutes=minute))
                sweep_run(only=["retry_portal_sync"])
            first, second = PortalSyncMessage.objects.order_by("pk")
            assert (first.status, first.attempts) == (OutboxStatus.DEAD, 3)
            assert "502" in first.last_error
            assert (second.status, second.attempts) == (OutboxStatus.PENDING, 0)

            # An administrator retries once the portal is back.
            control(portal, "/_control/recover", {})
            with django_capture_on_commit_callbacks(execute=True):
                assert portal_sync_retry(PortalSyncMessage.objects.all()) == 1

        assert list(PortalSyncMessage.objects.values_list("status", flat=True)) == [
            OutboxStatus.SENT,
            OutboxStatus.SENT,
        ]
        assert [a["TrangThaiHoSo"] for a in received(portal)] == [2, 4]

    def test_refused_credentials_are_dead_at_once(
        self, province, portal, settings, django_capture_on_commit_callbacks
    ):
        settings.PORTAL_SECRET = "wrong"
        with (
            time_machine.travel(START, tick=False),
            django_capture_on_commit_callbacks(execute=True),
        ):
            receive_residence(province, when=START)
        message = PortalSyncMessage.objects.get()
        assert message.status == OutboxStatus.DEAD and message.attempts == 1
        assert "Token refused (401)" in message.last_error

    def test_two_senders_cannot_send_the_same_update(self, province, portal):
        with time_machine.travel(START, tick=False):
            dossier = receive_residence(province, when=START)
            message = PortalSyncMessage.objects.get()
            # Another sender holds the claim: this flush stops at once.
            assert message.claim()
            assert portal_sync_flush(dossier.pk).sent == 0
        assert received(portal) == []

    def test_a_lapsed_claim_is_taken_over(self, province, portal):
        with time_machine.travel(START, tick=False) as traveller:
            dossier = receive_residence(province, when=START)
            PortalSyncMessage.objects.get().claim()  # that sender died
            traveller.move_to(START + timedelta(minutes=6))
            sweep_run(only=["retry_portal_sync"])
        message = PortalSyncMessage.objects.get()
        assert message.status == OutboxStatus.SENT and message.attempts == 2
        assert [a["MaHoSo"] for a in received(portal)] == [dossier.code]


def test_the_admin_lists_the_outbox_and_retries_dead_updates(
    province, admin_client, django_capture_on_commit_callbacks
):
    receive_residence(province, when=START)
    message = PortalSyncMessage.objects.get()
    PortalSyncMessage.objects.filter(pk=message.pk).update(status=OutboxStatus.DEAD)
    response = admin_client.get("/admin/integrations/portalsyncmessage/")
    assert response.status_code == 200
    assert message.portal_code in response.content.decode()
    detail = admin_client.get(
        f"/admin/integrations/portalsyncmessage/{message.pk}/change/"
    )
    assert detail.status_code == 200 and "TrangThaiHoSo" in detail.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            "/admin/integrations/portalsyncmessage/",
            {"action": "retry", "_selected_action": [message.pk]},
        )
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.status == OutboxStatus.PENDING and message.attempts == 0


def test_events_and_messages_match_one_to_one(province):
    dossier = receive_residence(province, when=START)
    assert (
        DossierEvent.objects.filter(
            dossier=dossier, portal_sync_message__isnull=False
        ).count()
        == 1
    )


def test_replayed_synthetic_history_writes_no_outbox(province):
    from motcua.core.outbox import outbox_suppressed
    from motcua.notifications.models import Notification

    with outbox_suppressed():
        receive_residence(province, when=START)
    assert not PortalSyncMessage.objects.exists()
    assert not Notification.objects.exists()
    receive_residence(province, when=START, id_number="001099000333")
    assert PortalSyncMessage.objects.count() == 1
