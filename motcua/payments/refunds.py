"""
When a paid fee is given back: the refund rule table, by kind of fee (phí or
lệ phí) and by how far the dossier went before it ended.

``FeeItem`` has no "refundable" field, so refundability is decided here, as
data, and can be narrowed for one fee code in ``FEE_CODE_OVERRIDES`` when the
circular that sets that fee says otherwise. No database access.

Legal basis (Law on Fees and Charges 97/2015/QH13, Art.3):
- a *lệ phí* (charge) is collected for a state management service, in
  practice the issue of the result; when no result is issued (refused at
  reception, stopped, closed, refused after appraisal) the ground for
  collecting it is gone and it is refunded;
- a *phí* (fee) offsets the cost of a public service (appraisal, verification);
  it is refunded only if the service was not performed, i.e. the dossier ended
  before processing started. Once appraisal has been done the cost was incurred.
The individual fee circulars (e.g. Circular 75/2022/TT-BTC for residence
charges) may set their own rule: verify them and record exceptions below.
"""

from dataclasses import dataclass
from enum import StrEnum

from motcua.catalog.constants import FeeKind


class Ending(StrEnum):
    """How far a dossier went before it ended without a favourable result."""

    # Not accepted at reception (Decree 118 Art.17(1)(d), Mẫu 03).
    REFUSED_AT_RECEPTION = "refused_at_reception"
    # Stopped or withdrawn before any appraisal work was completed.
    STOPPED_BEFORE_PROCESSING = "stopped_before_processing"
    # Stopped or withdrawn after an appraisal or verification step was done.
    STOPPED_DURING_PROCESSING = "stopped_during_processing"
    # Closed after 15 days without the supplement asked during processing.
    CLOSED_UNSUPPLEMENTED = "closed_unsupplemented"
    # Appraised and refused with legal reasons (Decree 118 Art.19(3)).
    REJECTED_AFTER_APPRAISAL = "rejected_after_appraisal"


@dataclass(frozen=True, slots=True)
class RefundRule:
    refundable: bool
    code: str
    basis: str


_CHARGE = "Luật Phí và lệ phí 2015 Điều 3(2): lệ phí thu khi cấp kết quả; không cấp kết quả thì hoàn trả"
_FEE_NOT_SERVED = (
    "Luật Phí và lệ phí 2015 Điều 3(1): chưa thực hiện dịch vụ thì hoàn trả phí"
)
_FEE_SERVED = "Luật Phí và lệ phí 2015 Điều 3(1): đã thẩm định, chi phí đã phát sinh, không hoàn trả phí"

RULES: dict[tuple[FeeKind, Ending], RefundRule] = {
    (FeeKind.CHARGE, Ending.REFUSED_AT_RECEPTION): RefundRule(
        True, "charge_no_result", _CHARGE
    ),
    (FeeKind.CHARGE, Ending.STOPPED_BEFORE_PROCESSING): RefundRule(
        True, "charge_no_result", _CHARGE
    ),
    (FeeKind.CHARGE, Ending.STOPPED_DURING_PROCESSING): RefundRule(
        True, "charge_no_result", _CHARGE
    ),
    (FeeKind.CHARGE, Ending.CLOSED_UNSUPPLEMENTED): RefundRule(
        True, "charge_no_result", _CHARGE
    ),
    (FeeKind.CHARGE, Ending.REJECTED_AFTER_APPRAISAL): RefundRule(
        True, "charge_no_result", _CHARGE
    ),
    (FeeKind.FEE, Ending.REFUSED_AT_RECEPTION): RefundRule(
        True, "fee_not_served", _FEE_NOT_SERVED
    ),
    (FeeKind.FEE, Ending.STOPPED_BEFORE_PROCESSING): RefundRule(
        True, "fee_not_served", _FEE_NOT_SERVED
    ),
    (FeeKind.FEE, Ending.STOPPED_DURING_PROCESSING): RefundRule(
        False, "fee_served", _FEE_SERVED
    ),
    (FeeKind.FEE, Ending.CLOSED_UNSUPPLEMENTED): RefundRule(
        False, "fee_served", _FEE_SERVED
    ),
    (FeeKind.FEE, Ending.REJECTED_AFTER_APPRAISAL): RefundRule(
        False, "fee_served", _FEE_SERVED
    ),
}

# Exceptions for one fee code (FeeItem.code), where its own circular differs:
# {"PHI-XYZ": {Ending.STOPPED_DURING_PROCESSING: RefundRule(True, …)}}.
FEE_CODE_OVERRIDES: dict[str, dict[Ending, RefundRule]] = {}

NO_RULE = RefundRule(
    False,
    "no_rule",
    "Khoản thu không xác định được loại phí / lệ phí: quyết định hoàn trả thủ công",
)


def refund_rule(kind: str | None, ending: Ending, *, code: str = "") -> RefundRule:
    """
    Return the rule for a paid fee of ``kind`` ("fee" or "charge") on a
    dossier that ended as ``ending``; ``code`` looks up per-fee exceptions.
    A fee of unknown kind (added when a financial obligation was requested)
    is never refunded automatically.
    """
    override = FEE_CODE_OVERRIDES.get(code, {}).get(ending) if code else None
    if override is not None:
        return override
    if kind not in FeeKind.values:
        return NO_RULE
    return RULES[(FeeKind(kind), ending)]
