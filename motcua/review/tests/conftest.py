from decimal import Decimal

import pytest
import time_machine

from motcua.dossiers.constants import DossierAction as A
from motcua.feedback.services import feedback_submit, rating_submit
from motcua.review.constants import CostKind
from motcua.review.models import CostItem, WageRate
from motcua.supervision.tests.scenario import build_march
from motcua.testing.lifecycle import act, at, receive
from motcua.testing.province import build_small_province


@pytest.fixture
def province(db):
    with time_machine.travel(at(2026, 1, 15, 9), tick=False):
        return build_small_province()


def _rate(dossier, level, channel, when):
    answers = dict.fromkeys(["a", "b", "c", "d", "dd", "e"], level)
    with time_machine.travel(when, tick=False):
        return rating_submit(dossier, answers, channel)


@pytest.fixture
def march(province):
    """
    Supervision's March scenario (motcua/supervision/tests/scenario.py) plus:
    a supplement request on D12 (by the police) naming the proof of
    residence, two ratings (D1 satisfied, D4 dissatisfied), a PAKN about D8,
    and five birth registrations received on 02/03 whose marriage
    certificate came from the civil-status database.
    """
    p = province
    m = build_march(p)
    proof = p.procedures["residence"].components.get(order=2)
    d12 = act(p, m.d["D12"], A.COMPLETE_STEP, "reception_a", at(2026, 3, 30, 9, 30))
    m.d["D12"] = act(
        p,
        d12,
        A.REQUEST_SUPPLEMENT,
        "police_a",
        at(2026, 3, 30, 10),
        reason="Thiếu giấy tờ chỗ ở",
        items=[{"component": proof.pk, "note": "Bản sao có chứng thực"}],
    )
    _rate(m.d["D1"], 5, "kiosk", at(2026, 3, 6, 10))
    _rate(m.d["D4"], 2, "lookup", at(2026, 3, 20, 10))
    feedback_submit(
        data={
            "title": "Giấy tờ chỗ ở",
            "content": "Phải nộp lại giấy tờ chỗ ở đã có trong Kho dữ liệu.",
            "sender_name": "Lê Văn Bình",
            "sender_phone": "0912345678",
            "dossier_code": m.d["D8"].code,
        },
        now=at(2026, 3, 27, 9),
    )
    birth = p.procedures["birth"]
    components = [
        {"component": c.pk, "source": "paper"}
        for c in birth.components.filter(required=True)
    ]
    marriage = birth.components.get(order=3)
    m.births = [
        receive(
            p,
            "birth",
            when=at(2026, 3, 2, 8 + i),
            components=[
                *components,
                {
                    "component": marriage.pk,
                    "source": "national_database",
                    "reuse_reference": "CSDL-HT",
                },
            ],
            applicant={"id_number": f"00109901234{i}"},
        )
        for i in range(5)
    ]
    return m


@pytest.fixture
def costs(province):
    """Wage rate 2026 and the residence procedure's cost items."""
    WageRate.objects.create(
        year=2026, hourly_wage=Decimal(60000), source="Số liệu thử nghiệm"
    )
    residence = province.procedures["residence"].procedure
    CostItem.objects.create(
        procedure=residence,
        kind=CostKind.TIME,
        name="Chuẩn bị giấy tờ, đi lại, chờ",
        hours=Decimal("3.5"),
    )
    CostItem.objects.create(
        procedure=residence,
        kind=CostKind.EXPENSE,
        name="Sao chụp, chứng thực",
        amount=Decimal(15000),
    )
    return residence


@pytest.fixture
def april_15():
    with time_machine.travel(at(2026, 4, 15, 9), tick=False):
        yield
