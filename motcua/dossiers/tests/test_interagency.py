"""The inter-agency group birth + residence + health insurance, reception to return."""

from datetime import datetime

import pytest
import time_machine

from motcua.core.calendar import LOCAL_TZ
from motcua.core.exceptions import PermissionDenied
from motcua.dossiers.constants import DossierAction as A
from motcua.dossiers.constants import DossierStatus as S
from motcua.dossiers.constants import StepStatus
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import dossier_apply_action, dossier_create
from motcua.testing.province import all_components, applicant

pytestmark = pytest.mark.django_db


def at(*args):
    return datetime(*args, tzinfo=LOCAL_TZ)


def act(p, dossier, action, who, when, **data):
    with time_machine.travel(when, tick=False):
        return dossier_apply_action(
            dossier=dossier, action=action, actor=p.users[who], data=data
        )


def active_agencies(dossier):
    return sorted(s.agency.name for s in dossier.steps.filter(status=StepStatus.ACTIVE))


def test_the_child_under_six_group_walks_from_reception_to_return(province):
    version = province.procedures["group"]
    with time_machine.travel(at(2026, 4, 6, 8, 0), tick=False):
        dossier = dossier_create(
            procedure_version=version,
            channel="counter",
            receiving_centre=province.centre_a,
            competent_agency=province.committee_a,
            applicant=applicant(name="Nguyễn Văn Bình"),
            components=all_components(version),
            actor=province.users["reception_a"],
            receive=True,
        )
    # 3 working days from Mon 06/04 08:00.
    assert dossier.due_at == at(2026, 4, 9, 8, 0)
    steps = {s.name: s for s in dossier.steps.all()}
    assert (
        steps["Đăng ký khai sinh"].agency == province.committee_a
        and steps["Đăng ký khai sinh"].is_lead
    )
    assert steps["Đăng ký thường trú"].agency == province.police_a
    assert steps["Cấp thẻ BHYT"].agency == province.insurance
    assert steps["Đăng ký thường trú"].block == steps["Cấp thẻ BHYT"].block

    dossier = act(
        province, dossier, A.COMPLETE_STEP, "reception_a", at(2026, 4, 6, 9, 0)
    )
    assert active_agencies(dossier) == ["UBND xã An Hòa"]
    # The police cannot act before its stage starts: it has no active step yet.
    with pytest.raises(PermissionDenied):
        act(province, dossier, A.COMPLETE_STEP, "police_a", at(2026, 4, 6, 9, 30))
    dossier = act(
        province, dossier, A.COMPLETE_STEP, "processing_a", at(2026, 4, 6, 11, 0)
    )
    # Sequential chain then parallel stage (Decree 118 Art.20(2)): police and insurance at once.
    assert active_agencies(dossier) == ["Bảo hiểm xã hội tỉnh", "Công an xã An Hòa"]
    assert {
        h.to_agency.name
        for h in dossier.handovers.filter(step__name="Đăng ký khai sinh")
    } == {
        "Bảo hiểm xã hội tỉnh",
        "Công an xã An Hòa",
    }
    dossier = act(province, dossier, A.COMPLETE_STEP, "police_a", at(2026, 4, 7, 10, 0))
    assert active_agencies(dossier) == ["Bảo hiểm xã hội tỉnh"]
    dossier = act(
        province, dossier, A.COMPLETE_STEP, "insurance", at(2026, 4, 7, 15, 0)
    )
    assert active_agencies(dossier) == ["UBND xã An Hòa"]
    assert dossier.steps.get(status=StepStatus.ACTIVE).kind == "signing"
    dossier = act(
        province,
        dossier,
        A.RESOLVE,
        "leader_a",
        at(2026, 4, 8, 8, 0),
        result_summary="Giấy khai sinh, đăng ký thường trú, thẻ BHYT",
    )
    assert dossier.status == S.RESOLVED and dossier.timeliness == "early"
    dossier = act(
        province, dossier, A.RETURN_RESULT, "reception_a", at(2026, 4, 8, 9, 0)
    )
    assert dossier.status == S.RETURNED
    # The control sheet: every hand-over on record, in order.
    sheet = [
        (
            h.kind,
            h.from_agency.name,
            h.to_agency.name if h.to_agency else h.receiver_label,
        )
        for h in dossier.handovers.order_by("handed_at", "pk")
    ]
    assert sheet[0] == (
        "forward",
        "Trung tâm Phục vụ hành chính công xã An Hòa",
        "UBND xã An Hòa",
    )
    assert sheet[-1] == (
        "return",
        "Trung tâm Phục vụ hành chính công xã An Hòa",
        "Nguyễn Văn Bình",
    )
    assert len(sheet) == 7
    assert [e.action for e in dossier.events.all()] == [
        A.SUBMIT,
        A.RECEIVE,
        A.COMPLETE_STEP,
        A.COMPLETE_STEP,
        A.COMPLETE_STEP,
        A.COMPLETE_STEP,
        A.RESOLVE,
        A.RETURN_RESULT,
    ]
    # Every participating agency can see the dossier; others cannot.
    for who in ("police_a", "insurance", "processing_a", "reception_a", "supervisor"):
        assert (
            Dossier.objects.visible_to(province.users[who])
            .filter(pk=dossier.pk)
            .exists()
        )
    assert (
        not Dossier.objects.visible_to(province.users["processing_b"])
        .filter(pk=dossier.pk)
        .exists()
    )
