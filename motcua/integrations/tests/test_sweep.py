"""The periodic sweep: 15-day closures, acceptance alerts, due reminders, once each."""

from datetime import timedelta
from io import StringIO

from django.core.management import call_command

import pytest
import time_machine

from motcua.dossiers.constants import DossierAction as A
from motcua.dossiers.constants import DossierStatus as S
from motcua.integrations.models import PortalSyncMessage
from motcua.integrations.sweep import sweep_run
from motcua.notifications.constants import Channel, NotificationKind, ReminderKind
from motcua.notifications.models import Notification, Reminder
from motcua.testing.flows import act, at, receive_residence, submit_online

pytestmark = pytest.mark.django_db

START = at(2026, 3, 2, 9, 0)  # a Monday


def sweep(when, *jobs):
    with time_machine.travel(when, tick=False):
        return sweep_run(only=list(jobs) or None)


def staff_messages(kind):
    return sorted(
        Notification.objects.filter(kind=kind).values_list(
            "recipient_user__username", "channel"
        )
    )


class TestClosure:
    def test_a_dossier_is_closed_15_days_after_an_unanswered_request(self, province):
        p = province
        dossier = receive_residence(p, when=START)
        dossier = act(p, dossier, A.COMPLETE_STEP, "reception_a", START)
        dossier = act(
            p,
            dossier,
            A.REQUEST_SUPPLEMENT,
            "police_a",
            at(2026, 3, 3, 9, 0),
            reason="Thiếu hợp đồng thuê nhà",
        )
        assert sweep(at(2026, 3, 18, 8, 59), "close_unsupplemented") == {
            "close_unsupplemented": {"closed": 0, "skipped": 0}
        }
        report = sweep(at(2026, 3, 18, 9, 0), "close_unsupplemented")
        assert report["close_unsupplemented"] == {"closed": 1, "skipped": 0}
        dossier.refresh_from_db()
        assert dossier.status == S.STOPPED
        event = dossier.events.latest("pk")
        assert event.action == A.CLOSE_UNSUPPLEMENTED
        assert event.actor is None and event.actor_label == "Hệ thống motcua"
        # The closure is told to the applicant and synced like any change.
        assert Notification.objects.filter(
            kind=NotificationKind.STOPPED, event=event, channel=Channel.EMAIL
        ).exists()
        assert PortalSyncMessage.objects.filter(event=event, portal_status=8).exists()
        # A rerun has nothing left to close.
        assert sweep(at(2026, 3, 18, 9, 5), "close_unsupplemented") == {
            "close_unsupplemented": {"closed": 0, "skipped": 0}
        }

    def test_a_supplied_dossier_is_not_closed(self, province):
        p = province
        dossier = receive_residence(p, when=START)
        dossier = act(p, dossier, A.COMPLETE_STEP, "reception_a", START)
        dossier = act(
            p,
            dossier,
            A.REQUEST_SUPPLEMENT,
            "police_a",
            at(2026, 3, 3, 9, 0),
            reason="Thiếu hợp đồng thuê nhà",
        )
        act(p, dossier, A.SUPPLEMENT, "reception_a", at(2026, 3, 10, 9, 0))
        sweep(at(2026, 3, 20, 9, 0), "close_unsupplemented")
        dossier.refresh_from_db()
        assert dossier.status == S.IN_PROGRESS

    def test_an_online_dossier_sent_back_at_reception_is_closed_too(self, province):
        p = province
        dossier = submit_online(p, when=START, portal_id="P-9")
        act(
            p,
            dossier,
            A.REQUEST_SUPPLEMENT,
            "reception_a",
            START + timedelta(hours=1),
            reason="Ảnh chụp giấy tờ bị mờ",
        )
        sweep(at(2026, 3, 17, 10, 0), "close_unsupplemented")
        dossier.refresh_from_db()
        assert dossier.status == S.STOPPED


class TestAcceptance:
    def test_staff_are_alerted_at_2_working_hours_and_again_when_8_have_passed(
        self, province
    ):
        p = province
        p.users["reception_a"].email = "lan.nt@anhoa.example.vn"
        p.users["reception_a"].save()
        dossier = submit_online(p, when=START, portal_id="P-1")
        # 8 working hours from Monday 09:00: Tuesday 09:00.
        assert dossier.acceptance_due_at == at(2026, 3, 3, 9, 0)

        sweep(at(2026, 3, 2, 10, 59), "send_reminders")
        assert not Reminder.objects.exists()
        report = sweep(at(2026, 3, 2, 11, 0), "send_reminders")
        assert report["send_reminders"] == {"acceptance_alert": 1, "notifications": 2}
        assert staff_messages(NotificationKind.ACCEPTANCE_ALERT) == [
            ("tiepnhan.anhoa", Channel.EMAIL),
            ("tiepnhan.anhoa", Channel.IN_APP),
        ]
        email = Notification.objects.get(
            kind=NotificationKind.ACCEPTANCE_ALERT, channel=Channel.EMAIL
        )
        assert email.subject == "Hồ sơ trực tuyến chờ tiếp nhận: P-1"
        assert "Hạn tiếp nhận hoặc yêu cầu bổ sung: 09:00 ngày 03/03/2026" in email.body

        # Reruns send nothing twice.
        sweep(at(2026, 3, 2, 15, 0), "send_reminders")
        assert (
            Notification.objects.filter(kind=NotificationKind.ACCEPTANCE_ALERT).count()
            == 2
        )

        sweep(at(2026, 3, 3, 9, 0), "send_reminders")
        assert staff_messages(NotificationKind.ACCEPTANCE_OVERDUE) == [
            ("giamdoc.anhoa", Channel.IN_APP),
            ("tiepnhan.anhoa", Channel.EMAIL),
            ("tiepnhan.anhoa", Channel.IN_APP),
        ]
        sweep(at(2026, 3, 3, 10, 0), "send_reminders")
        assert Reminder.objects.count() == 2
        # The sweep never changes the dossier; the service flags the breach
        # when the dossier is finally accepted.
        dossier.refresh_from_db()
        assert dossier.status == S.SUBMITTED and not dossier.acceptance_breached
        dossier = act(p, dossier, A.RECEIVE, "reception_a", at(2026, 3, 3, 9, 30))
        assert dossier.acceptance_breached

    def test_an_accepted_dossier_raises_no_alert(self, province):
        p = province
        dossier = submit_online(p, when=START, portal_id="P-2")
        act(p, dossier, A.RECEIVE, "reception_a", START + timedelta(minutes=30))
        sweep(at(2026, 3, 3, 10, 0), "send_reminders")
        # (Its reception step, 8 working hours on a 4-hour allotment, already
        # makes it due soon by the forecast: a reminder of another kind.)
        assert not Reminder.objects.filter(
            kind__in=[ReminderKind.ACCEPTANCE_ALERT, ReminderKind.ACCEPTANCE_OVERDUE]
        ).exists()


class TestDueReminders:
    """
    A residence dossier received Monday 02/03 09:00, its reception step done
    at once: due 11/03 09:00, 56 working hours later (7 days). Ahead of it:
    appraisal 4 days (32 h), unassigned, then signing 1 day (8 h); the
    return step is not counted. No finished steps in the history: every
    unit's pace is 1, the allotment itself (docs/supervision.md, risk model).

    With t the working minutes since 02/03 09:00, the time left is 3360 − t;
    the work ahead max(1920 − t, 192) + 480 (an appraisal past its allotment
    still needs a tenth of it). The slack is therefore 960 until t = 1728,
    then 2688 − t: under a working day (480, "medium") from t = 2209, i.e.
    06/03 15:49; negative ("high") from t = 2689, i.e. 09/03 15:49. The
    extension stays allowed while a working day is left: until t = 2880,
    10/03 09:00.
    """

    def test_the_forecast_says_when_a_dossier_is_due_soon_and_reminds_once(
        self, province
    ):
        p = province
        dossier = receive_residence(p, when=START)
        dossier = act(p, dossier, A.COMPLETE_STEP, "reception_a", START)
        assert dossier.due_at == at(2026, 3, 11, 9, 0)

        sweep(at(2026, 3, 6, 15, 48), "send_reminders")  # slack exactly 480
        assert not Reminder.objects.exists()
        sweep(at(2026, 3, 6, 15, 49), "send_reminders")
        # The appraisal is unassigned: the police's leader, who assigns it,
        # and the receiving centre's head.
        assert staff_messages(NotificationKind.DUE_SOON) == [
            ("giamdoc.anhoa", Channel.IN_APP),
            ("truongcongan.anhoa", Channel.IN_APP),
        ]
        reminder = Reminder.objects.get()
        assert (reminder.kind, reminder.threshold_at, reminder.recipients) == (
            ReminderKind.DUE_SOON,
            dossier.due_at,
            2,
        )
        body = Notification.objects.filter(kind=NotificationKind.DUE_SOON).first().body
        # Left: 3360 − 2209 = 1151 min; ahead: 192 + 480 = 672 min, which
        # from 06/03 15:49 ends at 10/03 09:01.
        assert (
            "sắp đến hạn trả kết quả: 09:00 ngày 11/03/2026 (còn 19.2 giờ làm việc)"
            in body
        )
        assert (
            "phần việc còn lại cần khoảng 11.2 giờ làm việc, "
            "dự kiến xong lúc 09:01 ngày 10/03/2026" in body
        )
        assert "Bước đang xử lý: Thẩm định, xác minh." in body

        sweep(at(2026, 3, 9, 10, 0), "send_reminders")
        sweep(at(2026, 3, 10, 16, 0), "send_reminders")
        assert Notification.objects.filter(kind=NotificationKind.DUE_SOON).count() == 2

        sweep(at(2026, 3, 11, 9, 1), "send_reminders")
        sweep(at(2026, 3, 12, 9, 0), "send_reminders")
        assert staff_messages(NotificationKind.OVERDUE) == [
            ("giamdoc.anhoa", Channel.IN_APP),
            ("truongcongan.anhoa", Channel.IN_APP),
        ]

    def test_the_extension_is_suggested_once_while_it_may_still_be_issued(
        self, province
    ):
        p = province
        dossier = receive_residence(p, when=START)
        act(p, dossier, A.COMPLETE_STEP, "reception_a", START)

        sweep(at(2026, 3, 9, 15, 48), "send_reminders")  # slack 0: "medium"
        assert list(Reminder.objects.values_list("kind", flat=True)) == [
            ReminderKind.DUE_SOON
        ]
        sweep(at(2026, 3, 9, 15, 49), "send_reminders")
        assert staff_messages(NotificationKind.EXTENSION_SUGGESTED) == [
            ("giamdoc.anhoa", Channel.IN_APP),
            ("truongcongan.anhoa", Channel.IN_APP),
        ]
        body = (
            Notification.objects.filter(kind=NotificationKind.EXTENSION_SUGGESTED)
            .first()
            .body
        )
        # 672 working minutes ahead from 09/03 15:49 end on 11/03 09:01,
        # after the due time; the new date proposed is that day's close.
        assert (
            "hạn trả kết quả 09:00 ngày 11/03/2026, theo tiến độ thường lệ "
            "của các đơn vị dự kiến xong lúc 09:01 ngày 11/03/2026" in body
        )
        assert "(Mẫu 04) trước 09:00 ngày 10/03/2026" in body
        assert "ngày hẹn mới đề xuất: 17:30 ngày 11/03/2026" in body

        sweep(at(2026, 3, 10, 8, 0), "send_reminders")
        sweep(at(2026, 3, 10, 9, 0), "send_reminders")
        assert (
            Reminder.objects.filter(kind=ReminderKind.EXTENSION_SUGGESTED).count() == 1
        )
        assert (
            Notification.objects.filter(
                kind=NotificationKind.EXTENSION_SUGGESTED
            ).count()
            == 2
        )

    def test_no_extension_is_suggested_past_the_last_moment_to_issue_it(self, province):
        p = province
        dossier = receive_residence(p, when=START)
        act(p, dossier, A.COMPLETE_STEP, "reception_a", START)
        # First looked at on 10/03 09:01: less than a working day is left.
        sweep(at(2026, 3, 10, 9, 1), "send_reminders")
        assert list(Reminder.objects.values_list("kind", flat=True)) == [
            ReminderKind.DUE_SOON
        ]

    def test_the_due_soon_setting_reminds_at_the_latest_that_long_before(
        self, province, settings
    ):
        # 24 working hours before 11/03 09:00 is 06/03 09:00 (t = 1920),
        # while the forecast alone would wait until 06/03 15:49.
        settings.MOTCUA_DUE_SOON_WORKING_HOURS = 24
        p = province
        dossier = receive_residence(p, when=START)
        act(p, dossier, A.COMPLETE_STEP, "reception_a", START)
        sweep(at(2026, 3, 6, 8, 59), "send_reminders")
        assert not Reminder.objects.exists()
        sweep(at(2026, 3, 6, 9, 0), "send_reminders")
        assert Reminder.objects.get().kind == ReminderKind.DUE_SOON

    def test_an_assigned_officer_is_the_one_reminded(self, province):
        p = province
        dossier = receive_residence(p, when=START)
        dossier = act(p, dossier, A.COMPLETE_STEP, "reception_a", START)
        # A second processing officer joins the police; only the assignee is reminded.
        from motcua.accounts.models import StaffMembership

        StaffMembership.objects.create(
            user=p.users["processing_a2"], agency=p.police_a, role="processing"
        )
        act(
            p,
            dossier,
            A.ASSIGN,
            "police_lead_a",
            START,
            assignee=p.users["police_a"].pk,
        )
        sweep(at(2026, 3, 11, 10, 0), "send_reminders")
        assert staff_messages(NotificationKind.OVERDUE) == [
            ("congan.anhoa", Channel.IN_APP),
            ("giamdoc.anhoa", Channel.IN_APP),
        ]
        # Past due, it is reminded as overdue, not as due soon.
        assert not Reminder.objects.filter(kind=ReminderKind.DUE_SOON).exists()

    def test_a_new_due_time_is_a_new_threshold(self, province):
        p = province
        dossier = receive_residence(p, when=START)
        dossier = act(p, dossier, A.COMPLETE_STEP, "reception_a", START)
        # 10/03 09:00: will be late (slack −192) and may still be extended.
        sweep(at(2026, 3, 10, 9, 0), "send_reminders")
        assert (
            Reminder.objects.filter(kind=ReminderKind.EXTENSION_SUGGESTED).count() == 1
        )
        act(
            p,
            dossier,
            A.EXTEND,
            "police_lead_a",
            at(2026, 3, 10, 9, 0),
            reason="Chờ xác minh",
            new_due_at="2026-03-20T17:30:00+07:00",
        )
        sweep(at(2026, 3, 11, 10, 0), "send_reminders")
        assert not Reminder.objects.filter(kind=ReminderKind.OVERDUE).exists()
        # A working day before the new due time: due soon again, and late at
        # the usual pace (672 minutes ahead), but extended once already.
        sweep(at(2026, 3, 19, 17, 30), "send_reminders")
        assert Reminder.objects.filter(kind=ReminderKind.DUE_SOON).count() == 2
        assert (
            Reminder.objects.filter(kind=ReminderKind.EXTENSION_SUGGESTED).count() == 1
        )


def test_a_failing_job_does_not_stop_the_others(province, settings):
    settings.MOTCUA_SWEEP_JOBS = [
        "motcua.integrations.tests.test_sweep.broken_job",
        "motcua.integrations.sweep.close_unsupplemented",
    ]
    report = sweep(START)
    assert report["broken_job"] == {"error": "RuntimeError: out of order"}
    assert report["close_unsupplemented"] == {"closed": 0, "skipped": 0}


def broken_job(*, now):
    raise RuntimeError("out of order")


def test_the_sweep_command_prints_one_line_per_job(province):
    out = StringIO()
    with time_machine.travel(START, tick=False):
        call_command("sweep", stdout=out)
    lines = out.getvalue().splitlines()
    assert [line.split(":")[0] for line in lines] == [
        "close_unsupplemented",
        "send_reminders",
        "retry_portal_sync",
        "retry_notifications",
        "expire_payments",
        "prune_idempotency_keys",
        "seal_audit_log",
    ]


def test_the_sweep_prunes_old_idempotency_keys_and_seals_the_audit_log(province):
    from datetime import timedelta

    from motcua.audit.models import AuditLog
    from motcua.audit.services import audit_record, audit_verify
    from motcua.core.models import IdempotencyRecord

    with time_machine.travel(START - timedelta(days=8), tick=False):
        IdempotencyRecord.objects.create(
            key="old", scope="u1", request_hash="x", status_code=201, response={}
        )
        audit_record(event_type="export", target_type="test", target_id="1")
    with time_machine.travel(START, tick=False):
        IdempotencyRecord.objects.create(
            key="new", scope="u1", request_hash="x", status_code=201, response={}
        )
        call_command("sweep", stdout=StringIO())
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["new"]
    assert AuditLog.objects.exclude(row_hash="").exists()
    assert audit_verify()[0] is True
