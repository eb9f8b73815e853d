"""
A month of a small province with known outcomes, built through the services.

March 2026 (no holiday; Monday 02/03). Every dossier is a permanent-residence
registration (7 working days = 56 working hours; steps: reception 4 h,
appraisal 4 days, signing 1 day, return 4 h) at the commune police of An
Hòa, received at the An Hòa centre unless said otherwise.

| dossier | what happens | at the end of March |
|---|---|---|
| D1 | received 02/03 09:00 (scanned), resolved 05/03 10:00, returned | early |
| D2 | received at Bình Minh 03/03 09:00 (a reused component), resolved 06/03 10:00, returned | early |
| D3 | received 27/02 09:00 (carried over), resolved 04/03 10:00 | early |
| D4 | received 09/03 09:00, payment wait 12/03 09:00–13/03 09:00, resolved 18/03 10:00 | on time |
| D5 | received 09/03 10:00, resolved 18/03 09:00, 1 h before its due time | on time |
| D6 | received by post 10/03 09:00, resolved 19/03 09:00, exactly at its due time | on time |
| D7 | online 10/03 14:00 (uploaded), resolved 19/03 08:00 | on time |
| D8 | received 16/03 09:00, the police held the appraisal until 25/03 10:00, resolved 26/03 10:00 | late |
| D9 | received 16/03 10:00, two supplement requests (the second acknowledged), resolved 23/03 10:00 | late (counted) |
| D10 | received 16/03 14:00, appraisal still running on 31/03 (resolved 02/04) | open, overdue |
| D11 | received 17/03 09:00, withdrawn and stopped 18/03 10:00 | stopped (early) |
| D12 | received 30/03 09:00 | open, in time |
| D13 | received 25/03 09:00, supplement requested 26/03 09:00, not supplied | paused |
| D0, D14 | received and resolved in February; received in April | outside March |
"""

from dataclasses import dataclass, field
from datetime import datetime

import time_machine

from motcua.dossiers.access import PAYMENT, PORTAL
from motcua.dossiers.constants import DossierAction as A
from motcua.dossiers.services import dossier_create
from motcua.testing.lifecycle import act, at, receive, resolve_residence
from motcua.testing.province import SmallProvince, all_components, applicant


@dataclass
class March:
    p: SmallProvince
    d: dict[str, object] = field(default_factory=dict)

    def pk(self, *names: str) -> set[int]:
        return {self.d[n].pk for n in names}


def _returned(p, dossier, when: datetime, reception="reception_a"):
    return act(p, dossier, A.RETURN_RESULT, reception, when, collect_fees=True)


def build_march(p: SmallProvince) -> March:
    """Build the dossiers of the table above; return them by name."""
    m = March(p)
    version = p.procedures["residence"]
    residence_components = list(version.components.order_by("order"))

    # D0: all of it in February.
    d0 = receive(p, when=at(2026, 2, 2, 9))
    m.d["D0"] = resolve_residence(
        p,
        d0,
        handed=at(2026, 2, 2, 9),
        appraised=at(2026, 2, 4, 9),
        resolved=at(2026, 2, 5, 10),
    )
    # D1: early, scanned at the counter.
    d1 = receive(p, when=at(2026, 3, 2, 9), source="scanned")
    d1 = resolve_residence(
        p,
        d1,
        handed=at(2026, 3, 2, 9),
        appraised=at(2026, 3, 5, 9),
        resolved=at(2026, 3, 5, 10),
    )
    m.d["D1"] = _returned(p, d1, at(2026, 3, 6, 9))
    # D2: early, received at another centre (boundary-free), the proof of
    # residence reused from the personal data store.
    d2 = receive(
        p,
        when=at(2026, 3, 3, 9),
        centre=p.centre_b,
        reception="reception_b",
        components=[
            {"component": residence_components[0].pk, "source": "paper"},
            {
                "component": residence_components[1].pk,
                "source": "reused",
                "reuse_reference": "KQ-QSDD-1",
            },
        ],
    )
    d2 = resolve_residence(
        p,
        d2,
        handed=at(2026, 3, 3, 9),
        appraised=at(2026, 3, 6, 9),
        resolved=at(2026, 3, 6, 10),
        reception="reception_b",
    )
    m.d["D2"] = _returned(p, d2, at(2026, 3, 9, 9), reception="reception_b")
    # D3: carried over from February, early.
    d3 = receive(p, when=at(2026, 2, 27, 9))
    m.d["D3"] = resolve_residence(
        p,
        d3,
        handed=at(2026, 2, 27, 10),
        appraised=at(2026, 3, 4, 9),
        resolved=at(2026, 3, 4, 10),
    )
    # D4: a day waiting for a payment moves the due time to 19/03 09:00.
    d4 = receive(p, when=at(2026, 3, 9, 9))
    d4 = act(p, d4, A.COMPLETE_STEP, "reception_a", at(2026, 3, 9, 10))
    d4 = act(
        p,
        d4,
        A.ASSIGN,
        "police_lead_a",
        at(2026, 3, 9, 10),
        assignee=p.users["police_a"].pk,
    )
    d4 = act(
        p,
        d4,
        A.REQUEST_PAYMENT,
        "police_a",
        at(2026, 3, 12, 9),
        fees=[{"name": "Phí xác minh", "amount": 50000}],
    )
    d4 = act(
        p, d4, A.CONFIRM_PAYMENT, PAYMENT, at(2026, 3, 13, 9), payment_reference="TX-4"
    )
    d4 = act(p, d4, A.COMPLETE_STEP, "police_a", at(2026, 3, 17, 9))
    d4 = act(p, d4, A.RESOLVE, "police_lead_a", at(2026, 3, 18, 10))
    m.d["D4"] = _returned(p, d4, at(2026, 3, 18, 14))
    # D5, D6, D7: on time.
    d5 = receive(p, when=at(2026, 3, 9, 10))
    m.d["D5"] = resolve_residence(
        p,
        d5,
        handed=at(2026, 3, 9, 11),
        appraised=at(2026, 3, 17, 9),
        resolved=at(2026, 3, 18, 9),
    )
    d6 = receive(p, when=at(2026, 3, 10, 9), channel="post")
    m.d["D6"] = resolve_residence(
        p,
        d6,
        handed=at(2026, 3, 10, 10),
        appraised=at(2026, 3, 18, 9),
        resolved=at(2026, 3, 19, 9),
    )
    with time_machine.travel(at(2026, 3, 10, 13), tick=False):
        d7 = dossier_create(
            procedure_version=version,
            channel="online",
            receiving_centre=p.centre_a,
            competent_agency=p.police_a,
            applicant=applicant(),
            components=all_components(version, "uploaded"),
            actor=PORTAL,
            portal_id="G22.99-260310-0007",
        )
    d7 = act(p, d7, A.RECEIVE, "reception_a", at(2026, 3, 10, 14))
    m.d["D7"] = resolve_residence(
        p,
        d7,
        handed=at(2026, 3, 10, 15),
        appraised=at(2026, 3, 18, 16),
        resolved=at(2026, 3, 19, 8),
    )
    # D8: late; the police held the appraisal 3 working days over its 4.
    d8 = receive(p, when=at(2026, 3, 16, 9))
    d8 = act(p, d8, A.COMPLETE_STEP, "reception_a", at(2026, 3, 16, 10))
    d8 = act(
        p,
        d8,
        A.ASSIGN,
        "police_lead_a",
        at(2026, 3, 16, 10),
        assignee=p.users["police_a"].pk,
    )
    d8 = act(p, d8, A.COMPLETE_STEP, "police_a", at(2026, 3, 25, 10))
    m.d["D8"] = act(p, d8, A.RESOLVE, "police_lead_a", at(2026, 3, 26, 10))
    # D9: two supplement requests: late whatever its times (Decision 766).
    d9 = receive(p, when=at(2026, 3, 16, 10))
    d9 = act(p, d9, A.COMPLETE_STEP, "reception_a", at(2026, 3, 16, 11))
    d9 = act(
        p,
        d9,
        A.REQUEST_SUPPLEMENT,
        "police_a",
        at(2026, 3, 17, 9),
        reason="Thiếu giấy tờ chỗ ở",
    )
    d9 = act(p, d9, A.SUPPLEMENT, "reception_a", at(2026, 3, 18, 9))
    d9 = act(
        p,
        d9,
        A.REQUEST_SUPPLEMENT,
        "police_a",
        at(2026, 3, 19, 9),
        reason="Thiếu xác nhận của chủ hộ",
        acknowledge_rule_breach=True,
    )
    d9 = act(p, d9, A.SUPPLEMENT, "reception_a", at(2026, 3, 20, 9))
    d9 = act(p, d9, A.COMPLETE_STEP, "police_a", at(2026, 3, 23, 9))
    m.d["D9"] = act(p, d9, A.RESOLVE, "police_lead_a", at(2026, 3, 23, 10))
    # D10: overdue at the end of March, resolved in April.
    d10 = receive(p, when=at(2026, 3, 16, 14))
    d10 = act(p, d10, A.COMPLETE_STEP, "reception_a", at(2026, 3, 16, 15))
    d10 = act(
        p,
        d10,
        A.ASSIGN,
        "police_lead_a",
        at(2026, 3, 16, 15),
        assignee=p.users["police_a"].pk,
    )
    d10 = act(p, d10, A.COMPLETE_STEP, "police_a", at(2026, 4, 1, 9))
    m.d["D10"] = act(p, d10, A.RESOLVE, "police_lead_a", at(2026, 4, 2, 9))
    # D11: withdrawn and stopped.
    d11 = receive(p, when=at(2026, 3, 17, 9))
    d11 = act(p, d11, A.REQUEST_WITHDRAWAL, "reception_a", at(2026, 3, 18, 9))
    m.d["D11"] = act(
        p,
        d11,
        A.STOP,
        "police_lead_a",
        at(2026, 3, 18, 10),
        reason="Công dân rút hồ sơ",
    )
    # D12: open, in time, at the end of March.
    m.d["D12"] = receive(p, when=at(2026, 3, 30, 9))
    # D13: waiting for a supplement at the end of March.
    d13 = receive(p, when=at(2026, 3, 25, 9))
    d13 = act(p, d13, A.COMPLETE_STEP, "reception_a", at(2026, 3, 25, 10))
    m.d["D13"] = act(
        p,
        d13,
        A.REQUEST_SUPPLEMENT,
        "police_a",
        at(2026, 3, 26, 9),
        reason="Thiếu tờ khai",
    )
    # D14: April.
    m.d["D14"] = receive(p, when=at(2026, 4, 6, 9))
    for name, dossier in m.d.items():
        dossier.refresh_from_db()
        m.d[name] = dossier
    return m
