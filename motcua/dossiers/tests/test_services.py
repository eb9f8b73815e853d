"""Every lifecycle action and every legal rule, through the services."""

from datetime import datetime, timedelta
from io import StringIO

from django.core.management import call_command

import pytest
import time_machine

from motcua.audit.models import AuditLog
from motcua.core.calendar import LOCAL_TZ
from motcua.core.exceptions import (
    Conflict,
    InvalidTransition,
    PermissionDenied,
    RuleViolation,
    ValidationFailed,
)
from motcua.dossiers.access import PAYMENT, PORTAL, SWEEP
from motcua.dossiers.constants import (
    DossierAction as A,
)
from motcua.dossiers.constants import (
    DossierStatus as S,
)
from motcua.dossiers.constants import (
    FeeStatus,
    StepStatus,
)
from motcua.dossiers.models import Dossier, DossierEvent, HandOver
from motcua.dossiers.services import dossier_apply_action, dossier_create
from motcua.testing.province import all_components, applicant

pytestmark = pytest.mark.django_db


def at(*args):
    return datetime(*args, tzinfo=LOCAL_TZ)


def receive_residence(p, *, when=None, centre=None, user=None, **kwargs):
    when = when or at(2026, 3, 2, 9, 0)
    version = p.procedures["residence"]
    with time_machine.travel(when, tick=False):
        return dossier_create(
            procedure_version=version,
            channel="counter",
            receiving_centre=centre or p.centre_a,
            competent_agency=p.police_a,
            applicant=applicant(**kwargs.pop("applicant", {})),
            components=all_components(version),
            actor=user or p.users["reception_a"],
            receive=True,
            **kwargs,
        )


def act(p, dossier, action, who, when, **data):
    with time_machine.travel(when, tick=False):
        return dossier_apply_action(
            dossier=dossier,
            action=action,
            actor=p.users[who] if isinstance(who, str) else who,
            data=data,
        )


def finish_steps_before_signing(p, dossier, when):
    dossier = act(p, dossier, A.COMPLETE_STEP, "reception_a", when)
    return act(p, dossier, A.COMPLETE_STEP, "police_a", when + timedelta(hours=1))


class TestReception:
    def test_the_due_date_command_gives_the_dossiers_due_time(self, province):
        dossier = receive_residence(province, when=at(2026, 4, 29, 16, 0))
        version = dossier.procedure_version
        out = StringIO()

        call_command(
            "due_date",
            "--received=2026-04-29T16:00",
            f"--duration={version.duration_value}",
            f"--unit={version.duration_unit}",
            f"--calendar={province.centre_a.current_code}",
            stdout=out,
            stderr=StringIO(),
        )

        # Across the 30/4 and 1/5 holidays: one engine for both.
        expected = dossier.due_at.astimezone(LOCAL_TZ).strftime("%Y-%m-%dT%H:%M")
        assert out.getvalue().strip() == expected

    def test_counter_reception_issues_code_due_time_steps_fees_and_events(
        self, province
    ):
        dossier = receive_residence(province)
        assert dossier.status == S.RECEIVED
        assert dossier.code == "001.01.01.H99-260302-0001"
        assert dossier.book_year == 2026 and dossier.book_sequence == 1
        # 7 working days of 8 hours from Mon 02/03 09:00.
        assert dossier.due_at == at(2026, 3, 11, 9, 0)
        steps = list(dossier.steps.order_by("order"))
        assert [s.status for s in steps] == [
            StepStatus.ACTIVE,
            *[StepStatus.PENDING] * 3,
        ]
        assert steps[0].agency == province.centre_a and steps[0].due_at == at(
            2026, 3, 2, 15, 0
        )
        assert [(f.amount, f.status) for f in dossier.fees.all()] == [
            (20000, FeeStatus.DUE)
        ]
        assert list(dossier.events.values_list("action", flat=True)) == [
            A.SUBMIT,
            A.RECEIVE,
        ]
        assert AuditLog.objects.filter(target_id=str(dossier.pk)).count() == 2

    def test_codes_follow_each_other_per_centre_and_day_and_the_book_never_restarts(
        self, province
    ):
        first = receive_residence(province)
        second = receive_residence(province, when=at(2026, 3, 2, 10, 0))
        next_day = receive_residence(province, when=at(2026, 3, 3, 8, 0))
        assert second.code.endswith("260302-0002")
        assert next_day.code == "001.01.01.H99-260303-0001"
        assert [first.book_sequence, second.book_sequence, next_day.book_sequence] == [
            1,
            2,
            3,
        ]

    def test_any_centre_receives_a_boundary_free_procedure(self, province):
        dossier = receive_residence(
            province, centre=province.centre_b, user=province.users["reception_b"]
        )
        assert dossier.code.startswith("002.01.01.H99-260302-")
        assert dossier.competent_agency == province.police_a

    def test_reception_after_the_cutoff_counts_from_the_next_working_day(
        self, province
    ):
        version = province.procedures["birth"]
        with time_machine.travel(at(2026, 2, 13, 15, 30), tick=False):
            dossier = dossier_create(
                procedure_version=version,
                channel="counter",
                receiving_centre=province.centre_a,
                competent_agency=province.committee_a,
                applicant=applicant(),
                components=all_components(version),
                actor=province.users["reception_a"],
                receive=True,
            )
        # Immediate procedure, received Friday after 15:00 before Tết: due at close of Mon 23/02.
        assert dossier.due_at == at(2026, 2, 23, 17, 30)

    def test_an_incomplete_dossier_is_not_received_and_nothing_is_written(
        self, province
    ):
        version = province.procedures["residence"]
        with (
            pytest.raises(RuleViolation) as error,
            time_machine.travel(at(2026, 3, 2, 9), tick=False),
        ):
            dossier_create(
                procedure_version=version,
                channel="counter",
                receiving_centre=province.centre_a,
                competent_agency=province.police_a,
                applicant=applicant(),
                components=all_components(version)[:1],
                actor=province.users["reception_a"],
                receive=True,
            )
        assert error.value.code == "components_missing"
        assert not Dossier.objects.exists() and not DossierEvent.objects.exists()

    @pytest.mark.parametrize(
        ("field", "value", "code"),
        [
            ("name", "", "applicant_invalid"),
            ("id_number", "12345", "applicant_invalid"),
            ("email", "x@", "applicant_invalid"),
        ],
    )
    def test_bad_applicant_data_is_refused_with_the_field(
        self, province, field, value, code
    ):
        with pytest.raises(ValidationFailed) as error:
            receive_residence(province, applicant={field: value})
        assert error.value.code == code and field in error.value.extra["fields"]
        assert not Dossier.objects.exists()

    def test_a_reception_officer_of_another_centre_cannot_receive_here(self, province):
        with pytest.raises(PermissionDenied):
            receive_residence(province, user=province.users["reception_b"])

    def test_online_dossiers_come_only_from_the_portal_and_are_idempotent(
        self, province
    ):
        version = province.procedures["residence"]
        kwargs = dict(
            procedure_version=version,
            channel="online",
            receiving_centre=province.centre_a,
            competent_agency=province.police_a,
            applicant=applicant(),
            components=all_components(version, "uploaded"),
            portal_id="G22.99-260302-000123",
        )
        with pytest.raises(PermissionDenied):
            dossier_create(actor=province.users["reception_a"], **kwargs)
        with time_machine.travel(at(2026, 3, 2, 16, 0), tick=False):
            first = dossier_create(actor=PORTAL, **kwargs)
            again = dossier_create(actor=PORTAL, **kwargs)
        assert first.pk == again.pk and Dossier.objects.count() == 1
        assert first.code is None and first.status == S.SUBMITTED
        # 8 working hours from Mon 16:00: 1.5 h on Monday, 6.5 h on Tuesday.
        assert first.acceptance_due_at == at(2026, 3, 3, 16, 0)

    def test_accepting_an_online_dossier_after_8_working_hours_is_flagged(
        self, province
    ):
        version = province.procedures["residence"]
        with time_machine.travel(at(2026, 3, 2, 16, 0), tick=False):
            dossier = dossier_create(
                procedure_version=version,
                channel="online",
                receiving_centre=province.centre_a,
                competent_agency=province.police_a,
                applicant=applicant(),
                components=all_components(version, "uploaded"),
                actor=PORTAL,
                portal_id="P-1",
            )
        dossier = act(province, dossier, A.RECEIVE, "reception_a", at(2026, 3, 4, 8, 0))
        assert dossier.acceptance_breached is True
        assert [f.amount for f in dossier.fees.all()] == [10000]  # online fee


class TestSupplements:
    def test_at_the_counter_a_supplement_request_issues_no_code_and_stops_no_clock(
        self, province
    ):
        version = province.procedures["residence"]
        with time_machine.travel(at(2026, 3, 2, 9), tick=False):
            dossier = dossier_create(
                procedure_version=version,
                channel="counter",
                receiving_centre=province.centre_a,
                competent_agency=province.police_a,
                applicant=applicant(),
                components=[],
                actor=province.users["reception_a"],
            )
        dossier = act(
            province,
            dossier,
            A.REQUEST_SUPPLEMENT,
            "reception_a",
            at(2026, 3, 2, 9, 5),
            reason="Thiếu tờ khai CT01",
        )
        assert (dossier.status, dossier.code, dossier.due_at) == (
            S.NEEDS_SUPPLEMENT,
            None,
            None,
        )
        dossier = act(province, dossier, A.SUPPLEMENT, "reception_a", at(2026, 3, 3, 9))
        assert dossier.status == S.SUBMITTED

    def test_processing_supplement_pauses_and_the_complete_supplement_restarts_the_full_duration(
        self, province
    ):
        dossier = finish_steps_before_signing(
            province, receive_residence(province), at(2026, 3, 2, 10)
        )
        dossier = receive_residence(province)
        dossier = act(
            province, dossier, A.COMPLETE_STEP, "reception_a", at(2026, 3, 2, 10)
        )
        dossier = act(
            province,
            dossier,
            A.REQUEST_SUPPLEMENT,
            "police_a",
            at(2026, 3, 4, 9),
            reason="Bổ sung giấy tờ chỗ ở",
        )
        assert dossier.status == S.NEEDS_SUPPLEMENT and dossier.paused_at == at(
            2026, 3, 4, 9
        )
        dossier = act(
            province, dossier, A.SUPPLEMENT, "reception_a", at(2026, 3, 9, 8, 0)
        )
        assert dossier.status == S.IN_PROGRESS and dossier.paused_at is None
        # Decree 118 Art.19(5): 7 full working days again from Mon 09/03 08:00.
        assert dossier.due_at == at(2026, 3, 18, 8, 0)
        assert dossier.clock_started_at == at(2026, 3, 9, 8, 0)
        active = dossier.steps.get(status=StepStatus.ACTIVE)
        assert active.started_at == at(2026, 3, 9, 8, 0)
        assert dossier.supplement_requests.get().new_due_at == at(2026, 3, 18, 8, 0)

    def test_a_second_request_in_a_phase_is_refused_unless_acknowledged_and_then_counts_late(
        self, province
    ):
        dossier = receive_residence(province)
        dossier = act(
            province, dossier, A.COMPLETE_STEP, "reception_a", at(2026, 3, 2, 10)
        )
        dossier = act(
            province,
            dossier,
            A.REQUEST_SUPPLEMENT,
            "police_a",
            at(2026, 3, 3, 9),
            reason="Lần 1",
        )
        dossier = act(
            province, dossier, A.SUPPLEMENT, "reception_a", at(2026, 3, 3, 14)
        )
        with pytest.raises(RuleViolation) as error:
            act(
                province,
                dossier,
                A.REQUEST_SUPPLEMENT,
                "police_a",
                at(2026, 3, 4, 9),
                reason="Lần 2",
            )
        assert error.value.code == "supplement_limit"
        assert Dossier.objects.get(pk=dossier.pk).status == S.IN_PROGRESS
        dossier = act(
            province,
            dossier,
            A.REQUEST_SUPPLEMENT,
            "police_a",
            at(2026, 3, 4, 9),
            reason="Lần 2",
            acknowledge_rule_breach=True,
        )
        assert (
            dossier.counted_late is True
            and "supplement_limit" in dossier.counted_late_reason
        )

    def test_a_processing_supplement_after_3_working_days_is_refused(self, province):
        dossier = receive_residence(province)
        dossier = act(
            province, dossier, A.COMPLETE_STEP, "reception_a", at(2026, 3, 2, 10)
        )
        with pytest.raises(RuleViolation) as error:
            act(
                province,
                dossier,
                A.REQUEST_SUPPLEMENT,
                "police_a",
                at(2026, 3, 5, 9, 30),
                reason="Muộn",
            )
        assert error.value.code == "supplement_window_passed"

    def test_fifteen_days_without_supplement_close_the_dossier(self, province):
        dossier = receive_residence(province)
        dossier = act(
            province,
            dossier,
            A.REQUEST_SUPPLEMENT,
            "police_a",
            at(2026, 3, 2, 10),
            reason="Thiếu",
        )
        with pytest.raises(RuleViolation) as error:
            act(province, dossier, A.CLOSE_UNSUPPLEMENTED, SWEEP, at(2026, 3, 16, 10))
        assert error.value.code == "supplement_period_running"
        dossier = act(
            province, dossier, A.CLOSE_UNSUPPLEMENTED, SWEEP, at(2026, 3, 17, 10, 1)
        )
        assert dossier.status == S.STOPPED and dossier.stopped_at == at(
            2026, 3, 17, 10, 1
        )
        assert (
            dossier.timeliness == "early"
        )  # measured at the request time, well before the due time
        assert dossier.events.last().actor_label == SWEEP.label

    def test_after_reception_only_the_agency_asks_for_a_supplement(self, province):
        dossier = receive_residence(province)
        with pytest.raises(PermissionDenied):
            act(
                province,
                dossier,
                A.REQUEST_SUPPLEMENT,
                "reception_a",
                at(2026, 3, 2, 10),
                reason="Thiếu",
            )

    def test_supplement_reason_is_required(self, province):
        dossier = receive_residence(province)
        with pytest.raises(ValidationFailed) as error:
            act(
                province,
                dossier,
                A.REQUEST_SUPPLEMENT,
                "police_a",
                at(2026, 3, 2, 10),
                reason="  ",
            )
        assert error.value.code == "reason_required"

    def test_supplement_items_name_catalog_components_with_copy_type_and_count(
        self, province
    ):
        dossier = receive_residence(province)
        component = dossier.procedure_version.components.first()
        dossier = act(
            province,
            dossier,
            A.REQUEST_SUPPLEMENT,
            "police_a",
            at(2026, 3, 2, 10),
            reason="Thiếu giấy tờ",
            items=[{"component": str(component.pk)}, {"name": "Sơ đồ nhà", "count": 2}],
        )
        items = dossier.supplement_requests.get().items
        assert items[0]["component"] == component.pk
        assert items[0]["name"] == component.name
        assert items[0]["copy_type"] == component.copy_type
        assert items[1] == {
            "component": None,
            "name": "Sơ đồ nhà",
            "copy_type": "original",
            "count": 2,
            "note": "",
        }

    def test_a_supplement_item_of_another_procedure_is_refused_and_nothing_changes(
        self, province
    ):
        dossier = receive_residence(province)
        with pytest.raises(ValidationFailed) as error:
            act(
                province,
                dossier,
                A.REQUEST_SUPPLEMENT,
                "police_a",
                at(2026, 3, 2, 10),
                reason="Thiếu",
                items=[{"component": "999999"}],
            )
        assert error.value.code == "component_unknown"
        assert not dossier.supplement_requests.exists()


class TestProcessing:
    def test_steps_hand_over_in_order_and_resolution_returns_to_the_centre(
        self, province
    ):
        dossier = receive_residence(province)
        dossier = act(
            province, dossier, A.COMPLETE_STEP, "reception_a", at(2026, 3, 2, 10)
        )
        assert dossier.status == S.IN_PROGRESS
        with pytest.raises(RuleViolation) as error:
            act(province, dossier, A.RESOLVE, "police_lead_a", at(2026, 3, 3, 10))
        assert error.value.code == "steps_unfinished"
        dossier = act(
            province,
            dossier,
            A.ASSIGN,
            "police_lead_a",
            at(2026, 3, 2, 11),
            assignee=province.users["police_a"].pk,
        )
        dossier = act(
            province, dossier, A.COMPLETE_STEP, "police_a", at(2026, 3, 4, 10)
        )
        dossier = act(
            province,
            dossier,
            A.RESOLVE,
            "police_lead_a",
            at(2026, 3, 5, 10),
            result_summary="Đã đăng ký",
        )
        assert dossier.status == S.RESOLVED and dossier.timeliness == "early"
        assert dossier.steps.get(kind="return").status == StepStatus.ACTIVE
        kinds = list(
            HandOver.objects.filter(dossier=dossier).values_list(
                "kind", "from_agency", "to_agency"
            )
        )
        assert kinds == [
            ("forward", province.centre_a.pk, province.police_a.pk),
            ("assign", province.police_a.pk, province.police_a.pk),
            ("forward", province.police_a.pk, province.police_a.pk),
            ("forward", province.police_a.pk, province.centre_a.pk),
        ]
        with pytest.raises(RuleViolation) as error:
            act(province, dossier, A.RETURN_RESULT, "reception_a", at(2026, 3, 5, 14))
        assert error.value.code == "fees_unpaid"
        dossier = act(
            province,
            dossier,
            A.RETURN_RESULT,
            "reception_a",
            at(2026, 3, 5, 14),
            collect_fees=True,
        )
        assert dossier.status == S.RETURNED and dossier.returned_at == at(
            2026, 3, 5, 14
        )
        assert dossier.fees.get().status == FeeStatus.PAID

    def test_a_dossier_finished_after_its_due_time_is_late(self, province):
        dossier = finish_steps_before_signing(
            province, receive_residence(province), at(2026, 3, 2, 10)
        )
        dossier = act(
            province, dossier, A.RESOLVE, "police_lead_a", at(2026, 3, 11, 9, 1)
        )
        assert dossier.timeliness == "late"

    def test_an_assigned_step_is_completed_by_its_assignee(self, province):
        dossier = receive_residence(province)
        dossier = act(
            province, dossier, A.COMPLETE_STEP, "reception_a", at(2026, 3, 2, 10)
        )
        officer = province.users["police_a"]
        dossier = act(
            province,
            dossier,
            A.ASSIGN,
            "police_lead_a",
            at(2026, 3, 2, 11),
            assignee=officer.pk,
        )
        assert dossier.steps.get(status=StepStatus.ACTIVE).assignee == officer
        with pytest.raises(ValidationFailed):
            act(
                province,
                dossier,
                A.ASSIGN,
                "police_lead_a",
                at(2026, 3, 2, 11),
                assignee=province.users["processing_a"].pk,
            )

    def test_payment_wait_moves_the_due_time_by_the_working_time_lost(self, province):
        dossier = receive_residence(province)
        dossier = act(
            province, dossier, A.COMPLETE_STEP, "reception_a", at(2026, 3, 2, 10)
        )
        before = dossier.due_at
        dossier = act(
            province, dossier, A.REQUEST_PAYMENT, "police_a", at(2026, 3, 3, 9, 0)
        )
        assert dossier.status == S.AWAITING_PAYMENT
        dossier = act(
            province,
            dossier,
            A.CONFIRM_PAYMENT,
            PAYMENT,
            at(2026, 3, 4, 9, 0),
            payment_reference="TX1",
        )
        assert dossier.status == S.IN_PROGRESS and dossier.paused_minutes == 480
        assert dossier.due_at == before + timedelta(days=1)
        assert dossier.fees.get().status == FeeStatus.PAID

    def test_extension_once_and_at_least_one_working_day_before_the_due_time(
        self, province
    ):
        dossier = receive_residence(province)  # due Wed 11/03 09:00
        with pytest.raises(RuleViolation) as error:
            act(
                province,
                dossier,
                A.EXTEND,
                "police_lead_a",
                at(2026, 3, 10, 10),
                reason="Chậm",
                new_due_at="2026-03-13T17:30",
            )
        assert error.value.code == "extension_too_late"
        with pytest.raises(PermissionDenied):
            act(
                province,
                dossier,
                A.EXTEND,
                "police_a",
                at(2026, 3, 9, 9),
                reason="Chậm",
                new_due_at="2026-03-13T17:30",
            )
        dossier = act(
            province,
            dossier,
            A.EXTEND,
            "police_lead_a",
            at(2026, 3, 9, 9),
            reason="Chờ xác minh",
            new_due_at="2026-03-13T17:30",
        )
        assert dossier.due_at == at(
            2026, 3, 13, 17, 30
        ) and dossier.original_due_at == at(2026, 3, 11, 9)
        with pytest.raises(RuleViolation) as error:
            act(
                province,
                dossier,
                A.EXTEND,
                "police_lead_a",
                at(2026, 3, 9, 10),
                reason="Lần 2",
                new_due_at="2026-03-20T17:30",
            )
        assert error.value.code == "extension_once"

    def test_withdrawal_then_stop_before_the_decision_only(self, province):
        dossier = receive_residence(province)
        dossier = act(
            province, dossier, A.REQUEST_WITHDRAWAL, "reception_a", at(2026, 3, 3, 9)
        )
        assert dossier.status == S.WITHDRAWAL_REQUESTED
        with pytest.raises(ValidationFailed):
            act(province, dossier, A.STOP, "police_lead_a", at(2026, 3, 3, 10))
        dossier = act(
            province,
            dossier,
            A.STOP,
            "police_lead_a",
            at(2026, 3, 3, 10),
            reason="Công dân rút hồ sơ",
        )
        assert dossier.status == S.STOPPED
        assert set(dossier.steps.values_list("status", flat=True)) <= {
            StepStatus.DONE,
            StepStatus.SKIPPED,
        }
        resolved = finish_steps_before_signing(
            province, receive_residence(province), at(2026, 3, 2, 10)
        )
        resolved = act(
            province, resolved, A.RESOLVE, "police_lead_a", at(2026, 3, 3, 10)
        )
        with pytest.raises(InvalidTransition):
            act(
                province,
                resolved,
                A.REQUEST_WITHDRAWAL,
                "reception_a",
                at(2026, 3, 3, 11),
            )

    def test_reject_after_appraisal_needs_a_legal_reason(self, province):
        dossier = finish_steps_before_signing(
            province, receive_residence(province), at(2026, 3, 2, 10)
        )
        with pytest.raises(ValidationFailed):
            act(province, dossier, A.REJECT, "police_lead_a", at(2026, 3, 3, 10))
        dossier = act(
            province,
            dossier,
            A.REJECT,
            "police_lead_a",
            at(2026, 3, 3, 10),
            reason="Không đủ điều kiện theo Điều 20 Luật Cư trú",
        )
        assert (dossier.status, dossier.result_kind) == (S.RESOLVED, "refused")

    def test_correction_within_3_working_days_is_on_time(self, province):
        dossier = finish_steps_before_signing(
            province, receive_residence(province), at(2026, 3, 2, 10)
        )
        dossier = act(province, dossier, A.RESOLVE, "police_lead_a", at(2026, 3, 3, 10))
        dossier = act(
            province,
            dossier,
            A.RETURN_RESULT,
            "reception_a",
            at(2026, 3, 3, 14),
            collect_fees=True,
        )
        dossier = act(
            province,
            dossier,
            A.CORRECT_RESULT,
            "police_lead_a",
            at(2026, 3, 5, 10),
            description="Sai năm sinh",
            reported_at="2026-03-04T09:00",
        )
        late = act(
            province,
            dossier,
            A.CORRECT_RESULT,
            "police_lead_a",
            at(2026, 3, 12, 10),
            description="Sai địa chỉ",
            reported_at="2026-03-04T09:00",
        )
        assert [c.on_time for c in late.corrections.order_by("pk")] == [True, False]
        assert late.status == S.RETURNED

    def test_consultation_and_reply_with_their_own_deadline(self, province):
        dossier = receive_residence(province)
        dossier = act(
            province, dossier, A.COMPLETE_STEP, "reception_a", at(2026, 3, 2, 10)
        )
        dossier = act(
            province,
            dossier,
            A.CONSULT,
            "police_a",
            at(2026, 3, 2, 14),
            to_agency=province.committee_a.pk,
            question="Xác nhận nơi ở",
            days=2,
        )
        consultation = dossier.consultations.get()
        assert consultation.due_at == at(2026, 3, 4, 14)
        assert dossier.sub_state == "consulting"
        # The consulted agency now sees the dossier and answers it.
        dossier = act(
            province,
            dossier,
            A.REPLY,
            "processing_a",
            at(2026, 3, 3, 9),
            answer="Đúng nơi ở",
        )
        consultation.refresh_from_db()
        assert consultation.status == "answered" and consultation.timeliness == "early"

    def test_transfer_to_another_unit_moves_the_step(self, province):
        dossier = receive_residence(province)
        dossier = act(
            province,
            dossier,
            A.TRANSFER,
            "reception_a",
            at(2026, 3, 2, 10),
            to_agency=province.centre_b.pk,
            reason="Chuyển về nơi cư trú",
        )
        assert dossier.steps.get(status=StepStatus.ACTIVE).agency == province.centre_b
        assert HandOver.objects.get(kind="transfer").note == "Chuyển về nơi cư trú"


class TestGuards:
    def test_an_officer_of_another_agency_may_not_act(self, province):
        dossier = receive_residence(province)
        with pytest.raises(PermissionDenied):
            act(province, dossier, A.COMPLETE_STEP, "processing_b", at(2026, 3, 2, 10))
        with pytest.raises(PermissionDenied):
            act(province, dossier, A.RESOLVE, "reception_a", at(2026, 3, 2, 10))

    def test_a_stale_version_is_refused(self, province):
        dossier = receive_residence(province)
        with (
            pytest.raises(Conflict),
            time_machine.travel(at(2026, 3, 2, 10), tick=False),
        ):
            dossier_apply_action(
                dossier=dossier,
                action=A.COMPLETE_STEP,
                actor=province.users["reception_a"],
                expected_version=dossier.version - 1,
            )

    def test_actions_not_in_the_table_are_refused_with_the_allowed_ones(self, province):
        dossier = receive_residence(province)
        with pytest.raises(InvalidTransition) as error:
            act(province, dossier, A.RETURN_RESULT, "reception_a", at(2026, 3, 2, 10))
        assert "complete_step" in error.value.extra["allowed_actions"]

    def test_events_are_append_only(self, province):
        event = receive_residence(province).events.first()
        event.note = "rewritten"
        with pytest.raises(ValueError):
            event.save()


class TestBadInput:
    """
    Untyped values from forms and JSON never reach the database: each bad
    value is a ValidationFailed naming its field, and nothing is written.
    """

    NOW = at(2026, 3, 2, 9, 0)

    def create(self, p, **kwargs):
        version = p.procedures["residence"]
        fields = {
            "procedure_version": version,
            "channel": "counter",
            "receiving_centre": p.centre_a,
            "competent_agency": p.police_a,
            "applicant": applicant(),
            "components": all_components(version),
            "actor": p.users["reception_a"],
            "receive": True,
        } | kwargs
        with time_machine.travel(self.NOW, tick=False):
            return dossier_create(**fields)

    def refused(self, p, code, field, **kwargs):
        with pytest.raises(ValidationFailed) as error:
            self.create(p, **kwargs)
        assert not Dossier.objects.exists() and not DossierEvent.objects.exists()
        assert error.value.code == code
        return error.value.extra

    @pytest.mark.parametrize("unit", [999_999, "999999", "An Hòa", 10**30, [1]])
    def test_the_applicant_unit_must_be_an_administrative_unit(self, province, unit):
        extra = self.refused(
            province, "applicant_invalid", "unit", applicant=applicant(unit=unit)
        )
        assert set(extra["fields"]) == {"unit"}

    def test_an_existing_applicant_unit_is_kept(self, province):
        dossier = self.create(
            province, applicant=applicant(unit=str(province.commune_a.pk))
        )
        assert dossier.applicant_unit == province.commune_a

    @pytest.mark.parametrize(
        "submitted_at",
        [
            NOW + timedelta(minutes=5, seconds=1),  # beyond the clock skew
            NOW + timedelta(days=1),
            at(2025, 3, 2, 8, 59),  # more than a year before
            datetime(2026, 3, 2, 8, 0),  # naive: which time zone?
            "2026-03-02T08:00:00+07:00",
        ],
    )
    def test_a_submission_time_in_the_future_or_over_a_year_old_is_refused(
        self, province, submitted_at
    ):
        extra = self.refused(
            province, "submitted_at_invalid", "submitted_at", submitted_at=submitted_at
        )
        assert extra == {"field": "submitted_at"}

    @pytest.mark.parametrize(
        "submitted_at", [NOW + timedelta(minutes=5), at(2025, 3, 2, 9, 0)]
    )
    def test_a_small_clock_skew_and_a_year_old_submission_are_accepted(
        self, province, submitted_at
    ):
        dossier = self.create(province, submitted_at=submitted_at)
        assert dossier.submitted_at == submitted_at

    @pytest.mark.parametrize("paper_sets", ["two", 0, 100, None, 2.5])
    def test_paper_sets_must_be_a_small_number(self, province, paper_sets):
        extra = self.refused(
            province, "paper_sets_invalid", "paper_sets", paper_sets=paper_sets
        )
        assert extra["field"] == "paper_sets"

    @pytest.mark.parametrize(
        ("change", "code", "field"),
        [
            ({"component": "abc"}, "component_invalid", "component"),
            ({"component": 10**30}, "component_invalid", "component"),
            ({"component": [1]}, "component_invalid", "component"),
            ({"component": 999_999}, "component_unknown", "component"),
            ({"copy_type": "x" * 40}, "component_copy_type_invalid", "copy_type"),
            ({"source": {"a": 1}}, "component_source_invalid", "source"),
            ({"paper_count": "many"}, "paper_count_invalid", "paper_count"),
            ({"page_count": 10**6}, "page_count_invalid", "page_count"),
            ({"page_count": -1}, "page_count_invalid", "page_count"),
        ],
    )
    def test_bad_component_values_name_the_field_and_the_row(
        self, province, change, code, field
    ):
        components = all_components(province.procedures["residence"])
        components[1] |= change
        extra = self.refused(province, code, field, components=components)
        assert (extra["field"], extra["index"]) == (field, 2)

    def test_components_must_be_a_list(self, province):
        extra = self.refused(
            province, "components_invalid", "components", components="abc"
        )
        assert extra == {"field": "components"}

    # -- actions

    def refused_action(self, p, dossier, action, who, *, code, field, **data):
        events = dossier.events.count()
        with pytest.raises(ValidationFailed) as error:
            act(p, dossier, action, who, at(2026, 3, 2, 14, 0), **data)
        assert (error.value.code, error.value.extra["field"]) == (code, field)
        assert dossier.events.count() == events
        return error.value

    def handed_to_police(self, p):
        dossier = self.create(p)
        return act(p, dossier, A.COMPLETE_STEP, "reception_a", at(2026, 3, 2, 10))

    @pytest.mark.parametrize("assignee", ["Bùi Văn Nam", {"pk": 1}, 10**30, True])
    def test_assign_needs_an_officer_id(self, province, assignee):
        dossier = self.handed_to_police(province)
        self.refused_action(
            province,
            dossier,
            A.ASSIGN,
            "police_lead_a",
            code="assignee_invalid",
            field="assignee",
            assignee=assignee,
        )

    @pytest.mark.parametrize("step", ["abc", -3, [1]])
    def test_a_step_must_be_an_id(self, province, step):
        dossier = self.create(province)
        self.refused_action(
            province,
            dossier,
            A.COMPLETE_STEP,
            "reception_a",
            code="step_invalid",
            field="step",
            step=step,
        )

    def test_a_step_id_given_as_text_is_understood(self, province):
        dossier = self.create(province)
        step = dossier.steps.get(status=StepStatus.ACTIVE)
        dossier = act(
            province,
            dossier,
            A.COMPLETE_STEP,
            "reception_a",
            at(2026, 3, 2, 10),
            step=str(step.pk),
        )
        step.refresh_from_db()
        assert step.status == StepStatus.DONE

    @pytest.mark.parametrize("to_agency", ["Bình Minh", 10**30, {"id": 1}])
    def test_transfer_needs_an_agency_id(self, province, to_agency):
        dossier = self.create(province)
        self.refused_action(
            province,
            dossier,
            A.TRANSFER,
            "reception_a",
            code="to_agency_invalid",
            field="to_agency",
            to_agency=to_agency,
            reason="Chuyển",
        )

    @pytest.mark.parametrize(
        ("data", "code", "field"),
        [
            ({"to_agency": "UBND"}, "to_agency_invalid", "to_agency"),
            ({"to_agency": [1]}, "to_agency_invalid", "to_agency"),
            ({"days": "ba"}, "days_invalid", "days"),
            ({"days": "nan"}, "days_invalid", "days"),
            ({"days": True}, "days_invalid", "days"),
            ({"days": 31}, "days_invalid", "days"),
            ({"days": [2]}, "days_invalid", "days"),
        ],
    )
    def test_consult_needs_an_agency_id_and_a_number_of_days(
        self, province, data, code, field
    ):
        dossier = self.handed_to_police(province)
        data = {"to_agency": province.committee_a.pk, "days": 2, **data}
        self.refused_action(
            province,
            dossier,
            A.CONSULT,
            "police_a",
            code=code,
            field=field,
            question="Xác nhận nơi ở",
            **data,
        )

    @pytest.mark.parametrize("consultation", ["first", [1], 10**30])
    def test_reply_needs_a_consultation_id(self, province, consultation):
        dossier = self.handed_to_police(province)
        dossier = act(
            province,
            dossier,
            A.CONSULT,
            "police_a",
            at(2026, 3, 2, 11),
            to_agency=province.committee_a.pk,
            question="Xác nhận nơi ở",
        )
        self.refused_action(
            province,
            dossier,
            A.REPLY,
            "processing_a",
            code="consultation_invalid",
            field="consultation",
            consultation=consultation,
            answer="Đúng",
        )

    @pytest.mark.parametrize("fees", ["12", 12, ["first"], [10**30]])
    def test_fees_to_settle_are_a_list_of_ids(self, province, fees):
        dossier = self.create(province)
        self.refused_action(
            province,
            dossier,
            A.RECORD_PAYMENT,
            PAYMENT,
            code="fees_invalid",
            field="fees",
            fees=fees,
        )

    @pytest.mark.parametrize(
        "fees",
        [
            [{"name": "Phí", "amount": 10**20}],
            [{"name": "Phí", "amount": "nhiều"}],
            ["Phí"],
            {"name": "Phí", "amount": 1000},
        ],
    )
    def test_requested_fees_have_a_name_and_a_sensible_amount(self, province, fees):
        dossier = self.handed_to_police(province)
        self.refused_action(
            province,
            dossier,
            A.REQUEST_PAYMENT,
            "police_a",
            code="fees_invalid",
            field="fees",
            fees=fees,
        )

    @pytest.mark.parametrize("new_due_at", ["2026-03-30T25:00:00", "ngày mai", 5])
    def test_a_new_due_time_must_be_a_moment(self, province, new_due_at):
        dossier = self.create(province)
        self.refused_action(
            province,
            dossier,
            A.EXTEND,
            "police_lead_a",
            code="new_due_at_invalid",
            field="new_due_at",
            new_due_at=new_due_at,
            reason="Chờ xác minh",
        )
