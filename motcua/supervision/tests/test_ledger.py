"""The fair lateness ledger: lateness is charged to whoever held the dossier too long."""

import pytest
import time_machine

from motcua.dossiers.constants import DossierAction as A
from motcua.dossiers.services import dossier_create
from motcua.supervision import periods
from motcua.supervision.selectors.ledger import lateness_ledger, ledger_for_period
from motcua.testing.lifecycle import act, at, receive
from motcua.testing.province import all_components, applicant

pytestmark = pytest.mark.django_db


def test_a_dossier_late_because_one_agency_held_it_two_days_is_charged_to_that_agency(
    province,
):
    p = province
    version = p.procedures["group"]
    with time_machine.travel(at(2026, 3, 2, 9), tick=False):
        dossier = dossier_create(
            procedure_version=version,
            channel="counter",
            receiving_centre=p.centre_a,
            competent_agency=p.committee_a,
            applicant=applicant(),
            components=all_components(version),
            actor=p.users["reception_a"],
            receive=True,
        )
    # 3 working days from Mon 02/03 09:00: due Thu 05/03 09:00.
    dossier = act(p, dossier, A.COMPLETE_STEP, "reception_a", at(2026, 3, 2, 10))
    dossier = act(p, dossier, A.COMPLETE_STEP, "processing_a", at(2026, 3, 2, 14))
    # Police and insurance in parallel from 14:00, 8 working hours each.
    dossier = act(p, dossier, A.COMPLETE_STEP, "insurance", at(2026, 3, 3, 10))
    # The police takes 3 working days: 2 days (960 minutes) over its 8 hours.
    dossier = act(p, dossier, A.COMPLETE_STEP, "police_a", at(2026, 3, 5, 14))
    dossier = act(p, dossier, A.RESOLVE, "leader_a", at(2026, 3, 5, 15))
    assert dossier.timeliness == "late"

    ledger = lateness_ledger(dossier)

    over = {(e.label, e.agency_id): e.over for e in ledger.entries}
    assert over == {
        ("Tiếp nhận, chuyển hồ sơ", p.centre_a.pk): 0,
        ("Đăng ký khai sinh", p.committee_a.pk): 0,
        ("Đăng ký thường trú", p.police_a.pk): 960,
        ("Cấp thẻ BHYT", p.insurance.pk): 0,
        ("Ký, đóng dấu kết quả liên thông", p.committee_a.pk): 0,
    }
    police = next(e for e in ledger.entries if e.agency_id == p.police_a.pk)
    assert (police.held, police.allotted, police.officer_id) == (
        1440,
        480,
        p.users["police_a"].pk,
    )
    # Late by 09:00–15:00 on Thursday: 4 working hours, all explained.
    assert (ledger.late_minutes, ledger.unattributed) == (240, 0)

    report = ledger_for_period(periods.month(2026, 3), now=at(2026, 4, 1, 9))
    assert [(t.label, t.over_minutes, t.dossier_count) for t in report.agencies] == [
        ("Công an xã An Hòa", 960, 1)
    ]
    assert [(t.label, t.over_minutes) for t in report.officers] == [
        ("Bùi Văn Nam", 960)
    ]


def test_a_late_consultation_is_charged_to_the_consulted_agency_not_the_asker(province):
    p = province
    dossier = receive(p, when=at(2026, 3, 2, 9))  # due Wed 11/03 09:00
    dossier = act(p, dossier, A.COMPLETE_STEP, "reception_a", at(2026, 3, 2, 10))
    dossier = act(
        p,
        dossier,
        A.CONSULT,
        "police_a",
        at(2026, 3, 3, 9),
        to_agency=p.committee_a.pk,
        question="Xác nhận nơi ở",
        days=1,
    )
    # Asked for one working day, answered after three.
    dossier = act(p, dossier, A.REPLY, "processing_a", at(2026, 3, 6, 9), answer="Đúng")
    dossier = act(p, dossier, A.COMPLETE_STEP, "police_a", at(2026, 3, 10, 10))
    dossier = act(p, dossier, A.RESOLVE, "police_lead_a", at(2026, 3, 11, 10))

    ledger = lateness_ledger(dossier)

    by_label = {
        (e.label, e.agency_id): (e.held, e.allotted, e.over) for e in ledger.entries
    }
    assert by_label[("Trả lời ý kiến", p.committee_a.pk)] == (1440, 480, 960)
    # The police held it 6 working days against 4, but waited 2 of them
    # beyond the deadline it gave the commune: nothing left to charge.
    assert by_label[("Thẩm định, xác minh", p.police_a.pk)] == (2880, 1920, 0)
    assert ledger.late_minutes == 60


def test_waiting_for_a_payment_counts_against_nobody(province):
    p = province
    dossier = receive(p, when=at(2026, 3, 2, 9))
    dossier = act(p, dossier, A.COMPLETE_STEP, "reception_a", at(2026, 3, 2, 10))
    dossier = act(
        p,
        dossier,
        A.REQUEST_PAYMENT,
        "police_a",
        at(2026, 3, 3, 10),
        fees=[{"name": "Phí", "amount": 1000}],
    )
    dossier = act(p, dossier, A.CONFIRM_PAYMENT, "reception_a", at(2026, 3, 6, 10))
    dossier = act(p, dossier, A.COMPLETE_STEP, "police_a", at(2026, 3, 10, 10))

    ledger = lateness_ledger(dossier, at=at(2026, 3, 10, 11))

    appraisal = next(e for e in ledger.entries if e.label == "Thẩm định, xác minh")
    # 02/03 10:00 → 10/03 10:00 is 6 working days; 3 of them waiting.
    assert (appraisal.held, appraisal.over) == (1440, 0)


def test_march_ledger_charges_the_police_and_records_the_breach(
    march, april_15, province
):
    p, d = province, march.d
    report = ledger_for_period(periods.month(2026, 3))

    assert {ledger.dossier_id for ledger in report.dossiers} == march.pk(
        "D8", "D9", "D10"
    )
    d8 = next(x for x in report.dossiers if x.dossier_id == d["D8"].pk)
    assert (d8.late_minutes, d8.attributed) == (540, 1440)
    d10 = next(x for x in report.dossiers if x.dossier_id == d["D10"].pk)
    # Still with the police at the end of March: 3510 minutes over, 2130 late.
    assert (d10.late_minutes, d10.attributed, d10.finish) == (2130, 3510, None)
    d9 = next(x for x in report.dossiers if x.dossier_id == d["D9"].pk)
    assert d9.counted_late and d9.late_minutes == 0
    assert [e.kind for e in d9.entries if e.kind == "breach"] == ["breach"]

    assert [
        (t.key, t.over_minutes, t.breaches, t.dossier_count) for t in report.agencies
    ] == [(p.police_a.pk, 4950, 1, 3)]
    assert [(t.key, t.over_minutes, t.breaches) for t in report.officers] == [
        (p.users["police_a"].pk, 4950, 1)
    ]


def test_the_ledger_costs_a_bounded_number_of_queries(
    march, april_15, django_assert_max_num_queries
):
    with django_assert_max_num_queries(14):
        ledger_for_period(periods.year(2026))
