"""SMS through the gateway simulator over real HTTP on loopback."""

from datetime import timedelta

import pytest
import time_machine

from motcua.core.outbox import OutboxStatus
from motcua.integrations.sweep import sweep_run
from motcua.notifications.constants import Channel
from motcua.notifications.models import Notification
from motcua.testing.flows import at, receive_residence
from motcua.testing.simulators import control

pytestmark = [pytest.mark.django_db, pytest.mark.simulator]

START = at(2026, 3, 2, 9, 0)


def delivered(sms):
    return control(sms, "/_control/messages")["messages"]


def test_the_applicant_s_sms_goes_through_the_gateway(
    province, sms, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        dossier = receive_residence(province, when=START)
    (message,) = delivered(sms)
    assert message["to"] == "0912345678"
    assert message["sender"] == "MOTCUA"
    assert message["text"].startswith(
        f"TTPVHCC An Hoa da tiep nhan ho so {dossier.code}"
    )
    notification = Notification.objects.get(channel=Channel.SMS)
    assert notification.status == OutboxStatus.SENT
    assert notification.provider_reference == message["id"]
    assert message["ref"] == f"motcua-n{notification.pk}"


def test_a_failing_gateway_is_retried_with_backoff_until_dead(
    province, sms, settings, django_capture_on_commit_callbacks
):
    settings.NOTIFY_MAX_ATTEMPTS = 4
    with time_machine.travel(START, tick=False) as traveller:
        control(sms, "/_control/fail", {"seconds": 10**6, "status": 503})
        with django_capture_on_commit_callbacks(execute=True):
            receive_residence(province, when=START, email="")
        notification = Notification.objects.get()
        waits = []
        for _ in range(10):
            notification.refresh_from_db()
            if notification.status == OutboxStatus.DEAD:
                break
            assert notification.status == OutboxStatus.FAILED
            waits.append((notification.next_attempt_at - START).total_seconds())
            # Just before the next attempt is due nothing is sent ...
            traveller.move_to(notification.next_attempt_at - timedelta(seconds=1))
            sweep_run(only=["retry_notifications"])
            notification.refresh_from_db()
            assert notification.attempts == len(waits)
            # ... then it is.
            traveller.move_to(notification.next_attempt_at)
            sweep_run(only=["retry_notifications"])
    assert notification.status == OutboxStatus.DEAD and notification.attempts == 4
    assert "503" in notification.last_error
    # 60 s base, doubling: the gaps between attempts grow.
    gaps = [b - a for a, b in zip([0, *waits], waits, strict=False)]
    assert 30 <= gaps[0] <= 60 and 60 <= gaps[1] <= 120 and 120 <= gaps[2] <= 240
    assert delivered(sms) == []


def test_a_recovered_gateway_gets_the_message_once(
    province, sms, django_capture_on_commit_callbacks
):
    with time_machine.travel(START, tick=False) as traveller:
        control(sms, "/_control/fail", {"requests": 1, "status": 502})
        with django_capture_on_commit_callbacks(execute=True):
            receive_residence(province, when=START, email="")
        assert delivered(sms) == []
        traveller.shift(120)
        sweep_run(only=["retry_notifications"])
        traveller.shift(600)
        sweep_run(only=["retry_notifications"])
    assert len(delivered(sms)) == 1
    assert Notification.objects.get().attempts == 2


def test_a_lost_answer_does_not_send_the_sms_twice(
    province, sms, django_capture_on_commit_callbacks
):
    with time_machine.travel(START, tick=False) as traveller:
        control(sms, "/_control/fail", {"requests": 1, "mode": "drop"})
        with django_capture_on_commit_callbacks(execute=True):
            receive_residence(province, when=START, email="")
        notification = Notification.objects.get()
        assert notification.status == OutboxStatus.FAILED
        traveller.shift(120)
        sweep_run(only=["retry_notifications"])
    notification.refresh_from_db()
    assert notification.status == OutboxStatus.SENT
    assert len(delivered(sms)) == 1


def test_a_wrong_api_key_is_dead_at_once(
    province, sms, settings, django_capture_on_commit_callbacks
):
    settings.SMS_API_KEY = "wrong"
    with django_capture_on_commit_callbacks(execute=True):
        receive_residence(province, when=START, email="")
    notification = Notification.objects.get()
    assert notification.status == OutboxStatus.DEAD and notification.attempts == 1
    assert "401" in notification.last_error
