"""Lists and queues: visibility, filters, urgency order, diacritic-free search."""

from datetime import datetime

import pytest
import time_machine

from motcua.core.calendar import LOCAL_TZ
from motcua.dossiers.constants import DossierAction as A
from motcua.dossiers.selectors import (
    DossierFilters,
    InboxCounts,
    dossier_list,
    dossier_queues,
    inbox_counts,
    inbox_for,
    step_assignee_choices,
)
from motcua.dossiers.services import dossier_apply_action, dossier_create
from motcua.testing.province import all_components, applicant

pytestmark = pytest.mark.django_db


def at(*args):
    return datetime(*args, tzinfo=LOCAL_TZ)


def receive(p, name, when, key="residence", competent=None):
    version = p.procedures[key]
    with time_machine.travel(when, tick=False):
        return dossier_create(
            procedure_version=version,
            channel="counter",
            receiving_centre=p.centre_a,
            competent_agency=competent or p.police_a,
            applicant=applicant(name=name),
            components=all_components(version),
            actor=p.users["reception_a"],
            receive=True,
        )


def test_search_without_diacritics_finds_the_applicant(province):
    receive(province, "Nguyễn Thị Thủy", at(2026, 3, 2, 9))
    receive(province, "Trần Văn Đức", at(2026, 3, 2, 10))
    user = province.users["reception_a"]
    found = dossier_list(user=user, filters=DossierFilters(applicant="nguyen thi thuy"))
    assert [d.applicant_name for d in found] == ["Nguyễn Thị Thủy"]
    assert [
        d.applicant_name
        for d in dossier_list(user=user, filters=DossierFilters(applicant="DUC"))
    ] == ["Trần Văn Đức"]


def test_inbox_holds_what_the_officer_must_act_on_most_urgent_first(province):
    later = receive(province, "Người nộp A", at(2026, 3, 3, 9))
    sooner = receive(province, "Người nộp B", at(2026, 3, 2, 9))
    reception = province.users["reception_a"]
    assert [d.pk for d in inbox_for(user=reception)] == [sooner.pk, later.pk]
    # Nothing for the police until the centre hands the dossier over.
    assert not inbox_for(user=province.users["police_a"]).exists()
    with time_machine.travel(at(2026, 3, 3, 10), tick=False):
        dossier_apply_action(dossier=sooner, action=A.COMPLETE_STEP, actor=reception)
    assert [d.pk for d in inbox_for(user=province.users["police_a"])] == [sooner.pk]
    assert [d.pk for d in inbox_for(user=reception)] == [later.pk]


def test_staff_of_another_commune_see_nothing_and_supervisors_see_all(province):
    receive(province, "Người nộp A", at(2026, 3, 2, 9))
    assert not dossier_list(user=province.users["processing_b"]).exists()
    assert dossier_list(user=province.users["supervisor"]).count() == 1
    assert dossier_list(user=province.users["centre_head"]).count() == 1


def test_inbox_query_count_does_not_grow_with_the_queue(
    province, django_assert_max_num_queries
):
    for hour in range(9, 12):
        receive(province, f"Người nộp {hour}", at(2026, 3, 2, hour))
    user = province.users["reception_a"]
    user = type(user).objects.get(pk=user.pk)
    # Roles, the ids from the step and consultation queues (two), the dossiers
    # with their procedure and agencies: bounded, whatever the queue's length.
    with django_assert_max_num_queries(5):
        rows = list(inbox_for(user=user))
        names = [d.procedure_version.procedure.name for d in rows]
    assert len(names) == 3


def online(p, name, when, portal_id):
    from motcua.dossiers.access import PORTAL

    version = p.procedures["residence"]
    with time_machine.travel(when, tick=False):
        return dossier_create(
            procedure_version=version,
            channel="online",
            receiving_centre=p.centre_a,
            competent_agency=p.police_a,
            applicant=applicant(name=name),
            components=all_components(version, "uploaded"),
            actor=PORTAL,
            portal_id=portal_id,
        )


def test_the_unit_inbox_adds_the_steps_of_colleagues(province):
    dossier = receive(
        province,
        "Người nộp A",
        at(2026, 3, 2, 9),
        key="birth",
        competent=province.committee_a,
    )
    reception = province.users["reception_a"]
    with time_machine.travel(at(2026, 3, 2, 9, 10), tick=False):
        dossier = dossier_apply_action(
            dossier=dossier, action=A.COMPLETE_STEP, actor=reception
        )
        dossier_apply_action(
            dossier=dossier,
            action=A.ASSIGN,
            actor=province.users["leader_a"],
            data={"assignee": province.users["processing_a2"].pk},
        )
    colleague = province.users["processing_a"]
    assert not inbox_for(user=colleague).exists()
    assert [d.pk for d in inbox_for(user=colleague, scope="unit")] == [dossier.pk]
    assert [d.pk for d in inbox_for(user=province.users["processing_a2"])] == [
        dossier.pk
    ]


def test_inbox_filters_by_name_without_diacritics_and_by_status(province):
    receive(province, "Nguyễn Thị Thủy", at(2026, 3, 2, 9))
    receive(province, "Trần Văn Đức", at(2026, 3, 2, 10))
    user = province.users["reception_a"]
    found = inbox_for(user=user, filters=DossierFilters(applicant="tran van duc"))
    assert [d.applicant_name for d in found] == ["Trần Văn Đức"]
    assert not inbox_for(user=user, filters=DossierFilters(status="in_progress"))


def test_urgency_order_puts_acceptance_deadlines_among_due_times_on_every_database(
    province,
):
    late_due = receive(province, "Người nộp A", at(2026, 3, 2, 9))  # due 11/03
    waiting = online(province, "Người nộp B", at(2026, 3, 2, 10), "P-1")  # 8 h
    assert [d.pk for d in inbox_for(user=province.users["reception_a"])] == [
        waiting.pk,
        late_due.pk,
    ]


def test_queues_count_per_unit_and_list_overdue_due_soon_paused_and_waiting(
    province,
):
    overdue = receive(province, "Quá hạn", at(2026, 3, 2, 9))  # due 11/03 09:00
    soon = receive(province, "Sắp hạn", at(2026, 3, 3, 10))  # due 12/03 10:00
    paused = receive(province, "Chờ phí", at(2026, 3, 4, 9))
    calm = receive(province, "Trong hạn", at(2026, 3, 9, 9))
    with time_machine.travel(at(2026, 3, 5, 9), tick=False):
        paused = dossier_apply_action(
            dossier=paused,
            action=A.COMPLETE_STEP,
            actor=province.users["reception_a"],
        )
        dossier_apply_action(
            dossier=paused,
            action=A.REQUEST_PAYMENT,
            actor=province.users["police_a"],
        )
    breached = online(province, "Trực tuyến", at(2026, 3, 10, 8), "P-2")
    now = at(2026, 3, 11, 14)

    queues = dossier_queues(user=province.users["centre_head_a"], now=now)

    assert [d.pk for d in queues.overdue] == [overdue.pk]
    assert [d.pk for d in queues.due_soon] == [soon.pk]
    assert [d.pk for d in queues.paused] == [paused.pk]
    assert [d.pk for d in queues.awaiting_acceptance] == [breached.pk]
    police = next(u for u in queues.units if u.agency_id == province.police_a.pk)
    assert (police.running, police.overdue, police.due_soon, police.payment) == (
        3,
        1,
        1,
        1,
    )
    centre = next(u for u in queues.units if u.agency_id == province.centre_a.pk)
    assert (centre.awaiting_acceptance, centre.acceptance_breached) == (1, 1)
    assert calm.pk not in {d.pk for d in queues.due_soon}
    # Another commune's centre head sees none of it.
    other = dossier_queues(user=province.users["processing_b"], now=now)
    assert other.units == [] and not other.overdue.exists()


def test_inbox_counts_match_the_inbox(province):
    receive(province, "Quá hạn", at(2026, 3, 2, 9))
    online(province, "Trực tuyến", at(2026, 3, 10, 8), "P-3")
    counts = inbox_counts(user=province.users["reception_a"], now=at(2026, 3, 11, 14))
    assert counts == InboxCounts(total=2, awaiting_acceptance=1, due_soon=0, overdue=1)


def test_assignee_choices_are_the_active_members_of_the_step_unit(province):
    dossier = receive(
        province,
        "Người nộp A",
        at(2026, 3, 2, 9),
        key="birth",
        competent=province.committee_a,
    )
    step = dossier.steps.get(order=2)
    names = {u.username for u in step_assignee_choices(step)}
    assert names == {"chuyenvien.anhoa", "chuyenvien2.anhoa", "lanhdao.anhoa"}
