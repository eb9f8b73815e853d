"""The refund rule table, as data."""

import pytest

from motcua.catalog.constants import FeeKind
from motcua.payments import refunds
from motcua.payments.refunds import Ending, RefundRule, refund_rule


def test_every_kind_of_fee_has_a_rule_for_every_ending():
    for kind in FeeKind:
        for ending in Ending:
            rule = refund_rule(kind.value, ending)
            assert rule.basis and rule.code


@pytest.mark.parametrize("ending", list(Ending))
def test_a_charge_is_refunded_whenever_no_result_was_issued(ending):
    assert refund_rule("charge", ending).refundable


@pytest.mark.parametrize(
    ("ending", "refundable"),
    [
        (Ending.REFUSED_AT_RECEPTION, True),
        (Ending.STOPPED_BEFORE_PROCESSING, True),
        (Ending.STOPPED_DURING_PROCESSING, False),
        (Ending.CLOSED_UNSUPPLEMENTED, False),
        (Ending.REJECTED_AFTER_APPRAISAL, False),
    ],
)
def test_a_fee_is_refunded_only_if_the_service_was_not_performed(ending, refundable):
    assert refund_rule("fee", ending).refundable is refundable


def test_a_fee_of_unknown_kind_is_never_refunded_automatically():
    rule = refund_rule(None, Ending.REFUSED_AT_RECEPTION)
    assert not rule.refundable and rule.code == "no_rule"


def test_a_fee_code_can_carry_its_own_rule(monkeypatch):
    special = RefundRule(True, "circular_xyz", "Thông tư XYZ")
    monkeypatch.setitem(
        refunds.FEE_CODE_OVERRIDES,
        "PHI-XYZ",
        {Ending.REJECTED_AFTER_APPRAISAL: special},
    )
    assert (
        refund_rule("fee", Ending.REJECTED_AFTER_APPRAISAL, code="PHI-XYZ") is special
    )
    assert not refund_rule(
        "fee", Ending.REJECTED_AFTER_APPRAISAL, code="OTHER"
    ).refundable
    assert not refund_rule(
        "fee", Ending.CLOSED_UNSUPPLEMENTED, code="PHI-XYZ"
    ).refundable
