"""
The review workflow: rounds, proposals, the provincial office's decision and
the adoption of a proposal as a new catalog version.

    proposed ──approve──▶ approved ──adopt──▶ adopted
        └────reject───▶ rejected

Every change is checked against ``review.access`` and written to the audit
log (event ``review``). Adoption goes through the catalog's own services
(``version_create_draft``, ``version_update``, ``version_child_delete``,
``version_publish``).
"""

from dataclasses import asdict
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.audit.models import AuditEvent
from motcua.audit.services import audit_record
from motcua.catalog import services as catalog
from motcua.catalog.constants import Channel, OnlineLevel, VersionStatus
from motcua.catalog.models import Component, Procedure
from motcua.catalog.selectors import procedure_version_in_force
from motcua.core.exceptions import (
    Conflict,
    InvalidTransition,
    PermissionDenied,
    ValidationFailed,
)
from motcua.supervision import periods

from .access import may_approve, may_review
from .constants import ProposalKind, ProposalStatus, RoundStatus
from .costs import cost_after
from .models import Proposal, ReviewRound
from .selectors.candidates import simplification_candidates
from .selectors.costs import procedure_cost


class NotApprover(PermissionDenied):
    code = "review_not_approver"
    default_message = _(
        "Chỉ Văn phòng UBND tỉnh (Trung tâm Phục vụ hành chính công tỉnh, giám sát cấp tỉnh) được phê duyệt."
    )


class NotReviewer(PermissionDenied):
    code = "review_not_reviewer"
    default_message = _("Bạn không có quyền tham gia rà soát thủ tục hành chính.")


class RoundClosed(InvalidTransition):
    code = "review_round_closed"
    default_message = _("Đợt rà soát đã kết thúc.")


class WrongStatus(InvalidTransition):
    code = "proposal_wrong_status"
    default_message = _("Phương án không ở trạng thái cho phép thao tác này.")


def _audit(action: str, actor: Any, target: Any, **extra: Any) -> None:
    audit_record(
        event_type=AuditEvent.REVIEW,
        actor=actor,
        target=target,
        extra={"action": action, **extra},
    )


@transaction.atomic
def review_round_open(*, year: int, title: str, actor: Any) -> ReviewRound:
    """Open the review round of ``year``; one per year."""
    if not may_approve(actor):
        raise NotApprover
    title = (title or "").strip() or str(
        _("Rà soát, đánh giá thủ tục hành chính năm %(year)s") % {"year": year}
    )
    if not 2000 <= year <= 2100:
        raise ValidationFailed(_("Năm rà soát không hợp lệ."), code="year_invalid")
    if ReviewRound.objects.filter(year=year).exists():
        raise Conflict(
            _("Đã có đợt rà soát năm %(year)s.") % {"year": year},
            code="review_round_exists",
        )
    review_round = ReviewRound.objects.create(
        year=year, title=title[:255], created_by=actor
    )
    _audit("round_open", actor, review_round, year=year)
    return review_round


@transaction.atomic
def review_round_close(review_round: ReviewRound, *, actor: Any) -> ReviewRound:
    """Close a round: no more proposals or decisions in it."""
    if not may_approve(actor):
        raise NotApprover
    review_round = ReviewRound.objects.select_for_update().get(pk=review_round.pk)
    if review_round.status != RoundStatus.OPEN:
        raise RoundClosed
    review_round.status = RoundStatus.CLOSED
    review_round.save(update_fields=["status", "updated_at"])
    _audit("round_close", actor, review_round)
    return review_round


def _decimal(value: Any, name: str) -> Decimal:
    try:
        result = Decimal(str(value if value not in (None, "") else 0))
    except InvalidOperation:
        raise ValidationFailed(
            _("Giá trị không hợp lệ: %(name)s.") % {"name": name}, code="value_invalid"
        ) from None
    if result < 0 or not result.is_finite():
        raise ValidationFailed(
            _("Giá trị không được âm: %(name)s.") % {"name": name},
            code="value_invalid",
        )
    return result


def _evidence(procedure: Procedure, year: int) -> dict[str, Any]:
    found = simplification_candidates(periods.year(year), procedure_id=procedure.pk)
    if not found:
        return {"period": periods.year(year).key, "received": 0, "signals": []}
    c = found[0]
    return {
        "period": periods.year(year).key,
        "received": c.received,
        "finished": c.finished,
        "late": c.late,
        "supplement_dossiers": c.supplement_dossiers,
        "supplement_rate": str(c.supplement_rate) if c.supplement_rate else None,
        "late_rate": str(c.late_rate) if c.late_rate is not None else None,
        "electronic_rate": str(c.electronic_rate)
        if c.electronic_rate is not None
        else None,
        "avg_days": str(c.avg_days) if c.avg_days is not None else None,
        "legal_days": str(c.legal_days) if c.legal_days is not None else None,
        "ratings": c.ratings,
        "dissatisfied": c.dissatisfied,
        "feedback": c.feedback,
        "supplement_items": c.supplement_items[:5],
        "late_steps": [asdict(s) for s in c.late_steps[:5]],
        "signals": [
            {"code": s.code, "label": str(s.label), "detail": s.detail}
            for s in c.signals
        ],
        "score": str(c.score),
    }


@transaction.atomic
def proposal_create(
    *,
    review_round: ReviewRound,
    procedure: Procedure,
    kind: str,
    description: str,
    actor: Any,
    component: Component | None = None,
    new_duration_value: Any = None,
    hours_saved: Any = 0,
    expenses_saved: Any = 0,
    fees_saved: Any = 0,
) -> Proposal:
    """
    Propose a change of ``procedure`` in an open round, with the evidence of
    the round's year and the compliance cost before and after.
    """
    if not may_review(actor):
        raise NotReviewer
    review_round = ReviewRound.objects.select_for_update().get(pk=review_round.pk)
    if review_round.status != RoundStatus.OPEN:
        raise RoundClosed
    if kind not in ProposalKind.values:
        raise ValidationFailed(_("Phương án không hợp lệ."), code="kind_invalid")
    description = (description or "").strip()
    if not description:
        raise ValidationFailed(
            _("Cần nêu nội dung phương án."), code="description_missing"
        )
    version = procedure_version_in_force(procedure)
    if version is None:
        raise ValidationFailed(
            _("Thủ tục chưa có phiên bản đang có hiệu lực."), code="no_version"
        )
    hours = _decimal(hours_saved, "hours_saved")
    expenses = _decimal(expenses_saved, "expenses_saved")
    fees = _decimal(fees_saved, "fees_saved")
    duration = None
    if kind == ProposalKind.SIMPLIFY_COMPONENT:
        if component is None or component.version_id != version.pk:
            raise ValidationFailed(
                _("Chọn một thành phần hồ sơ của phiên bản đang có hiệu lực."),
                code="component_invalid",
            )
    else:
        component = None
    if kind == ProposalKind.SHORTEN_DURATION:
        duration = _decimal(new_duration_value, "new_duration_value")
        if (
            not duration
            or version.duration_value is None
            or duration >= version.duration_value
        ):
            raise ValidationFailed(
                _("Thời hạn mới phải ngắn hơn thời hạn hiện hành."),
                code="duration_invalid",
            )
    if kind == ProposalKind.FULL_ONLINE and version.online_level == OnlineLevel.FULL:
        raise ValidationFailed(
            _("Thủ tục đã trực tuyến toàn trình."), code="already_online"
        )
    if kind == ProposalKind.INTER_AGENCY and version.is_inter_agency:
        raise ValidationFailed(
            _("Thủ tục đã thực hiện liên thông."), code="already_inter_agency"
        )
    before = procedure_cost(procedure, review_round.year)
    after = cost_after(
        before,
        hours_saved=hours,
        expenses_saved=expenses,
        fees_saved=fees,
        removed=kind == ProposalKind.REMOVE,
    )
    proposal = Proposal.objects.create(
        round=review_round,
        procedure=procedure,
        kind=kind,
        description=description,
        component=component,
        new_duration_value=duration,
        hours_saved=hours,
        expenses_saved=expenses,
        fees_saved=fees,
        evidence=_evidence(procedure, review_round.year),
        cost_before=before.as_dict(),
        cost_after=after.as_dict(),
        yearly_saving=before.yearly - after.yearly,
        proposed_by=actor,
    )
    _audit(
        "proposal_create",
        actor,
        proposal,
        procedure=procedure.code,
        kind=kind,
        yearly_saving=str(proposal.yearly_saving),
    )
    return proposal


def _locked(proposal: Proposal, status: str) -> Proposal:
    proposal = (
        Proposal.objects.select_for_update().select_related("round").get(pk=proposal.pk)
    )
    if proposal.round.status != RoundStatus.OPEN:
        raise RoundClosed
    if proposal.status != status:
        raise WrongStatus
    return proposal


@transaction.atomic
def proposal_decide(
    proposal: Proposal, *, approve: bool, actor: Any, note: str = ""
) -> Proposal:
    """Approve or reject a proposal (the provincial office)."""
    if not may_approve(actor):
        raise NotApprover
    proposal = _locked(proposal, ProposalStatus.PROPOSED)
    note = (note or "").strip()
    if not approve and not note:
        raise ValidationFailed(
            _("Cần nêu lý do không phê duyệt."), code="reason_missing"
        )
    proposal.status = ProposalStatus.APPROVED if approve else ProposalStatus.REJECTED
    proposal.decided_by = actor
    proposal.decided_at = timezone.now()
    proposal.decision_note = note
    proposal.save(
        update_fields=[
            "status",
            "decided_by",
            "decided_at",
            "decision_note",
            "updated_at",
        ]
    )
    _audit(
        "proposal_approve" if approve else "proposal_reject",
        actor,
        proposal,
        procedure=proposal.procedure.code,
        note=note,
    )
    return proposal


# Changes that need an administrator's work on the draft before it can be
# published: an inter-agency procedure needs its participants and steps.
_LEFT_AS_DRAFT = {ProposalKind.INTER_AGENCY}


@transaction.atomic
def proposal_adopt(proposal: Proposal, *, actor: Any) -> Proposal:
    """
    Adopt an approved proposal: draft the procedure's next catalog version
    with the change and publish it. When the draft cannot be published yet
    (steps longer than a shortened duration, participants of an inter-agency
    procedure to add), it is kept as a draft and the note says what is left.
    A removal retires nothing by itself: the note records that the
    competent body must abolish the procedure (no new version).
    """
    if not may_approve(actor):
        raise NotApprover
    proposal = _locked(proposal, ProposalStatus.APPROVED)
    procedure = proposal.procedure
    version = None
    note = ""
    if proposal.kind == ProposalKind.REMOVE:
        note = str(
            _(
                "Đề nghị cơ quan có thẩm quyền bãi bỏ thủ tục; danh mục giữ phiên bản hiện hành đến khi có quyết định công bố."
            )
        )
    else:
        version = catalog.version_create_draft(procedure, actor=actor)
        if proposal.kind == ProposalKind.SHORTEN_DURATION:
            catalog.version_update(
                version, actor=actor, duration_value=proposal.new_duration_value
            )
        elif proposal.kind == ProposalKind.FULL_ONLINE:
            channels = list(version.channels or [])
            if Channel.ONLINE not in channels:
                channels.append(Channel.ONLINE)
            catalog.version_update(
                version,
                actor=actor,
                online_level=OnlineLevel.FULL,
                channels=channels,
            )
        elif proposal.kind == ProposalKind.INTER_AGENCY:
            catalog.version_update(version, actor=actor, is_inter_agency=True)
        elif proposal.kind == ProposalKind.SIMPLIFY_COMPONENT:
            old = proposal.component
            copy = (
                version.components.filter(order=old.order, name=old.name).first()
                if old
                else None
            )
            if copy is not None:
                catalog.version_child_delete(copy, actor=actor)
        decision = str(
            _("Phương án đơn giản hóa %(code)s, đợt %(round)s")
            % {"code": procedure.code, "round": proposal.round.year}
        )
        catalog.version_update(version, actor=actor, decision_number=decision[:128])
        if proposal.kind in _LEFT_AS_DRAFT:
            note = str(
                _(
                    "Đã tạo dự thảo phiên bản %(number)s; bổ sung cơ quan liên thông và các bước rồi công bố."
                )
                % {"number": version.number}
            )
        else:
            try:
                with transaction.atomic():
                    version = catalog.version_publish(version, actor=actor)
                note = str(
                    _("Đã công bố phiên bản %(number)s.") % {"number": version.number}
                )
            except catalog.VersionNotPublishable as error:
                note = str(
                    _(
                        "Đã tạo dự thảo phiên bản %(number)s, chưa công bố được: %(problems)s"
                    )
                    % {"number": version.number, "problems": error.message}
                )
    proposal.status = ProposalStatus.ADOPTED
    proposal.adopted_at = timezone.now()
    proposal.adopted_version = version
    proposal.adoption_note = note
    proposal.save(
        update_fields=[
            "status",
            "adopted_at",
            "adopted_version",
            "adoption_note",
            "updated_at",
        ]
    )
    _audit(
        "proposal_adopt",
        actor,
        proposal,
        procedure=procedure.code,
        version=version.number if version else None,
        published=bool(version and version.status == VersionStatus.PUBLISHED),
    )
    return proposal
