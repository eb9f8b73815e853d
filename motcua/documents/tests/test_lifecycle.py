"""Documents in the lifecycle: a signed e-result before resolution, reuse at reception."""

from django.test import override_settings

import pytest
import time_machine

from motcua.core.exceptions import RuleViolation
from motcua.documents.lifecycle import dossier_resolve_with_result
from motcua.documents.models import ResultDocument
from motcua.dossiers.constants import DossierAction as A
from motcua.dossiers.constants import DossierStatus as S

from .conftest import RESIDENCE_RESULT, act, at, ready_for_result, receive

pytestmark = pytest.mark.django_db

SIGNED_RESULTS = override_settings(
    MOTCUA_RESOLVE_CHECKS=["motcua.documents.services.result_require_signed"],
    MOTCUA_RECEPTION_HOOKS=["motcua.documents.lifecycle.reception_reuse_from_store"],
)


@SIGNED_RESULTS
def test_a_dossier_is_not_resolved_without_its_signed_e_result(province):
    dossier = ready_for_result(province)
    with pytest.raises(RuleViolation) as error:
        act(province, dossier, A.RESOLVE, "police_lead_a", at(2026, 3, 3, 9))
    assert error.value.code == "result_not_signed"
    assert not ResultDocument.objects.exists()


@SIGNED_RESULTS
def test_resolving_with_the_result_signs_files_and_resolves_in_one_step(province):
    dossier = ready_for_result(province)
    with time_machine.travel(at(2026, 3, 3, 9), tick=False):
        dossier = dossier_resolve_with_result(
            dossier,
            actor=province.users["police_lead_a"],
            result_summary="Đã đăng ký thường trú",
        )
    assert dossier.status == S.RESOLVED
    document = ResultDocument.objects.get(dossier=dossier)
    assert document.code == f"001099012345-{RESIDENCE_RESULT}"
    assert document.file.signed


@SIGNED_RESULTS
def test_a_later_dossier_takes_the_result_from_the_store_instead_of_asking(province):
    first = ready_for_result(province)
    with time_machine.travel(at(2026, 3, 3, 9), tick=False):
        dossier_resolve_with_result(first, actor=province.users["police_lead_a"])
    birth = province.procedures["birth"]
    required = [
        {"component": c.pk, "source": "paper", "paper_count": 1}
        for c in birth.components.filter(required=True)
    ]
    second = receive(province, "birth", when=at(2026, 3, 5, 9), components=required)
    reused = second.components.get(component__result_type_code=RESIDENCE_RESULT)
    assert reused.is_reused and reused.source == "reused"
    assert reused.reuse_reference == f"001099012345-{RESIDENCE_RESULT}"
    assert second.status == S.RECEIVED
